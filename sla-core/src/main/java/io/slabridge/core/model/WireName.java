package io.slabridge.core.model;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The snake_case names the enums of the model use on the wire (events, policy files, output), computed once
 * per enum: they are looked up for every event of a million-event replay.
 */
final class WireName {
    private static final Map<Class<?>, Map<String, Enum<?>>> BY_NAME = new ConcurrentHashMap<>();

    private WireName() {
    }

    static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** Returns the constant whose wire name is {@code text}, or null: callers turn null into a message naming the field. */
    static <E extends Enum<E>> E lookup(Class<E> type, String text) {
        if (text == null) {
            return null;
        }
        Map<String, Enum<?>> names = BY_NAME.computeIfAbsent(type, t -> {
            Map<String, Enum<?>> m = new HashMap<>();
            for (E e : type.getEnumConstants()) {
                m.put(of(e), e);
            }
            return m;
        });
        return type.cast(names.get(text));
    }

    static String choices(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(WireName::of).collect(Collectors.joining(", "));
    }
}
