package io.slabridge.core.store;

/**
 * Work on tickets in transactions: a ticket's events, its state, its escalation steps and the commands its change
 * causes are written together or not at all.
 */
public interface TicketTransactions {

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
    interface Transaction extends EventLog, TicketStates, EscalationRecord, TicketLinks, OutboxEnqueue {
    }
}
