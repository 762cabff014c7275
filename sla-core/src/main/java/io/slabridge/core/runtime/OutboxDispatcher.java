package io.slabridge.core.runtime;

import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.OutboxWriter;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.store.SlaStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

    public OutboxDispatcher(SlaStore store, Map<String, OutboxWriter> writersBySource, Clock clock, RetryPolicy retry,
            RandomGenerator random) {
        this.store = Objects.requireNonNull(store, "store");
        this.writers = Map.copyOf(writersBySource);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Claims and delivers up to {@code limit} commands; returns how many it handled (whatever the outcome). */
    public int dispatchOnce(int limit) {
        List<OutboxCommand> claimed = store.claimOutbox(clock.instant(), LEASE, limit);
        for (OutboxCommand command : claimed) {
            deliver(command);
        }
        return claimed.size();
    }

    private void deliver(OutboxCommand command) {
        OutboxWriter writer = writers.get(command.source());
        if (writer == null) {
            store.park(command.id(), "no writer for source '" + command.source() + "' (configured: "
                    + String.join(", ", writers.keySet()) + ")", clock.instant());
            return;
        }
        WriteResult result;
        try {
            result = writer.write(command);
        } catch (Exception e) {
            failedForNow(command, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return;
        }
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
        int failures = command.attempts() + 1;
        Instant now = clock.instant();
        if (failures >= retry.maxAttempts()) {
            store.park(command.id(), "gave up after " + failures + " attempts; last error: " + error, now);
        } else {
            store.reschedule(command.id(), now.plus(retry.delayAfter(failures, random)), error);
        }
    }
}
