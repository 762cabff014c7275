package io.slabridge.core.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Lookup of the snake_case names the enums of the model use on the wire (events, policy files, output). */
final class WireName {
    private WireName() {
    }

    static String of(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Returns the constant whose wire name is {@code text}, or null: callers turn null into a message naming the field. */
    static <E extends Enum<E>> E lookup(Class<E> type, String text) {
        if (text == null) {
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (of(e).equals(text)) {
                return e;
            }
        }
        return null;
    }

    static String choices(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(WireName::of).collect(Collectors.joining(", "));
    }
}
