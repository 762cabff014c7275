package io.slabridge.connector.email;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of the email connector, for logs, metrics and tests. Thread-safe. */
public final class EmailStats {
    final AtomicLong read = new AtomicLong();
    final AtomicLong events = new AtomicLong();
    final AtomicLong automatic = new AtomicLong();
    final AtomicLong ignored = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();
    final AtomicLong unreadableBodies = new AtomicLong();
    final AtomicLong deferred = new AtomicLong();
    final AtomicLong autoResolved = new AtomicLong();

    /** The counters at one moment. */
    public record Snapshot(long read, long events, long automatic, long ignored, long skipped, long unreadableBodies,
            long deferred, long autoResolved) {
    }

    public Snapshot snapshot() {
        return new Snapshot(read.get(), events.get(), automatic.get(), ignored.get(), skipped.get(),
                unreadableBodies.get(), deferred.get(), autoResolved.get());
    }
}
