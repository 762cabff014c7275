package io.slabridge.core.fold;

import io.slabridge.core.calendar.BusinessCalendar;
import io.slabridge.core.escalation.EscalationStep;
import io.slabridge.core.model.Attribute;
import io.slabridge.core.model.CycleStatus;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.LinkSummary;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.MetricCycle;
import io.slabridge.core.model.OlaCycle;
import io.slabridge.core.model.OlaCycle.StopCause;
import io.slabridge.core.model.OlaEscalationDue;
import io.slabridge.core.model.SummaryState;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketSla;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.policy.OlaPolicy;
import io.slabridge.core.policy.OlaStep;
import io.slabridge.core.policy.PolicyCondition;
import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.policy.ReopenMode;
import io.slabridge.core.policy.Selection;
import io.slabridge.core.policy.WarningThreshold;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The OLA fold of SLA-SPEC section 7: every ticket's events, the policy file (its {@code olas:}) and the calendars
 * in; the OLA cycles of every linked pair, the link summaries of the engineering tickets and the OLA escalation
 * steps reached, at an evaluation instant, out. A pure function, like {@link TicketFold}: the same events in any
 * arrival order (at distinct instants), with any repeats, give the same result.
 *
 * <p>Thread-safe: it holds only the immutable {@link PolicySet}.
 */
public final class OlaFold {
    private final PolicySet policies;
    private final TicketFold ticketFold;

    private OlaFold(PolicySet policies) {
        this.policies = policies;
        this.ticketFold = TicketFold.of(policies);
    }

    public static OlaFold of(PolicySet policies) {
        return new OlaFold(Objects.requireNonNull(policies, "policies"));
    }

    /** What the OLA fold gives at one instant. Lists are sorted as replay prints them. */
    /**
     * @param nextAttentionAt the next instant after the evaluation at which a running OLA cycle reaches a warning,
     *                        its breach (the second after its due) or an escalation step; {@link MetricCycle#NONE}
     *                        when only a new event can change anything. A scheduler that wakes then finds work.
     */
    public record Result(List<OlaCycle> cycles, List<LinkSummary> summaries, List<OlaEscalationDue> escalationsDue,
            long nextAttentionAt) {
        static final Result EMPTY = new Result(List.of(), List.of(), List.of(), MetricCycle.NONE);
        /** No OLA cycle, summary or step: the result of a ticket that was never linked. */
        public static final Result NONE = EMPTY;

        public Result {
            cycles = List.copyOf(cycles);
            summaries = List.copyOf(summaries);
            escalationsDue = List.copyOf(escalationsDue);
        }

        /**
         * The OLA cycles serving a customer ticket, what its "linked" fields show: open cycles first, earliest due
         * first (no due last), then the stopped ones; ties by engineering ticket.
         */
        public List<OlaCycle> ofCustomer(String customer) {
            return cycles.stream().filter(c -> c.customer().equals(customer))
                    .sorted(Comparator.comparing(OlaCycle::isStopped)
                            .thenComparingLong(c -> c.dueAt() == MetricCycle.NONE ? Long.MAX_VALUE : c.dueAt())
                            .thenComparing(OlaCycle::engineering))
                    .toList();
        }

        /** The link summary of an engineering ticket, if a customer ticket is linked to it at the instant. */
        public java.util.Optional<LinkSummary> summaryOf(String engineering) {
            return summaries.stream().filter(s -> s.engineering().equals(engineering)).findFirst();
        }

        /**
         * The one-word state of a set of OLA cycles (one pair's, or all of a customer's), by the rule of a ticket's
         * SLA summary (SLA-SPEC section 5): e.g. "ENG-42 At risk".
         */
        public static SummaryState state(List<OlaCycle> of) {
            boolean atRisk = false;
            boolean paused = false;
            boolean running = false;
            boolean anyBreached = false;
            for (OlaCycle c : of) {
                anyBreached |= c.status() == CycleStatus.BREACHED;
                if (c.isStopped()) {
                    continue;
                }
                if (c.status() == CycleStatus.BREACHED) {
                    return SummaryState.BREACHED;
                }
                atRisk |= c.atRisk();
                paused |= c.status() == CycleStatus.PAUSED;
                running |= c.status() == CycleStatus.RUNNING;
            }
            if (atRisk) {
                return SummaryState.AT_RISK;
            }
            if (paused) {
                return SummaryState.PAUSED;
            }
            if (running) {
                return SummaryState.ON_TRACK;
            }
            if (of.isEmpty()) {
                return SummaryState.NONE;
            }
            return anyBreached ? SummaryState.BREACHED : SummaryState.MET;
        }
    }

    public Result fold(Map<String, List<TicketEvent>> byTicket, Instant evaluatedAt) {
        return fold(byTicket, evaluatedAt.getEpochSecond());
    }

    /**
     * @param byTicket    every ticket's events (both tickets of a pair are needed: a pair whose ticket has no
     *                    {@code created} has no OLA); repeated ids after the first are ignored
     * @param evaluatedAt events after this instant are ignored; clocks are read at it
     */
    public Result fold(Map<String, List<TicketEvent>> byTicket, long evaluatedAt) {
        if (policies.olas().isEmpty()) {
            return Result.EMPTY;
        }
        // Only tickets with a link event, and the tickets they name, take part: a large history with few links
        // costs one scan of the event types.
        Set<String> linkedTickets = new HashSet<>();
        byTicket.forEach((ticket, events) -> {
            for (TicketEvent e : events) {
                if (e.type().namesOther()) {
                    linkedTickets.add(ticket);
                    linkedTickets.add(e.other());
                }
            }
        });
        if (linkedTickets.isEmpty()) {
            return Result.EMPTY;
        }
        Map<String, List<TicketEvent>> histories = distinctOrdered(byTicket, linkedTickets, evaluatedAt);
        // The pairs and their link changes, from both sides.
        Map<Pair, List<long[]>> changes = new TreeMap<>();
        histories.forEach((ticket, events) -> {
            for (TicketEvent e : events) {
                if (e.type().namesOther()) {
                    changes.computeIfAbsent(Pair.of(ticket, e.other()), p -> new ArrayList<>())
                            .add(new long[] {e.atEpochSecond(), e.type() == EventType.LINKED ? 1 : 0});
                }
            }
        });
        Map<String, TicketSla> customerCache = new HashMap<>();
        List<OlaCycle> cycles = new ArrayList<>();
        List<OlaEscalationDue> steps = new ArrayList<>();
        Map<String, Set<String>> linkedNow = new TreeMap<>();
        long[] next = {MetricCycle.NONE};
        changes.forEach((pair, pairChanges) -> {
            List<TicketEvent> first = histories.get(pair.first);
            List<TicketEvent> second = histories.get(pair.second);
            if (first == null || second == null) {
                return;
            }
            PairRun run = new PairRun(pair, first, second, periods(pairChanges), evaluatedAt);
            run.walk();
            run.evaluate(histories, customerCache, cycles, steps);
            next[0] = earlier(next[0], run.nextAttention);
            if (run.linkedAtEnd != null) {
                linkedNow.computeIfAbsent(run.linkedAtEnd[0], e -> new HashSet<>()).add(run.linkedAtEnd[1]);
            }
        });
        cycles.sort(Comparator.comparing(OlaCycle::engineering).thenComparing(OlaCycle::customer)
                .thenComparing(OlaCycle::metric).thenComparingInt(OlaCycle::cycle));
        List<LinkSummary> summaries = new ArrayList<>();
        linkedNow.forEach((engineering, customers) -> summaries.add(summary(engineering, customers, histories,
                evaluatedAt, customerCache)));
        return new Result(cycles, summaries, steps, next[0]);
    }

    private static long earlier(long a, long b) {
        if (a == MetricCycle.NONE) {
            return b;
        }
        return b == MetricCycle.NONE ? a : Math.min(a, b);
    }

    /** The named tickets' events, repeats dropped, at or before {@code evaluatedAt}, in apply order. */
    private static Map<String, List<TicketEvent>> distinctOrdered(Map<String, List<TicketEvent>> byTicket,
            Set<String> tickets, long evaluatedAt) {
        Set<String> seen = new HashSet<>();
        Map<String, List<TicketEvent>> out = new HashMap<>(tickets.size() * 2);
        for (String ticket : new java.util.TreeSet<>(tickets)) {
            List<TicketEvent> events = byTicket.get(ticket);
            if (events == null) {
                continue;
            }
            List<TicketEvent> kept = new ArrayList<>(events.size());
            for (TicketEvent e : events) {
                if (e.atEpochSecond() <= evaluatedAt && seen.add(e.id())) {
                    kept.add(e);
                }
            }
            kept.sort(TicketFold.APPLY_ORDER);
            out.put(ticket, kept);
        }
        return out;
    }

    /**
     * The link periods of one pair from its changes ({at, 1 linked / 0 unlinked}). At one instant unlinks apply
     * first, so the pair is linked after that instant if any change there links it; a change to the state the pair
     * is already in does nothing. Each period is {start, end or NONE}.
     */
    private static List<long[]> periods(List<long[]> changes) {
        changes.sort(Comparator.<long[]>comparingLong(c -> c[0]).thenComparingLong(c -> c[1]));
        List<long[]> periods = new ArrayList<>();
        long[] open = null;
        for (int i = 0; i < changes.size(); i++) {
            long at = changes.get(i)[0];
            // The sort puts an instant's links last: its last change is the state the instant leaves.
            while (i + 1 < changes.size() && changes.get(i + 1)[0] == at) {
                i++;
            }
            boolean linked = changes.get(i)[1] == 1;
            if (linked && open == null) {
                open = new long[] {at, CycleClock.NONE};
                periods.add(open);
            } else if (!linked && open != null) {
                open[1] = at;
                open = null;
            }
        }
        return periods;
    }

    private LinkSummary summary(String engineering, Set<String> customers, Map<String, List<TicketEvent>> histories,
            long at, Map<String, TicketSla> cache) {
        int waiting = 0;
        String urgent = null;
        long urgentDue = MetricCycle.NONE;
        for (String customer : new java.util.TreeSet<>(customers)) {
            List<TicketEvent> events = histories.get(customer);
            if (statusAt(events, at).isResolved()) {
                continue;
            }
            waiting++;
            TicketSla sla = customerSla(customer, events, at, cache);
            long due = sla.earliestDueAt().map(Instant::getEpochSecond).orElse(MetricCycle.NONE);
            if (due != MetricCycle.NONE && (urgentDue == MetricCycle.NONE || due < urgentDue)) {
                urgent = customer;
                urgentDue = due;
            }
        }
        String[] attributes = urgent == null ? new String[Attribute.values().length]
                : attributesAt(histories.get(urgent), at);
        return new LinkSummary(engineering, waiting, urgent, urgentDue, attributes[Attribute.ACCOUNT.ordinal()],
                attributes[Attribute.TIER.ordinal()]);
    }

    /** A ticket's attributes after its events at or before {@code at} (events in apply order, from {@code created}). */
    private static String[] attributesAt(List<TicketEvent> events, long at) {
        String[] values = new String[Attribute.values().length];
        boolean created = false;
        for (TicketEvent e : events) {
            if (e.atEpochSecond() > at) {
                break;
            }
            if (e.type() == EventType.CREATED && created) {
                continue; // a second `created` is ignored
            }
            created |= e.type() == EventType.CREATED;
            if (created) {
                for (Attribute a : Attribute.values()) {
                    String v = e.attribute(a);
                    if (v != null) {
                        values[a.ordinal()] = v;
                    }
                }
            }
        }
        return values;
    }

    /** The status after the events at or before {@code at} (events in apply order, from {@code created}). */
    private static TicketStatus statusAt(List<TicketEvent> events, long at) {
        TicketStatus status = null;
        for (TicketEvent e : events) {
            if (e.atEpochSecond() > at) {
                break;
            }
            if (e.type() == EventType.CREATED && status == null) {
                status = e.status();
            } else if (status != null && e.type() == EventType.STATUS_CHANGED) {
                status = e.status();
            }
        }
        return status == null ? TicketStatus.OPEN : status;
    }

    private TicketSla customerSla(String customer, List<TicketEvent> events, long at, Map<String, TicketSla> cache) {
        return cache.computeIfAbsent(customer + "@" + at, k -> ticketFold.foldDistinct(customer, events, at));
    }

    /** An unordered pair of tickets, kept with the lower key first so that both sides' events find it. */
    private record Pair(String first, String second) implements Comparable<Pair> {
        static Pair of(String a, String b) {
            return a.compareTo(b) <= 0 ? new Pair(a, b) : new Pair(b, a);
        }

        @Override
        public int compareTo(Pair o) {
            int c = first.compareTo(o.first);
            return c != 0 ? c : second.compareTo(o.second);
        }
    }

    /** One OLA clock while a pair is walked: the cycle's clock, its winning OLA and what stopped it. */
    private static final class OlaClock {
        final CycleClock clock;
        final int number;
        OlaPolicy ola;
        StopCause stoppedBy;

        OlaClock(CycleClock clock, int number, OlaPolicy ola) {
            this.clock = clock;
            this.number = number;
            this.ola = ola;
        }
    }

    /** The state of one ticket of the pair while the pair's events are walked. */
    private static final class Side {
        final String ticket;
        /** The ticket's Jira project, from its key; null for other sources. */
        final String project;
        final String[] attributes = new String[Attribute.values().length];
        TicketStatus status;

        Side(String ticket) {
            this.ticket = ticket;
            this.project = PolicyCondition.projectOf(ticket);
        }

        boolean created() {
            return status != null;
        }
    }

    /** Walks one pair's two histories and link periods in one timeline (SLA-SPEC 7.4). */
    private final class PairRun {
        private static final int RANK_CREATED = 0;
        private static final int RANK_START = 1;
        private static final int RANK_EVENT = 2;
        private static final int RANK_END = 3;

        final Pair pair;
        final List<TicketEvent> firstEvents;
        final List<TicketEvent> secondEvents;
        final List<long[]> periods;
        final long at;
        final Side first;
        final Side second;
        /** The next instant after {@code at} a running cycle of the pair needs attention, or NONE. */
        long nextAttention = MetricCycle.NONE;
        /** The oriented pair {engineering, customer} of the period open at the evaluation instant, if any. */
        String[] linkedAtEnd;
        Side engineering;
        Side customer;
        boolean linked;
        final List<List<OlaClock>> clocks = new ArrayList<>();
        /** Each period's orientation, in the order periods began: the customer ticket of each clock list. */
        final Map<OlaClock, String[]> orientation = new HashMap<>();

        PairRun(Pair pair, List<TicketEvent> firstEvents, List<TicketEvent> secondEvents, List<long[]> periods, long at) {
            this.pair = pair;
            this.firstEvents = firstEvents;
            this.secondEvents = secondEvents;
            this.periods = periods;
            this.at = at;
            this.first = new Side(pair.first);
            this.second = new Side(pair.second);
            for (int i = 0; i < OlaPolicy.METRICS.size(); i++) {
                clocks.add(new ArrayList<>());
            }
        }

        /** One item of the merged timeline. */
        private record Item(long at, int rank, int side, int seq, TicketEvent event, boolean start) {
        }

        void walk() {
            List<Item> items = new ArrayList<>(firstEvents.size() + secondEvents.size() + periods.size() * 2);
            addEvents(items, firstEvents, 0);
            addEvents(items, secondEvents, 1);
            for (int i = 0; i < periods.size(); i++) {
                long[] p = periods.get(i);
                items.add(new Item(p[0], RANK_START, 0, i, null, true));
                if (p[1] != CycleClock.NONE) {
                    items.add(new Item(p[1], RANK_END, 0, i, null, false));
                }
            }
            items.sort(Comparator.comparingLong(Item::at).thenComparingInt(Item::rank).thenComparingInt(Item::side)
                    .thenComparingInt(Item::seq));
            long pendingStart = CycleClock.NONE; // a link made before both tickets existed waits for them
            for (Item item : items) {
                if (item.event == null) {
                    if (item.start) {
                        pendingStart = item.at;
                    } else {
                        pendingStart = CycleClock.NONE;
                        endPeriod(item.at);
                    }
                } else {
                    apply(item.side == 0 ? first : second, item.event);
                }
                if (pendingStart != CycleClock.NONE && first.created() && second.created()) {
                    pendingStart = CycleClock.NONE;
                    beginPeriod(item.at);
                }
            }
            if (linked && engineering != null) {
                linkedAtEnd = new String[] {engineering.ticket, customer.ticket};
            }
        }

        private void addEvents(List<Item> items, List<TicketEvent> events, int side) {
            for (int i = 0; i < events.size(); i++) {
                TicketEvent e = events.get(i);
                items.add(new Item(e.atEpochSecond(), e.type() == EventType.CREATED ? RANK_CREATED : RANK_EVENT, side, i,
                        e, false));
            }
        }

        private void apply(Side side, TicketEvent e) {
            long t = e.atEpochSecond();
            if (!side.created()) {
                if (e.type() == EventType.CREATED) {
                    take(side, e);
                    side.status = e.status();
                }
                return; // before `created`: ignored, as in the ticket fold
            }
            switch (e.type()) {
                case PRIORITY_CHANGED:
                case ATTRIBUTES_CHANGED:
                    take(side, e);
                    if (linked && engineering != null) {
                        for (List<OlaClock> ofMetric : clocks) {
                            for (OlaClock c : ofMetric) {
                                if (!c.clock.isStopped()) {
                                    OlaPolicy winner = winner(c.clock, t);
                                    if (winner != null) {
                                        c.ola = winner;
                                    }
                                }
                            }
                        }
                    }
                    break;
                case STATUS_CHANGED:
                    TicketStatus previous = side.status;
                    side.status = e.status();
                    if (side == engineering && linked) {
                        engineeringStatus(previous, e.status(), t);
                    }
                    break;
                case AGENT_REPLY:
                case INTERNAL_NOTE:
                    if (side == engineering && linked) {
                        OlaClock c = running(Metric.FIRST_RESPONSE);
                        if (c != null) {
                            stop(c, t, StopCause.REPLY);
                        }
                    }
                    break;
                default:
                    break;
            }
        }

        private void take(Side side, TicketEvent e) {
            for (Attribute a : Attribute.values()) {
                String v = e.attribute(a);
                if (v != null) {
                    side.attributes[a.ordinal()] = v;
                }
            }
        }

        private void beginPeriod(long t) {
            linked = true;
            engineering = null;
            customer = null;
            for (OlaPolicy ola : policies.olas()) {
                if (matches(ola, first, second)) {
                    engineering = first;
                    customer = second;
                    break;
                }
                if (matches(ola, second, first)) {
                    engineering = second;
                    customer = first;
                    break;
                }
            }
            if (engineering == null) {
                return; // no OLA serves this pair
            }
            for (Metric m : OlaPolicy.METRICS.stream().sorted().toList()) {
                start(m, t);
            }
            if (engineering.status.isResolved()) {
                for (List<OlaClock> ofMetric : clocks) {
                    for (OlaClock c : ofMetric) {
                        if (!c.clock.isStopped()) {
                            stop(c, t, StopCause.RESOLUTION);
                        }
                    }
                }
            }
        }

        private void endPeriod(long t) {
            if (linked && engineering != null) {
                for (List<OlaClock> ofMetric : clocks) {
                    for (OlaClock c : ofMetric) {
                        if (!c.clock.isStopped()) {
                            stop(c, t, StopCause.UNLINKED);
                        }
                    }
                }
            }
            linked = false;
        }

        private boolean matches(OlaPolicy ola, Side eng, Side cust) {
            return ola.engineering().matches(eng.project, eng.attributes)
                    && ola.customer().matches(cust.project, cust.attributes);
        }

        private void start(Metric metric, long t) {
            CycleClock clock = new CycleClock(metric, t);
            if (!metric.pausable() || !policies.pauses(engineering.status)) {
                clock.resume(t);
            }
            OlaPolicy winner = winner(clock, t);
            if (winner == null) {
                return;
            }
            List<OlaClock> list = clocks.get(index(metric));
            OlaClock c = new OlaClock(clock, list.size() + 1, winner);
            list.add(c);
            orientation.put(c, new String[] {engineering.ticket, customer.ticket});
        }

        private int index(Metric metric) {
            return metric == Metric.FIRST_RESPONSE ? 0 : 1;
        }

        /** The OLA that wins {@code clock} at {@code t} among those matching (E, C); null when none targets it. */
        private OlaPolicy winner(CycleClock clock, long t) {
            boolean firstMatch = policies.selection() == Selection.FIRST_MATCH;
            OlaPolicy best = null;
            long bestDue = Long.MAX_VALUE;
            for (OlaPolicy ola : policies.olas()) {
                long target = ola.targetSeconds(clock.metric);
                if (target == 0 || !matches(ola, engineering, customer)) {
                    continue;
                }
                if (firstMatch) {
                    return ola;
                }
                long due = clock.reach(ola.calendar(), target, t);
                if (due < bestDue) {
                    best = ola;
                    bestDue = due;
                }
            }
            return best;
        }

        private OlaClock running(Metric metric) {
            List<OlaClock> list = clocks.get(index(metric));
            if (list.isEmpty()) {
                return null;
            }
            OlaClock last = list.get(list.size() - 1);
            return last.clock.isStopped() ? null : last;
        }

        private void stop(OlaClock c, long t, StopCause cause) {
            c.clock.stop(t);
            c.stoppedBy = cause;
        }

        private void engineeringStatus(TicketStatus previous, TicketStatus next, long t) {
            if (engineering == null) {
                return;
            }
            if (!previous.isResolved() && next.isResolved()) {
                for (List<OlaClock> ofMetric : clocks) {
                    for (OlaClock c : ofMetric) {
                        if (!c.clock.isStopped()) {
                            stop(c, t, StopCause.RESOLUTION);
                        }
                    }
                }
            } else if (previous.isResolved() && !next.isResolved()) {
                reopen(t);
            } else if (!next.isResolved() && policies.pauses(previous) != policies.pauses(next)) {
                OlaClock c = running(Metric.RESOLUTION);
                if (c != null) {
                    if (policies.pauses(next)) {
                        c.clock.pause(t);
                    } else {
                        c.clock.resume(t);
                    }
                }
            }
        }

        /** The engineering ticket reopened while linked: only this period's resolution cycle goes on (7.6, case 3). */
        private void reopen(long t) {
            if (policies.onReopen() == ReopenMode.RESTART) {
                start(Metric.RESOLUTION, t);
                return;
            }
            List<OlaClock> list = clocks.get(index(Metric.RESOLUTION));
            if (list.isEmpty()) {
                return;
            }
            OlaClock last = list.get(list.size() - 1);
            String[] own = orientation.get(last);
            // Only a cycle of the period now open resumes: one stopped by an earlier unlink stays over.
            if (last.stoppedBy == StopCause.RESOLUTION && own[0].equals(engineering.ticket)
                    && last.clock.startedAt >= currentPeriodStart(t)) {
                last.clock.reopen(t, policies.pauses(engineering.status));
                last.stoppedBy = null;
                OlaPolicy winner = winner(last.clock, t);
                if (winner != null) {
                    last.ola = winner;
                }
            }
        }

        /** The start of the period open at {@code t}: the latest period start at or before it. */
        private long currentPeriodStart(long t) {
            long start = Long.MIN_VALUE;
            for (long[] p : periods) {
                if (p[0] <= t) {
                    start = p[0];
                }
            }
            return start;
        }

        void evaluate(Map<String, List<TicketEvent>> histories, Map<String, TicketSla> cache, List<OlaCycle> out,
                List<OlaEscalationDue> steps) {
            for (List<OlaClock> ofMetric : clocks) {
                for (OlaClock c : ofMetric) {
                    String[] own = orientation.get(c);
                    out.add(result(c, own[0], own[1], histories.get(own[1]), cache, steps));
                }
            }
        }

        private OlaCycle result(OlaClock c, String eng, String cust, List<TicketEvent> customerEvents,
                Map<String, TicketSla> cache, List<OlaEscalationDue> steps) {
            CycleClock clock = c.clock;
            OlaPolicy ola = c.ola;
            BusinessCalendar calendar = ola.calendar();
            long target = ola.targetSeconds(clock.metric);
            long elapsed = clock.elapsed(calendar, at);
            long due = clock.reach(calendar, target, clock.stoppedAt);
            long customerDue = MetricCycle.NONE;
            boolean capped = false;
            boolean paused = !clock.isStopped() && !clock.isCounting();
            if (ola.hasMargin() && !paused) {
                long readAt = clock.isStopped() ? clock.stoppedAt : at;
                customerDue = customerDue(cust, customerEvents, clock.metric, readAt, cache);
                if (customerDue != MetricCycle.NONE) {
                    long cap = customerDue - ola.withinCustomerSeconds();
                    if (cap > clock.startedAt && due != MetricCycle.NONE && cap < due) {
                        due = cap;
                        capped = true;
                    }
                }
            }
            CycleStatus status;
            if (clock.isStopped()) {
                status = clock.stoppedAt <= due ? CycleStatus.MET : CycleStatus.BREACHED;
            } else if (due != MetricCycle.NONE && at > due) {
                status = CycleStatus.BREACHED;
            } else {
                status = clock.isCounting() ? CycleStatus.RUNNING : CycleStatus.PAUSED;
            }
            // Capped, thresholds are shares of the window engineering really has: start to the capped due.
            long window = capped ? clock.elapsedUntil(calendar, due) : target;
            boolean atRisk = false;
            if (!clock.isStopped() && status != CycleStatus.BREACHED) {
                for (WarningThreshold w : policies.warnings()) {
                    long threshold = w.elapsedAt(window);
                    if (elapsed >= threshold) {
                        atRisk = true;
                    } else if (clock.isCounting()) {
                        nextAttention = earlier(nextAttention, clock.reach(calendar, threshold, CycleClock.NONE));
                    }
                }
                if (status == CycleStatus.RUNNING && due != MetricCycle.NONE && due >= at) {
                    nextAttention = earlier(nextAttention, due + 1); // the breach: the second after the due
                }
            }
            if (!clock.isStopped()) {
                for (OlaStep s : ola.escalations()) {
                    EscalationStep step = s.step();
                    if (!step.appliesTo(clock.metric)) {
                        continue;
                    }
                    long fires;
                    if (capped && step.at().firesAfterReaching()) {
                        fires = due + 1;
                    } else {
                        long reached = clock.reach(calendar, step.at().elapsedAt(window), CycleClock.NONE);
                        if (reached == CycleClock.NONE) {
                            continue;
                        }
                        fires = step.at().firesAfterReaching() ? reached + 1 : reached;
                    }
                    if (fires <= at) {
                        steps.add(new OlaEscalationDue(eng, cust, ola.name(), clock.metric, c.number, step.name(), s.on(),
                                Instant.ofEpochSecond(fires)));
                    } else if (clock.isCounting()) {
                        nextAttention = earlier(nextAttention, fires);
                    }
                }
            }
            return new OlaCycle(eng, cust, ola.name(), clock.metric, c.number, calendar.name(), target, clock.startedAt,
                    due, clock.stoppedAt, status, elapsed, atRisk, customerDue, c.stoppedBy);
        }

        /** D of SLA-SPEC 7.5: the due of the customer's latest cycle of {@code metric} at {@code readAt}, if running. */
        private long customerDue(String cust, List<TicketEvent> events, Metric metric, long readAt,
                Map<String, TicketSla> cache) {
            TicketSla sla = customerSla(cust, events, readAt, cache);
            MetricCycle latest = null;
            for (MetricCycle m : sla.cycles()) {
                if (m.metric() == metric) {
                    latest = m;
                }
            }
            if (latest == null || latest.isStopped()) {
                return MetricCycle.NONE;
            }
            return latest.dueAtEpochSecond();
        }
    }
}
