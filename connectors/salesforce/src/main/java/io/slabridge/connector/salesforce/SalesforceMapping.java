package io.slabridge.connector.salesforce;

import io.slabridge.connector.api.TicketMapping;

/**
 * Salesforce's Case Status and Priority values as ticket statuses and priorities. The defaults (the standard Case
 * picklists) and {@code sla.salesforce.status.*} / {@code sla.salesforce.priority.*} over them come with
 * {@link SalesforceConfig}; values are compared by {@link SalesforceConfig#nameKey} ({@code -} and {@code _} read as
 * spaces).
 */
final class SalesforceMapping {
    private SalesforceMapping() {
    }

    static TicketMapping of(SalesforceConfig config) {
        return TicketMapping.builder(SalesforceConfig::nameKey).statuses(config.statusByName())
                .priorities(config.priorityByName()).priorityNames(config.salesforcePriorityNames())
                .defaultPriority(config.defaultPriority()).build();
    }
}
