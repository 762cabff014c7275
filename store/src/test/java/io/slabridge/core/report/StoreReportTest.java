package io.slabridge.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.fold.TicketFold;
import io.slabridge.core.io.TicketEventJson;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The report from the store: the fixture's events accepted one by one by the runtime, on a clock that follows
 * them, with the scheduler ticking before each event and once more at the evaluation instant, as the running
 * service would. The figures must be the hand-computed ones, as from replay input.
 */
class StoreReportTest {
    private StoreSettings settings;
    private JdbcSlaStore store;

    @BeforeEach
    void fill() throws Exception {
        settings = StoreSettings.inMemory("report" + UUID.randomUUID().toString().replace("-", ""));
        store = JdbcSlaStore.open(settings);
        fill(store);
    }

    /**
     * A file of the report fixture, copied out of sla-core's test jar: in a reactor build the fixture is inside that
     * jar, where it has no {@link Path}.
     */
    private static Path resource(String name) throws IOException {
        Path copy = Files.createTempDirectory("store-report").resolve(name);
        try (InputStream in = StoreReportTest.class.getResourceAsStream("/report/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no /report/" + name + " on the test classpath (sla-core's test jar)");
            }
            Files.copy(in, copy);
        }
        copy.toFile().deleteOnExit();
        return copy;
    }

    /** Accepts the fixture's events in time order through the runtime, then ticks at {@link HandComputed#AT}. */
    static void fill(JdbcSlaStore store) throws Exception {
        TicketEventJson json = new TicketEventJson();
        List<TicketEvent> events = new ArrayList<>();
        for (String line : Files.readAllLines(resource("events.jsonl"))) {
            events.add(json.read(line));
        }
        events.sort(Comparator.comparingLong(TicketEvent::atEpochSecond)); // stable: file order at one instant
        MutableClock clock = new MutableClock(events.get(0).at());
        SlaRuntime runtime = SlaRuntime.of(store, PolicyFileParser.parse(resource("policy.yaml")),
                clock);
        for (TicketEvent e : events) {
            clock.set(e.at());
            runtime.tick();
            runtime.accept(e);
        }
        clock.set(HandComputed.AT);
        runtime.tick();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void figuresFromTheStoredCyclesAreTheHandComputedOnes() {
        try (JdbcSlaStore reading = JdbcSlaStore.openForReading(settings)) {
            // the open breach's business lateness is as of B-2's last fold: bounded, not exact
            HandComputed.assertFigures(StoreReport.of(reading, HandComputed.AT, HandComputed.PERIOD, HandComputed.BY),
                    false);
        }
    }

    @Test
    void figuresFromTheStoredEventsRefoldedAreExactlyTheHandComputedOnes() throws Exception {
        try (JdbcSlaStore reading = JdbcSlaStore.openForReading(settings)) {
            TicketFold fold = TicketFold.of(PolicyFileParser.parse(resource("policy.yaml")));
            HandComputed.assertFigures(StoreReport.of(reading, fold, HandComputed.AT, HandComputed.PERIOD,
                    HandComputed.BY));
        }
    }

    @Test
    void storedCyclesAreReadInPagesWithTheirEvents() {
        List<String> tickets = new ArrayList<>();
        store.forEachTicket(3, t -> {
            tickets.add(t.ticket());
            assertTrue(!t.events().isEmpty() && t.events().stream().allMatch(e -> e.ticket().equals(t.ticket())));
        });
        assertEquals(List.of("jira:A-0", "jira:A-1", "jira:A-2", "jira:A-3", "jira:A-4", "jira:A-5", "salesforce:B-1",
                "salesforce:B-2"), tickets);
    }

    /** PostgreSQL enforces read-only connections (H2 takes them as a hint); skipped without one, as elsewhere. */
    @Test
    void aReadingStoreCannotWriteOnPostgres() throws Exception {
        String url = System.getProperty("sla.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = System.getProperty("sla.test.postgres.user", "postgres");
        String schema = "sla_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (java.sql.SQLException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw e;
            }
            org.junit.jupiter.api.Assumptions.abort("no PostgreSQL at " + url + ": " + e.getMessage());
        }
        try {
            StoreSettings pg = new StoreSettings(url + "?currentSchema=" + schema, user, "", 2);
            JdbcSlaStore.open(pg).close(); // creates the schema
            try (JdbcSlaStore reading = JdbcSlaStore.openForReading(pg)) {
                reading.forEachTicket(10, t -> { });
                assertThrows(io.slabridge.core.store.StoreException.class,
                        () -> reading.saveCursor("x", "y", HandComputed.AT));
            }
        } finally {
            try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    @Test
    void storedCyclesThatDoNotReadBackNameTheTicket() throws Exception {
        try (Connection c = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
                Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE ticket_state SET cycles = '{\"ticket\":\"jira:A-2\",\"metric\":\"nope\"}' "
                    + "WHERE ticket = 'jira:A-2'");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StoreReport.of(store, HandComputed.AT, HandComputed.PERIOD, List.of()));
        assertTrue(e.getMessage().startsWith("ticket jira:A-2: stored cycles do not read back: cycle line 1:"),
                e.getMessage());
    }

    @Test
    void anOpenCycleStoredBeforeItsDueInstantCountsAsBreachedAfterIt() throws Exception {
        // Without the last tick, B-2's resolution (due Fri 04:00) may be stored as running: it is still breached.
        StoreSettings other = StoreSettings.inMemory("report" + UUID.randomUUID().toString().replace("-", ""));
        try (JdbcSlaStore s = JdbcSlaStore.open(other)) {
            TicketEventJson json = new TicketEventJson();
            SlaRuntime runtime = SlaRuntime.of(s, PolicyFileParser.parse(resource("policy.yaml")),
                    new MutableClock(java.time.Instant.parse("2026-03-05T22:00:00Z")));
            for (String line : Files.readAllLines(resource("events.jsonl"))) {
                TicketEvent e = json.read(line);
                if (e.ticket().equals("salesforce:B-2")) {
                    runtime.accept(e);
                }
            }
            ComplianceReport r = StoreReport.of(s, HandComputed.AT, HandComputed.PERIOD, List.of());
            HandComputed.assertRow(r, null, null, Metric.RESOLUTION, 0, 1, 1, 0, 0);
            ComplianceReport.Breach open = r.breaches().stream().filter(b -> b.metric() == Metric.RESOLUTION)
                    .findFirst().orElseThrow();
            assertEquals(80 * 3600, open.lateCalendarSeconds());
            assertEquals(0, open.lateBusinessSeconds()); // as stored: 2 of 8 hours elapsed at Thu 22:00
        }
    }
}
