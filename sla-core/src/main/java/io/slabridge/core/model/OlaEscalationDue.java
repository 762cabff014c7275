package io.slabridge.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * An OLA escalation step whose threshold an OLA cycle has reached by the evaluation instant (SLA-SPEC 7.2). As
 * for {@link EscalationDue}, whether it was acted on is the runtime's business.
 *
 * @param on the ticket of the pair the step's actions land on
 */
public record OlaEscalationDue(String engineering, String customer, String ola, Metric metric, int cycle, String step,
        LinkSide on, Instant reachedAt) {
    public OlaEscalationDue {
        Objects.requireNonNull(engineering, "engineering");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(ola, "ola");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(on, "on");
        Objects.requireNonNull(reachedAt, "reachedAt");
    }

    /** The ticket the actions land on. */
    public String target() {
        return on == LinkSide.CUSTOMER ? customer : engineering;
    }

    /** The key a runtime records the step as done under: {@code jira:ENG-42/salesforce:500A/ola:eng/first_response/1/warn}. */
    public String key() {
        return engineering + "/" + customer + "/ola:" + ola + "/" + metric.wireName() + "/" + cycle + "/" + step;
    }
}
