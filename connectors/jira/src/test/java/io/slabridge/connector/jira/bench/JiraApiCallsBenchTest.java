package io.slabridge.connector.jira.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.connector.jira.bench.JiraApiCallsBench.Figures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keeps the API-calls benchmark honest on its two short scenarios (the two-day one is left to the benchmark):
 * every call is counted once, each delivered command costs exactly one call, and the naive writer's count is
 * one call per open minute.
 */
class JiraApiCallsBenchTest {

    @Test
    void eachDeliveredCommandCostsOneCallAndTheCountersAgreeWithJira() throws Exception {
        List<JiraApiCallsBench.Scenario> shortOnes = JiraApiCallsBench.scenarios(JiraApiCallsBench.QUICKSTART).stream()
                .filter(s -> s.openMinutes() < 24 * 60).toList();
        assertEquals(2, shortOnes.size());

        for (Figures f : JiraApiCallsBench.run(JiraApiCallsBench.QUICKSTART, shortOnes)) {
            String name = f.scenario().name();
            int delivered = f.commands().entrySet().stream().filter(e -> e.getKey().endsWith(" done"))
                    .mapToInt(Map.Entry::getValue).sum();
            assertEquals(delivered, f.slaBridgeCalls(), name + ": " + f.commands());
            assertEquals(f.slaBridgeCalls() + f.naiveFieldPuts(), f.wireMockRequests(), name + ": counted by Jira");
            assertEquals(f.scenario().openMinutes(), f.naiveFieldPuts(), name);
            assertTrue(!f.calls().containsKey("GET comments"), name + ": no retries, so no look-ups: " + f.calls());
            // A fields write follows an event or a threshold crossing (at most two steps here), never the clock alone.
            int fieldWrites = f.commands().getOrDefault("sla_fields done", 0);
            assertTrue(fieldWrites >= 3 && fieldWrites <= f.scenario().events().size() + 2, name + ": " + f.writes());
            assertTrue(f.naiveCalls() > 20 * f.slaBridgeCalls(), name + ": " + f.naiveCalls() + " vs " + f.slaBridgeCalls());
        }
    }

    @Test
    void aLateFirstReplyPostsTheLaddersTwoCommentsAndParksItsNotify() throws Exception {
        JiraApiCallsBench.Scenario late = JiraApiCallsBench.scenarios(JiraApiCallsBench.QUICKSTART).stream()
                .filter(s -> s.name().equals("SUP-3")).findFirst().orElseThrow();

        Figures f = JiraApiCallsBench.run(JiraApiCallsBench.QUICKSTART, List.of(late)).get(0);

        assertEquals(2, f.commands().get("comment done"), f.writes().toString());
        assertEquals(1, f.commands().get("notify parked"), f.writes().toString());
        assertEquals(2, f.calls().get("POST comment"));
        assertEquals(2, f.escalationCalls());
    }
}
