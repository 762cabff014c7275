package io.slabridge.core.store;

import java.util.Objects;

/**
 * A ticket's stored state: what the last fold said, and when to look again.
 *
 * @param nextDueAt  the earliest due instant of a cycle that has not stopped (epoch seconds), or null
 * @param nextWakeAt when the scheduler must refold the ticket (epoch seconds), or null
 * @param slaFields  the SLA fields last enqueued for the ticket's system (JSON), or null before the first
 * @param cycles     the ticket's cycles as replay prints them (JSON lines)
 * @param version    increases with every save; 0 for a ticket never folded
 * @param olaCycles  the OLA cycles of the linked pairs the ticket is part of and its link summary, as replay prints
 *                   them (JSON lines), while any of it is live; else null (what the SLA board shows of links)
 */
public record TicketRecord(String ticket, String source, String summary, Long nextDueAt, Long nextWakeAt,
        boolean open, String slaFields, String cycles, long version, String olaCycles) {
    public TicketRecord {
        Objects.requireNonNull(ticket, "ticket");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(cycles, "cycles");
    }

    /** A ticket in no linked pair (no OLA cycles). */
    public TicketRecord(String ticket, String source, String summary, Long nextDueAt, Long nextWakeAt, boolean open,
            String slaFields, String cycles, long version) {
        this(ticket, source, summary, nextDueAt, nextWakeAt, open, slaFields, cycles, version, null);
    }

    /** The state of a ticket never folded. */
    public static TicketRecord unseen(String ticket, String source) {
        return new TicketRecord(ticket, source, "NONE", null, null, false, null, "", 0);
    }
}
