package io.slabridge.core.store;

import io.slabridge.core.model.TicketEvent;
import java.util.List;
import java.util.function.Consumer;

/** Every stored ticket, read page by page: what a report reads. */
public interface StoredTickets {
    /**
     * Calls {@code each} for every ticket with a state, in key order, {@code pageSize} tickets (and their events)
     * per read; each page is its own transaction.
     */
    void forEachTicket(int pageSize, Consumer<StoredTicket> each);

    /** Every ticket in the link index ({@link TicketLinks}): each side of every pair ever linked, in key order. */
    java.util.SortedSet<String> ticketsEverLinked();

    /** A ticket as stored, for reading: its latest cycles (JSON lines, as {@code replay} prints them) and its events. */
    record StoredTicket(String ticket, String cycles, List<TicketEvent> events) {
    }
}
