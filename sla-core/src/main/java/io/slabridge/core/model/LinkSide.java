package io.slabridge.core.model;

import java.util.Locale;

/** The two tickets of an oriented link: the engineering ticket an OLA times, and the customer ticket it serves. */
public enum LinkSide {
    ENGINEERING,
    CUSTOMER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The side named {@code text}, or null. */
    public static LinkSide fromWire(String text) {
        for (LinkSide s : values()) {
            if (s.wireName().equals(text)) {
                return s;
            }
        }
        return null;
    }
}
