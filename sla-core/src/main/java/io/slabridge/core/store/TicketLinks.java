package io.slabridge.core.store;

import io.slabridge.core.model.TicketEvent;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The link index, inside a ticket transaction: which tickets were ever linked to which (SLA-SPEC section 7.1), so
 * that an event on either ticket of a pair finds the other even when only one side reported the link. An
 * {@code unlinked} event keeps the entry: the pair's OLA cycles (stopped by the unlink) stay part of both tickets'
 * state.
 */
public interface TicketLinks {
    /** Records both directions of each {@code linked} or {@code unlinked} event; an entry already there stays. */
    void indexLinks(List<TicketEvent> linkEvents);

    /** Per ticket, every ticket ever linked to it, whichever side reported the link; absent: none. */
    Map<String, Set<String>> linkedTickets(Collection<String> tickets);
}
