package io.slabridge.core.model;

/** Ticket priority as every connector maps it. */
public enum Priority {
    URGENT, HIGH, NORMAL, LOW;

    private final String wire = WireName.of(this);

    /** The snake_case name used in events, policy files and output. */
    public String wireName() {
        return wire;
    }

    /** The priority named {@code text} on the wire, or null when there is none. */
    public static Priority fromWire(String text) {
        return WireName.lookup(Priority.class, text);
    }

    public static String wireChoices() {
        return WireName.choices(Priority.class);
    }
}
