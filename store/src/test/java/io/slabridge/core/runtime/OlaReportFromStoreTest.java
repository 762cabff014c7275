package io.slabridge.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slabridge.core.fold.TicketFold;
import io.slabridge.core.io.EventLinesReader;
import io.slabridge.core.io.TicketEventJson;
import io.slabridge.core.io.TicketHistories;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.report.ComplianceReport;
import io.slabridge.core.report.HistoryReport;
import io.slabridge.core.report.OlaCompliance;
import io.slabridge.core.report.ReportPeriod;
import io.slabridge.core.report.StoreReport;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.store.JdbcSlaStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@code report} from the store gives the OLA figures {@code report --events} gives for the same history (issue 16
 * section 5): the history accepted by the runtime event by event on a clock that follows it, the scheduler ticking as
 * the service would, then both reports at the same instant. Over every OLA example of docs/examples/ola (each decision
 * of SLA-SPEC section 7: links from one side or both, late links, reopen, chains and cycles, unlinks, several links)
 * and a history with hand-computed figures, on SQLite (the embedded default), H2 and PostgreSQL.
 */
class OlaReportFromStoreTest {
    private static final Path EXAMPLES = Path.of("..", "docs", "examples", "ola");
    /** The history of sla-core's {@code report/ola-handoffs.jsonl}, with hand-computed OLA figures. */
    private static final Instant HANDOFFS_AT = Instant.parse("2026-03-02T18:00:00Z");

    @Test
    void onTheEmbeddedStore() throws Exception {
        sameFiguresFromTheStore(TestStores::sqlite);
    }

    @Test
    void onH2() throws Exception {
        sameFiguresFromTheStore(TestStores::h2);
    }

    @Test
    void onPostgresql() throws Exception {
        List<TestStores.PostgresStore> made = new ArrayList<>();
        try {
            sameFiguresFromTheStore(() -> {
                TestStores.PostgresStore pg = TestStores.postgres();
                made.add(pg);
                return pg.store();
            });
        } finally {
            made.forEach(TestStores.PostgresStore::dropSchema);
        }
    }

    /** A store from before the link index (V6), read by a newer report without migrating it: no OLA, no failure. */
    @Test
    void aStoreFromBeforeTheLinkIndexHasNoOlaFigures() throws Exception {
        PolicySet policies = PolicyFileParser.parse(EXAMPLES.resolve("000").resolve("policy.yaml"));
        try (JdbcSlaStore store = TestStores.h2()) {
            fill(store, policies, Files.readString(EXAMPLES.resolve("000").resolve("events.jsonl")), HANDOFFS_AT);
            try (java.sql.Connection c = store.dataSource().getConnection(); java.sql.Statement s = c.createStatement()) {
                s.execute("DROP TABLE ticket_link");
                c.commit();
            }
            ComplianceReport r = StoreReport.of(store, null, policies, HANDOFFS_AT, ReportPeriod.ALL, List.of());
            assertEquals(List.of(), r.olas().orElseThrow().byOla());
            assertEquals(1, r.rows().stream().filter(row -> row.metric() == Metric.FIRST_RESPONSE).count(),
                    "the SLA figures are there");
        }
    }

    private static void sameFiguresFromTheStore(Supplier<JdbcSlaStore> stores) throws Exception {
        PolicySet policies = PolicyFileParser.parse(EXAMPLES.resolve("000").resolve("policy.yaml"));
        // 500X is escalated to ENG-1 (the link reported by the Case only), which never answers: its OLA first response
        // breaches at 11:30:01, its resolution (capped at 17:00 - 30m) at 16:30:01, before the Case's resolution breach
        // at 17:00:01. OPS-3 (the link reported by Jira only) answers 500Y at 09:45 and resolves at 12:00; 500Y still
        // breaches at 17:00:01. ENG-2 is linked to 500Z from both sides and unlinked at 10:30: both its OLA cycles
        // are withdrawn; 500Z is resolved at 11:00.
        String handoffLines;
        try (java.io.InputStream in = OlaReportFromStoreTest.class.getResourceAsStream("/report/ola-handoffs.jsonl")) {
            handoffLines = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        OlaCompliance handoffs = fromStoreAndFromEvents(stores, policies, handoffLines, HANDOFFS_AT);
        assertEquals(List.of(new OlaCompliance.Row("eng", Metric.FIRST_RESPONSE, 1, 1, 1),
                new OlaCompliance.Row("eng", Metric.RESOLUTION, 1, 1, 1)), handoffs.byOla());
        assertEquals(List.of(new OlaCompliance.Row("ENG", Metric.FIRST_RESPONSE, 0, 1, 1),
                new OlaCompliance.Row("ENG", Metric.RESOLUTION, 0, 1, 1),
                new OlaCompliance.Row("OPS", Metric.FIRST_RESPONSE, 1, 0, 0),
                new OlaCompliance.Row("OPS", Metric.RESOLUTION, 1, 0, 0)), handoffs.byProject());
        assertEquals(List.of(new OlaCompliance.CustomerBreach("salesforce:500X", Metric.RESOLUTION, 1,
                List.of("jira:ENG-1"), true), new OlaCompliance.CustomerBreach("salesforce:500Y", Metric.RESOLUTION, 1,
                List.of("jira:OPS-3"), false)), handoffs.customerBreaches());
        assertEquals(2, handoffs.breaches().size(), "ENG-1's first response and resolution");

        for (String example : List.of("000", "001", "002", "003", "004", "005", "006")) {
            Path dir = EXAMPLES.resolve(example);
            fromStoreAndFromEvents(stores, PolicyFileParser.parse(dir.resolve("policy.yaml")),
                    Files.readString(dir.resolve("events.jsonl")), Instant.parse(Files.readString(dir.resolve("at.txt")).strip()));
        }
    }

    /** The OLA figures of the history from a store the runtime filled, asserted equal to those from the events. */
    private static OlaCompliance fromStoreAndFromEvents(Supplier<JdbcSlaStore> stores, PolicySet policies,
            String eventLines, Instant at) throws Exception {
        byte[] bytes = eventLines.getBytes(StandardCharsets.UTF_8);
        TicketHistories histories = EventLinesReader.read(() -> new ByteArrayInputStream(bytes));
        ComplianceReport fromEvents = HistoryReport.of(TicketFold.of(policies), histories, at, null, ReportPeriod.ALL,
                List.of());
        ComplianceReport fromStore;
        try (JdbcSlaStore store = stores.get()) {
            fill(store, policies, eventLines, at);
            fromStore = StoreReport.of(store, null, policies, at, ReportPeriod.ALL, List.of());
        }
        assertEquals(fromEvents.olas(), fromStore.olas(), "OLA figures from the store and from the events:\n" + eventLines);
        return fromStore.olas().orElseThrow();
    }

    /** Accepts the events in time order (file order at one instant), ticking before each and at {@code at}. */
    private static void fill(JdbcSlaStore store, PolicySet policies, String eventLines, Instant at) throws Exception {
        TicketEventJson json = new TicketEventJson();
        List<TicketEvent> events = new ArrayList<>();
        for (String line : eventLines.lines().filter(l -> !l.isBlank()).toList()) {
            events.add(json.read(line));
        }
        events.sort(Comparator.comparingLong(TicketEvent::atEpochSecond));
        MutableClock clock = new MutableClock(events.get(0).at());
        SlaRuntime runtime = SlaRuntime.of(store, policies, clock);
        for (TicketEvent e : events) {
            if (e.at().isAfter(at)) {
                break; // as report --events ignores events after the evaluation instant
            }
            clock.set(e.at());
            runtime.tick();
            runtime.accept(e);
        }
        clock.set(at);
        runtime.tick();
    }
}
