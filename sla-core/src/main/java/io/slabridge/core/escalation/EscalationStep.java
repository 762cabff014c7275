package io.slabridge.core.escalation;

import io.slabridge.core.model.Metric;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One rung of the escalation ladder: at a threshold of a cycle's clock, for some metrics (all when none are
 * named), do these actions. A step fires at most once per ticket, metric and cycle, and only on a cycle
 * that has not stopped: a reply that came in time ends the need to escalate.
 *
 * @param name    unique in the file; part of the key that records the step as done, so renaming re-arms it
 * @param metrics the metrics the step applies to; empty means all
 */
public record EscalationStep(String name, StepThreshold at, Set<Metric> metrics, List<EscalationAction> actions) {
    public EscalationStep {
        Objects.requireNonNull(at, "at");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an escalation step needs a name");
        }
        metrics = metrics.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(metrics));
        actions = List.copyOf(actions);
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("escalation step '" + name + "' has no actions");
        }
    }

    public boolean appliesTo(Metric metric) {
        return metrics.isEmpty() || metrics.contains(metric);
    }
}
