package io.slabridge.core.runtime;

import io.slabridge.core.store.SlaStore;

/** Batch accept on the embedded default store, SQLite in a file. */
class SqliteBatchAcceptTest extends BatchAcceptContractTest {
    @Override
    SlaStore openStore() {
        return TestStores.sqlite();
    }

    @Override
    void closeStore(SlaStore store) {
        store.close();
    }
}
