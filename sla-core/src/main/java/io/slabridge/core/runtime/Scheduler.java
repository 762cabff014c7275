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
 *
 * <p>A look that fails (the store unreachable) does not end the loop: it is told to the {@link #onFailure failure
 * listener} and tried again after a wait that starts at {@link #FIRST_RETRY} and doubles up to {@link #MAX_RETRY}; a
 * nudge tries at once. Nothing is lost meanwhile: what fell due is found due at the next look.
 */
public final class Scheduler implements Runnable {
    /** The wait after a first failed look. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    /**
     * The longest wait between failed looks (or {@code maxSleep} if shorter): a failed look costs nothing, and once
     * the store is back what fell due meanwhile should go out within seconds, not after a full {@code maxSleep}.
     */
    static final Duration MAX_RETRY = Duration.ofSeconds(5);

    /** Told when a look fails, with the wait before the next one; must be quick and must not throw. */
    @FunctionalInterface
    public interface FailureListener {
        void failed(RuntimeException failure, Duration retryIn);
    }

    private final SlaRuntime runtime;
    private final Clock clock;
    private final Duration maxSleep;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition nudged = lock.newCondition();
    private volatile boolean running = true;
    private volatile FailureListener failureListener = (failure, retryIn) -> { };
    private boolean pending;
    /** The wait after the next failure: {@link #FIRST_RETRY} after a success, doubling while looks fail. */
    private Duration retry = FIRST_RETRY;

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

    /** Sets who is told of failed looks (for logging). */
    public Scheduler onFailure(FailureListener listener) {
        this.failureListener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * One look as the loop makes it: a failure becomes a wait, {@link #FIRST_RETRY} at first and doubling up to
     * {@link #MAX_RETRY} (or {@code maxSleep} if shorter).
     */
    Duration lookOrWait() {
        try {
            Duration sleep = runOnce();
            retry = FIRST_RETRY;
            return sleep;
        } catch (RuntimeException e) {
            Duration cap = maxSleep.compareTo(MAX_RETRY) < 0 ? maxSleep : MAX_RETRY;
            Duration wait = retry.compareTo(cap) < 0 ? retry : cap;
            retry = wait.multipliedBy(2);
            try {
                failureListener.failed(e, wait);
            } catch (RuntimeException ignored) {
                // a listener's failure must not stop the scheduler either
            }
            return wait;
        }
    }

    @Override
    public void run() {
        while (running) {
            Duration sleep = lookOrWait();
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
