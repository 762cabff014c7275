package io.slabridge.core.report;

import io.slabridge.core.model.Attribute;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a compliance report can break its figures down by: the ticket attributes policies match on, and the
 * winning policy of each cycle.
 */
public enum Dimension {
    PRIORITY(Attribute.PRIORITY),
    CHANNEL(Attribute.CHANNEL),
    TIER(Attribute.TIER),
    ACCOUNT(Attribute.ACCOUNT),
    POLICY(null),
    CATEGORY(Attribute.CATEGORY),
    SOURCE(Attribute.SOURCE);

    private final Attribute attribute;
    private final String wire = name().toLowerCase(Locale.ROOT);

    Dimension(Attribute attribute) {
        this.attribute = attribute;
    }

    /** The ticket attribute this dimension reads, or null for {@link #POLICY} (the cycle's winning policy). */
    public Attribute attribute() {
        return attribute;
    }

    public String wireName() {
        return wire;
    }

    /** The dimension named {@code text}, or null when there is none. */
    public static Dimension fromWire(String text) {
        for (Dimension d : values()) {
            if (d.wire.equals(text)) {
                return d;
            }
        }
        return null;
    }

    public static String wireChoices() {
        return Arrays.stream(values()).map(Dimension::wireName).collect(Collectors.joining(", "));
    }
}
