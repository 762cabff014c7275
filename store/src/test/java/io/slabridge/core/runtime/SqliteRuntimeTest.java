package io.slabridge.core.runtime;

import io.slabridge.core.store.SlaStore;
import io.slabridge.store.JdbcSlaStore;

/** The runtime on the embedded default store, SQLite in a file. */
class SqliteRuntimeTest extends RuntimeContractTest {
    private JdbcSlaStore sqlite;

    @Override
    SlaStore openStore() {
        sqlite = TestStores.sqlite();
        return sqlite;
    }

    @Override
    void closeStore() {
        sqlite.close();
    }
}
