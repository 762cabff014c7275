package io.slabridge.core.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.fold.OlaFold;
import io.slabridge.core.model.CycleStatus;
import io.slabridge.core.model.LinkSummary;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.MetricCycle;
import io.slabridge.core.model.OlaCycle;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CycleJsonReaderTest {
    @Test
    void readsBackWhatTheWriterWrote() throws Exception {
        List<MetricCycle> cycles = List.of(
                MetricCycle.of("jira:SUP-\"1\"", Metric.FIRST_RESPONSE, 1, "enterprise", "always", 3600, 1000, 4600,
                        2500, CycleStatus.MET, 1500, false, MetricCycle.NONE),
                MetricCycle.of("jira:SUP-\"1\"", Metric.RESOLUTION, 2, "corporate", "berlin-office", 28800, 1000,
                        MetricCycle.NONE, MetricCycle.NONE, CycleStatus.PAUSED, 22000, true, MetricCycle.NONE),
                MetricCycle.of("jira:SUP-\"1\"", Metric.NEXT_RESPONSE, 1, "corporate", "berlin-office", 60, 1000,
                        1060, MetricCycle.NONE, CycleStatus.BREACHED, 90, false, MetricCycle.NONE));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CycleJsonWriter w = new CycleJsonWriter(out)) {
            for (MetricCycle c : cycles) {
                w.write(c);
            }
        }
        assertEquals(cycles, CycleJsonReader.read(out.toString(StandardCharsets.UTF_8)));
        assertEquals(List.of(), CycleJsonReader.read(""));
    }

    @Test
    void readsBackOlaCyclesAndLinkSummaries() throws Exception {
        List<OlaCycle> cycles = List.of(
                new OlaCycle("jira:ENG-7", "salesforce:500A", "engineering", Metric.FIRST_RESPONSE, 1, "always", 1200,
                        1000, 2200, 1600, CycleStatus.MET, 600, false, 2500, OlaCycle.StopCause.REPLY),
                new OlaCycle("jira:ENG-7", "salesforce:500A", "engineering", Metric.RESOLUTION, 1, "always", 7200,
                        1000, MetricCycle.NONE, MetricCycle.NONE, CycleStatus.PAUSED, 900, true, MetricCycle.NONE, null));
        List<LinkSummary> summaries = List.of(
                new LinkSummary("jira:ENG-7", 2, "salesforce:500A", 2500, "Umbrella \"Corp\"", "gold"),
                new LinkSummary("jira:ENG-8", 1, null, MetricCycle.NONE, null, null));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CycleJsonWriter w = new CycleJsonWriter(out)) {
            w.write(summaries.get(0)); // in any order
            for (OlaCycle c : cycles) {
                w.write(c);
            }
            w.write(summaries.get(1));
        }
        OlaFold.Result read = CycleJsonReader.readOla(out.toString(StandardCharsets.UTF_8));
        assertEquals(cycles, read.cycles());
        assertEquals(summaries, read.summaries());
        assertEquals(List.of(), CycleJsonReader.readOla("").cycles());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CycleJsonReader.readOla("{\"ticket\":\"jira:ENG-7\"}"));
        assertTrue(e.getMessage().startsWith("OLA line 1: missing customer"), e.getMessage());
    }

    @Test
    void aBadLineIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CycleJsonReader.read(
                "\n{\"ticket\":\"t\",\"metric\":\"first_response\",\"status\":\"late\"}"));
        assertTrue(e.getMessage().startsWith("cycle line 2: unknown status 'late'"), e.getMessage());
    }
}
