package io.slabridge.core.store;

import io.slabridge.core.model.EscalationDue;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteBack;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Durable state of the runtime: the event log, each ticket's state and wake-up instant, escalation steps done,
 * the outbox and the pollers' cursors. Several instances may share one store: per-ticket work is serialised by
 * row locks, and due tickets and outbox rows are claimed with {@code SKIP LOCKED}.
 */
public interface SlaStore extends AutoCloseable {

    /** Runs {@code work} in one transaction: all of it commits, or none of it. */
    <T> T inTransaction(Work<T> work);

    /** One unit of work inside a transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Transaction tx);
    }

    /** What can be done inside a transaction. */
    interface Transaction {
        /** Appends the event; false, and nothing changes, when an event with its id is already stored. */
        boolean appendEvent(TicketEvent event, Instant receivedAt);

        /** The ticket's events, in the order they were accepted. */
        List<TicketEvent> events(String ticket);

        /**
         * Locks the ticket's state row until the transaction ends, creating it when the ticket is new, so that
         * two instances never fold one ticket at once.
         */
        TicketRecord lockTicket(String ticket, String source);

        void saveTicket(TicketRecord record, Instant now);

        /** Keys ({@link EscalationDue#key()}) of the ticket's escalation steps already done. */
        Set<String> stepsDone(String ticket);

        void markStepDone(EscalationDue step, Instant now);

        /** Enqueues a command; a second command with the same idempotency key is ignored. */
        void enqueue(String ticket, String source, WriteBack payload, String idempotencyKey, Instant now);

        /** Locks up to {@code limit} tickets whose wake-up instant is at or before {@code now}, earliest first. */
        List<String> lockDueTickets(Instant now, int limit);

        /** Open tickets (some cycle not stopped) after {@code afterTicket} in key order, for refolding all. */
        List<String> openTickets(String afterTicket, int limit);
    }

    /** The earliest wake-up instant of any ticket: where the scheduler sleeps until. */
    Optional<Instant> earliestWake();

    /**
     * Claims up to {@code limit} commands that may go out now: for each ticket only its oldest pending one, so
     * that a ticket's commands go out in order. A claimed command is leased: no one else claims it until
     * {@code lease} has passed, after which it is retried (the writer may have died).
     */
    List<OutboxCommand> claimOutbox(Instant now, Duration lease, int limit);

    void markDone(long commandId, Instant now);

    /** Tries the command again at {@code nextAttempt}, keeping the error for the operator. */
    void reschedule(long commandId, Instant nextAttempt, String error);

    void park(long commandId, String error, Instant now);

    List<ParkedCommand> parked(int limit);

    /** Puts a parked command back in line, from now, with its attempts reset; false when none is parked under that id. */
    boolean requeue(long commandId, Instant now);

    /** Counts of outbox rows by status (pending, done, parked). */
    java.util.Map<String, Long> outboxCounts();

    Optional<String> cursor(String name);

    void saveCursor(String name, String value, Instant now);

    @Override
    void close();
}
