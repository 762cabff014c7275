package io.slabridge.core.policy;

import io.slabridge.core.escalation.EscalationAction;
import io.slabridge.core.escalation.EscalationStep;
import io.slabridge.core.model.LinkSide;
import java.util.Objects;

/**
 * An escalation step of an OLA (SLA-SPEC 7.2): a step of the usual shape, and the ticket of the pair its actions
 * land on.
 */
public record OlaStep(EscalationStep step, LinkSide on) {
    public OlaStep {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(on, "on");
        for (EscalationAction a : step.actions()) {
            if (a instanceof EscalationAction.SetPriority || a instanceof EscalationAction.Assign) {
                throw new IllegalArgumentException("OLA step '" + step.name() + "' can only comment, notify, or alert "
                        + "on Slack or Teams");
            }
        }
    }

    public String name() {
        return step.name();
    }
}
