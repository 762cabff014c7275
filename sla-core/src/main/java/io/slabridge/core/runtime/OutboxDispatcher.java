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
    /**
     * How long a claimed command is kept from others unless {@link #withLease} says otherwise: longer than any
     * writer call takes. It is also how long a command that was out when its process died waits to be taken over.
     */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(2);

    private final SlaStore store;
    private final Map<String, OutboxWriter> writers;
    private final Clock clock;
    private final RetryPolicy retry;
    private final RandomGenerator random;
    private volatile DeliveryListener listener = (command, outcome) -> { };
    private volatile Duration lease = DEFAULT_LEASE;

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

    /**
     * Sets the lease of a claimed command. It must be longer than a writer's call can take (its timeouts), or a
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

    /** The lease of a claimed command. */
    public Duration lease() {
        return lease;
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
     */
    public int dispatchOnce(int limit) {
        List<OutboxCommand> claimed = store.claimOutbox(clock.instant(), lease, limit);
        Map<String, List<OutboxCommand>> bySource = new LinkedHashMap<>();
        for (OutboxCommand command : claimed) {
            bySource.computeIfAbsent(command.source(), s -> new ArrayList<>()).add(command);
        }
        // The claim's lease covers the first call. Each later one first renews the lease of what it delivers, and
        // leaves out a command whose lease ran out and that another dispatcher has claimed since: a claim that
        // takes longer than the lease to work through (a slow system, a backlog) then writes nothing twice.
        boolean first = true;
        for (Map.Entry<String, List<OutboxCommand>> e : bySource.entrySet()) {
            OutboxWriter writer = writers.get(e.getKey());
            if (writer instanceof BatchOutboxWriter batch) {
                List<OutboxCommand> commands = e.getValue();
                int size = Math.max(1, batch.maxBatch());
                for (int from = 0; from < commands.size(); from += size) {
                    List<OutboxCommand> part = commands.subList(from, Math.min(commands.size(), from + size));
                    List<OutboxCommand> held = first ? part : part.stream().filter(this::stillHeld).toList();
                    first = false;
                    if (!held.isEmpty()) {
                        deliverAll(batch, held);
                    }
                }
            } else {
                for (OutboxCommand command : e.getValue()) {
                    if (first || stillHeld(command)) {
                        deliver(writer, command);
                    }
                    first = false;
                }
            }
        }
        return claimed.size();
    }

    /** Renews the command's lease for one more delivery; false when another dispatcher has taken it over. */
    private boolean stillHeld(OutboxCommand command) {
        return store.renewLease(command.id(), command.attempts() + 1, clock.instant().plus(lease));
    }

    private void deliverAll(BatchOutboxWriter writer, List<OutboxCommand> commands) {
        List<WriteResult> results;
        try {
            results = writer.writeAll(commands);
        } catch (Exception e) {
            for (OutboxCommand command : commands) {
                failedForNow(command, describe(e));
            }
            return;
        }
        if (results == null || results.size() != commands.size()) {
            for (OutboxCommand command : commands) {
                failedForNow(command, "the writer for '" + command.source() + "' answered " + (results == null ? "nothing"
                        : results.size() + " results") + " for " + commands.size() + " commands");
            }
            return;
        }
        for (int i = 0; i < commands.size(); i++) {
            apply(commands.get(i), results.get(i));
        }
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private void deliver(OutboxWriter writer, OutboxCommand command) {
        if (writer == null) {
            listener.delivered(command, "no_writer");
            store.park(command.id(), "no writer for source '" + command.source() + "' (configured: "
                    + String.join(", ", writers.keySet()) + ")", clock.instant());
            return;
        }
        WriteResult result;
        try {
            result = writer.write(command);
        } catch (Exception e) {
            failedForNow(command, describe(e));
            return;
        }
        apply(command, result);
    }

    private void apply(OutboxCommand command, WriteResult result) {
        listener.delivered(command, result instanceof WriteResult.Done ? "done"
                : result instanceof WriteResult.RetryAfter ? "retry_after" : "failed");
        if (result instanceof WriteResult.Done) {
            store.markDone(command.id(), clock.instant());
        } else if (result instanceof WriteResult.RetryAfter r) {
            // The system said when: that wait, not our backoff; it does not count towards giving up.
            store.reschedule(command.id(), clock.instant().plus(r.delay()), "retry after " + r.delay().toSeconds()
                    + " s: " + r.reason());
        } else if (result instanceof WriteResult.Failed f) {
            store.park(command.id(), f.reason(), clock.instant());
        }
    }

    private void failedForNow(OutboxCommand command, String error) {
        listener.delivered(command, "error");
        int failures = command.attempts() + 1;
        Instant now = clock.instant();
        if (failures >= retry.maxAttempts()) {
            store.park(command.id(), "gave up after " + failures + " attempts; last error: " + error, now);
        } else {
            store.reschedule(command.id(), now.plus(retry.delayAfter(failures, random)), error);
        }
    }
}
