package io.slabridge.core.replay;

import static io.slabridge.core.replay.OlaExamplesTest.replay;
import static io.slabridge.core.replay.OlaExamplesTest.shuffledWithRepeats;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/examples/policy-project (computed by hand in its README): support policies written
 * {@code project: { not: ENG }} leave engineering issues to their OLA (SLA-SPEC 3, 7). Replays to exactly its
 * expected lines, byte for byte, also shuffled with every line repeated.
 */
class PolicyProjectExampleTest {
    /** Surefire runs in the module's directory; the example is the project's docs. */
    private static final Path EXAMPLE = Path.of("..", "docs", "examples", "policy-project");

    @Test
    void replayPrintsExactlyTheExpectedLines() throws Exception {
        assertEquals(expected(), replay(EXAMPLE, Files.readAllBytes(EXAMPLE.resolve("events.jsonl"))));
    }

    @Test
    void arrivalOrderAndRepeatsDoNotMatter() throws Exception {
        assertEquals(expected(), replay(EXAMPLE, shuffledWithRepeats(EXAMPLE)));
    }

    @Test
    void engineeringIssuesGetTheOlaAndNoSupportPolicy() throws Exception {
        String out = replay(EXAMPLE, Files.readAllBytes(EXAMPLE.resolve("events.jsonl")));

        assertEquals(0, out.lines().filter(l -> l.contains("\"ticket\":\"jira:ENG-") && l.contains("\"policy\"")).count(),
                "no support cycle for an ENG issue");
        assertEquals(2, out.lines().filter(l -> l.contains("\"ticket\":\"jira:ENG-7\",\"customer\"")).count(),
                "ENG-7's two OLA cycles");
    }

    private static String expected() throws Exception {
        return Files.readString(EXAMPLE.resolve("expected.jsonl"));
    }
}
