package io.slabridge.connector.jira;

import java.util.List;

/** Wrong or missing {@code sla.jira.*} settings: one line per problem, each naming its property. */
public final class JiraConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public JiraConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
