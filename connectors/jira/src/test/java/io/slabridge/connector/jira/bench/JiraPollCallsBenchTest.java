package io.slabridge.connector.jira.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.connector.jira.bench.JiraPollCallsBench.Poll;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The polling workload of issue 13 (seven issues, our own field write after each change, 21 polls 10 s apart):
 * each poll is one search, whatever the overlap re-reads, since the search page carries the changelog and the
 * comments. Prints the figures docs/explanation/benchmarks.md reports.
 */
class JiraPollCallsBenchTest {

    @Test
    void eachPollIsOneSearchAndNoIssueIsReadAgainOnItsOwn() throws Exception {
        List<Poll> polls = JiraPollCallsBench.run();
        System.out.print(JiraPollCallsBench.report(polls));

        assertEquals(JiraPollCallsBench.POLLS, polls.size());
        for (Poll p : polls) {
            assertEquals(1, p.calls().get("POST search"), p.toString());
            assertTrue(!p.calls().containsKey("GET changelog") && !p.calls().containsKey("GET comment"),
                    "no per-issue reads: " + p);
        }
        assertEquals(Map.of("GET myself", 1, "POST search", 1), polls.get(0).calls(), "the first poll asks who we are");
        // Every customer and agent comment and every creation reaches the runtime (7 issues x 3).
        assertTrue(polls.stream().mapToInt(Poll::events).sum() >= 3 * JiraPollCallsBench.ISSUES);
    }
}
