package io.slabridge.core.model;

/** The kinds of ticket event of SLA-SPEC section 1. */
public enum EventType {
    /** The ticket exists; it counts as the first customer message. */
    CREATED,
    /** The requester, or anyone on the customer side, wrote. */
    CUSTOMER_MESSAGE,
    /** A public reply from the support side. */
    AGENT_REPLY,
    /** A support-side note the customer cannot see: stops nothing. */
    INTERNAL_NOTE,
    STATUS_CHANGED,
    PRIORITY_CHANGED,
    ATTRIBUTES_CHANGED,
    /**
     * This ticket and the one named in {@code other} now serve one customer problem (a Case and the Jira
     * issue it was escalated to). A link is one fact about a pair: both sides may report it.
     */
    LINKED,
    /** The link between this ticket and the one named in {@code other} is gone (field cleared, link removed). */
    UNLINKED;

    /** Whether events of this type name another ticket ({@code other}): {@code linked} and {@code unlinked}. */
    public boolean namesOther() {
        return this == LINKED || this == UNLINKED;
    }

    private final String wire = WireName.of(this);

    /** The snake_case name used in events, policy files and output. */
    public String wireName() {
        return wire;
    }

    /** The type named {@code text} on the wire, or null when there is none. */
    public static EventType fromWire(String text) {
        return WireName.lookup(EventType.class, text);
    }

    public static String wireChoices() {
        return WireName.choices(EventType.class);
    }
}
