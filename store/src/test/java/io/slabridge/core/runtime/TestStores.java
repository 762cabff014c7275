package io.slabridge.core.runtime;

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
 * Stores for tests: H2 in memory, and the real PostgreSQL on 127.0.0.1:5432 (database {@code test}) in a fresh
 * schema per store. When no PostgreSQL answers, its tests are skipped with a message, except under
 * {@code CI=true}, where that is a failure: CI always has one.
 */
final class TestStores {
    static final String PG_URL = System.getProperty("sla.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String PG_USER = System.getProperty("sla.test.postgres.user", "postgres");

    private TestStores() {
    }

    /** A store that answers through {@code delegate}, or fails every call while {@code down} is set (an outage). */
    static io.slabridge.core.store.SlaStore failingWhile(io.slabridge.core.store.SlaStore delegate,
            java.util.concurrent.atomic.AtomicBoolean down) {
        return (io.slabridge.core.store.SlaStore) java.lang.reflect.Proxy.newProxyInstance(TestStores.class.getClassLoader(),
                new Class<?>[] {io.slabridge.core.store.SlaStore.class}, (proxy, method, args) -> {
                    if (down.get()) {
                        throw new io.slabridge.core.store.StoreException("the store is unreachable (test)", null);
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The embedded default: a SQLite file in a new temporary directory (deleted when the JVM exits). */
    static JdbcSlaStore sqlite() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("sla-sqlite");
            dir.toFile().deleteOnExit();
            return JdbcSlaStore.open(StoreSettings.embedded(dir));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static JdbcSlaStore h2() {
        return JdbcSlaStore.open(StoreSettings.inMemory("t" + UUID.randomUUID().toString().replace("-", "")));
    }

    /** A store in a new PostgreSQL schema; {@link #dropSchema} removes it. */
    static PostgresStore postgres() {
        String schema = "sla_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "");
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String message = "no PostgreSQL answers at " + PG_URL + " as " + PG_USER + " (" + e.getMessage() + ")";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(message + ": under CI=true the PostgreSQL tests must run");
            }
            Assumptions.abort(message + ": PostgreSQL store tests skipped");
        }
        JdbcSlaStore store = JdbcSlaStore.open(new StoreSettings(PG_URL + "?currentSchema=" + schema, PG_USER, "", 4));
        return new PostgresStore(store, schema);
    }

    record PostgresStore(JdbcSlaStore store, String schema) {
        void dropSchema() {
            store.close();
            try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, "");
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
