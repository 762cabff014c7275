package io.slabridge.core.store;

import io.slabridge.core.model.EscalationDue;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteBack;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Durable state of the runtime: the event log, each ticket's state and wake-up instant, escalation steps done,
 * the outbox and the pollers' cursors. Several instances may share one store: per-ticket work is serialised by
 * row locks, and due tickets and outbox rows are claimed with {@code SKIP LOCKED}.
 */
public interface SlaStore extends PollCursors, AutoCloseable {

    /** Runs {@code work} in one transaction: all of it commits, or none of it. */
    <T> T inTransaction(Work<T> work);

    /** One unit of work inside a transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Transaction tx);
    }

    /**
     * What can be done inside a transaction. The methods that write or read per ticket take many tickets at
     * once, so that a page of events or a batch of due tickets costs a few round trips, not a few per ticket.
     */
    interface Transaction {
        /**
         * Appends the events (one batch of inserts) and returns those that were new, in the given order. An event
         * whose id is already stored, or came earlier in {@code events}, is not stored again and is left out.
         */
        List<TicketEvent> appendEvents(List<TicketEvent> events, Instant receivedAt);

        /** Appends the event; false, and nothing changes, when an event with its id is already stored. */
        default boolean appendEvent(TicketEvent event, Instant receivedAt) {
            return !appendEvents(List.of(event), receivedAt).isEmpty();
        }

        /** The tickets' events, each ticket's in the order they were accepted; a ticket without events is absent. */
        Map<String, List<TicketEvent>> events(Collection<String> tickets);

        /** The ticket's events, in the order they were accepted. */
        default List<TicketEvent> events(String ticket) {
            return events(List.of(ticket)).getOrDefault(ticket, List.of());
        }

        /**
         * Locks the tickets' state rows until the transaction ends, creating the row of each new ticket with
         * {@code sourceOfNewTicket}'s source, so that two instances never fold one ticket at once. Rows are locked
         * in key order, so two transactions locking overlapping sets wait for each other instead of deadlocking.
         * Returns every ticket's record; a new ticket's has version 0.
         */
        Map<String, TicketRecord> lockTickets(Collection<String> tickets, Function<String, String> sourceOfNewTicket);

        /** Saves the records of tickets locked in this transaction (one batch of updates). */
        void saveTickets(List<TicketRecord> records, Instant now);

        /** Per ticket, the keys ({@link EscalationDue#key()}) of its escalation steps already done; absent: none. */
        Map<String, Set<String>> stepsDone(Collection<String> tickets);

        /** Records the steps as done (one batch of inserts); a step already recorded is left as it is. */
        void markStepsDone(List<EscalationDue> steps, Instant now);

        /**
         * Enqueues the commands (one batch of inserts), each ticket's in the given order; a command whose
         * idempotency key is already in the outbox is ignored.
         */
        void enqueue(List<NewCommand> commands, Instant now);

        /** Enqueues a command; a second command with the same idempotency key is ignored. */
        default void enqueue(String ticket, String source, WriteBack payload, String idempotencyKey, Instant now) {
            enqueue(List.of(new NewCommand(ticket, source, payload, idempotencyKey)), now);
        }

        /** Locks up to {@code limit} tickets whose wake-up instant is at or before {@code now}, earliest first. */
        List<String> lockDueTickets(Instant now, int limit);

        /** Open tickets (some cycle not stopped) after {@code afterTicket} in key order, for refolding all. */
        List<String> openTickets(String afterTicket, int limit);
    }

    /** A write-back command to enqueue for a ticket of {@code source} (jira, salesforce, email). */
    record NewCommand(String ticket, String source, WriteBack payload, String idempotencyKey) {
        public NewCommand {
            Objects.requireNonNull(ticket, "ticket");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        }
    }

    /** The earliest wake-up instant of any ticket: where the scheduler sleeps until. */
    Optional<Instant> earliestWake();

    /**
     * Claims up to {@code limit} commands that may go out now: for each ticket only its oldest pending one, so
     * that a ticket's commands go out in order. A claimed command is leased: no one else claims it until
     * {@code lease} has passed, after which it is retried (the writer may have died).
     */
    default List<OutboxCommand> claimOutbox(Instant now, Duration lease, int limit) {
        return claimOutbox(now, lease, limit, Set.of());
    }

    /** As {@link #claimOutbox(Instant, Duration, int)}, leaving out the commands of {@code skipSources}. */
    List<OutboxCommand> claimOutbox(Instant now, Duration lease, int limit, Set<String> skipSources);


    void markDone(long commandId, Instant now);

    /** Tries the command again at {@code nextAttempt}, keeping the error for the operator. */
    void reschedule(long commandId, Instant nextAttempt, String error);

    /**
     * Tries the command again at {@code nextAttempt} without counting the delivery just made as an attempt: the
     * system asked to wait (a 429, rejected credentials) and did nothing, so this neither brings the command
     * closer to being parked nor tells the next delivery that an earlier one may have gone through.
     */
    void postpone(long commandId, Instant nextAttempt, String reason);

    /**
     * Extends the lease of a command claimed with {@link #claimOutbox} to {@code newUntil}, if it is still this
     * claim's: pending, with the attempts the claim gave it, leased until {@code leasedUntil}. False when the lease
     * ran out and another claim took the command (or finished it, or superseded it): the claimant must then leave
     * it alone, or it could write it twice or after a newer one.
     *
     * @param claimed     the command as the claim returned it
     * @param leasedUntil the lease the claim (or the last renewal) gave it
     */
    boolean renewLease(OutboxCommand claimed, Instant leasedUntil, Instant newUntil);

    void park(long commandId, String error, Instant now);

    List<ParkedCommand> parked(int limit);

    /** Puts a parked command back in line, from now, with its attempts reset; false when none is parked under that id. */
    boolean requeue(long commandId, Instant now);

    /** When the oldest command still waiting to go out was enqueued: how far behind write-back is. */
    Optional<Instant> oldestPendingCommand();

    /** Counts of outbox rows by status (pending, done, parked). */
    Map<String, Long> outboxCounts();

    @Override
    Optional<String> cursor(String name);

    @Override
    void saveCursor(String name, String value, Instant now);

    @Override
    void close();
}
