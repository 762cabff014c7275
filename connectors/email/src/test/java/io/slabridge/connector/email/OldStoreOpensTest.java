package io.slabridge.connector.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store made by the version before issue 14, whose Flyway history holds the email tables as the core's
 * {@code V3__mail.sql} (test resource {@code db/previous-core}, byte for byte as it shipped), opens with this
 * version: no validation failure, its rows intact, and the email connector's own history started beside the
 * core's. On the embedded SQLite file, an H2 file, and PostgreSQL at 127.0.0.1:5432 (database {@code test}; skipped
 * with a message when none answers, except under {@code CI=true}).
 */
class OldStoreOpensTest {
    private static final String PG_URL = System.getProperty("sla.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String PG_USER = System.getProperty("sla.test.postgres.user", "postgres");
    private static final Instant NOW = Instant.parse("2026-12-01T09:00:00Z");

    @TempDir
    Path dir;

    @Test
    void anEmbeddedSqliteStoreOpens() throws SQLException {
        StoreSettings settings = StoreSettings.embedded(dir);
        makeAsBefore(settings, "classpath:db/sqlite");
        opensIntact(settings);
    }

    @Test
    void anH2FileStoreOpens() throws SQLException {
        StoreSettings settings = StoreSettings.h2File(dir.resolve("old"));
        makeAsBefore(settings, "classpath:db/migration");
        opensIntact(settings);
    }

    @Test
    void aPostgresStoreOpens() throws SQLException {
        String schema = "sla_old_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String message = "no PostgreSQL answers at " + PG_URL + " as " + PG_USER + " (" + e.getMessage() + ")";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(message + ": under CI=true the PostgreSQL tests must run");
            }
            Assumptions.abort(message + ": the PostgreSQL old-store test skipped");
        }
        try {
            StoreSettings settings = new StoreSettings(PG_URL + "?currentSchema=" + schema, PG_USER, "", 2);
            makeAsBefore(settings, "classpath:db/migration");
            opensIntact(settings);
        } finally {
            try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    /** The schema the previous version made (its V1-V4 under the one history), and rows in it. */
    private static void makeAsBefore(StoreSettings settings, String dialectLocation) throws SQLException {
        Flyway.configure().dataSource(settings.url(), settings.user(), settings.password())
                .locations(dialectLocation, "classpath:db/common", "classpath:db/previous-core")
                .target("4") // the previous version's last; V5 (the board's index), V6 (links), V7 (OLA cycles) are this one's
                .load().migrate();
        try (Connection c = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
                Statement s = c.createStatement()) {
            assertEquals(List.of("1", "2", "3", "4"), appliedVersions(c, "flyway_schema_history"),
                    "the store as the previous version left it");
            s.executeUpdate("INSERT INTO source_cursor (name, cursor_value, updated_at) VALUES ('jira', "
                    + "'2026-11-30T10:00:00Z', 1)");
            s.executeUpdate("INSERT INTO outbox (ticket, source, kind, payload, idempotency_key, status, attempts, "
                    + "next_attempt_at, created_at) VALUES ('email:c1@x', 'email', 'comment', '{}', 'email:c1@x/1', "
                    + "'parked', 5, 1, 1)");
            s.executeUpdate("INSERT INTO mail_ticket (ticket, root_message_id, customer, reply_to, subject_key, subject, "
                    + "status, created_at, ack_wanted) VALUES ('email:c1@x', 'c1@x', 'carla@globex.example', "
                    + "'carla@globex.example', 'invoice', 'Invoice', 'open', 1000, TRUE)");
            s.executeUpdate("INSERT INTO mail_sent (message_id, ticket, kind, recipient, idempotency_key, sent_at) "
                    + "VALUES ('ack.1@sla-bridge', 'email:c1@x', 'ack', 'carla@globex.example', 'email:c1@x/ack', 1001)");
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    /** Opens the store and the email connector's tables with this version, twice: all still there, once. */
    private static void opensIntact(StoreSettings settings) throws SQLException {
        for (int run = 1; run <= 2; run++) {
            try (JdbcSlaStore store = JdbcSlaStore.open(settings)) {
                MailStore mail = new MailStore(store.dataSource());
                assertEquals(Optional.of("2026-11-30T10:00:00Z"), store.cursor("jira"), "run " + run);
                assertEquals(Map.of("pending", 0L, "done", 0L, "parked", 1L), store.outboxCounts(), "run " + run);
                assertEquals("Invoice", mail.ticket("email:c1@x").orElseThrow().subject(), "run " + run);
                assertTrue(mail.wasSent("ack.1@sla-bridge"), "run " + run);
                if (run == 2) {
                    assertTrue(mail.message("r1@x").isPresent(), "what the first run stored");
                    assertEquals(Optional.of("run 1"), store.cursor("salesforce"), "what the first run stored");
                }
                // Both work on: a new mail and a new cursor are stored.
                mail.recordMessage("r" + run + "@x", "email:c1@x", "customer", 2000 + run);
                store.saveCursor("salesforce", "run " + run, NOW);
                try (Connection c = store.dataSource().getConnection()) {
                    assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8"),
                            appliedVersions(c, "flyway_schema_history"),
                            "run " + run + ": the core's history keeps what it had (the old V3 too), and gains V5 to V7 "
                                    + "and V8 (the link index filled from stored events)");
                    assertEquals(List.of("0", "1"), appliedVersions(c, "flyway_history_email"),
                            "run " + run + ": the email tables' own history, from a baseline");
                    c.commit();
                }
            }
        }
    }

    /** The versions applied, without the row Flyway writes when it creates the schema itself (H2). */
    private static List<String> appliedVersions(Connection c, String table) throws SQLException {
        List<String> versions = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM " + table
                + " WHERE success AND version IS NOT NULL ORDER BY installed_rank"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
        }
        return versions;
    }
}
