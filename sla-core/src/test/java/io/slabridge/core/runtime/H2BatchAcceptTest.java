package io.slabridge.core.runtime;

import io.slabridge.core.store.SlaStore;

/** Batch accept on the embedded default store. */
class H2BatchAcceptTest extends BatchAcceptContractTest {
    @Override
    SlaStore openStore() {
        return TestStores.h2();
    }

    @Override
    void closeStore(SlaStore store) {
        store.close();
    }
}
