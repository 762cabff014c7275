package io.slabridge.core.store;

import io.slabridge.core.model.TicketEvent;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The event log, inside a ticket transaction: every event accepted, once, in the order it was accepted. The fold
 * reads a ticket's whole log each time, so state is always recomputed from it.
 */
public interface EventLog {
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
}
