package io.slabridge.core.model;

/**
 * The four SLA metrics. Declared in plain string order of their wire names, which is the order
 * {@code replay} prints them in.
 */
public enum Metric {
    /** From {@code created} to the first public agent reply. One cycle. */
    FIRST_RESPONSE(false),
    /** From a customer message (once an agent has replied) to the next agent reply. One cycle per start. */
    NEXT_RESPONSE(false),
    /** From each agent reply to the next one while the ticket is unresolved. Pauses. */
    PERIODIC_UPDATE(true),
    /** From {@code created} until the ticket is resolved or closed. Pauses; reopen resumes or restarts. */
    RESOLUTION(true);

    private final String wire = WireName.of(this);

    private final boolean pausable;

    Metric(boolean pausable) {
        this.pausable = pausable;
    }

    /** Whether this metric's clock stops while the ticket is in one of the policy's pause statuses. */
    public boolean pausable() {
        return pausable;
    }

    /** The snake_case name used in events, policy files and output. */
    public String wireName() {
        return wire;
    }

    /** The metric named {@code text} on the wire, or null when there is none. */
    public static Metric fromWire(String text) {
        return WireName.lookup(Metric.class, text);
    }

    public static String wireChoices() {
        return WireName.choices(Metric.class);
    }
}
