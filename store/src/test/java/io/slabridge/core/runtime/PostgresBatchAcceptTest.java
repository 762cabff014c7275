package io.slabridge.core.runtime;

import io.slabridge.core.store.SlaStore;
import java.util.IdentityHashMap;
import java.util.Map;

/** Batch accept on the real PostgreSQL at 127.0.0.1:5432 (skipped with a message when none answers, unless CI=true). */
class PostgresBatchAcceptTest extends BatchAcceptContractTest {
    private final Map<SlaStore, TestStores.PostgresStore> schemas = new IdentityHashMap<>();

    @Override
    SlaStore openStore() {
        TestStores.PostgresStore pg = TestStores.postgres();
        schemas.put(pg.store(), pg);
        return pg.store();
    }

    @Override
    void closeStore(SlaStore store) {
        schemas.remove(store).dropSchema();
    }
}
