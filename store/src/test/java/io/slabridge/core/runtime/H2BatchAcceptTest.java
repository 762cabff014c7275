package io.slabridge.core.runtime;

import io.slabridge.core.store.SlaStore;

/** Batch accept on H2 in memory. */
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
