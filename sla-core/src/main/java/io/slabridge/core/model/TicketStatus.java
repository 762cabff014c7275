package io.slabridge.core.model;

/** Ticket status as every connector maps it. */
public enum TicketStatus {
    OPEN, IN_PROGRESS, WAITING_ON_CUSTOMER, ON_HOLD, RESOLVED, CLOSED;

    private final String wire = WireName.of(this);

    /** Resolved and closed end the ticket's clocks; leaving them is a reopen. */
    public boolean isResolved() {
        return this == RESOLVED || this == CLOSED;
    }

    /** The snake_case name used in events, policy files and output. */
    public String wireName() {
        return wire;
    }

    /** The status named {@code text} on the wire, or null when there is none. */
    public static TicketStatus fromWire(String text) {
        return WireName.lookup(TicketStatus.class, text);
    }

    public static String wireChoices() {
        return WireName.choices(TicketStatus.class);
    }
}
