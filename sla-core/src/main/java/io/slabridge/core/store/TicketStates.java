package io.slabridge.core.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Each ticket's state as last folded, and the wake index over it (the instant each ticket next needs attention),
 * inside a ticket transaction. Per-ticket work is serialised by locking the ticket's row.
 */
public interface TicketStates {
    /**
     * Locks the tickets' state rows until the transaction ends, creating the row of each new ticket with
     * {@code sourceOfNewTicket}'s source, so that two instances never fold one ticket at once. Rows are locked
     * in key order, so two transactions locking overlapping sets wait for each other instead of deadlocking.
     * Returns every ticket's record; a new ticket's has version 0.
     */
    Map<String, TicketRecord> lockTickets(Collection<String> tickets, Function<String, String> sourceOfNewTicket);

    /** Saves the records of tickets locked in this transaction (one batch of updates). */
    void saveTickets(List<TicketRecord> records, Instant now);

    /** Locks up to {@code limit} tickets whose wake-up instant is at or before {@code now}, earliest first. */
    List<String> lockDueTickets(Instant now, int limit);

    /** Open tickets (some cycle not stopped) after {@code afterTicket} in key order, for refolding all. */
    List<String> openTickets(String afterTicket, int limit);

    /** The earliest wake-up instant of any ticket: where the scheduler sleeps until. */
    Optional<Instant> earliestWake();
}
