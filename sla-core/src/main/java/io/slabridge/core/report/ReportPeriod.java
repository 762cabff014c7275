package io.slabridge.core.report;

import java.time.Instant;
import java.util.Optional;

/**
 * The instants a report covers: from {@code from} (inclusive) to {@code to} (exclusive). Without {@code from}
 * the period starts with the history; without {@code to} it ends with the evaluation instant (included).
 */
public record ReportPeriod(Instant from, Instant to) {
    public static final ReportPeriod ALL = new ReportPeriod(null, null);

    public ReportPeriod {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("the period is empty: from " + from + " is not before to " + to);
        }
    }

    public Optional<Instant> fromInstant() {
        return Optional.ofNullable(from);
    }

    public Optional<Instant> toInstant() {
        return Optional.ofNullable(to);
    }

    /** The first second in the period. */
    long fromSecond() {
        return from == null ? Long.MIN_VALUE : from.getEpochSecond();
    }

    /** The first second after the period, given the evaluation instant. */
    long toSecondExclusive(long evaluatedAt) {
        return to == null ? evaluatedAt + 1 : to.getEpochSecond();
    }

    boolean contains(long second, long evaluatedAt) {
        return second >= fromSecond() && second < toSecondExclusive(evaluatedAt);
    }
}
