package io.slabridge.core.fold;

import io.slabridge.core.calendar.BusinessCalendar;
import io.slabridge.core.model.Attribute;
import io.slabridge.core.escalation.EscalationStep;
import io.slabridge.core.model.CycleStatus;
import io.slabridge.core.model.EscalationDue;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.MetricCycle;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketSla;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.policy.PolicyCondition;
import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.policy.ReopenMode;
import io.slabridge.core.policy.Selection;
import io.slabridge.core.policy.SlaPolicy;
import io.slabridge.core.policy.WarningThreshold;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The fold of SLA-SPEC sections 1, 3 and 4: a ticket's events, the policies and the calendars in; the
 * ticket's metric cycles at an evaluation instant out. A pure function: the same events in any arrival
 * order, with any duplicates, give the same result, which is what makes late and repeated events safe.
 *
 * <p>Thread-safe: it holds only the immutable {@link PolicySet}.
 */
public final class TicketFold {
    /** {@code at} order; at one instant {@code created} first, then arrival order (the sort is stable). */
    static final Comparator<TicketEvent> APPLY_ORDER = Comparator.comparingLong(TicketEvent::atEpochSecond)
            .thenComparing(e -> e.type() != EventType.CREATED);

    private final PolicySet policies;

    private TicketFold(PolicySet policies) {
        this.policies = policies;
    }

    public static TicketFold of(PolicySet policies) {
        return new TicketFold(Objects.requireNonNull(policies, "policies"));
    }

    public PolicySet policies() {
        return policies;
    }

    public TicketSla fold(String ticket, List<TicketEvent> events, Instant evaluatedAt) {
        return fold(ticket, events, evaluatedAt.getEpochSecond());
    }

    /**
     * @param events      the ticket's events in arrival order; duplicates (same id) after the first are ignored,
     *                    and so are events of other tickets' keys never passed here by contract
     * @param evaluatedAt events after this instant are ignored; clocks are read at it
     */
    public TicketSla fold(String ticket, List<TicketEvent> events, long evaluatedAt) {
        List<TicketEvent> distinct = new ArrayList<>(events.size());
        Set<String> seen = new HashSet<>(events.size() * 2);
        for (TicketEvent e : events) {
            if (seen.add(e.id())) {
                distinct.add(e);
            }
        }
        return foldDistinct(ticket, distinct, evaluatedAt);
    }

    /**
     * {@link #fold(String, List, long)} for events already free of repeated ids (as {@code EventLinesReader}
     * delivers them): skips the second de-duplication.
     */
    public TicketSla foldDistinct(String ticket, List<TicketEvent> events, long evaluatedAt) {
        Objects.requireNonNull(ticket, "ticket");
        boolean inOrder = true;
        TicketEvent previous = null;
        for (TicketEvent e : events) {
            if (!e.ticket().equals(ticket)) {
                throw new IllegalArgumentException("event " + e.id() + " is of ticket " + e.ticket() + ", not " + ticket);
            }
            inOrder &= previous == null || APPLY_ORDER.compare(previous, e) <= 0;
            previous = e;
        }
        // Most histories arrive in time order; only the others need a sorted copy.
        List<TicketEvent> ordered = events;
        if (!inOrder) {
            ordered = new ArrayList<>(events);
            ordered.sort(APPLY_ORDER);
        }
        Run run = null;
        for (TicketEvent e : ordered) {
            if (e.atEpochSecond() > evaluatedAt) {
                break;
            }
            if (run == null) {
                // No clocks before `created`; whatever sorts before it happened before it and is ignored.
                if (e.type() == EventType.CREATED) {
                    run = new Run(e);
                }
            } else if (e.type() != EventType.CREATED) {
                run.apply(e);
            }
        }
        return run == null ? TicketSla.of(ticket, evaluatedAt, List.of()) : run.evaluate(ticket, evaluatedAt);
    }

    /** The state of one ticket while its events are applied. */
    private final class Run {
        private final String[] attributes = new String[Attribute.values().length];
        /** The ticket's Jira project, from its key; null for other sources. */
        private final String project;
        private final List<List<CycleClock>> cycles = new ArrayList<>(Metric.values().length);
        private TicketStatus status;
        private boolean hadAgentReply;

        Run(TicketEvent created) {
            project = PolicyCondition.projectOf(created.ticket());
            for (int i = 0; i < Metric.values().length; i++) {
                cycles.add(new ArrayList<>(2));
            }
            takeAttributes(created);
            status = created.status();
            long t = created.atEpochSecond();
            start(Metric.FIRST_RESPONSE, t);
            start(Metric.RESOLUTION, t);
            if (status.isResolved()) {
                stopAll(t);
            }
        }

        void apply(TicketEvent e) {
            long t = e.atEpochSecond();
            switch (e.type()) {
                case CUSTOMER_MESSAGE:
                    if (hadAgentReply && running(Metric.NEXT_RESPONSE) == null) {
                        start(Metric.NEXT_RESPONSE, t);
                    }
                    break;
                case AGENT_REPLY:
                    stopIfRunning(Metric.FIRST_RESPONSE, t);
                    stopIfRunning(Metric.NEXT_RESPONSE, t);
                    stopIfRunning(Metric.PERIODIC_UPDATE, t);
                    if (!status.isResolved()) {
                        start(Metric.PERIODIC_UPDATE, t);
                    }
                    hadAgentReply = true;
                    break;
                case STATUS_CHANGED:
                    changeStatus(e.status(), t);
                    break;
                case PRIORITY_CHANGED:
                case ATTRIBUTES_CHANGED:
                    takeAttributes(e);
                    // Every such event re-chooses, even one that changes no value.
                    for (List<CycleClock> ofMetric : cycles) {
                        for (CycleClock c : ofMetric) {
                            if (!c.isStopped()) {
                                choose(c, t);
                            }
                        }
                    }
                    break;
                case INTERNAL_NOTE:
                case CREATED:
                default:
                    break;
            }
        }

        private void takeAttributes(TicketEvent e) {
            for (Attribute a : Attribute.values()) {
                String v = e.attribute(a);
                if (v != null) {
                    attributes[a.ordinal()] = v;
                }
            }
        }

        private void changeStatus(TicketStatus next, long t) {
            TicketStatus previous = status;
            status = next;
            if (!previous.isResolved() && next.isResolved()) {
                stopAll(t);
            } else if (previous.isResolved() && !next.isResolved()) {
                reopen(t);
            } else if (!next.isResolved() && policies.pauses(previous) != policies.pauses(next)) {
                boolean pausing = policies.pauses(next);
                for (List<CycleClock> ofMetric : cycles) {
                    for (CycleClock c : ofMetric) {
                        if (!c.isStopped() && c.metric.pausable()) {
                            if (pausing) {
                                c.pause(t);
                            } else {
                                c.resume(t);
                            }
                        }
                    }
                }
            }
        }

        private void reopen(long t) {
            List<CycleClock> resolution = cycles.get(Metric.RESOLUTION.ordinal());
            if (policies.onReopen() == ReopenMode.RESTART) {
                start(Metric.RESOLUTION, t);
            } else if (!resolution.isEmpty()) {
                CycleClock last = resolution.get(resolution.size() - 1);
                last.reopen(t, policies.pauses(status));
                choose(last, t);
            }
            // Resume with no cycle to resume: resolution had no target at `created`, its only start event
            // under resume, so it does not run (docs/explanation/sla-semantics.md).
        }

        private void start(Metric metric, long t) {
            if (!policies.targetedMetrics().contains(metric)) {
                return;
            }
            CycleClock c = new CycleClock(metric, t);
            if (!metric.pausable() || !policies.pauses(status)) {
                c.resume(t);
            }
            SlaPolicy winner = winner(c, t);
            if (winner == null) {
                // The start rule (SLA-SPEC section 4): no matching policy targets the metric at its start event,
                // so no cycle starts; a later attribute change does not start one back here, only the next start
                // event can.
                return;
            }
            c.policy = winner;
            cycles.get(metric.ordinal()).add(c);
        }

        /** Re-chooses the policy of a cycle that goes on; with no candidate it keeps the policy it had. */
        private void choose(CycleClock c, long t) {
            SlaPolicy winner = winner(c, t);
            if (winner != null) {
                c.policy = winner;
            }
        }

        /**
         * The policy that wins {@code c} at {@code t}, or null when no matching policy has a target for its
         * metric. {@code most_aggressive}: the candidate whose due instant, projected from {@code t} as if no
         * further pause came, is earliest; ties to the first written. {@code first_match}: the first written.
         */
        private SlaPolicy winner(CycleClock c, long t) {
            boolean firstMatch = policies.selection() == Selection.FIRST_MATCH;
            SlaPolicy best = null;
            long bestDue = Long.MAX_VALUE;
            for (SlaPolicy p : policies.policies()) {
                long target = p.targetSeconds(c.metric);
                if (target == 0 || !p.when().matches(project, attributes)) {
                    continue;
                }
                if (firstMatch) {
                    return p;
                }
                long due = c.reach(p.calendar(), target, t);
                if (due < bestDue) {
                    best = p;
                    bestDue = due;
                }
            }
            return best;
        }

        private CycleClock running(Metric metric) {
            List<CycleClock> list = cycles.get(metric.ordinal());
            if (list.isEmpty()) {
                return null;
            }
            CycleClock last = list.get(list.size() - 1);
            return last.isStopped() ? null : last;
        }

        private void stopIfRunning(Metric metric, long t) {
            CycleClock c = running(metric);
            if (c != null) {
                c.stop(t);
            }
        }

        private void stopAll(long t) {
            for (List<CycleClock> ofMetric : cycles) {
                for (CycleClock c : ofMetric) {
                    if (!c.isStopped()) {
                        c.stop(t);
                    }
                }
            }
        }

        TicketSla evaluate(String ticket, long at) {
            List<MetricCycle> out = new ArrayList<>();
            List<EscalationDue> stepsDue = new ArrayList<>(0);
            long nextStep = CycleClock.NONE;
            for (Metric m : Metric.values()) {
                int number = 0;
                for (CycleClock c : cycles.get(m.ordinal())) {
                    out.add(result(ticket, c, ++number, at));
                    if (!c.isStopped()) {
                        nextStep = escalations(ticket, c, number, at, stepsDue, nextStep);
                    }
                }
            }
            return TicketSla.of(ticket, at, out, stepsDue, nextStep);
        }

        /**
         * Adds the escalation steps this running or paused cycle has reached to {@code due}; returns the earlier
         * of {@code next} and the instant its next step will be reached while it counts.
         */
        private long escalations(String ticket, CycleClock c, int number, long at, List<EscalationDue> due,
                long next) {
            BusinessCalendar calendar = c.policy.calendar();
            long target = c.policy.targetSeconds(c.metric);
            for (EscalationStep step : policies.escalations()) {
                if (!step.appliesTo(c.metric)) {
                    continue;
                }
                long reached = c.reach(calendar, step.at().elapsedAt(target), CycleClock.NONE);
                if (reached == CycleClock.NONE) {
                    continue; // paused short of it: only an event can bring it nearer
                }
                long fires = step.at().firesAfterReaching() ? reached + 1 : reached;
                if (fires <= at) {
                    due.add(new EscalationDue(ticket, c.metric, number, step.name(), Instant.ofEpochSecond(fires)));
                } else if (c.isCounting()) {
                    next = next == CycleClock.NONE ? fires : Math.min(next, fires);
                }
            }
            return next;
        }

        private MetricCycle result(String ticket, CycleClock c, int number, long at) {
            BusinessCalendar calendar = c.policy.calendar();
            long target = c.policy.targetSeconds(c.metric);
            long elapsed = c.elapsed(calendar, at);
            long due = c.reach(calendar, target, c.stoppedAt);
            CycleStatus cycleStatus;
            if (c.isStopped()) {
                cycleStatus = c.stoppedAt <= due ? CycleStatus.MET : CycleStatus.BREACHED;
            } else if (due != CycleClock.NONE && at > due) {
                cycleStatus = CycleStatus.BREACHED;
            } else {
                cycleStatus = c.isCounting() ? CycleStatus.RUNNING : CycleStatus.PAUSED;
            }
            boolean atRisk = false;
            long nextWarning = CycleClock.NONE;
            if (!c.isStopped() && cycleStatus != CycleStatus.BREACHED) {
                for (WarningThreshold w : policies.warnings()) {
                    long threshold = w.elapsedAt(target);
                    if (elapsed >= threshold) {
                        atRisk = true;
                    } else if (c.isCounting()) {
                        long when = c.reach(calendar, threshold, CycleClock.NONE);
                        nextWarning = nextWarning == CycleClock.NONE ? when : Math.min(nextWarning, when);
                    }
                }
            }
            return MetricCycle.of(ticket, c.metric, number, c.policy.name(), calendar.name(), target, c.startedAt, due,
                    c.stoppedAt, cycleStatus, elapsed, atRisk, nextWarning);
        }
    }
}
