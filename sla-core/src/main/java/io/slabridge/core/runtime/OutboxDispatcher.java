package io.slabridge.core.runtime;

import io.slabridge.core.outbox.BatchOutboxWriter;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.OutboxWriter;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.store.OutboxDelivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Delivers the outbox: each command to the writer of its source, a ticket's commands to each writer in order. A
 * command that fails is retried with backoff and jitter, or after the wait the writer asks for; one that
 * fails for good, or too often, is parked with its error for an operator ({@code sla-bridge outbox --failed}).
 * A command is leased while it is out: if this process dies mid-delivery, another takes it over when the lease
 * ends, so a writer may see a command twice and must be idempotent per its key.
 *
 * <p>A claim's commands are delivered one after another, so a slow system can make the last of a claim wait
 * longer than its lease. Before each delivery the lease is checked: one running short is renewed, and one that
 * ran out and was taken over by another instance (which may have written it, and the ticket's later commands)
 * is left alone, so that a slow claim never writes a command twice or after a newer one.
 *
 * <p>When the store fails in the middle of a claim (a dropped connection), the claim stops: nothing more is
 * delivered whose outcome could not be recorded. What was delivered keeps its outcome, and what was not delivered
 * yet keeps its place; the next call records the one and hands the other back to the queue at once, instead of
 * leaving it leased until its lease runs out.
 *
 * <p>With {@link #withConcurrency}, each source gets a number of write slots: different tickets' commands of one
 * source go out at the same time, up to that number, each call on a thread of its own, and a claim returns without
 * waiting for them. A slow answer then holds one slot, not every ticket's write-back (issue 13: one comment call
 * held for 8 s delayed all others). A ticket's order is kept as before: its next command to a writer cannot be
 * claimed while one to that writer is out, since that one is still pending. Without it, a claim's calls go out one after another on the
 * caller's thread.
 */
public final class OutboxDispatcher implements AutoCloseable {
    /**
     * How long a claimed command is kept from others unless {@link #withLease} says otherwise: longer than any one
     * writer call takes. It is also how long a command that was out when its process died waits to be taken over.
     */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(2);

    private final OutboxDelivery store;
    private final Map<String, OutboxWriter> writers;
    private final Clock clock;
    private final RetryPolicy retry;
    private final RandomGenerator random;
    private volatile DeliveryListener listener = (command, outcome) -> { };
    private volatile Duration lease = DEFAULT_LEASE;

    /** Commands of a claim the store failed in, oldest first; guarded by itself. */
    private final List<Leftover> leftovers = new ArrayList<>();
    /** Per source, its write slots and the threads that use them; empty when calls go out on the caller's thread. */
    private volatile Map<String, Lane> lanes = Map.of();

    /** A source's write slots: at most {@code slots.availablePermits()} of its calls out at once. */
    private record Lane(Semaphore slots, ExecutorService threads) {
    }

    /** Told of each delivery's outcome (for metrics); must be quick and must not throw. */
    @FunctionalInterface
    public interface DeliveryListener {
        /**
         * @param outcome {@code done}, {@code retry_after}, {@code failed} (parked by the writer), {@code error}
         *                (a transient failure, retried), {@code no_writer}
         */
        void delivered(OutboxCommand command, String outcome);
    }

    public OutboxDispatcher(OutboxDelivery store, Map<String, OutboxWriter> writersBySource, Clock clock, RetryPolicy retry,
            RandomGenerator random) {
        this.store = Objects.requireNonNull(store, "store");
        this.writers = Map.copyOf(writersBySource);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Sets who is told of each delivery's outcome. */
    public OutboxDispatcher onDelivery(DeliveryListener value) {
        this.listener = Objects.requireNonNull(value, "listener");
        return this;
    }

    /**
     * Sets the lease of a claimed command. It must be longer than one writer call can take (its timeouts), or a
     * command still out could be claimed and delivered by another dispatcher at the same time.
     */
    public OutboxDispatcher withLease(Duration value) {
        Objects.requireNonNull(value, "lease");
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("the lease must be positive, got " + value);
        }
        this.lease = value;
        return this;
    }

    /**
     * Lets each source named have up to that many calls out at once (different tickets), on threads of their own;
     * sources not named keep one call at a time on the caller's thread. {@link #close} stops the threads.
     */
    public OutboxDispatcher withConcurrency(Map<String, Integer> slotsBySource) {
        Map<String, Lane> made = new LinkedHashMap<>();
        slotsBySource.forEach((source, slots) -> {
            if (slots < 1) {
                throw new IllegalArgumentException("write concurrency of " + source + " must be at least 1, got " + slots);
            }
            AtomicInteger n = new AtomicInteger();
            made.put(source, new Lane(new Semaphore(slots), Executors.newFixedThreadPool(slots, r -> {
                Thread t = new Thread(r, "sla-outbox-" + source + "-" + n.incrementAndGet());
                t.setDaemon(true); // a call still out at exit keeps its lease; a restart takes it back
                return t;
            })));
        });
        close();
        this.lanes = Map.copyOf(made);
        return this;
    }

    /** Stops the write threads; calls still out are left to their leases. */
    @Override
    public void close() {
        lanes.values().forEach(lane -> lane.threads().shutdownNow());
    }

    /**
     * Claims and delivers up to {@code limit} commands; returns how many it handled (whatever the outcome). A
     * {@link BatchOutboxWriter} gets its source's commands in calls of up to its batch size; the claim holds at
     * most one command per ticket and writer, so a batch never reorders a ticket's commands. A store failure ends the call
     * with its exception (see the class comment).
     */
    public synchronized int dispatchOnce(int limit) {
        settleLeftovers();
        Instant now = clock.instant();
        Duration leaseNow = lease;
        Map<String, Lane> lanesNow = lanes;
        Set<String> full = new HashSet<>();
        lanesNow.forEach((source, lane) -> {
            if (lane.slots().availablePermits() == 0) {
                full.add(source);
            }
        });
        if (!lanesNow.isEmpty() && lanesNow.keySet().containsAll(writers.keySet())) {
            // Claim no more than the free slots can take: the rest would only be handed back.
            int free = 0;
            for (Map.Entry<String, Lane> e : lanesNow.entrySet()) {
                free += e.getValue().slots().availablePermits() * batchSize(writers.get(e.getKey()));
            }
            limit = Math.min(limit, Math.max(free, 1));
        }
        List<OutboxCommand> claimed = store.claimOutbox(now, leaseNow, limit, full);
        Leases leases = new Leases(now.plus(leaseNow), leaseNow);
        Map<String, List<OutboxCommand>> bySource = new LinkedHashMap<>();
        for (OutboxCommand command : claimed) {
            bySource.computeIfAbsent(command.source(), s -> new ArrayList<>()).add(command);
        }
        List<List<OutboxCommand>> calls = new ArrayList<>();
        for (Map.Entry<String, List<OutboxCommand>> e : bySource.entrySet()) {
            OutboxWriter writer = writers.get(e.getKey());
            List<OutboxCommand> commands = e.getValue();
            int size = batchSize(writer);
            for (int from = 0; from < commands.size(); from += size) {
                calls.add(commands.subList(from, Math.min(commands.size(), from + size)));
            }
        }
        if (!lanesNow.isEmpty()) {
            List<List<OutboxCommand>> here = new ArrayList<>();
            for (List<OutboxCommand> call : calls) {
                Lane lane = lanesNow.get(call.get(0).source());
                if (lane == null) {
                    here.add(call);
                } else if (lane.slots().tryAcquire()) {
                    lane.threads().execute(() -> {
                        try {
                            deliverCall(call, leases);
                        } finally {
                            lane.slots().release();
                        }
                    });
                } else {
                    // No slot free: back in line at once, not counted as an attempt (nothing was tried).
                    for (OutboxCommand command : call) {
                        store.postpone(command.id(), now, "waiting for a free write slot");
                    }
                }
            }
            calls = here;
        }
        for (int c = 0; c < calls.size(); c++) {
            List<OutboxCommand> ours;
            try {
                ours = leases.stillOurs(calls.get(c));
            } catch (RuntimeException storeFailed) {
                keepForLater(calls, c, List.of(), List.of(), leases);
                throw storeFailed;
            }
            if (ours.isEmpty()) {
                continue;
            }
            OutboxWriter writer = writers.get(ours.get(0).source());
            List<Outcome> outcomes = writer instanceof BatchOutboxWriter batch ? deliverAll(batch, ours)
                    : List.of(deliver(writer, ours.get(0)));
            for (int i = 0; i < outcomes.size(); i++) {
                try {
                    outcomes.get(i).record().accept(store);
                } catch (RuntimeException storeFailed) {
                    keepForLater(calls, c, ours.subList(i, ours.size()), outcomes.subList(i, outcomes.size()), leases);
                    throw storeFailed;
                }
            }
        }
        return claimed.size();
    }

    /**
     * Delivers one call on a write thread and records its outcomes. When the store fails, what could not be
     * recorded is kept for the next claim to settle, as on the caller's thread.
     */
    private void deliverCall(List<OutboxCommand> call, Leases leases) {
        List<OutboxCommand> ours;
        try {
            ours = leases.stillOurs(call);
        } catch (RuntimeException storeFailed) {
            keepForLater(List.of(call), 0, List.of(), List.of(), leases);
            return;
        }
        if (ours.isEmpty()) {
            return;
        }
        OutboxWriter writer = writers.get(ours.get(0).source());
        List<Outcome> outcomes = writer instanceof BatchOutboxWriter batch ? deliverAll(batch, ours)
                : List.of(deliver(writer, ours.get(0)));
        for (int i = 0; i < outcomes.size(); i++) {
            try {
                outcomes.get(i).record().accept(store);
            } catch (RuntimeException storeFailed) {
                keepForLater(List.of(call), 0, ours.subList(i, ours.size()), outcomes.subList(i, outcomes.size()),
                        leases);
                return;
            }
        }
    }

    private static int batchSize(OutboxWriter writer) {
        return writer instanceof BatchOutboxWriter batch ? Math.max(1, batch.maxBatch()) : 1;
    }

    /** How many claimed commands wait for the store to be told about them (for tests). */
    int leftovers() {
        synchronized (leftovers) {
            return leftovers.size();
        }
    }

    /** How a delivery ended, for the store: {@code record} tells it. */
    private record Outcome(boolean done, Consumer<OutboxDelivery> record) {
    }

    /**
     * A claimed command the store was not told about: delivered ({@code outcome}), or not yet ({@code null}), with
     * the lease the claim held it until.
     */
    private record Leftover(OutboxCommand command, Outcome outcome, Instant leasedUntil) {
    }

    /**
     * Keeps what the store could not be told when it failed during call {@code failedCall}: the outcomes of that
     * call's commands not yet recorded, and every command of the later calls, not delivered.
     */
    private void keepForLater(List<List<OutboxCommand>> calls, int failedCall, List<OutboxCommand> delivered,
            List<Outcome> outcomes, Leases leases) {
        synchronized (leftovers) {
            keepForLaterLocked(calls, failedCall, delivered, outcomes, leases);
        }
    }

    private void keepForLaterLocked(List<List<OutboxCommand>> calls, int failedCall, List<OutboxCommand> delivered,
            List<Outcome> outcomes, Leases leases) {
        for (int j = 0; j < delivered.size(); j++) {
            leftovers.add(new Leftover(delivered.get(j), outcomes.get(j), leases.until(delivered.get(j))));
        }
        int firstNotDelivered = delivered.isEmpty() ? failedCall : failedCall + 1;
        for (List<OutboxCommand> later : calls.subList(firstNotDelivered, calls.size())) {
            for (OutboxCommand command : later) {
                leftovers.add(new Leftover(command, null, leases.until(command)));
            }
        }
    }

    /**
     * Tells the store what a failed claim could not: a delivered command's outcome; for one not delivered, that it
     * can go out now (not counted as an attempt: nothing was tried). A lease that ran out meanwhile belongs to
     * nobody: the command is left to whoever claims it, except that a delivery that succeeded is still recorded as
     * done.
     */
    private void settleLeftovers() {
        synchronized (leftovers) {
            settleLeftoversLocked();
        }
    }

    private void settleLeftoversLocked() {
        Instant now = clock.instant();
        while (!leftovers.isEmpty()) {
            Leftover l = leftovers.get(0);
            boolean leaseHeld = l.leasedUntil().isAfter(now);
            if (l.outcome() != null && (l.outcome().done() || leaseHeld)) {
                l.outcome().record().accept(store);
            } else if (l.outcome() == null && leaseHeld) {
                store.postpone(l.command().id(), now, "not delivered yet when the store failed; back in line");
            }
            leftovers.remove(0);
        }
    }

    /** The leases of one claim's commands, as renewed while the claim is delivered. */
    private final class Leases {
        private final Instant claimedUntil;
        private final Duration lease;
        private final Duration renewBelow;
        private final Map<Long, Instant> renewed = new ConcurrentHashMap<>(); // write threads renew too

        Leases(Instant claimedUntil, Duration lease) {
            this.claimedUntil = claimedUntil;
            this.lease = lease;
            this.renewBelow = lease.multipliedBy(3).dividedBy(4);
        }

        Instant until(OutboxCommand command) {
            return renewed.getOrDefault(command.id(), claimedUntil);
        }

        /**
         * Of {@code commands}, in order, those this claim still holds, with at least three quarters of their lease
         * left (renewed if need be). A quick claim renews nothing and costs no query.
         */
        List<OutboxCommand> stillOurs(List<OutboxCommand> commands) {
            Instant now = clock.instant();
            List<OutboxCommand> ours = new ArrayList<>(commands.size());
            for (OutboxCommand command : commands) {
                Instant until = until(command);
                if (Duration.between(now, until).compareTo(renewBelow) >= 0) {
                    ours.add(command);
                } else if (store.renewLease(command, until, now.plus(lease))) {
                    renewed.put(command.id(), now.plus(lease));
                    ours.add(command);
                }
                // else: another claim took it over when the lease ran out; it is that claim's now.
            }
            return ours;
        }
    }

    private List<Outcome> deliverAll(BatchOutboxWriter writer, List<OutboxCommand> commands) {
        List<WriteResult> results;
        try {
            results = writer.writeAll(commands);
        } catch (Exception e) {
            return commands.stream().map(c -> failedForNow(c, describe(e))).toList();
        }
        if (results == null || results.size() != commands.size()) {
            return commands.stream().map(c -> failedForNow(c, "the writer for '" + c.source() + "' answered "
                    + (results == null ? "nothing" : results.size() + " results") + " for " + commands.size()
                    + " commands")).toList();
        }
        List<Outcome> outcomes = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            outcomes.add(outcome(commands.get(i), results.get(i)));
        }
        return outcomes;
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private Outcome deliver(OutboxWriter writer, OutboxCommand command) {
        if (writer == null) {
            listener.delivered(command, "no_writer");
            String reason = "no writer for source '" + command.source() + "' (configured: "
                    + String.join(", ", writers.keySet()) + ")";
            return new Outcome(false, s -> s.park(command.id(), reason, clock.instant()));
        }
        WriteResult result;
        try {
            result = writer.write(command);
        } catch (Exception e) {
            return failedForNow(command, describe(e));
        }
        return outcome(command, result);
    }

    private Outcome outcome(OutboxCommand command, WriteResult result) {
        if (result instanceof WriteResult.FailedForNow f) {
            return failedForNow(command, f.reason());
        }
        listener.delivered(command, result instanceof WriteResult.Done ? "done"
                : result instanceof WriteResult.RetryAfter ? "retry_after" : "failed");
        if (result instanceof WriteResult.Done) {
            return new Outcome(true, s -> s.markDone(command.id(), clock.instant()));
        } else if (result instanceof WriteResult.RetryAfter r) {
            // The system said when: that wait, not our backoff; it does not count towards giving up.
            return new Outcome(false, s -> s.postpone(command.id(), clock.instant().plus(r.delay()), "retry after "
                    + r.delay().toSeconds() + " s: " + r.reason()));
        }
        WriteResult.Failed f = (WriteResult.Failed) result;
        return new Outcome(false, s -> s.park(command.id(), f.reason(), clock.instant()));
    }

    private Outcome failedForNow(OutboxCommand command, String error) {
        listener.delivered(command, "error");
        int failures = command.attempts() + 1;
        if (failures >= retry.maxAttempts()) {
            return new Outcome(false, s -> s.park(command.id(), "gave up after " + failures + " attempts; last error: "
                    + error, clock.instant()));
        }
        Duration delay = retry.delayAfter(failures, random);
        return new Outcome(false, s -> s.reschedule(command.id(), clock.instant().plus(delay), error));
    }
}
