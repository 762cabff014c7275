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

    /**
     * The keys ({@link io.slabridge.core.model.OlaEscalationDue#key()}) of the OLA escalation steps already done for
     * pairs whose engineering ticket is one of {@code engineeringTickets}.
     */
    Set<String> olaStepsDone(Collection<String> engineeringTickets);

    /** Records the OLA steps as done (one batch of inserts); a step already recorded is left as it is. */
    void markOlaStepsDone(List<io.slabridge.core.model.OlaEscalationDue> steps, Instant now);
}
