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
    /** Indexed by attribute ordinal for the hot path; null where the attribute is not listed. */
    private final Set<?>[] byOrdinal;

    private PolicyCondition(Map<Attribute, Set<String>> allowed) {
        this.allowed = allowed;
        this.byOrdinal = new Set<?>[Attribute.values().length];
        allowed.forEach((a, values) -> byOrdinal[a.ordinal()] = values);
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
    public boolean matches(String[] values) {
        for (int i = 0; i < byOrdinal.length; i++) {
            Set<?> set = byOrdinal[i];
            if (set != null && (values[i] == null || !set.contains(values[i]))) {
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
