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
            Duration sleep = runOnce();
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
