package io.slabridge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The password never appears in what the settings say about themselves. */
class StoreSettingsTest {
    @ParameterizedTest
    @ValueSource(strings = {"h2:file:./x;PASSWORD=hunter2", "jdbc:mysql://db/x?Password=hunter2",
        "postgresql://db/x?user=bob&password=hunter2"})
    void aRefusedUrlIsShownWithoutItsPassword(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StoreSettings(url, "bob", "other", 2));

        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:h2:mem:x;PASSWORD=hunter2", "jdbc:postgresql://db/x?user=bob&password=hunter2"})
    void safeUrlAndToStringHideThePassword(String url) {
        StoreSettings s = new StoreSettings(url, "bob", "hunter2", 2);

        assertFalse(s.safeUrl().contains("hunter2"), s.safeUrl());
        assertFalse(s.toString().contains("hunter2"), s.toString());
        assertEquals(url.replace("hunter2", "***").replace("user=bob", "user=***"), s.safeUrl());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void aPoolTooSmallToMigrateIsRefusedWithTheReason(int size) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StoreSettings("jdbc:postgresql://db/sla", "bob", "", size));

        assertEquals("sla.store.pool-size must be at least 2 (opening the store migrates its schema, which takes two "
                + "connections), got " + size, e.getMessage());
    }
}
