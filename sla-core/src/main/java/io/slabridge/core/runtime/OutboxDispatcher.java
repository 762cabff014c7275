package io.slabridge.core.runtime;

import io.slabridge.core.outbox.BatchOutboxWriter;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.OutboxWriter;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.store.SlaStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Delivers the outbox: each command to the writer of its ticket's source, a ticket's commands in order. A
 * command that fails is retried with backoff and jitter, or after the wait the writer asks for; one that
 * fails for good, or too often, is parked with its error for an operator ({@code sla-bridge outbox --failed}).
 * A command is leased while it is out: if this process dies mid-delivery, another takes it over when the lease
 * ends, so a writer may see a command twice and must be idempotent per its key.
 */
public final class OutboxDispatcher {
    /** How long a claimed command is kept from others: longer than any writer call takes. */
    static final Duration LEASE = Duration.ofMinutes(2);

    private final SlaStore store;
    private final Map<String, OutboxWriter> writers;
    private final Clock clock;
    private final RetryPolicy retry;
    private final RandomGenerator random;
    private volatile DeliveryListener listener = (command, outcome) -> { };

    /** Told of each delivery's outcome (for metrics); must be quick and must not throw. */
    @FunctionalInterface
    public interface DeliveryListener {
        /**
         * @param outcome {@code done}, {@code retry_after}, {@code failed} (parked by the writer), {@code error}
         *                (a transient failure, retried), {@code no_writer}
         */
        void delivered(OutboxCommand command, String outcome);
    }

    /** Sets who is told of each delivery's outcome. */
    public OutboxDispatcher onDelivery(DeliveryListener value) {
        this.listener = Objects.requireNonNull(value, "listener");
        return this;
    }

    public OutboxDispatcher(SlaStore store, Map<String, OutboxWriter> writersBySource, Clock clock, RetryPolicy retry,
            RandomGenerator random) {
        this.store = Objects.requireNonNull(store, "store");
        this.writers = Map.copyOf(writersBySource);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Claims and delivers up to {@code limit} commands; returns how many it handled (whatever the outcome). A
     * {@link BatchOutboxWriter} gets its source's commands in calls of up to its batch size; the claim holds at
     * most one command per ticket, so a batch never reorders a ticket's commands.
     *
     * <p>When the store fails in the middle (a dropped connection), the round stops with its {@link
     * io.slabridge.core.store.StoreException}: nothing more is delivered that could not be recorded. What was
     * delivered keeps its outcome, and what was not delivered yet keeps its place; the next call records the one and
     * hands the other back to the queue at once, instead of leaving it leased for {@link #LEASE}.
     */
    public synchronized int dispatchOnce(int limit) {
        settleLeftovers();
        Instant claimedAt = clock.instant();
        List<OutboxCommand> claimed = store.claimOutbox(claimedAt, LEASE, limit);
        Map<String, List<OutboxCommand>> bySource = new LinkedHashMap<>();
        for (OutboxCommand command : claimed) {
            bySource.computeIfAbsent(command.source(), s -> new ArrayList<>()).add(command);
        }
        List<List<OutboxCommand>> rounds = new ArrayList<>();
        for (Map.Entry<String, List<OutboxCommand>> e : bySource.entrySet()) {
            OutboxWriter writer = writers.get(e.getKey());
            List<OutboxCommand> commands = e.getValue();
            int size = writer instanceof BatchOutboxWriter batch ? Math.max(1, batch.maxBatch()) : 1;
            for (int from = 0; from < commands.size(); from += size) {
                rounds.add(commands.subList(from, Math.min(commands.size(), from + size)));
            }
        }
        for (int r = 0; r < rounds.size(); r++) {
            List<OutboxCommand> commands = rounds.get(r);
            OutboxWriter writer = writers.get(commands.get(0).source());
            List<Outcome> outcomes = writer instanceof BatchOutboxWriter batch ? deliverAll(batch, commands)
                    : List.of(deliver(writer, commands.get(0)));
            for (int i = 0; i < outcomes.size(); i++) {
                try {
                    outcomes.get(i).record().accept(store);
                } catch (RuntimeException storeFailed) {
                    for (int j = i; j < outcomes.size(); j++) {
                        leftovers.add(new Leftover(commands.get(j), outcomes.get(j), claimedAt));
                    }
                    for (List<OutboxCommand> later : rounds.subList(r + 1, rounds.size())) {
                        for (OutboxCommand command : later) {
                            leftovers.add(new Leftover(command, null, claimedAt));
                        }
                    }
                    throw storeFailed;
                }
            }
        }
        return claimed.size();
    }

    /** How a delivery ended, for the store: {@code record} tells it. */
    private record Outcome(boolean done, java.util.function.Consumer<SlaStore> record) {
    }

    /** A claimed command the store was not told about: delivered ({@code outcome}), or not yet ({@code null}). */
    private record Leftover(OutboxCommand command, Outcome outcome, Instant claimedAt) {
    }

    /** Commands of a round the store failed in, oldest first; only the dispatching thread touches them. */
    private final List<Leftover> leftovers = new ArrayList<>();

    /** How many claimed commands wait for the store to be told about them (for tests). */
    synchronized int leftovers() {
        return leftovers.size();
    }

    /**
     * Tells the store what a failed round could not: a delivered command's outcome; for one not delivered, that it
     * can go out now. A lease that ran out meanwhile belongs to nobody: the command is left to whoever claims it,
     * except that a delivery that succeeded is still recorded as done.
     */
    private void settleLeftovers() {
        Instant now = clock.instant();
        while (!leftovers.isEmpty()) {
            Leftover l = leftovers.get(0);
            boolean leaseHeld = l.claimedAt().plus(LEASE).isAfter(now);
            if (l.outcome() != null && (l.outcome().done() || leaseHeld)) {
                l.outcome().record().accept(store);
            } else if (l.outcome() == null && leaseHeld) {
                store.reschedule(l.command().id(), now, "not delivered yet when the store failed; back in line");
            }
            leftovers.remove(0);
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
        listener.delivered(command, result instanceof WriteResult.Done ? "done"
                : result instanceof WriteResult.RetryAfter ? "retry_after" : "failed");
        if (result instanceof WriteResult.Done) {
            return new Outcome(true, s -> s.markDone(command.id(), clock.instant()));
        } else if (result instanceof WriteResult.RetryAfter r) {
            // The system said when: that wait, not our backoff; it does not count towards giving up.
            return new Outcome(false, s -> s.reschedule(command.id(), clock.instant().plus(r.delay()), "retry after "
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
