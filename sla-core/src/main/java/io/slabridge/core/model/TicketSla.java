package io.slabridge.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the fold says about one ticket at one evaluation instant: its cycles, the summary agents
 * see, and the next instant at which it needs attention again (a warning threshold or a due instant),
 * so that a scheduler can wake exactly then instead of scanning.
 */
public final class TicketSla {
    private final String ticket;
    private final long evaluatedAt;
    private final List<MetricCycle> cycles;
    private final SummaryState summary;
    private final long earliestDueAt;
    private final long nextAttentionAt;
    private final List<EscalationDue> escalationsDue;

    private TicketSla(String ticket, long evaluatedAt, List<MetricCycle> cycles, SummaryState summary,
            long earliestDueAt, long nextAttentionAt, List<EscalationDue> escalationsDue) {
        this.ticket = ticket;
        this.escalationsDue = escalationsDue;
        this.evaluatedAt = evaluatedAt;
        this.cycles = cycles;
        this.summary = summary;
        this.earliestDueAt = earliestDueAt;
        this.nextAttentionAt = nextAttentionAt;
    }

    /**
     * Derives the summary, the earliest due instant and the next attention instant from the cycles.
     *
     * @param cycles sorted by metric, then cycle number
     */
    public static TicketSla of(String ticket, long evaluatedAt, List<MetricCycle> cycles) {
        return of(ticket, evaluatedAt, cycles, List.of(), MetricCycle.NONE);
    }

    /**
     * @param escalationsDue escalation steps reached by the evaluation instant on cycles that have not stopped
     * @param nextStepAt     the next instant an escalation step will be reached, or {@link MetricCycle#NONE}
     */
    public static TicketSla of(String ticket, long evaluatedAt, List<MetricCycle> cycles,
            List<EscalationDue> escalationsDue, long nextStepAt) {
        Objects.requireNonNull(ticket, "ticket");
        List<MetricCycle> copy = List.copyOf(cycles);
        long earliestDue = MetricCycle.NONE;
        long nextAttention = MetricCycle.NONE;
        boolean breachedRunning = false;
        boolean atRisk = false;
        boolean paused = false;
        boolean running = false;
        boolean anyBreached = false;
        for (MetricCycle c : copy) {
            if (!c.ticket().equals(ticket)) {
                throw new IllegalArgumentException("cycle of " + c.ticket() + " given for " + ticket);
            }
            anyBreached |= c.status() == CycleStatus.BREACHED;
            if (c.isStopped()) {
                continue;
            }
            breachedRunning |= c.status() == CycleStatus.BREACHED;
            atRisk |= c.atRisk();
            paused |= c.status() == CycleStatus.PAUSED;
            running |= c.status() == CycleStatus.RUNNING;
            long due = c.dueAtEpochSecond();
            if (due != MetricCycle.NONE) {
                earliestDue = earliestDue == MetricCycle.NONE ? due : Math.min(earliestDue, due);
                if (due >= evaluatedAt && c.status() == CycleStatus.RUNNING) {
                    // The breach is the second after the due instant: at the due instant itself nothing changes.
                    nextAttention = min(nextAttention, due + 1);
                }
            }
            nextAttention = min(nextAttention, c.nextWarningAtEpochSecond());
        }
        SummaryState summary;
        if (breachedRunning) {
            summary = SummaryState.BREACHED;
        } else if (atRisk) {
            summary = SummaryState.AT_RISK;
        } else if (paused) {
            summary = SummaryState.PAUSED;
        } else if (running) {
            summary = SummaryState.ON_TRACK;
        } else if (copy.isEmpty()) {
            summary = SummaryState.NONE;
        } else {
            summary = anyBreached ? SummaryState.BREACHED : SummaryState.MET;
        }
        return new TicketSla(ticket, evaluatedAt, copy, summary, earliestDue, min(nextAttention, nextStepAt),
                List.copyOf(escalationsDue));
    }

    private static long min(long a, long b) {
        if (a == MetricCycle.NONE) {
            return b;
        }
        return b == MetricCycle.NONE ? a : Math.min(a, b);
    }

    public String ticket() {
        return ticket;
    }

    public Instant evaluatedAt() {
        return Instant.ofEpochSecond(evaluatedAt);
    }

    /** Sorted by metric, then cycle number. */
    public List<MetricCycle> cycles() {
        return cycles;
    }

    public SummaryState summary() {
        return summary;
    }

    /** The earliest due instant among cycles that have not stopped. */
    public Optional<Instant> earliestDueAt() {
        return earliestDueAt == MetricCycle.NONE ? Optional.empty() : Optional.of(Instant.ofEpochSecond(earliestDueAt));
    }

    /**
     * The next instant after the evaluation instant at which a warning threshold, a breach (the second after a
     * due instant) or an escalation step is reached on a running cycle; empty when only a new event can change
     * the ticket's state. A scheduler that wakes then finds something to do.
     */
    public Optional<Instant> nextAttentionAt() {
        return nextAttentionAt == MetricCycle.NONE ? Optional.empty()
                : Optional.of(Instant.ofEpochSecond(nextAttentionAt));
    }

    /** Escalation steps reached by the evaluation instant on cycles that have not stopped, done or not. */
    public List<EscalationDue> escalationsDue() {
        return escalationsDue;
    }

    public long nextAttentionAtEpochSecond() {
        return nextAttentionAt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TicketSla && ((TicketSla) o).ticket.equals(ticket)
                && ((TicketSla) o).evaluatedAt == evaluatedAt && ((TicketSla) o).cycles.equals(cycles);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ticket, evaluatedAt, cycles);
    }

    @Override
    public String toString() {
        return ticket + " " + summary.label() + " " + cycles;
    }
}
