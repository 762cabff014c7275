package io.slabridge.routes.app;

import java.util.List;

/** Settings that stop sla-bridge from starting: one line per problem, each naming its property. */
public final class StartupException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public StartupException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
