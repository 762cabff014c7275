package io.slabridge.core.policy;

import java.util.Set;
import java.util.TreeSet;

/**
 * One field of a {@code when} (SLA-SPEC 3): the ticket's value is one of {@code values}, or, {@code negated}
 * ({@code { not: [...] }}), none of them. A ticket without a value matches only the negated form: "not in ENG"
 * is true of a ticket that has no project.
 */
public record FieldCondition(Set<String> values, boolean negated) {
    /**
     * @throws IllegalArgumentException when {@code values} is empty: such a field would match nothing (or,
     *                                  negated, everything), never what its writer meant
     */
    public FieldCondition {
        values = Set.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a field condition lists no value");
        }
    }

    /** The value is one of {@code values}. */
    public static FieldCondition anyOf(Set<String> values) {
        return new FieldCondition(values, false);
    }

    /** The value is none of {@code values}, or there is none. */
    public static FieldCondition noneOf(Set<String> values) {
        return new FieldCondition(values, true);
    }

    /** @param value the ticket's value, null when it has none */
    public boolean matches(String value) {
        boolean listed = value != null && values.contains(value);
        return listed != negated;
    }

    /**
     * Whether no value, and no missing value, matches both this and {@code other}. Two lists: no value in common.
     * A list and a {@code not}: the {@code not} names every value of the list. Two {@code not}s: never, since a
     * value neither names (or none) matches both.
     */
    public boolean excludes(FieldCondition other) {
        if (negated && other.negated) {
            return false;
        }
        if (negated) {
            return other.excludes(this);
        }
        return other.negated ? other.values.containsAll(values) : values.stream().noneMatch(other.values::contains);
    }

    @Override
    public String toString() {
        String list = new TreeSet<>(values).toString();
        return negated ? "not " + list : list;
    }
}
