package io.slabridge.core.policy;

import io.slabridge.core.model.Attribute;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A policy's {@code when}: matches when every attribute it lists has one of the listed values; an attribute
 * it does not list matches anything, and a ticket without a value for a listed attribute does not match.
 * The empty condition matches every ticket.
 */
public final class PolicyCondition {
    public static final PolicyCondition ALWAYS = new PolicyCondition(Map.of());

    private final Map<Attribute, Set<String>> allowed;
    /** For the hot path: the ordinals of the listed attributes, and their value sets in the same order. */
    private final int[] listed;
    private final Set<?>[] values;

    private PolicyCondition(Map<Attribute, Set<String>> allowed) {
        this.allowed = allowed;
        this.listed = new int[allowed.size()];
        this.values = new Set<?>[allowed.size()];
        int i = 0;
        for (Attribute a : Attribute.values()) {
            if (allowed.containsKey(a)) {
                listed[i] = a.ordinal();
                values[i++] = allowed.get(a);
            }
        }
    }

    /**
     * @throws IllegalArgumentException when an attribute lists no value
     */
    public static PolicyCondition of(Map<Attribute, Set<String>> allowed) {
        EnumMap<Attribute, Set<String>> copy = new EnumMap<>(Attribute.class);
        allowed.forEach((attribute, values) -> {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("'" + attribute.wireName() + "' lists no value");
            }
            copy.put(Objects.requireNonNull(attribute), Set.copyOf(values));
        });
        return copy.isEmpty() ? ALWAYS : new PolicyCondition(Map.copyOf(copy));
    }

    /** @param values the ticket's attribute values, indexed by {@link Attribute#ordinal()}; null where unset */
    public boolean matches(String[] ticketValues) {
        for (int i = 0; i < listed.length; i++) {
            String v = ticketValues[listed[i]];
            if (v == null || !values[i].contains(v)) {
                return false;
            }
        }
        return true;
    }

    public Map<Attribute, Set<String>> allowed() {
        return allowed;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyCondition && ((PolicyCondition) o).allowed.equals(allowed);
    }

    @Override
    public int hashCode() {
        return allowed.hashCode();
    }

    @Override
    public String toString() {
        return allowed.isEmpty() ? "always" : allowed.toString();
    }
}
