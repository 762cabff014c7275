package io.slabridge.core.runtime;

import io.slabridge.core.model.TicketEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Ingest for concurrent callers (webhook deliveries, poll pages): deliveries that arrive while the store is busy
 * with earlier ones (up to {@code maxConcurrent} transactions at once) wait, then go into the store together, in one
 * {@link SlaRuntime#acceptAll} transaction. A lone delivery goes in at once, as it would without this; under a
 * burst of webhooks each transaction carries many, so the commit, the lock pass and the refold are paid per group,
 * not per delivery (group commit).
 *
 * <p>Each caller gets its own outcomes, and only once they are committed: a webhook is still answered 200 only
 * for events that are in the store. Outcomes are as if the deliveries were stored one after another: an event
 * delivered twice is accepted once and a duplicate the other time. When a group's transaction
 * fails, its deliveries are stored one by one, so that a delivery that cannot be stored fails only its own caller.
 * Thread-safe.
 */
public final class GroupCommit {
    /** The most events one group takes; a delivery larger than this goes alone. */
    public static final int DEFAULT_MAX_EVENTS = 500;
    /**
     * How many groups may be stored at once. More than one keeps PostgreSQL busy while a group commits; tickets are
     * locked in key order, so concurrent groups cannot deadlock. The pool must have connections to spare for the
     * scheduler, the outbox and health checks.
     */
    public static final int DEFAULT_MAX_CONCURRENT = 2;

    private final SlaRuntime runtime;
    private final int maxEvents;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stored = lock.newCondition();
    private final ArrayDeque<Delivery> waiting = new ArrayDeque<>();
    private final int maxConcurrent;
    private int storing;
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicLong groups = new AtomicLong();

    /** One caller's events, and once stored (under {@link #lock}) its outcomes or its failure. */
    private static final class Delivery {
        final List<TicketEvent> events;
        List<SlaRuntime.Outcome> outcomes;
        RuntimeException failure;
        boolean done;

        Delivery(List<TicketEvent> events) {
            this.events = events;
        }
    }

    public GroupCommit(SlaRuntime runtime, int maxEvents, int maxConcurrent) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        if (maxEvents < 1 || maxConcurrent < 1) {
            throw new IllegalArgumentException("maxEvents and maxConcurrent must be positive, got " + maxEvents + " and "
                    + maxConcurrent);
        }
        this.maxEvents = maxEvents;
        this.maxConcurrent = maxConcurrent;
    }

    /** With {@link #DEFAULT_MAX_EVENTS} and {@link #DEFAULT_MAX_CONCURRENT}. */
    public GroupCommit(SlaRuntime runtime) {
        this(runtime, DEFAULT_MAX_EVENTS, DEFAULT_MAX_CONCURRENT);
    }

    /**
     * Stores {@code events} (with whatever other deliveries are waiting) and returns their outcomes in order, once
     * committed.
     *
     * @throws RuntimeException what storing this delivery on its own threw (e.g. the store unavailable)
     */
    public List<SlaRuntime.Outcome> acceptAll(List<TicketEvent> events) {
        Delivery mine = new Delivery(List.copyOf(events));
        deliveries.incrementAndGet();
        lock.lock();
        try {
            waiting.add(mine);
            // Each caller stores the oldest waiting deliveries while fewer than maxConcurrent groups are being
            // stored, its own among them or not, until its own is in; otherwise it waits for a group to finish.
            while (!mine.done) {
                if (storing < maxConcurrent && !waiting.isEmpty()) {
                    List<Delivery> group = nextGroup();
                    storing++;
                    lock.unlock();
                    try {
                        store(group);
                    } finally {
                        lock.lock();
                        storing--;
                        for (Delivery d : group) {
                            d.done = true;
                        }
                        stored.signalAll();
                    }
                } else {
                    stored.awaitUninterruptibly(); // bounded by the transactions under way
                }
            }
        } finally {
            lock.unlock();
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.outcomes;
    }

    /** Deliveries taken so far (for tests and metrics). */
    public long deliveries() {
        return deliveries.get();
    }

    /** Transactions the deliveries went into so far, not counting one-by-one retries of a failed group. */
    public long groups() {
        return groups.get();
    }

    /** Deliveries waiting for a caller to store them (for tests). */
    int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** The oldest waiting deliveries, up to {@link #maxEvents} events (at least one delivery). Under the lock. */
    private List<Delivery> nextGroup() {
        List<Delivery> group = new ArrayList<>();
        int events = 0;
        while (!waiting.isEmpty() && (group.isEmpty() || events + waiting.peek().events.size() <= maxEvents)) {
            Delivery d = waiting.poll();
            group.add(d);
            events += d.events.size();
        }
        return group;
    }

    /** Stores a group in one transaction; if that fails, each delivery on its own. Not under the lock. */
    private void store(List<Delivery> group) {
        groups.incrementAndGet();
        if (group.size() == 1) {
            storeAlone(group.get(0));
            return;
        }
        List<TicketEvent> all = new ArrayList<>();
        for (Delivery d : group) {
            all.addAll(d.events);
        }
        List<SlaRuntime.Outcome> outcomes;
        try {
            outcomes = runtime.acceptAll(all);
        } catch (RuntimeException groupFailed) {
            for (Delivery d : group) {
                storeAlone(d);
            }
            return;
        }
        int from = 0;
        for (Delivery d : group) {
            d.outcomes = List.copyOf(outcomes.subList(from, from + d.events.size()));
            from += d.events.size();
        }
    }

    private void storeAlone(Delivery d) {
        try {
            d.outcomes = runtime.acceptAll(d.events);
        } catch (RuntimeException e) {
            d.failure = e;
        }
    }
}
