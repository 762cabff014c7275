package io.slabridge.connector.jira;

import io.slabridge.connector.api.TicketMapping;
import io.slabridge.core.model.TicketStatus;
import java.util.Locale;
import java.util.Map;

/**
 * Jira's status and priority names as ticket statuses and priorities: the status names of Jira Service Management's
 * and Jira's default workflows and Jira's default priority scheme, with {@code sla.jira.status.*} and
 * {@code sla.jira.priority.*} over them. A status named nowhere reads by its Jira category ({@link JiraEvents}).
 */
final class JiraMapping {
    /** Status names of Jira Service Management's and Jira's default workflows. */
    private static final Map<String, TicketStatus> DEFAULT_STATUSES = Map.ofEntries(
            Map.entry("open", TicketStatus.OPEN), Map.entry("to do", TicketStatus.OPEN),
            Map.entry("waiting for support", TicketStatus.OPEN), Map.entry("reopened", TicketStatus.OPEN),
            Map.entry("in progress", TicketStatus.IN_PROGRESS), Map.entry("work in progress", TicketStatus.IN_PROGRESS),
            Map.entry("escalated", TicketStatus.IN_PROGRESS),
            Map.entry("waiting for customer", TicketStatus.WAITING_ON_CUSTOMER),
            Map.entry("pending", TicketStatus.ON_HOLD), Map.entry("on hold", TicketStatus.ON_HOLD),
            Map.entry("resolved", TicketStatus.RESOLVED), Map.entry("done", TicketStatus.RESOLVED),
            Map.entry("closed", TicketStatus.CLOSED), Map.entry("canceled", TicketStatus.CLOSED),
            Map.entry("cancelled", TicketStatus.CLOSED), Map.entry("declined", TicketStatus.CLOSED));

    private JiraMapping() {
    }

    /** A Jira name as a key: trimmed, lower case. */
    static String key(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }

    /** The defaults with the configured names over them (the priority scheme's defaults come with the config). */
    static TicketMapping of(JiraConfig config) {
        return TicketMapping.builder(JiraMapping::key).statuses(DEFAULT_STATUSES).statuses(config.statusByName())
                .priorities(config.priorityByName()).priorityNames(config.jiraPriorityNames())
                .defaultPriority(config.defaultPriority()).build();
    }
}
