package io.slabridge.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * An escalation step whose threshold a cycle has reached by the evaluation instant. Whether it was already
 * acted on is the runtime's business (it records each (ticket, metric, cycle, step) it has done).
 */
public record EscalationDue(String ticket, Metric metric, int cycle, String step, Instant reachedAt) {
    public EscalationDue {
        Objects.requireNonNull(ticket, "ticket");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(reachedAt, "reachedAt");
        if (cycle < 1) {
            throw new IllegalArgumentException("cycle numbers start at 1");
        }
    }

    /** The key under which the runtime records the step as done: {@code jira:SUP-1/first_response/1/warn}. */
    public String key() {
        return ticket + "/" + metric.wireName() + "/" + cycle + "/" + step;
    }
}
