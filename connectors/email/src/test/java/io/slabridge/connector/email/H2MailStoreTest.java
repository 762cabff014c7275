package io.slabridge.connector.email;

import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.util.UUID;

/** The email connector's tables on the embedded default store. */
class H2MailStoreTest extends MailStoreContractTest {
    @Override
    JdbcSlaStore open() {
        return JdbcSlaStore.open(StoreSettings.inMemory("m" + UUID.randomUUID().toString().replace("-", "")));
    }

    @Override
    void close() {
        sla.close();
    }
}
