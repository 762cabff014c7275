package io.slabridge.core.runtime;

import io.slabridge.core.store.SlaStore;

/** The runtime on the real PostgreSQL at 127.0.0.1:5432 (skipped with a message when none answers, unless CI=true). */
class PostgresRuntimeTest extends RuntimeContractTest {
    private TestStores.PostgresStore pg;

    @Override
    SlaStore openStore() {
        pg = TestStores.postgres();
        return pg.store();
    }

    @Override
    void closeStore() {
        if (pg != null) {
            pg.dropSchema();
        }
    }
}
