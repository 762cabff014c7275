package io.slabridge.core.policy;

import java.util.List;
import java.util.stream.Collectors;

/** A policy file was rejected as a whole; {@link #problems()} says every reason found, each with its line. */
public final class InvalidPolicyException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<PolicyProblem> problems;

    public InvalidPolicyException(List<PolicyProblem> problems) {
        super(problems.stream().map(PolicyProblem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid policy has at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<PolicyProblem> problems() {
        return problems;
    }
}
