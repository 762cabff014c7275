package io.slabridge.connector.salesforce;

import java.util.List;

/** Wrong or missing {@code sla.salesforce.*} settings: one line per problem, each naming its property. */
public final class SalesforceConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public SalesforceConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
