package io.slabridge.core.runtime;

import io.slabridge.core.store.SlaStore;
import io.slabridge.store.JdbcSlaStore;

/** The runtime on H2 in memory (the store most unit tests use). */
class H2RuntimeTest extends RuntimeContractTest {
    private JdbcSlaStore h2;

    @Override
    SlaStore openStore() {
        h2 = TestStores.h2();
        return h2;
    }

    @Override
    void closeStore() {
        h2.close();
    }
}
