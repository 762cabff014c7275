package io.slabridge.core.store;
/** Where a poller keeps how far it has read a source: named positions, saved when a page is stored. */
public interface PollCursors {
    java.util.Optional<String> cursor(String name);
    void saveCursor(String name, String value, java.time.Instant now);
}
