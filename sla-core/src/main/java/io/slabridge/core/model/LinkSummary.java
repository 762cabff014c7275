package io.slabridge.core.model;

import java.util.Objects;

/**
 * What an engineering ticket carries for the customers it serves (SLA-SPEC 7.6, case 7): how many linked customer
 * tickets are waiting (linked at the evaluation instant and not resolved) and the most urgent due among their
 * running SLA cycles.
 *
 * @param mostUrgentCustomer      the waiting customer ticket with the earliest due, or null when none has a due
 * @param mostUrgentCustomerDueAt its due instant in epoch seconds, or {@link MetricCycle#NONE}
 * @param account                 that customer ticket's account at the evaluation instant, or null
 * @param tier                    that customer ticket's tier at the evaluation instant, or null
 */
public record LinkSummary(String engineering, int customersWaiting, String mostUrgentCustomer,
        long mostUrgentCustomerDueAt, String account, String tier) {
    public LinkSummary {
        Objects.requireNonNull(engineering, "engineering");
        if (customersWaiting < 0) {
            throw new IllegalArgumentException("customersWaiting must not be negative");
        }
    }
}
