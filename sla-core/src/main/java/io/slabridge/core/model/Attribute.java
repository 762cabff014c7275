package io.slabridge.core.model;

/** The ticket fields a policy's {@code when} may match on. */
public enum Attribute {
    PRIORITY, TIER, CHANNEL, CATEGORY, ACCOUNT, SOURCE;

    private final String wire = WireName.of(this);

    /** The snake_case name used in events, policy files and output. */
    public String wireName() {
        return wire;
    }

    /** The attribute named {@code text} on the wire, or null when there is none. */
    public static Attribute fromWire(String text) {
        return WireName.lookup(Attribute.class, text);
    }

    public static String wireChoices() {
        return WireName.choices(Attribute.class);
    }
}
