package io.slabridge.connector.email;

import java.util.List;

/** Wrong or missing {@code sla.email.*} settings: every problem at once, each naming its property. */
public final class EmailConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public EmailConfigException(List<String> problems) {
        super("email connector settings: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
