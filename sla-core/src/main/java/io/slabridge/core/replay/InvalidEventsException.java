package io.slabridge.core.replay;

import java.util.List;

/** An events file had bad lines; {@link #problems()} names each ("line 12: unknown type 'x'"). */
public final class InvalidEventsException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public InvalidEventsException(String file, List<String> problems) {
        super(file + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
