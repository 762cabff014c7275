package io.slabridge.core.report;

import io.slabridge.core.model.CycleStatus;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.MetricCycle;
import io.slabridge.core.model.Priority;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * SLA compliance for a period, from folded tickets: per metric, overall and by the chosen dimensions, how many
 * cycles were met and breached, the percentage met, the times cycles took (median, 80th and 90th percentile),
 * and the list of breaches with how late each was. Immutable; built with {@link #builder}.
 *
 * <p>Which cycles count (the rules of docs/reference/report.md):
 * <ul>
 * <li>A cycle is <b>decided</b> once: <b>met</b> at its stop (stopped at or before its due instant), or
 * <b>breached</b> the second after its due instant, whether it stopped later or is still open. It counts in
 * the compliance figures of the period holding that instant, as Zendesk's and Jira Service Management's SLA
 * reports count an SLA at the moment it was achieved or breached.</li>
 * <li><b>Times</b> are those of cycles that stopped in the period: business time as the SLA counts it
 * (elapsed seconds in the winning policy's calendar, pauses excluded) and calendar time (stop minus start).</li>
 * <li>A cycle's <b>attributes</b> (priority, tier, ...) are the ticket's values when the cycle ended: at its
 * stop, or at the evaluation instant while it is open; the last values the fold chose its policy with.</li>
 * </ul>
 */
public final class ComplianceReport {
    private final Instant evaluatedAt;
    private final ReportPeriod period;
    private final List<Dimension> by;
    private final long tickets;
    private final List<Row> rows;
    private final List<Breach> breaches;
    private final OlaCompliance olas;

    private ComplianceReport(Instant evaluatedAt, ReportPeriod period, List<Dimension> by, long tickets,
            List<Row> rows, List<Breach> breaches, OlaCompliance olas) {
        this.olas = olas;
        this.evaluatedAt = evaluatedAt;
        this.period = period;
        this.by = by;
        this.tickets = tickets;
        this.rows = rows;
        this.breaches = breaches;
    }

    /** OLA compliance (SLA-SPEC section 7) when the policy file has OLAs; empty otherwise. */
    public java.util.Optional<OlaCompliance> olas() {
        return java.util.Optional.ofNullable(olas);
    }

    /** This report with OLA compliance added. */
    public ComplianceReport withOlas(OlaCompliance olaCompliance) {
        return new ComplianceReport(evaluatedAt, period, by, tickets, rows, breaches,
                Objects.requireNonNull(olaCompliance, "olaCompliance"));
    }

    public static Builder builder(Instant evaluatedAt, ReportPeriod period, List<Dimension> by) {
        return new Builder(evaluatedAt, period, by);
    }

    public Instant evaluatedAt() {
        return evaluatedAt;
    }

    public ReportPeriod period() {
        return period;
    }

    /** The dimensions the figures are broken down by, in the order asked for. */
    public List<Dimension> by() {
        return by;
    }

    /** Tickets looked at (all of them, whether or not a cycle of theirs fell in the period). */
    public long tickets() {
        return tickets;
    }

    /**
     * The figures: first the overall rows ({@link Row#dimension()} null), then per dimension of {@link #by()}
     * in that order, each dimension's values in order (priorities from urgent to low, others in string order,
     * no value last); within each, metrics in their order. A metric without any cycle to count is left out.
     */
    public List<Row> rows() {
        return rows;
    }

    /** Every breach decided in the period, the latest first (business time late, then calendar time late). */
    public List<Breach> breaches() {
        return breaches;
    }

    /** The rows of one dimension (null: the overall rows). */
    public List<Row> rows(Dimension dimension) {
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            if (r.dimension() == dimension) {
                out.add(r);
            }
        }
        return out;
    }

    /** The row of a dimension's value and a metric, or null; the overall row with {@code dimension} null. */
    public Row row(Dimension dimension, String value, Metric metric) {
        for (Row r : rows) {
            if (r.dimension() == dimension && Objects.equals(r.value(), value) && r.metric() == metric) {
                return r;
            }
        }
        return null;
    }

    /**
     * The figures of one metric in one group.
     *
     * @param dimension    null for the overall rows
     * @param value        the dimension's value; null for the overall rows and for cycles of tickets without one
     * @param met          cycles met in the period
     * @param breached     cycles breached in the period
     * @param breachedOpen of those, the ones not stopped at the evaluation instant
     * @param openAtEnd    cycles started by the end of the period and neither met nor breached by then
     * @param business     business time of the cycles that stopped in the period
     * @param calendar     calendar time (stop minus start) of the same cycles
     */
    public record Row(Dimension dimension, String value, Metric metric, long met, long breached, long breachedOpen,
            long openAtEnd, Times business, Times calendar) {
        public long decided() {
            return met + breached;
        }

        /** Met as a percentage of decided, in tenths of a percent rounded half up (805 = 80.5%); -1 when none. */
        public long metPermille() {
            long decided = decided();
            return decided == 0 ? -1 : (met * 2000 + decided) / (2 * decided);
        }
    }

    /**
     * Durations of a set of cycles, in seconds: how many, and the median, 80th and 90th percentile (nearest
     * rank, see {@link Percentiles}); the percentiles are -1 when there are none.
     */
    public record Times(long count, long median, long p80, long p90) {
        static final Times NONE = new Times(0, -1, -1, -1);
    }

    /**
     * One breached cycle.
     *
     * @param attributes           the ticket's values when the cycle ended, by dimension (policy excluded); a
     *                             value may be null
     * @param stoppedAt            null while the cycle is open
     * @param lateBusinessSeconds  elapsed minus target: business time past the target (for an open cycle, as of
     *                             its evaluation)
     * @param lateCalendarSeconds  the stop (or the evaluation instant, while open) minus the due instant
     */
    public record Breach(String ticket, Metric metric, int cycle, String policy, long targetSeconds, Instant dueAt,
            Instant stoppedAt, long lateBusinessSeconds, long lateCalendarSeconds, Map<Dimension, String> attributes) {
        public String attribute(Dimension d) {
            return d == Dimension.POLICY ? policy : attributes.get(d);
        }
    }

    /** Collects tickets one at a time (not thread-safe); {@link #build()} computes the figures. */
    public static final class Builder {
        private final Instant evaluatedAt;
        private final long evalSecond;
        private final ReportPeriod period;
        private final List<Dimension> by;
        private final long from;
        private final long to;
        private final long end;
        /** Per group (0: overall, then {@code by}), per metric: the accumulators by value. */
        private final List<List<Map<String, Acc>>> groups = new ArrayList<>();
        private final List<Breach> breaches = new ArrayList<>();
        private long tickets;

        private static final String NO_VALUE = "\u0000";

        Builder(Instant evaluatedAt, ReportPeriod period, List<Dimension> by) {
            this.evaluatedAt = Objects.requireNonNull(evaluatedAt, "evaluatedAt");
            this.evalSecond = evaluatedAt.getEpochSecond();
            this.period = Objects.requireNonNull(period, "period");
            this.by = List.copyOf(new java.util.LinkedHashSet<>(by));
            this.from = period.fromSecond();
            this.to = period.toSecondExclusive(evalSecond);
            this.end = Math.min(to - 1, evalSecond);
            for (int g = 0; g <= this.by.size(); g++) {
                List<Map<String, Acc>> perMetric = new ArrayList<>();
                for (int m = 0; m < Metric.values().length; m++) {
                    perMetric.add(new HashMap<>());
                }
                groups.add(perMetric);
            }
        }

        /**
         * Adds one ticket's cycles.
         *
         * @param cycles     as the fold gives them (or as they were stored): an open cycle whose due instant is
         *                   before the evaluation instant counts as breached even when it says running
         * @param attributes the ticket's attributes over time
         */
        public Builder add(List<MetricCycle> cycles, AttributeTimeline attributes) {
            tickets++;
            for (MetricCycle c : cycles) {
                addCycle(c, attributes);
            }
            return this;
        }

        private void addCycle(MetricCycle c, AttributeTimeline attributes) {
            boolean stopped = c.isStopped();
            long due = c.dueAtEpochSecond();
            boolean breached = c.status() == CycleStatus.BREACHED
                    || (!stopped && due != MetricCycle.NONE && evalSecond > due);
            long decidedAt;
            if (breached) {
                decidedAt = due + 1;
            } else if (stopped) {
                decidedAt = c.stoppedAtEpochSecond();
            } else {
                decidedAt = MetricCycle.NONE;
            }
            boolean decidedIn = decidedAt != MetricCycle.NONE && decidedAt >= from && decidedAt < to;
            boolean stoppedIn = stopped && c.stoppedAtEpochSecond() >= from && c.stoppedAtEpochSecond() < to;
            boolean openAtEnd = c.startedAtEpochSecond() <= end && (decidedAt == MetricCycle.NONE || decidedAt > end);
            if (!decidedIn && !stoppedIn && !openAtEnd) {
                return;
            }
            long endedAt = stopped ? c.stoppedAtEpochSecond() : evalSecond;
            String[] values = new String[by.size()];
            for (int i = 0; i < values.length; i++) {
                Dimension d = by.get(i);
                values[i] = d == Dimension.POLICY ? c.policy() : attributes.valueAt(d.attribute(), endedAt);
            }
            int metric = c.metric().ordinal();
            for (int g = 0; g <= values.length; g++) {
                String value = g == 0 ? NO_VALUE : values[g - 1] == null ? NO_VALUE : values[g - 1];
                Acc acc = groups.get(g).get(metric).computeIfAbsent(value, v -> new Acc());
                if (decidedIn) {
                    if (breached) {
                        acc.breached++;
                        if (!stopped) {
                            acc.breachedOpen++;
                        }
                    } else {
                        acc.met++;
                    }
                }
                if (openAtEnd) {
                    acc.openAtEnd++;
                }
                if (stoppedIn) {
                    acc.business.add(c.elapsedSeconds());
                    acc.calendar.add(c.stoppedAtEpochSecond() - c.startedAtEpochSecond());
                }
            }
            if (breached && decidedIn) {
                Map<Dimension, String> attrs = new EnumMap<>(Dimension.class);
                for (Dimension d : Dimension.values()) {
                    if (d != Dimension.POLICY) {
                        attrs.put(d, attributes.valueAt(d.attribute(), endedAt));
                    }
                }
                breaches.add(new Breach(c.ticket(), c.metric(), c.cycle(), c.policy(), c.targetSeconds(),
                        Instant.ofEpochSecond(due), stopped ? c.stoppedAt().orElseThrow() : null,
                        Math.max(0, c.elapsedSeconds() - c.targetSeconds()), endedAt - due,
                        Collections.unmodifiableMap(attrs)));
            }
        }

        public ComplianceReport build() {
            List<Row> rows = new ArrayList<>();
            for (int g = 0; g < groups.size(); g++) {
                Dimension d = g == 0 ? null : by.get(g - 1);
                List<String> values = new ArrayList<>();
                for (Map<String, Acc> perValue : groups.get(g)) {
                    for (String v : perValue.keySet()) {
                        if (!values.contains(v)) {
                            values.add(v);
                        }
                    }
                }
                values.sort(valueOrder(d));
                for (String v : values) {
                    for (Metric m : Metric.values()) {
                        Acc acc = groups.get(g).get(m.ordinal()).get(v);
                        if (acc != null) {
                            rows.add(new Row(d, v.equals(NO_VALUE) ? null : v, m, acc.met, acc.breached,
                                    acc.breachedOpen, acc.openAtEnd, acc.business.times(), acc.calendar.times()));
                        }
                    }
                }
            }
            List<Breach> sorted = new ArrayList<>(breaches);
            sorted.sort(Comparator.comparingLong(Breach::lateBusinessSeconds).reversed()
                    .thenComparing(Comparator.comparingLong(Breach::lateCalendarSeconds).reversed())
                    .thenComparing(Breach::ticket).thenComparing(Breach::metric).thenComparingInt(Breach::cycle));
            return new ComplianceReport(evaluatedAt, period, by, tickets, Collections.unmodifiableList(rows),
                    Collections.unmodifiableList(sorted), null);
        }

        private static Comparator<String> valueOrder(Dimension d) {
            Comparator<String> named = d == Dimension.PRIORITY
                    ? Comparator.comparing((String v) -> {
                        Priority p = Priority.fromWire(v);
                        return p == null ? Integer.MAX_VALUE : p.ordinal();
                    }).thenComparing(Comparator.naturalOrder())
                    : Comparator.naturalOrder();
            return (a, b) -> {
                boolean noA = a.equals(NO_VALUE);
                boolean noB = b.equals(NO_VALUE);
                if (noA || noB) {
                    return Boolean.compare(noA, noB);
                }
                return named.compare(a, b);
            };
        }
    }

    private static final class Acc {
        long met;
        long breached;
        long breachedOpen;
        long openAtEnd;
        final Durations business = new Durations();
        final Durations calendar = new Durations();
    }

    /** A growing list of durations in seconds. */
    private static final class Durations {
        private long[] values = new long[8];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        Times times() {
            if (size == 0) {
                return Times.NONE;
            }
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            return new Times(size, Percentiles.nearestRank(sorted, 50), Percentiles.nearestRank(sorted, 80),
                    Percentiles.nearestRank(sorted, 90));
        }
    }
}
