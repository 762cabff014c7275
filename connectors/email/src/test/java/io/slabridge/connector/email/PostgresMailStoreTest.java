package io.slabridge.connector.email;

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
 * The email connector's tables on the real PostgreSQL at 127.0.0.1:5432 (database {@code test}), in a fresh schema;
 * skipped with a message when none answers, except under {@code CI=true}.
 */
class PostgresMailStoreTest extends MailStoreContractTest {
    private static final String URL = System.getProperty("sla.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = System.getProperty("sla.test.postgres.user", "postgres");
    private String schema;

    @Override
    JdbcSlaStore open() {
        schema = "sla_mail_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(URL, USER, ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String message = "no PostgreSQL answers at " + URL + " as " + USER + " (" + e.getMessage() + ")";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(message + ": under CI=true the PostgreSQL tests must run");
            }
            Assumptions.abort(message + ": PostgreSQL mail store tests skipped");
        }
        return JdbcSlaStore.open(new StoreSettings(URL + "?currentSchema=" + schema, USER, "", 2));
    }

    @Override
    void close() {
        if (sla != null) {
            sla.close();
        }
        try (Connection c = DriverManager.getConnection(URL, USER, ""); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
