package io.slabridge.core.policy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Assertions on the problems of a rejected policy file, shared by the parser's test classes. */
final class PolicyProblemAssertions {
    private PolicyProblemAssertions() {
    }

    /** The only problem of the file is on {@code line} and its message holds every fragment. */
    static PolicyProblem assertOnlyProblem(InvalidPolicyException e, int line, String... fragments) {
        assertEquals(1, e.problems().size(), () -> "expected exactly one problem, got:\n" + e.getMessage());
        return assertProblem(e, line, fragments);
    }

    /** There is exactly one problem on {@code line} and its message holds every fragment. */
    static PolicyProblem assertProblem(InvalidPolicyException e, int line, String... fragments) {
        List<PolicyProblem> onLine = e.problems().stream().filter(p -> p.line() == line).collect(Collectors.toList());
        if (onLine.size() != 1) {
            fail("expected one problem on line " + line + ", got:\n" + e.getMessage());
        }
        PolicyProblem p = onLine.get(0);
        assertAll(Arrays.stream(fragments).map(f -> () -> assertTrue(p.message().contains(f),
                () -> "message on line " + line + " should contain \"" + f + "\": " + p.message())));
        return p;
    }
}
