package io.slabridge.connector.salesforce.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Keeps the API-calls benchmark honest on a burst: every update reaches the writer, and the calls are the
 * records in batches of the dispatcher's claim (at most 200). With {@code -Dsla.bench.print=true} it prints the
 * table of docs/explanation/benchmarks.md.
 */
class SalesforceApiCallsBenchTest {

    @Test
    void aBurstOfUpdatesGoesOutInCallsOfUpToTheClaimedBatch() throws Exception {
        SalesforceApiCallsBench.Figures f = SalesforceApiCallsBench.run(Duration.ofSeconds(1), 200, SalesforceApiCallsBench.STEP);

        assertEquals(1000, f.updates());
        assertTrue(f.records() >= SalesforceApiCallsBench.CASES && f.records() <= f.updates(), f.toString());
        assertEquals(f.commands(), f.records(), "one record per command: no call without a record");
        assertEquals(200, f.largestCall(), f.toString());
        assertTrue(f.calls() <= (f.records() + 199) / 200 + 3, f.toString());
        assertTrue(f.calls() * 20 < f.records(), f.toString());
    }

    @Test
    @EnabledIfSystemProperty(named = "sla.bench.print", matches = "true")
    void printTheTable() throws Exception {
        System.out.println(SalesforceApiCallsBench.report(List.of(Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofSeconds(100), Duration.ofSeconds(1000)), List.of(50, 200)));
    }
}
