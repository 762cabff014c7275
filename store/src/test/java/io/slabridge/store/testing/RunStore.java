package io.slabridge.store.testing;

import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A store of its own for one long-running test: the embedded default (SQLite in a temporary file), H2 in memory,
 * or with {@code postgres} a fresh
 * schema on the PostgreSQL at {@code sla.test.postgres.url} (default {@code 127.0.0.1:5432/test}, user
 * {@code postgres}), dropped on close. When no PostgreSQL answers the test is skipped, except under
 * {@code CI=true}, where that is a failure.
 */
public final class RunStore implements AutoCloseable {
    static final String PG_URL = System.getProperty("sla.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String PG_USER = System.getProperty("sla.test.postgres.user", "postgres");

    private final JdbcSlaStore store;
    private final String schema;

    private RunStore(JdbcSlaStore store, String schema) {
        this.store = store;
        this.schema = schema;
    }

    /**
     * @param kind {@code sqlite}, {@code h2} or {@code postgres}
     * @param pool connections: one per thread that uses the store at once, and a few more
     */
    public static RunStore open(String kind, int pool) {
        if (kind.equals("postgres")) {
            String schema = "sla_run_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "");
                    Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            } catch (SQLException e) {
                String message = "no PostgreSQL answers at " + PG_URL + " as " + PG_USER + " (" + e.getMessage() + ")";
                if ("true".equals(System.getenv("CI"))) {
                    Assertions.fail(message + ": under CI=true the PostgreSQL run must happen");
                }
                Assumptions.abort(message + ": skipped");
            }
            // Commits need not wait for the disk: these runs are about the store's locking, not the server's crashes.
            return new RunStore(JdbcSlaStore.open(new StoreSettings(PG_URL + "?currentSchema=" + schema
                    + "&options=-c%20synchronous_commit%3Doff", PG_USER, "", pool)), schema);
        }
        if (kind.equals("sqlite")) {
            try {
                java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("sla-run");
                dir.toFile().deleteOnExit();
                // As the embedded default, but commits need not wait for the disk (synchronous=NORMAL still keeps
                // them through a process crash): these runs are about the outbox and the store's locking.
                String url = StoreSettings.embedded(dir).url().replace("synchronous=FULL", "synchronous=NORMAL");
                return new RunStore(JdbcSlaStore.open(new StoreSettings(url, null, null, pool)), null);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        if (!kind.equals("h2")) {
            throw new IllegalArgumentException("store '" + kind + "': expected sqlite, h2 or postgres");
        }
        StoreSettings memory = StoreSettings.inMemory("run" + UUID.randomUUID().toString().replace("-", ""));
        return new RunStore(JdbcSlaStore.open(new StoreSettings(memory.url(), memory.user(), memory.password(), pool)),
                null);
    }

    public JdbcSlaStore store() {
        return store;
    }

    @Override
    public void close() throws SQLException {
        store.close();
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "");
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
