package io.slabridge.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slabridge.core.io.TicketEventJson;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store whose link events were accepted before the link index (V6) times their OLA once upgraded: V8 fills
 * {@code ticket_link} from the stored {@code linked} events and makes the pair due, so the scheduler's first look
 * starts the OLA (SLA-SPEC 7). The old store is made as OldStoreOpensTest makes one: Flyway to V5, then rows. On
 * SQLite, H2 and PostgreSQL (127.0.0.1:5432, skipped with a message when none answers, except under CI=true).
 */
class LinkBackfillTest {
    private static final Instant LINKED_AT = OlaRuntimeTest.T0.plusSeconds(1200);

    @TempDir
    Path dir;

    @Test
    void anEmbeddedSqliteStore() throws Exception {
        upgradedStoreTimesTheOla(StoreSettings.embedded(dir), "classpath:db/sqlite");
    }

    @Test
    void anH2Store() throws Exception {
        upgradedStoreTimesTheOla(StoreSettings.h2File(dir.resolve("old")), "classpath:db/migration");
    }

    @Test
    void aPostgresStore() throws Exception {
        String schema = "sla_links_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(TestStores.PG_URL, TestStores.PG_USER, "");
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String message = "no PostgreSQL answers at " + TestStores.PG_URL + " (" + e.getMessage() + ")";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(message + ": under CI=true the PostgreSQL tests must run");
            }
            Assumptions.abort(message + ": the PostgreSQL backfill test skipped");
        }
        try {
            upgradedStoreTimesTheOla(new StoreSettings(TestStores.PG_URL + "?currentSchema=" + schema,
                    TestStores.PG_USER, "", 2), "classpath:db/migration");
        } finally {
            try (Connection c = DriverManager.getConnection(TestStores.PG_URL, TestStores.PG_USER, "");
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private static void upgradedStoreTimesTheOla(StoreSettings settings, String dialect) throws Exception {
        makeAtV5WithALink(settings, dialect);
        for (int run = 1; run <= 2; run++) {
            try (JdbcSlaStore store = JdbcSlaStore.open(settings)) {
                assertEquals(List.of(OlaRuntimeTest.ENG + " " + OlaRuntimeTest.CASE,
                        OlaRuntimeTest.CASE + " " + OlaRuntimeTest.ENG), index(store),
                        "run " + run + ": the stored link is in the index, both ways, once");
                if (run == 2) {
                    continue; // V8 ran once: the second open changes nothing
                }
                MutableClock clock = new MutableClock(LINKED_AT.plusSeconds(60));
                SlaRuntime runtime = SlaRuntime.of(store, OlaRuntimeTest.policies(), clock);
                assertEquals(Optional.of(Instant.EPOCH), runtime.nextWake(), "the pair is due at the scheduler's first look");
                runtime.tick();
                assertEquals(Optional.of(LINKED_AT.plusSeconds(90 * 60)), runtime.nextWake(),
                        "the OLA is timed: the scheduler wakes at 75% of its 2h after the link");
                List<OutboxCommand> salesforce = new ArrayList<>();
                OutboxDispatcher d = new OutboxDispatcher(store, Map.of("jira", c -> WriteResult.done(),
                        "salesforce", c -> {
                            salesforce.add(c);
                            return WriteResult.done();
                        }), clock, RetryPolicy.DEFAULT, new Random(1));
                while (d.dispatchOnce(10) > 0) {
                    // drain
                }
                List<io.slabridge.core.outbox.WriteBack.SlaFields> fields = OlaRuntimeTest.fields(salesforce);
                assertEquals("ENG-1 On track", fields.get(fields.size() - 1).linked().linkedStatus(),
                        "the Case shows engineering's clock");
            }
        }
    }

    /** The schema as V5 left it, the Case's and the issue's events (the link among them), and their folded states. */
    private static void makeAtV5WithALink(StoreSettings settings, String dialect) throws SQLException {
        Flyway.configure().dataSource(settings.url(), settings.user(), settings.password())
                .locations(dialect, "classpath:db/common").target("5").load().migrate();
        List<TicketEvent> events = new ArrayList<>(OlaRuntimeTest.caseAndIssue());
        events.add(OlaRuntimeTest.linkFromJira(LINKED_AT));
        try (Connection c = DriverManager.getConnection(settings.url(), settings.user(), settings.password())) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ticket_event (event_id, ticket, at_epoch, body, "
                    + "received_at) VALUES (?, ?, ?, ?, ?)")) {
                for (TicketEvent e : events) {
                    ps.setString(1, e.id());
                    ps.setString(2, e.ticket());
                    ps.setLong(3, e.atEpochSecond());
                    ps.setString(4, TicketEventJson.write(e));
                    ps.setLong(5, e.atEpochSecond());
                    ps.executeUpdate();
                }
            }
            // As the version before V6 folded them: each ticket alone, nothing due (no OLA was timed).
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ticket_state (ticket, source, summary, "
                    + "next_due_at, next_wake_at, is_open, cycles, version, updated_at) VALUES (?, ?, 'open', NULL, "
                    + "NULL, TRUE, '', 1, 1)")) {
                for (String ticket : List.of(OlaRuntimeTest.CASE, OlaRuntimeTest.ENG)) {
                    ps.setString(1, ticket);
                    ps.setString(2, ticket.substring(0, ticket.indexOf(':')));
                    ps.executeUpdate();
                }
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    private static List<String> index(JdbcSlaStore store) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT ticket, linked_ticket FROM ticket_link ORDER BY ticket")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2));
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
        return rows;
    }
}
