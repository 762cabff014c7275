package io.slabridge.core.store;

import io.slabridge.core.model.EscalationDue;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The escalation steps already done, inside a ticket transaction: what must not repeat when a ticket is refolded.
 */
public interface EscalationRecord {
    /** Per ticket, the keys ({@link EscalationDue#key()}) of its escalation steps already done; absent: none. */
    Map<String, Set<String>> stepsDone(Collection<String> tickets);

    /** Records the steps as done (one batch of inserts); a step already recorded is left as it is. */
    void markStepsDone(List<EscalationDue> steps, Instant now);
}
