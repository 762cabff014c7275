package io.slabridge.core.report;

import io.slabridge.core.fold.TicketFold;
import io.slabridge.core.model.MetricCycle;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.replay.CycleJsonReader;
import io.slabridge.core.store.StoredTickets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compliance report from the store: each ticket's attributes from its stored events, and its cycles either
 * as the runtime last computed them (with the policy in force then) or refolded from the stored events with a
 * given policy at the evaluation instant. Only reads.
 *
 * <p>Stored cycles are as of the ticket's last fold: one that was open then and whose due instant has passed by
 * the evaluation instant counts as breached, but the business time by which an open breach is late is as of
 * that last fold (the scheduler stops refolding a breached ticket once no escalation step is ahead). Refolding
 * gives it exactly.
 *
 * <p>OLA compliance (SLA-SPEC section 7) is folded from the stored events of the tickets in the link index, with the
 * OLAs of a given policy file at the evaluation instant, as the runtime folds linked pairs; the customer breaches it
 * splits are those of the stored (or refolded) cycles. So the same history gives the same OLA figures as from replay
 * input.
 */
public final class StoreReport {
    /** Tickets read per query. */
    static final int PAGE = 1000;

    private StoreReport() {
    }

    /** From the stored cycles. */
    public static ComplianceReport of(StoredTickets store, Instant evaluatedAt, ReportPeriod period,
            List<Dimension> by) {
        return of(store, null, evaluatedAt, period, by);
    }

    /**
     * @param refold null: the stored cycles; else the fold that recomputes every ticket from its stored events at
     *               the evaluation instant
     * @throws IllegalArgumentException naming the ticket whose stored cycles do not read back
     */
    public static ComplianceReport of(StoredTickets store, TicketFold refold, Instant evaluatedAt, ReportPeriod period,
            List<Dimension> by) {
        return of(store, refold, null, evaluatedAt, period, by);
    }

    /**
     * @param olas the policy file whose OLAs time the linked pairs; null, or one without OLAs: no OLA figures
     */
    public static ComplianceReport of(StoredTickets store, TicketFold refold, PolicySet olas, Instant evaluatedAt,
            ReportPeriod period, List<Dimension> by) {
        ComplianceReport.Builder report = ComplianceReport.builder(evaluatedAt, period, by);
        long evalSecond = evaluatedAt.getEpochSecond();
        boolean withOlas = olas != null && !olas.olas().isEmpty();
        // Only the linked tickets' events and cycles are kept for the OLA fold: links are few, tickets many.
        Set<String> linked = withOlas ? store.ticketsEverLinked() : Set.of();
        Map<String, List<TicketEvent>> linkedEvents = new HashMap<>();
        Map<String, List<MetricCycle>> linkedCycles = new HashMap<>();
        store.forEachTicket(PAGE, t -> {
            List<MetricCycle> cycles;
            if (refold != null) {
                cycles = refold.fold(t.ticket(), t.events(), evalSecond).cycles();
            } else {
                try {
                    cycles = CycleJsonReader.read(t.cycles());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("ticket " + t.ticket() + ": stored cycles do not read back: "
                            + e.getMessage(), e);
                }
            }
            report.add(cycles, AttributeTimeline.of(t.events()));
            if (linked.contains(t.ticket())) {
                linkedEvents.put(t.ticket(), t.events());
                linkedCycles.put(t.ticket(), cycles);
            }
        });
        ComplianceReport built = report.build();
        return withOlas ? built.withOlas(OlaCompliance.fold(olas, linkedEvents, linkedCycles, period, evalSecond))
                : built;
    }
}
