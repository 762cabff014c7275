package io.slabridge.core.report;

import io.slabridge.core.fold.TicketFold;
import io.slabridge.core.model.MetricCycle;
import io.slabridge.core.replay.CycleJsonReader;
import io.slabridge.core.store.StoredTickets;
import java.time.Instant;
import java.util.List;

/**
 * A compliance report from the store: each ticket's attributes from its stored events, and its cycles either
 * as the runtime last computed them (with the policy in force then) or refolded from the stored events with a
 * given policy at the evaluation instant. Only reads.
 *
 * <p>Stored cycles are as of the ticket's last fold: one that was open then and whose due instant has passed by
 * the evaluation instant counts as breached, but the business time by which an open breach is late is as of
 * that last fold (the scheduler stops refolding a breached ticket once no escalation step is ahead). Refolding
 * gives it exactly.
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
        ComplianceReport.Builder report = ComplianceReport.builder(evaluatedAt, period, by);
        long evalSecond = evaluatedAt.getEpochSecond();
        store.forEachTicket(PAGE, t -> {
            if (refold != null) {
                report.add(refold.fold(t.ticket(), t.events(), evalSecond).cycles(), AttributeTimeline.of(t.events()));
                return;
            }
            List<MetricCycle> cycles;
            try {
                cycles = CycleJsonReader.read(t.cycles());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ticket " + t.ticket() + ": stored cycles do not read back: "
                        + e.getMessage(), e);
            }
            report.add(cycles, AttributeTimeline.of(t.events()));
        });
        return report.build();
    }
}
