package io.slabridge.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The three shapes of the hand-computed report. */
class ReportWriterTest {
    static ComplianceReport report;

    @BeforeAll
    static void fold() throws Exception {
        report = ComplianceReportTest.fixture(HandComputed.AT, HandComputed.PERIOD, List.of(Dimension.PRIORITY,
                Dimension.TIER));
    }

    static String text(int limit) {
        StringWriter s = new StringWriter();
        ReportWriter.text(report, limit, new PrintWriter(s));
        return s.toString();
    }

    @Test
    void textTables() {
        List<String> lines = text(20).lines().toList();
        assertEquals("period:       2026-03-02T00:00:00Z to 2026-03-07T00:00:00Z (excluded)", lines.get(1));
        assertEquals("evaluated at: 2026-03-09T12:00:00Z", lines.get(2));
        assertEquals("tickets:      8  (by priority, tier)", lines.get(3));
        assertTrue(lines.contains("group            metric          met  breached   % met  breached, open  open at end"),
                String.join("\n", lines));
        assertTrue(lines.contains("overall          first_response    4         2   66.7%               0            1"));
        assertTrue(lines.contains("priority low     first_response    0         0       -               0            1"));
        assertTrue(lines.contains("tier (none)      resolution        0         0       -               0            1"));
        assertTrue(lines.stream().anyMatch(l -> l.matches("overall +resolution +6 +9h +14h +19h +29h +51h +74h")),
                String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.matches("overall +first_response +6 +1h30m +3h +6h +1h30m +6h +19h")));
        assertTrue(lines.contains("Breaches: 4 in the period, the latest first"));
        assertTrue(lines.stream().anyMatch(l -> l.matches("salesforce:B-2 +resolution +1 +enterprise +urgent +8h "
                + "+2026-03-06T04:00:00Z +open +80h +80h")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.matches("jira:A-3 +resolution +1 +standard +high +16h "
                + "+2026-03-04T17:00:00Z +2026-03-05T12:00:00Z +3h +19h")));
    }

    @Test
    void textBreachListIsLimited() {
        String text = text(1);
        assertTrue(text.contains("Breaches: 4 in the period, the latest first (the first 1; --breaches N or all to see more)"));
        assertTrue(text.contains("salesforce:B-2"));
        assertTrue(!text.contains("jira:A-3  first_response"));
    }

    @Test
    void csvSummaryHasOneRowPerGroupAndMetric() {
        StringWriter s = new StringWriter();
        ReportWriter.csvSummary(report, new PrintWriter(s));
        List<String> lines = s.toString().lines().toList();
        assertTrue(s.toString().endsWith("\r\n"));
        assertEquals(String.join(",", ReportWriter.SUMMARY_COLUMNS), lines.get(0));
        assertEquals("overall,,first_response,4,2,66.7,0,1,6,5400,10800,21600,5400,21600,68400,", lines.get(1));
        assertEquals("overall,,resolution,5,2,71.4,1,1,6,32400,50400,68400,104400,183600,266400,", lines.get(2));
        assertTrue(lines.contains("priority,low,first_response,0,0,,0,1,0,,,,,,,"), s.toString());
        assertTrue(lines.contains("tier,,resolution,0,0,,0,1,0,,,,,,,"));
        assertEquals(1 + report.rows().size(), lines.size());
    }

    @Test
    void csvBreaches() {
        StringWriter s = new StringWriter();
        ReportWriter.csvBreaches(report, -1, new PrintWriter(s));
        List<String> lines = s.toString().lines().toList();
        assertEquals(String.join(",", ReportWriter.BREACH_COLUMNS), lines.get(0));
        assertEquals("salesforce:B-2,resolution,1,enterprise,urgent,email,enterprise,acme,28800,2026-03-06T04:00:00Z,,"
                + "288000,288000,sla,,", lines.get(1));
        assertEquals("jira:A-3,first_response,1,standard,high,email,pro,acme,14400,2026-03-03T13:00:00Z,"
                + "2026-03-03T15:00:00Z,7200,7200,sla,,", lines.get(3));
        assertEquals(5, lines.size());
    }

    @Test
    void csvQuotesCellsThatNeedIt() {
        ComplianceReport r = ComplianceReport.builder(HandComputed.AT, ReportPeriod.ALL, List.of(Dimension.ACCOUNT))
                .add(List.of(io.slabridge.core.model.MetricCycle.of("t", io.slabridge.core.model.Metric.RESOLUTION, 1,
                        "p", "c", 60, 0, 60, 30, io.slabridge.core.model.CycleStatus.MET, 30, false,
                        io.slabridge.core.model.MetricCycle.NONE)), AttributeTimeline.of(List.of(
                        io.slabridge.core.model.TicketEvent.builder("e", "t", 0L, io.slabridge.core.model.EventType.CREATED)
                                .priority(io.slabridge.core.model.Priority.LOW)
                                .status(io.slabridge.core.model.TicketStatus.OPEN).account("Acme, \"Inc\"").build())))
                .build();
        StringWriter s = new StringWriter();
        ReportWriter.csvSummary(r, new PrintWriter(s));
        assertTrue(s.toString().contains("\r\naccount,\"Acme, \"\"Inc\"\"\",resolution,1,0,100.0,"), s.toString());
    }

    @Test
    void json() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReportWriter.json(report, 2, out);
        JsonNode j = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals("2026-03-09T12:00:00Z", j.get("evaluated_at").asText());
        assertEquals("2026-03-02T00:00:00Z", j.get("period").get("from").asText());
        assertEquals("2026-03-07T00:00:00Z", j.get("period").get("to").asText());
        assertEquals("[\"priority\",\"tier\"]", j.get("by").toString());
        assertEquals(8, j.get("tickets").asInt());
        JsonNode first = j.get("compliance").get(0);
        assertEquals("{\"dimension\":\"overall\",\"value\":null,\"metric\":\"first_response\",\"met\":4,\"breached\":2,"
                + "\"met_percent\":66.7,\"breached_open\":0,\"open_at_end\":1,"
                + "\"business_seconds\":{\"cycles\":6,\"median\":5400,\"p80\":10800,\"p90\":21600},"
                + "\"calendar_seconds\":{\"cycles\":6,\"median\":5400,\"p80\":21600,\"p90\":68400}}", first.toString());
        JsonNode low = j.get("compliance").findParents("value").stream()
                .filter(n -> "low".equals(n.get("value").asText()) && n.get("metric").asText().equals("first_response"))
                .findFirst().orElseThrow();
        assertTrue(low.get("met_percent").isNull());
        assertTrue(low.get("business_seconds").get("median").isNull());
        assertEquals(4, j.get("breaches").get("total").asInt());
        assertEquals(2, j.get("breaches").get("listed").size());
        assertEquals("{\"ticket\":\"salesforce:B-2\",\"metric\":\"resolution\",\"cycle\":1,\"policy\":\"enterprise\","
                + "\"priority\":\"urgent\",\"channel\":\"email\",\"tier\":\"enterprise\",\"account\":\"acme\","
                + "\"target_seconds\":28800,\"due_at\":\"2026-03-06T04:00:00Z\",\"stopped_at\":null,"
                + "\"late_business_seconds\":288000,\"late_calendar_seconds\":288000}",
                j.get("breaches").get("listed").get(0).toString());
    }

    @Test
    void durations() {
        assertEquals("0s", ReportWriter.duration(0));
        assertEquals("45s", ReportWriter.duration(45));
        assertEquals("30m", ReportWriter.duration(1800));
        assertEquals("1h30m", ReportWriter.duration(5400));
        assertEquals("26h0m5s", ReportWriter.duration(26 * 3600 + 5));
        assertEquals("-", ReportWriter.duration(-1));
    }
}
