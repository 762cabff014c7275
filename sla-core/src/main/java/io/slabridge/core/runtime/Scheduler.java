package io.slabridge.core.runtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes when the earliest ticket needs attention and refolds only the tickets that are due. Between wake-ups it
 * sleeps until the earliest stored wake-up instant, but never longer than {@code maxSleep}, so that tickets
 * another instance stored (or a clock jump) are noticed: a look costs one indexed query and touches no ticket.
 * {@link #nudge()} wakes it at once, e.g. after an ingest made some ticket due sooner.
 */
public final class Scheduler implements Runnable {
    private static final System.Logger LOG = System.getLogger(Scheduler.class.getName());
    /** The wait after a look that failed (at most {@code maxSleep}). */
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);

    private final SlaRuntime runtime;
    private final Clock clock;
    private final Duration maxSleep;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition nudged = lock.newCondition();
    private volatile boolean running = true;
    private boolean pending;

    public Scheduler(SlaRuntime runtime, Clock clock, Duration maxSleep) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxSleep = Objects.requireNonNull(maxSleep, "maxSleep");
    }

    /**
     * One look: refolds what is due and returns how long to sleep before the next look.
     */
    public Duration runOnce() {
        runtime.tick();
        Optional<Instant> next = runtime.nextWake();
        Instant now = clock.instant();
        if (next.isEmpty()) {
            return maxSleep;
        }
        Duration until = Duration.between(now, next.get());
        if (until.isNegative() || until.isZero()) {
            return Duration.ZERO;
        }
        return until.compareTo(maxSleep) < 0 ? until : maxSleep;
    }

    @Override
    public void run() {
        while (running) {
            Duration sleep;
            try {
                sleep = runOnce();
            } catch (RuntimeException e) {
                // The store out of reach for a moment (a failover, a connection dropped): look again soon. Were the
                // thread to end here, this instance would send no escalation again while it still looked healthy.
                sleep = maxSleep.compareTo(RETRY_AFTER_FAILURE) < 0 ? maxSleep : RETRY_AFTER_FAILURE;
                LOG.log(System.Logger.Level.WARNING, "SLA scheduler: a look at due tickets failed, next try in "
                        + sleep.toMillis() + " ms: " + e.getMessage());
            }
            lock.lock();
            try {
                if (!pending && running && !sleep.isZero()) {
                    nudged.await(sleep.toNanos(), TimeUnit.NANOSECONDS);
                }
                pending = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Look again now. */
    public void nudge() {
        lock.lock();
        try {
            pending = true;
            nudged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public void stop() {
        running = false;
        nudge();
    }
}
