package io.slabridge.core.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a source poller may poll again after a failure, and how its polls are going. After a failure the next poll
 * waits for what the source asked (429, a limit), else for a backoff that doubles from the poll interval up to a
 * ceiling; a success ends the backoff. A poll that fails resumes from its durable cursor, so waiting loses nothing.
 * The same record of successes and failures feeds the source's readiness check ({@link #status()}). Thread-safe.
 */
public final class PollPacing {
    /** The longest backoff after repeated failures. */
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    private final Duration interval;
    private Instant pausedUntil = Instant.MIN;
    private int failuresInARow;
    private PollStatus status = PollStatus.NOT_YET_POLLED;

    /**
     * How a source's polls are going: the latest attempt, the latest success, since when the polls have been
     * failing without a success in between (null while they succeed) and the latest failure's message.
     */
    public record PollStatus(Instant lastAttempt, Instant lastSuccess, Instant failingSince, String lastError) {
        static final PollStatus NOT_YET_POLLED = new PollStatus(null, null, null, null);

        public boolean polled() {
            return lastAttempt != null;
        }

        /**
         * Whether every poll for at least {@code span} up to {@code now} failed: one failure is retried and is no
         * news; a lasting one (rejected credentials, a source down) is what an operator must see.
         */
        public boolean failingFor(Duration span, Instant now) {
            return failingSince != null && !failingSince.isAfter(now.minus(span));
        }
    }

    public PollPacing(Duration interval) {
        this.interval = Objects.requireNonNull(interval, "interval");
    }

    /** Whether a poll may run at {@code now}. */
    public synchronized boolean due(Instant now) {
        return !now.isBefore(pausedUntil);
    }

    /** Records a poll that succeeded at {@code now}. */
    public synchronized void succeeded(Instant now) {
        failuresInARow = 0;
        status = new PollStatus(now, now, null, null);
    }

    /**
     * Records a poll that failed at {@code now} with {@code error} (shown by health checks: no secrets) and returns
     * how long to wait: {@code asked} when the source said (null: it did not), else the backoff.
     */
    public synchronized Duration failed(Instant now, Duration asked, String error) {
        Duration wait = asked;
        if (wait == null) {
            int n = Math.min(++failuresInARow, 10);
            wait = interval.multipliedBy(1L << (n - 1));
            wait = wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
        }
        pausedUntil = now.plus(wait);
        Instant since = status.failingSince() != null ? status.failingSince() : now;
        status = new PollStatus(now, status.lastSuccess(), since, error);
        return wait;
    }

    /** How the polls are going so far. */
    public synchronized PollStatus status() {
        return status;
    }
}
