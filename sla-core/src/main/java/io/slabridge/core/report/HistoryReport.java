package io.slabridge.core.report;

import io.slabridge.core.fold.OlaFold;
import io.slabridge.core.fold.TicketFold;
import io.slabridge.core.io.TicketHistories;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketSla;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** A compliance report from {@code replay} input: a ticket history folded against a policy. */
public final class HistoryReport {
    /** Tickets folded per parallel batch: results are added in between, so they never pile up. */
    private static final int BATCH = 8192;

    private HistoryReport() {
    }

    /**
     * Folds every ticket (in parallel) at the evaluation instant and reports on the cycles.
     *
     * @param histories as {@code Replay.read} gives them: without problems
     * @param at        the evaluation instant; null: the latest event's {@code at} (or {@code fallback} when
     *                  there is no event)
     */
    public static ComplianceReport of(TicketFold fold, TicketHistories histories, Instant at, Instant fallback,
            ReportPeriod period, List<Dimension> by) {
        Objects.requireNonNull(fold, "fold");
        if (!histories.problems().isEmpty()) {
            throw new IllegalArgumentException("histories with problems cannot be reported on");
        }
        Instant evaluatedAt = at != null ? at : histories.latestAt().orElse(Objects.requireNonNull(fallback, "fallback"));
        long evalSecond = evaluatedAt.getEpochSecond();
        ComplianceReport.Builder report = ComplianceReport.builder(evaluatedAt, period, by);
        String[] tickets = histories.byTicket().keySet().toArray(new String[0]);
        Arrays.sort(tickets); // a fixed order, so that equal reports come out equal
        // The OLA cycles first, so that the customer tickets' SLA cycles can be kept as they are folded.
        OlaFold.Result olas = fold.policies().olas().isEmpty() ? null
                : OlaFold.of(fold.policies()).fold(histories.byTicket(), evalSecond);
        java.util.Map<String, List<io.slabridge.core.model.MetricCycle>> customerCycles = new java.util.HashMap<>();
        if (olas != null) {
            olas.cycles().forEach(c -> customerCycles.put(c.customer(), List.of()));
        }
        for (int from = 0; from < tickets.length; from += BATCH) {
            Folded[] batch = Arrays.stream(tickets, from, Math.min(from + BATCH, tickets.length)).parallel()
                    .map(t -> {
                        List<TicketEvent> events = histories.byTicket().get(t);
                        return new Folded(fold.foldDistinct(t, events, evalSecond), AttributeTimeline.ofDistinct(events));
                    })
                    .toArray(Folded[]::new);
            for (Folded f : batch) {
                report.add(f.sla.cycles(), f.attributes);
                if (customerCycles.containsKey(f.sla.ticket())) {
                    customerCycles.put(f.sla.ticket(), f.sla.cycles());
                }
            }
        }
        ComplianceReport built = report.build();
        return olas == null ? built
                : built.withOlas(OlaCompliance.of(olas.cycles(), customerCycles, period, evalSecond));
    }

    private record Folded(TicketSla sla, AttributeTimeline attributes) {
    }
}
