package io.slabridge.core.report;

import io.slabridge.core.model.CycleStatus;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.MetricCycle;
import io.slabridge.core.model.OlaCycle;
import io.slabridge.core.policy.PolicyCondition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * OLA compliance for a report's period (SLA-SPEC section 7): per OLA and per engineering project, the OLA cycles
 * met and breached; and the customer SLA breaches that had a linked OLA, split into those whose OLA was breached
 * first (support let down by the handoff) and those breached with the OLA met or still in time.
 *
 * <p>Decided as the SLA figures are: met at the stop, breached the second after the due instant. An OLA cycle
 * met because the link was removed ({@code stopped_by: unlinked}) is <b>withdrawn</b>: counted apart, neither
 * met nor breached.
 *
 * @param byOla                   rows by OLA name, then metric
 * @param byProject               rows by engineering project (null: tickets without one, last), then metric
 * @param customerBreachesOlaFirst customer breaches whose linked OLA of the same metric was breached at or before them
 * @param customerBreachesOlaMet   customer breaches whose linked OLAs of the metric were not breached by then
 */
public record OlaCompliance(List<Row> byOla, List<Row> byProject, long customerBreachesOlaFirst,
        long customerBreachesOlaMet) {
    public OlaCompliance {
        byOla = List.copyOf(byOla);
        byProject = List.copyOf(byProject);
    }

    /** The figures of one OLA (or engineering project) and metric. */
    public record Row(String group, Metric metric, long met, long breached, long withdrawn) {
        public Row {
            Objects.requireNonNull(metric, "metric");
        }

        /** Met as a percentage of met and breached, in tenths of a percent rounded half up; -1 when none. */
        public long metPermille() {
            long decided = met + breached;
            return decided == 0 ? -1 : (met * 2000 + decided) / (2 * decided);
        }
    }

    /**
     * @param olaCycles      every OLA cycle, as {@code OlaFold} gives them at {@code evaluatedAt}
     * @param customerCycles the SLA cycles of the customer tickets named in {@code olaCycles}, by ticket
     */
    public static OlaCompliance of(List<OlaCycle> olaCycles, Map<String, List<MetricCycle>> customerCycles,
            ReportPeriod period, long evaluatedAt) {
        Map<String, long[]> byOla = new TreeMap<>();
        Map<String, long[]> byProject = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
        for (OlaCycle c : olaCycles) {
            int outcome = outcome(c, period, evaluatedAt);
            if (outcome < 0) {
                continue;
            }
            count(byOla, c.ola() + "\u0000" + c.metric().ordinal(), outcome);
            String project = PolicyCondition.projectOf(c.engineering());
            count(byProject, (project == null ? "\uffff" : project) + "\u0000" + c.metric().ordinal(), outcome);
        }
        long olaFirst = 0;
        long olaMet = 0;
        for (Map.Entry<String, List<MetricCycle>> e : customerCycles.entrySet()) {
            for (MetricCycle customer : e.getValue()) {
                long breachAt = breachInstant(customer.status(), customer.isStopped(), customer.dueAtEpochSecond(),
                        evaluatedAt);
                if (breachAt == MetricCycle.NONE || !period.contains(breachAt, evaluatedAt)) {
                    continue;
                }
                boolean linked = false;
                boolean olaBreachedFirst = false;
                for (OlaCycle ola : olaCycles) {
                    if (!ola.customer().equals(e.getKey()) || ola.metric() != customer.metric()
                            || ola.startedAt() >= breachAt) {
                        continue;
                    }
                    linked = true;
                    long olaBreach = breachInstant(ola.status(), ola.isStopped(), ola.dueAt(), evaluatedAt);
                    olaBreachedFirst |= olaBreach != MetricCycle.NONE && olaBreach <= breachAt;
                }
                if (olaBreachedFirst) {
                    olaFirst++;
                } else if (linked) {
                    olaMet++;
                }
            }
        }
        return new OlaCompliance(rows(byOla, false), rows(byProject, true), olaFirst, olaMet);
    }

    /** 0 met, 1 breached, 2 withdrawn, decided in the period; -1 when not decided in it. */
    private static int outcome(OlaCycle c, ReportPeriod period, long evaluatedAt) {
        long breachAt = breachInstant(c.status(), c.isStopped(), c.dueAt(), evaluatedAt);
        if (breachAt != MetricCycle.NONE) {
            return period.contains(breachAt, evaluatedAt) ? 1 : -1;
        }
        if (!c.isStopped() || !period.contains(c.stoppedAt(), evaluatedAt)) {
            return -1;
        }
        return c.stoppedBy() == OlaCycle.StopCause.UNLINKED ? 2 : 0;
    }

    /** The second after the due instant of a breached cycle (an open one past its due included), or NONE. */
    private static long breachInstant(CycleStatus status, boolean stopped, long due, long evaluatedAt) {
        boolean breached = status == CycleStatus.BREACHED || (!stopped && due != MetricCycle.NONE && evaluatedAt > due);
        return breached && due != MetricCycle.NONE ? due + 1 : MetricCycle.NONE;
    }

    private static void count(Map<String, long[]> groups, String key, int outcome) {
        groups.computeIfAbsent(key, k -> new long[3])[outcome]++;
    }

    private static List<Row> rows(Map<String, long[]> groups, boolean noneMarker) {
        List<Row> rows = new ArrayList<>();
        groups.forEach((key, n) -> {
            int cut = key.indexOf('\u0000');
            String group = key.substring(0, cut);
            if (noneMarker && group.equals("\uffff")) {
                group = null;
            }
            rows.add(new Row(group, Metric.values()[Integer.parseInt(key.substring(cut + 1))], n[0], n[1], n[2]));
        });
        return rows;
    }
}
