package io.slabridge.core.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a source poller may poll again after a failure: after the wait the source asked for (429, a limit), else
 * after a backoff that doubles from the poll interval up to a ceiling. A success ends the backoff. A poll that
 * fails resumes from its durable cursor, so waiting loses nothing. Thread-safe.
 */
public final class PollPacing {
    /** The longest backoff after repeated failures. */
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    private final Duration interval;
    private Instant pausedUntil = Instant.MIN;
    private int failuresInARow;

    public PollPacing(Duration interval) {
        this.interval = Objects.requireNonNull(interval, "interval");
    }

    /** Whether a poll may run at {@code now}. */
    public synchronized boolean due(Instant now) {
        return !now.isBefore(pausedUntil);
    }

    public synchronized void succeeded() {
        failuresInARow = 0;
    }

    /**
     * Records a failed poll and returns how long to wait: {@code asked} when the source said (null: it did not),
     * else the backoff.
     */
    public synchronized Duration failed(Instant now, Duration asked) {
        Duration wait = asked;
        if (wait == null) {
            int n = Math.min(++failuresInARow, 10);
            wait = interval.multipliedBy(1L << (n - 1));
            wait = wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
        }
        pausedUntil = now.plus(wait);
        return wait;
    }
}
