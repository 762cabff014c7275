package io.slabridge.core.policy;

import java.util.Objects;
import java.util.Set;

/**
 * One side of an OLA's {@code when} (SLA-SPEC 7.2): a policy condition over the ticket's attributes, plus the
 * Jira projects it may be in ({@code project}, taken from the ticket key; empty set = any).
 */
public record OlaCondition(PolicyCondition attributes, Set<String> projects) {
    public OlaCondition {
        Objects.requireNonNull(attributes, "attributes");
        projects = Set.copyOf(projects);
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

    /** @param ticketValues the ticket's attributes by {@code Attribute} ordinal; {@code ticket} its key */
    public boolean matches(String ticket, String[] ticketValues) {
        if (!projects.isEmpty()) {
            String project = projectOf(ticket);
            if (project == null || !projects.contains(project)) {
                return false;
            }
        }
        return attributes.matches(ticketValues);
    }

    /**
     * Whether no ticket can match both this and {@code other}: some field is listed on both with no value in
     * common. What lets an OLA give a link, which has no direction on the wire, its engineering side.
     */
    public boolean excludes(OlaCondition other) {
        if (!projects.isEmpty() && !other.projects.isEmpty() && disjoint(projects, other.projects)) {
            return true;
        }
        return attributes.allowed().entrySet().stream().anyMatch(e -> {
            Set<String> theirs = other.attributes.allowed().get(e.getKey());
            return theirs != null && disjoint(e.getValue(), theirs);
        });
    }

    private static boolean disjoint(Set<String> a, Set<String> b) {
        return a.stream().noneMatch(b::contains);
    }
}
