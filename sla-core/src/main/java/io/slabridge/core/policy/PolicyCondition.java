package io.slabridge.core.policy;

import io.slabridge.core.model.Attribute;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@code when} (SLA-SPEC 3; each side of an OLA's, 7.2): matches when every field it lists matches (see
 * {@link FieldCondition}); a field it does not list matches anything. The fields are the ticket's attributes
 * and its Jira {@code project}, read from its key. The empty condition matches every ticket.
 */
public final class PolicyCondition {
    public static final PolicyCondition ALWAYS = new PolicyCondition(null, Map.of());

    /** Null when {@code project} is not listed. */
    private final FieldCondition project;
    private final Map<Attribute, FieldCondition> fields;
    /** For the hot path: the ordinals of the listed attributes, and their conditions in the same order. */
    private final int[] listed;
    private final FieldCondition[] conditions;

    private PolicyCondition(FieldCondition project, Map<Attribute, FieldCondition> fields) {
        this.project = project;
        this.fields = fields;
        this.listed = new int[fields.size()];
        this.conditions = new FieldCondition[fields.size()];
        int i = 0;
        for (Attribute a : Attribute.values()) {
            if (fields.containsKey(a)) {
                listed[i] = a.ordinal();
                conditions[i++] = fields.get(a);
            }
        }
    }

    /** @param project the condition on the ticket's Jira project, null for none */
    public static PolicyCondition of(FieldCondition project, Map<Attribute, FieldCondition> fields) {
        EnumMap<Attribute, FieldCondition> copy = new EnumMap<>(Attribute.class);
        fields.forEach((attribute, condition) -> copy.put(Objects.requireNonNull(attribute),
                Objects.requireNonNull(condition)));
        return project == null && copy.isEmpty() ? ALWAYS : new PolicyCondition(project, Collections.unmodifiableMap(copy));
    }

    /**
     * The project of a ticket key: the part of a Jira key before its number ({@code jira:ENG-42} is {@code ENG}),
     * or null for keys of other shapes.
     */
    public static String projectOf(String ticket) {
        int colon = ticket.indexOf(':');
        int dash = ticket.lastIndexOf('-');
        if (colon < 0 || dash <= colon + 1 || dash == ticket.length() - 1) {
            return null;
        }
        for (int i = dash + 1; i < ticket.length(); i++) {
            if (!Character.isDigit(ticket.charAt(i))) {
                return null;
            }
        }
        return ticket.substring(colon + 1, dash);
    }

    /**
     * @param project      the ticket's project ({@link #projectOf}), null when it has none
     * @param ticketValues the ticket's attribute values, indexed by {@link Attribute#ordinal()}; null where unset
     */
    public boolean matches(String project, String[] ticketValues) {
        if (this.project != null && !this.project.matches(project)) {
            return false;
        }
        for (int i = 0; i < listed.length; i++) {
            if (!conditions[i].matches(ticketValues[listed[i]])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether no ticket can match both this and {@code other}: some field is listed on both and no value matches
     * both ({@link FieldCondition#excludes}). What lets an OLA give a link, which has no direction on the wire, its
     * engineering side.
     */
    public boolean excludes(PolicyCondition other) {
        if (project != null && other.project != null && project.excludes(other.project)) {
            return true;
        }
        return fields.entrySet().stream().anyMatch(e -> {
            FieldCondition theirs = other.fields.get(e.getKey());
            return theirs != null && e.getValue().excludes(theirs);
        });
    }

    /** The condition on the ticket's Jira project, or null when {@code project} is not listed. */
    public FieldCondition project() {
        return project;
    }

    /** The listed attributes and their conditions. */
    public Map<Attribute, FieldCondition> fields() {
        return fields;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyCondition other && Objects.equals(other.project, project) && other.fields.equals(fields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(project, fields);
    }

    @Override
    public String toString() {
        if (this == ALWAYS) {
            return "always";
        }
        Map<String, FieldCondition> byName = new LinkedHashMap<>();
        if (project != null) {
            byName.put("project", project);
        }
        fields.forEach((a, c) -> byName.put(a.wireName(), c));
        return byName.toString();
    }
}
