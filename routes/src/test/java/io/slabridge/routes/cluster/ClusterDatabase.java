package io.slabridge.routes.cluster;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL database of its own for one test (created through the {@code test} database on 127.0.0.1:5432 and
 * dropped at the end), and the queries that audit what sla-bridge stored in it. When no PostgreSQL answers the
 * test is skipped with a message, except under {@code CI=true}, where that is a failure.
 */
final class ClusterDatabase implements AutoCloseable {
    static final String ADMIN_URL = System.getProperty("sla.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = System.getProperty("sla.test.postgres.user", "postgres");

    private final String name;
    private final String url;
    /** The embedded store (a SQLite file) rather than a PostgreSQL database: nothing to create or drop. */
    private final boolean embedded;
    private final String user;

    private ClusterDatabase(String name, String url, boolean embedded, String user) {
        this.name = name;
        this.url = url;
        this.embedded = embedded;
        this.user = user;
    }

    /**
     * {@code -Dsla.crash.embedded-store=h2} runs the embedded-store tests on the old embedded store, an H2 file (in
     * H2's auto-server mode, so that the test can read it while an instance has it open), to compare.
     */
    static final boolean OLD_H2 = "h2".equals(System.getProperty("sla.crash.embedded-store"));

    /**
     * The embedded store sla-bridge makes when no {@code sla.store.url} is set, at {@code file} (the default is
     * {@code ./data/sla-bridge.db}; the tests' instances each run in a directory of their own, so they are given the
     * file's URL, with the default's options). The audit's queries read it while an instance runs, as SQLite allows.
     */
    static ClusterDatabase embedded(Path file) {
        if (OLD_H2) {
            return new ClusterDatabase(file.toString(), io.slabridge.store.StoreSettings.h2File(file).url()
                    + ";AUTO_SERVER=TRUE", true, "sa");
        }
        return new ClusterDatabase(file.toString(), io.slabridge.store.StoreSettings.sqliteFile(file).url(), true,
                null);
    }

    /** Whether this is the embedded store, a file: nothing to create or drop. */
    boolean isEmbedded() {
        return embedded;
    }

    static ClusterDatabase create(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            String message = "no PostgreSQL answers at " + ADMIN_URL + " as " + USER + " (" + e.getMessage() + ")";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(message + ": under CI=true the PostgreSQL tests must run");
            }
            Assumptions.abort(message + ": PostgreSQL cluster tests skipped");
        }
        int slash = ADMIN_URL.lastIndexOf('/');
        int query = ADMIN_URL.indexOf('?', slash);
        String url = ADMIN_URL.substring(0, slash + 1) + name + (query < 0 ? "" : ADMIN_URL.substring(query));
        return new ClusterDatabase(name, url, false, USER);
    }

    String url() {
        return url;
    }

    /** The store's user, or null (SQLite has none). */
    String user() {
        return user;
    }

    /** A stored event: its ticket and when (epoch second) it was stored. */
    record StoredEvent(String ticket, long receivedAt, int copies) {
    }

    Map<String, StoredEvent> events() throws SQLException {
        Map<String, StoredEvent> out = new LinkedHashMap<>();
        query("SELECT event_id, MIN(ticket), MIN(received_at), COUNT(*) FROM ticket_event GROUP BY event_id", rs ->
                out.put(rs.getString(1), new StoredEvent(rs.getString(2), rs.getLong(3), rs.getInt(4))));
        return out;
    }

    /** Escalation steps done, as the command key of their first action ({@code <step key>/0}) → when. */
    Map<String, Long> stepsDone() throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        query("SELECT ticket, metric, cycle, step, done_at FROM escalation_done", rs -> out.put(rs.getString(1) + "/"
                + rs.getString(2) + "/" + rs.getInt(3) + "/" + rs.getString(4) + "/0", rs.getLong(5)));
        return out;
    }

    /** Each ticket's SLA summary as stored (the {@code SummaryState} name). */
    Map<String, String> summaries() throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        query("SELECT ticket, summary FROM ticket_state", rs -> out.put(rs.getString(1), rs.getString(2)));
        return out;
    }

    /** An outbox command: its kind, status and attempts. */
    record Command(String kind, String status, int attempts, String lastError) {
    }

    Map<String, Command> outbox() throws SQLException {
        Map<String, Command> out = new LinkedHashMap<>();
        query("SELECT idempotency_key, kind, status, attempts, last_error FROM outbox ORDER BY id", rs ->
                out.put(rs.getString(1), new Command(rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5))));
        return out;
    }

    long pendingCommands() throws SQLException {
        long[] n = new long[1];
        query("SELECT COUNT(*) FROM outbox WHERE status = 'pending'", rs -> n[0] = rs.getLong(1));
        return n[0];
    }

    /** Tickets whose next wake-up has come and gone (the scheduler is behind), 0 when all is done. */
    long overdueTickets(long nowEpochSecond) throws SQLException {
        long[] n = new long[1];
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM ticket_state WHERE next_wake_at <= ?")) {
            ps.setLong(1, nowEpochSecond);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                n[0] = rs.getLong(1);
            }
        }
        return n[0];
    }

    Optional<String> cursor(String cursorName) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT cursor_value FROM source_cursor WHERE name = ?")) {
            ps.setString(1, cursorName);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState()) || String.valueOf(e.getMessage()).contains("no such table")) {
                return Optional.empty(); // no schema yet: the first instance has not migrated
            }
            throw e;
        }
        return values.stream().findFirst();
    }

    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, Row row) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                row.read(rs);
            }
        }
    }

    private Connection connect() throws SQLException {
        return user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, "");
    }

    /** Drops the database, closing what killed instances may have left connected. */
    @Override
    public void close() throws SQLException {
        if (embedded) {
            return; // the file stays in the run's directory, for reading after a failure
        }
        try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, "");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
