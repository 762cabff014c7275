package io.slabridge.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.fold.TicketFold;
import io.slabridge.core.io.EventLinesReader;
import io.slabridge.core.io.TicketHistories;
import io.slabridge.core.model.Metric;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicySet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OLA compliance in {@code report --events} (SLA-SPEC section 7): per OLA, per engineering project, and the
 * customer breaches split by whether their OLA was breached first. Figures computed by hand in the comments.
 */
class OlaComplianceTest {
    /** The policy of docs/examples/ola: support 1 h / 8 h; OLA eng 2 h / 8 h within_customer 30m. */
    private static final Path POLICY = Path.of("..", "docs", "examples", "ola", "000", "policy.yaml");

    private static String ev(String id, String ticket, String hhmm, String rest) {
        return "{\"id\":\"" + id + "\",\"ticket\":\"" + ticket + "\",\"at\":\"2026-03-02T" + hhmm + ":00Z\"," + rest + "}\n";
    }

    private static ComplianceReport report(String events, String at) throws Exception {
        PolicySet policies = PolicyFileParser.parse(POLICY);
        byte[] bytes = events.getBytes(StandardCharsets.UTF_8);
        TicketHistories histories = EventLinesReader.read(() -> new ByteArrayInputStream(bytes));
        return HistoryReport.of(TicketFold.of(policies), histories, Instant.parse(at), null, ReportPeriod.ALL, List.of());
    }

    /**
     * 500X is escalated to ENG-1 at 09:30, which never answers: its OLA first response is breached at 11:30:01, its
     * resolution (capped at 17:00 - 30m) at 16:30:01, before the case's own resolution breach at 17:00:01.
     * 500Y is escalated to OPS-3, which answers at 09:45 and resolves at 12:00: its OLAs are met, yet the case is
     * still breached at 17:00:01 (support never closed it).
     */
    private static final String HANDOFFS = ev("x0", "salesforce:500X", "09:00",
            "\"type\":\"created\",\"priority\":\"normal\",\"status\":\"open\",\"source\":\"salesforce\"")
            + ev("x1", "salesforce:500X", "09:10", "\"type\":\"agent_reply\"")
            + ev("e0", "jira:ENG-1", "09:00", "\"type\":\"created\",\"priority\":\"high\",\"status\":\"open\",\"source\":\"jira\"")
            + ev("x2", "salesforce:500X", "09:30", "\"type\":\"linked\",\"other\":\"jira:ENG-1\"")
            + ev("y0", "salesforce:500Y", "09:00",
                    "\"type\":\"created\",\"priority\":\"normal\",\"status\":\"open\",\"source\":\"salesforce\"")
            + ev("y1", "salesforce:500Y", "09:10", "\"type\":\"agent_reply\"")
            + ev("o0", "jira:OPS-3", "09:00", "\"type\":\"created\",\"priority\":\"high\",\"status\":\"open\",\"source\":\"jira\"")
            + ev("o1", "jira:OPS-3", "09:30", "\"type\":\"linked\",\"other\":\"salesforce:500Y\"")
            + ev("o2", "jira:OPS-3", "09:45", "\"type\":\"agent_reply\"")
            + ev("o3", "jira:OPS-3", "12:00", "\"type\":\"status_changed\",\"status\":\"resolved\"");

    @Test
    void countsOlasPerOlaAndPerProjectAndSplitsTheCustomerBreaches() throws Exception {
        OlaCompliance o = report(HANDOFFS, "2026-03-02T18:00:00Z").olas().orElseThrow();

        assertEquals(List.of(new OlaCompliance.Row("eng", Metric.FIRST_RESPONSE, 1, 1, 0),
                new OlaCompliance.Row("eng", Metric.RESOLUTION, 1, 1, 0)), o.byOla());
        assertEquals(List.of(new OlaCompliance.Row("ENG", Metric.FIRST_RESPONSE, 0, 1, 0),
                new OlaCompliance.Row("ENG", Metric.RESOLUTION, 0, 1, 0),
                new OlaCompliance.Row("OPS", Metric.FIRST_RESPONSE, 1, 0, 0),
                new OlaCompliance.Row("OPS", Metric.RESOLUTION, 1, 0, 0)), o.byProject());
        assertEquals(1, o.customerBreachesOlaFirst(), "500X: its OLA was breached at 16:30:01, the case at 17:00:01");
        assertEquals(1, o.customerBreachesOlaMet(), "500Y: breached with its OLAs met");
    }

    @Test
    void aBreachBeforeTheLinkIsNoHandoffAndAnUnlinkWithdraws() throws Exception {
        // Example 001: the case breached at 17:00:01, the link came at 18:00.
        String late = new String(java.nio.file.Files.readAllBytes(
                Path.of("..", "docs", "examples", "ola", "001", "events.jsonl")), StandardCharsets.UTF_8);
        OlaCompliance o = report(late, "2026-03-02T20:00:00Z").olas().orElseThrow();
        assertEquals(0, o.customerBreachesOlaFirst() + o.customerBreachesOlaMet());

        // Example 005: both OLA cycles ended by the unlink at 11:00, before their dues.
        String unlinked = new String(java.nio.file.Files.readAllBytes(
                Path.of("..", "docs", "examples", "ola", "005", "events.jsonl")), StandardCharsets.UTF_8);
        assertEquals(List.of(new OlaCompliance.Row("eng", Metric.FIRST_RESPONSE, 0, 0, 1),
                new OlaCompliance.Row("eng", Metric.RESOLUTION, 0, 0, 1)),
                report(unlinked, "2026-03-02T12:00:00Z").olas().orElseThrow().byOla());
    }

    @Test
    void theReportsShowTheOlaSection() throws Exception {
        ComplianceReport r = report(HANDOFFS, "2026-03-02T18:00:00Z");
        StringWriter text = new StringWriter();
        ReportWriter.text(r, -1, new PrintWriter(text));
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        ReportWriter.json(r, -1, json);

        assertTrue(text.toString().contains("Customer breaches with a linked OLA: 1 after the OLA was breached, 1 with "
                + "the OLA met"), text.toString());
        assertTrue(text.toString().matches("(?s).*ola eng\\s+first_response\\s+1\\s+1\\s+50\\.0%\\s+0.*"), text.toString());
        assertTrue(json.toString(StandardCharsets.UTF_8).replaceAll("\\s", "")
                .contains("\"customer_breaches\":{\"ola_breached_first\":1,\"ola_met\":1}"), json.toString());
    }

    /** A spreadsheet user filters the summary on dimension and the breach list on kind and linked_ola. */
    @Test
    void csvHasOlaRowsAndTheBreachListSaysWhichCustomerBreachesTheHandoffCaused() throws Exception {
        ComplianceReport r = report(HANDOFFS, "2026-03-02T18:00:00Z");
        StringWriter summary = new StringWriter();
        ReportWriter.csvSummary(r, new PrintWriter(summary));
        List<String> rows = summary.toString().lines().toList();
        assertTrue(rows.contains("ola,eng,first_response,1,1,50.0,,,,,,,,,,0"), summary.toString());
        assertTrue(rows.contains("ola_project,ENG,resolution,0,1,0.0,,,,,,,,,,0"), summary.toString());
        assertTrue(rows.contains("ola_project,OPS,first_response,1,0,100.0,,,,,,,,,,0"), summary.toString());
        assertTrue(rows.contains("customer_breaches,ola_breached_first,resolution,,1,,,,,,,,,,,"), summary.toString());
        assertTrue(rows.contains("customer_breaches,ola_met,resolution,,1,,,,,,,,,,,"), summary.toString());
        int columns = ReportWriter.SUMMARY_COLUMNS.size();
        rows.forEach(row -> assertEquals(columns, row.split(",", -1).length, row));

        StringWriter breaches = new StringWriter();
        ReportWriter.csvBreaches(r, -1, new PrintWriter(breaches));
        List<String> lines = breaches.toString().lines().toList();
        assertTrue(lines.contains("salesforce:500X,resolution,1,support,normal,,,,28800,2026-03-02T17:00:00Z,,3600,3600,"
                + "sla,jira:ENG-1,breached_first"), breaches.toString());
        assertTrue(lines.contains("salesforce:500Y,resolution,1,support,normal,,,,28800,2026-03-02T17:00:00Z,,3600,3600,"
                + "sla,jira:OPS-3,met"), breaches.toString());
        // ENG-1 never answered: first response due 11:30 (2h after the link), resolution capped at 17:00 - 30m.
        assertEquals("jira:ENG-1,first_response,1,eng,,,,,7200,2026-03-02T11:30:00Z,,23400,23400,ola,salesforce:500X,",
                lines.get(lines.size() - 2));
        assertEquals("jira:ENG-1,resolution,1,eng,,,,,28800,2026-03-02T16:30:00Z,,1800,5400,ola,salesforce:500X,",
                lines.get(lines.size() - 1));
    }

    @Test
    void aPolicyFileWithoutOlasReportsNone() throws Exception {
        PolicySet plain = PolicyFileParser.parse("sla.yaml", """
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [{ name: all, calendar: always, targets: { first_response: 1h } }]
                """);
        byte[] bytes = HANDOFFS.getBytes(StandardCharsets.UTF_8);
        ComplianceReport r = HistoryReport.of(TicketFold.of(plain), EventLinesReader.read(() -> new ByteArrayInputStream(bytes)),
                Instant.parse("2026-03-02T18:00:00Z"), null, ReportPeriod.ALL, List.of());

        assertTrue(r.olas().isEmpty());
    }
}
