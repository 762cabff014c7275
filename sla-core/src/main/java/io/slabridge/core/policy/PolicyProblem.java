package io.slabridge.core.policy;

import java.util.Objects;

/** One thing wrong with a policy file, and where: {@code sla.yaml:12: unknown calendar 'berlin'}. */
public final class PolicyProblem {
    private final String file;
    private final int line;
    private final String message;

    private PolicyProblem(String file, int line, String message) {
        this.file = file;
        this.line = line;
        this.message = message;
    }

    /** @param line 1-based; 0 when the problem belongs to the file as a whole */
    public static PolicyProblem of(String file, int line, String message) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        if (line < 0) {
            throw new IllegalArgumentException("line must not be negative");
        }
        return new PolicyProblem(file, line, message);
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String message() {
        return message;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyProblem && ((PolicyProblem) o).file.equals(file) && ((PolicyProblem) o).line == line
                && ((PolicyProblem) o).message.equals(message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, line, message);
    }

    /** {@code file:line: message}, the form compilers use, so editors can jump to it. */
    @Override
    public String toString() {
        return line == 0 ? file + ": " + message : file + ":" + line + ": " + message;
    }
}
