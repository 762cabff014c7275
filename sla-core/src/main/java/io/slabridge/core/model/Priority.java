package io.slabridge.core.model;

/** Ticket priority as every connector maps it. */
public enum Priority {
    URGENT, HIGH, NORMAL, LOW;

    public String wireName() {
        return WireName.of(this);
    }

    /** The priority named {@code text} on the wire, or null when there is none. */
    public static Priority fromWire(String text) {
        return WireName.lookup(Priority.class, text);
    }

    public static String wireChoices() {
        return WireName.choices(Priority.class);
    }
}
