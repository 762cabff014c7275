package io.slabridge.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.sql.Connection;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL connections time out a read that never returns (a network dropping packets silently) instead of
 * holding the scheduler or the outbox for good; a URL that sets its own timeout keeps it.
 */
class PostgresConnectionTest {
    @Test
    void aReadGivesUpAfterFiveMinutesByDefault() throws Exception {
        TestStores.PostgresStore pg = TestStores.postgres();
        try (Connection c = pg.store().dataSource().getConnection()) {
            assertEquals(300_000, c.getNetworkTimeout(), "the driver's socketTimeout, in milliseconds");
        } finally {
            pg.dropSchema();
        }
    }

    @Test
    void theUrlsOwnSocketTimeoutWins() throws Exception {
        TestStores.PostgresStore pg = TestStores.postgres(); // skips or fails the test when no PostgreSQL answers
        pg.dropSchema();
        try (JdbcSlaStore store = JdbcSlaStore.open(new StoreSettings(TestStores.PG_URL + "?socketTimeout=42",
                TestStores.PG_USER, "", 2));
                Connection c = store.dataSource().getConnection()) {
            assertEquals(42_000, c.getNetworkTimeout());
        }
    }
}
