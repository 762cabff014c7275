package io.slabridge.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One cycle of one metric of one ticket, as it stands at an evaluation instant (SLA-SPEC section 5).
 *
 * <p>Instants are whole epoch seconds; {@link #NONE} stands for "no instant" in the {@code long}
 * accessors, and the {@code Optional} accessors say the same in {@code java.time} terms.
 */
public final class MetricCycle {
    /** The "no instant" value of the epoch-second accessors. */
    public static final long NONE = Long.MIN_VALUE;

    private final String ticket;
    private final Metric metric;
    private final int cycle;
    private final String policy;
    private final String calendar;
    private final long targetSeconds;
    private final long startedAt;
    private final long dueAt;
    private final long stoppedAt;
    private final CycleStatus status;
    private final long elapsedSeconds;
    private final boolean atRisk;
    private final long nextWarningAt;

    private MetricCycle(String ticket, Metric metric, int cycle, String policy, String calendar, long targetSeconds,
            long startedAt, long dueAt, long stoppedAt, CycleStatus status, long elapsedSeconds, boolean atRisk,
            long nextWarningAt) {
        this.ticket = ticket;
        this.metric = metric;
        this.cycle = cycle;
        this.policy = policy;
        this.calendar = calendar;
        this.targetSeconds = targetSeconds;
        this.startedAt = startedAt;
        this.dueAt = dueAt;
        this.stoppedAt = stoppedAt;
        this.status = status;
        this.elapsedSeconds = elapsedSeconds;
        this.atRisk = atRisk;
        this.nextWarningAt = nextWarningAt;
    }

    /**
     * @param dueAt         {@link #NONE} only while paused with the target not reached
     * @param stoppedAt     {@link #NONE} while not stopped
     * @param nextWarningAt the next instant a warning threshold will be reached, {@link #NONE} when none is ahead
     */
    public static MetricCycle of(String ticket, Metric metric, int cycle, String policy, String calendar,
            long targetSeconds, long startedAt, long dueAt, long stoppedAt, CycleStatus status, long elapsedSeconds,
            boolean atRisk, long nextWarningAt) {
        Objects.requireNonNull(ticket, "ticket");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(calendar, "calendar");
        Objects.requireNonNull(status, "status");
        if (cycle < 1) {
            throw new IllegalArgumentException("cycle numbers start at 1, got " + cycle);
        }
        if (targetSeconds <= 0) {
            throw new IllegalArgumentException("target must be positive, got " + targetSeconds);
        }
        if (startedAt == NONE) {
            throw new IllegalArgumentException("a cycle has a start");
        }
        if (dueAt == NONE && status != CycleStatus.PAUSED) {
            throw new IllegalArgumentException("only a paused cycle may lack a due instant");
        }
        if (stoppedAt != NONE && status != CycleStatus.MET && status != CycleStatus.BREACHED) {
            throw new IllegalArgumentException("a stopped cycle is met or breached, not " + status.wireName());
        }
        if (stoppedAt == NONE && status == CycleStatus.MET) {
            throw new IllegalArgumentException("a cycle is met only once it has stopped");
        }
        return new MetricCycle(ticket, metric, cycle, policy, calendar, targetSeconds, startedAt, dueAt, stoppedAt,
                status, elapsedSeconds, atRisk, nextWarningAt);
    }

    public String ticket() {
        return ticket;
    }

    public Metric metric() {
        return metric;
    }

    /** 1-based, in start order, per ticket and metric. */
    public int cycle() {
        return cycle;
    }

    /** The winning policy's name. */
    public String policy() {
        return policy;
    }

    /** The winning policy's calendar name. */
    public String calendar() {
        return calendar;
    }

    public long targetSeconds() {
        return targetSeconds;
    }

    public long startedAtEpochSecond() {
        return startedAt;
    }

    public long dueAtEpochSecond() {
        return dueAt;
    }

    public long stoppedAtEpochSecond() {
        return stoppedAt;
    }

    public long nextWarningAtEpochSecond() {
        return nextWarningAt;
    }

    public Instant startedAt() {
        return Instant.ofEpochSecond(startedAt);
    }

    public Optional<Instant> dueAt() {
        return dueAt == NONE ? Optional.empty() : Optional.of(Instant.ofEpochSecond(dueAt));
    }

    public Optional<Instant> stoppedAt() {
        return stoppedAt == NONE ? Optional.empty() : Optional.of(Instant.ofEpochSecond(stoppedAt));
    }

    /** When the next warning threshold will be crossed, if the cycle is running towards one. */
    public Optional<Instant> nextWarningAt() {
        return nextWarningAt == NONE ? Optional.empty() : Optional.of(Instant.ofEpochSecond(nextWarningAt));
    }

    public CycleStatus status() {
        return status;
    }

    public boolean isStopped() {
        return stoppedAt != NONE;
    }

    /** Counted business seconds between start and stop (or the evaluation instant), pauses excluded. */
    public long elapsedSeconds() {
        return elapsedSeconds;
    }

    /** Target minus elapsed: negative once business time has passed the target. */
    public long remainingSeconds() {
        return targetSeconds - elapsedSeconds;
    }

    /** Not stopped, not breached, and past a warning threshold. */
    public boolean atRisk() {
        return atRisk;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MetricCycle)) {
            return false;
        }
        MetricCycle c = (MetricCycle) o;
        return cycle == c.cycle && targetSeconds == c.targetSeconds && startedAt == c.startedAt && dueAt == c.dueAt
                && stoppedAt == c.stoppedAt && elapsedSeconds == c.elapsedSeconds && atRisk == c.atRisk
                && nextWarningAt == c.nextWarningAt && ticket.equals(c.ticket) && metric == c.metric
                && policy.equals(c.policy) && calendar.equals(c.calendar) && status == c.status;
    }

    @Override
    public int hashCode() {
        return Objects.hash(ticket, metric, cycle, dueAt, stoppedAt, status, elapsedSeconds);
    }

    @Override
    public String toString() {
        return ticket + " " + metric.wireName() + "#" + cycle + " " + status.wireName() + " policy=" + policy
                + " due=" + (dueAt == NONE ? "-" : Instant.ofEpochSecond(dueAt)) + " elapsed=" + elapsedSeconds
                + "/" + targetSeconds + (atRisk ? " at-risk" : "");
    }
}
