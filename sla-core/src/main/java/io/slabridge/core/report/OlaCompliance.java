package io.slabridge.core.report;

import io.slabridge.core.fold.OlaFold;
import io.slabridge.core.model.CycleStatus;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.MetricCycle;
import io.slabridge.core.model.OlaCycle;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.policy.PolicyCondition;
import io.slabridge.core.policy.PolicySet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * OLA compliance for a report's period (SLA-SPEC section 7): per OLA and per engineering project, the OLA cycles
 * met and breached; the OLA breaches; and the customer SLA breaches that had a linked OLA, split into those whose OLA
 * was breached first (support let down by the handoff) and those breached with the OLA met or still in time.
 *
 * <p>Decided as the SLA figures are: met at the stop, breached the second after the due instant. An OLA cycle
 * met because the link was removed ({@code stopped_by: unlinked}) is <b>withdrawn</b>: counted apart, neither
 * met nor breached.
 *
 * @param byOla            rows by OLA name, then metric
 * @param byProject        rows by engineering project (null: tickets without one, last), then metric
 * @param breaches         the OLA cycles breached in the period, the latest first (as the SLA breaches)
 * @param customerBreaches the customer SLA breaches decided in the period that had a linked OLA, by ticket, metric
 *                         and cycle
 */
public record OlaCompliance(List<Row> byOla, List<Row> byProject, List<Breach> breaches,
        List<CustomerBreach> customerBreaches) {
    public OlaCompliance {
        byOla = List.copyOf(byOla);
        byProject = List.copyOf(byProject);
        breaches = List.copyOf(breaches);
        customerBreaches = List.copyOf(customerBreaches);
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
     * One breached OLA cycle, as {@link ComplianceReport.Breach} is one breached SLA cycle.
     *
     * @param stoppedAt           null while the cycle is open
     * @param lateBusinessSeconds elapsed minus target (0 when the OLA was breached by its {@code within_customer}
     *                            cap before its own target)
     * @param lateCalendarSeconds the stop (or the evaluation instant, while open) minus the due instant
     */
    public record Breach(String engineering, String customer, String ola, Metric metric, int cycle, long targetSeconds,
            Instant dueAt, Instant stoppedAt, long lateBusinessSeconds, long lateCalendarSeconds) {
    }

    /**
     * A customer SLA breach with a linked OLA of the same metric started before it.
     *
     * @param engineering      the engineering tickets of those OLAs, in key order
     * @param olaBreachedFirst true when one of them was breached at or before the customer's breach
     */
    public record CustomerBreach(String ticket, Metric metric, int cycle, List<String> engineering,
            boolean olaBreachedFirst) {
        public CustomerBreach {
            engineering = List.copyOf(engineering);
        }
    }

    /** Customer breaches whose linked OLA was breached at or before them: support let down by the handoff. */
    public long customerBreachesOlaFirst() {
        return customerBreaches.stream().filter(CustomerBreach::olaBreachedFirst).count();
    }

    /** Customer breaches whose linked OLAs were met or still in time by then. */
    public long customerBreachesOlaMet() {
        return customerBreaches.size() - customerBreachesOlaFirst();
    }

    /** The customer breach of this ticket, metric and cycle, if it had a linked OLA. */
    public java.util.Optional<CustomerBreach> customerBreach(String ticket, Metric metric, int cycle) {
        return customerBreaches.stream().filter(b -> b.ticket().equals(ticket) && b.metric() == metric
                && b.cycle() == cycle).findFirst();
    }

    /**
     * OLA compliance from the linked tickets' events, folded by {@link OlaFold} at {@code evaluatedAt}: how
     * {@code report} computes it from replay input and from the store alike.
     *
     * @param linkedEvents   the events of every ticket that was ever linked (both sides of every pair); more tickets
     *                       do no harm
     * @param customerCycles the SLA cycles of (at least) those tickets, by ticket
     */
    public static OlaCompliance fold(PolicySet policies, Map<String, List<TicketEvent>> linkedEvents,
            Map<String, List<MetricCycle>> customerCycles, ReportPeriod period, long evaluatedAt) {
        OlaFold.Result olas = OlaFold.of(policies).fold(linkedEvents, evaluatedAt);
        return of(olas.cycles(), customerCycles, period, evaluatedAt);
    }

    /**
     * @param olaCycles      every OLA cycle, as {@code OlaFold} gives them at {@code evaluatedAt}
     * @param customerCycles the SLA cycles of the customer tickets named in {@code olaCycles}, by ticket (others are
     *                       ignored)
     */
    public static OlaCompliance of(List<OlaCycle> olaCycles, Map<String, List<MetricCycle>> customerCycles,
            ReportPeriod period, long evaluatedAt) {
        Map<String, long[]> byOla = new TreeMap<>();
        Map<String, long[]> byProject = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
        List<Breach> breaches = new ArrayList<>();
        for (OlaCycle c : olaCycles) {
            int outcome = outcome(c, period, evaluatedAt);
            if (outcome < 0) {
                continue;
            }
            count(byOla, c.ola() + "\u0000" + c.metric().ordinal(), outcome);
            String project = PolicyCondition.projectOf(c.engineering());
            count(byProject, (project == null ? "\uffff" : project) + "\u0000" + c.metric().ordinal(), outcome);
            if (outcome == 1) {
                long endedAt = c.isStopped() ? c.stoppedAt() : evaluatedAt;
                breaches.add(new Breach(c.engineering(), c.customer(), c.ola(), c.metric(), c.cycle(), c.targetSeconds(),
                        Instant.ofEpochSecond(c.dueAt()), c.isStopped() ? Instant.ofEpochSecond(c.stoppedAt()) : null,
                        Math.max(0, c.elapsedSeconds() - c.targetSeconds()), endedAt - c.dueAt()));
            }
        }
        breaches.sort(Comparator.comparingLong(Breach::lateBusinessSeconds).reversed()
                .thenComparing(Comparator.comparingLong(Breach::lateCalendarSeconds).reversed())
                .thenComparing(Breach::engineering).thenComparing(Breach::customer).thenComparing(Breach::ola)
                .thenComparing(Breach::metric).thenComparingInt(Breach::cycle));
        List<CustomerBreach> customerBreaches = new ArrayList<>();
        for (Map.Entry<String, List<MetricCycle>> e : new TreeMap<>(customerCycles).entrySet()) {
            for (MetricCycle customer : e.getValue()) {
                long breachAt = breachInstant(customer.status(), customer.isStopped(), customer.dueAtEpochSecond(),
                        evaluatedAt);
                if (breachAt == MetricCycle.NONE || !period.contains(breachAt, evaluatedAt)) {
                    continue;
                }
                TreeSet<String> engineering = new TreeSet<>();
                boolean olaBreachedFirst = false;
                for (OlaCycle ola : olaCycles) {
                    if (!ola.customer().equals(e.getKey()) || ola.metric() != customer.metric()
                            || ola.startedAt() >= breachAt) {
                        continue;
                    }
                    engineering.add(ola.engineering());
                    long olaBreach = breachInstant(ola.status(), ola.isStopped(), ola.dueAt(), evaluatedAt);
                    olaBreachedFirst |= olaBreach != MetricCycle.NONE && olaBreach <= breachAt;
                }
                if (!engineering.isEmpty()) {
                    customerBreaches.add(new CustomerBreach(e.getKey(), customer.metric(), customer.cycle(),
                            List.copyOf(engineering), olaBreachedFirst));
                }
            }
        }
        return new OlaCompliance(rows(byOla, false), rows(byProject, true), breaches, customerBreaches);
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
