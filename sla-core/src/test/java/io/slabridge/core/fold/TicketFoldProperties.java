package io.slabridge.core.fold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.Attribute;
import io.slabridge.core.model.CycleStatus;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.MetricCycle;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketSla;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.policy.InvalidPolicyException;
import io.slabridge.core.policy.PolicyCondition;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicySet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the fold over random ticket histories, against a layered policy with office calendars in
 * three zones (DST changes fall inside the generated period), pauses and warnings.
 */
class TicketFoldProperties {
    private static final String POLICIES_YAML = """
            calendars:
              berlin: { zone: Europe/Berlin, week: { mon: ["09:00-12:30", "13:30-17:30"], tue: ["09:00-17:00"], wed: ["09:00-17:00"], thu: ["09:00-17:00"], fri: ["09:00-16:00"] }, holidays: ["2026-04-03"] }
              nights: { zone: America/New_York, week: { mon: ["22:00-06:00"], tue: ["22:00-06:00"], wed: ["22:00-06:00"], thu: ["22:00-06:00"], sun: ["01:30-02:30", "02:30-04:00"] } }
              always: { zone: Australia/Sydney, week: 24x7 }
            policies:
              - name: baseline
                calendar: berlin
                targets: { first_response: 8h, resolution: 40h }
              - name: overnight
                when: { priority: [urgent, high] }
                calendar: nights
                targets: { first_response: 1h, next_response: 2h, periodic_update: 4h, resolution: 16h }
              - name: enterprise
                when: { tier: enterprise }
                calendar: always
                targets: { first_response: 30m, next_response: 1h, periodic_update: 2h, resolution: 8h }
            pause_statuses: [waiting_on_customer, on_hold]
            on_reopen: resume
            warnings: ["75%", "-15m"]
            """;
    private static final PolicySet POLICIES = load(POLICIES_YAML);
    /** The same policies, the first written candidate winning ({@code selection: first_match}). */
    private static final PolicySet FIRST_MATCH = load(POLICIES_YAML + "selection: first_match\n");
    private static final String TICKET = "jira:SUP-7";
    private static final String PROJECT = PolicyCondition.projectOf(TICKET);
    /** Around the March DST changes in New York (8 March) and Europe (29 March) and Sydney's (5 April). */
    private static final long BASE = Instant.parse("2026-03-06T00:00:00Z").getEpochSecond();

    @Property(tries = 300)
    void resultsDoNotDependOnArrivalOrderOrDuplicates(@ForAll("histories") List<TicketEvent> history,
            @ForAll long shuffleSeed) {
        long at = lastAt(history) + 3600;
        TicketSla inOrder = TicketFold.of(POLICIES).fold(TICKET, history, at);
        List<TicketEvent> arrived = new ArrayList<>(history);
        Random random = new Random(shuffleSeed);
        Collections.shuffle(arrived, random);
        for (int i = 0; i < 3; i++) {
            arrived.add(random.nextInt(arrived.size() + 1), arrived.get(random.nextInt(arrived.size())));
        }
        assertEquals(inOrder.cycles(), TicketFold.of(POLICIES).fold(TICKET, arrived, at).cycles());
    }

    @Property(tries = 300)
    void everyCycleIsConsistent(@ForAll("histories") List<TicketEvent> history, @ForAll("hours") int hoursAfter) {
        long at = lastAt(history) + hoursAfter * 3600L;
        for (MetricCycle c : TicketFold.of(POLICIES).fold(TICKET, history, at).cycles()) {
            long end = c.isStopped() ? c.stoppedAtEpochSecond() : at;
            assertTrue(c.elapsedSeconds() >= 0 && c.elapsedSeconds() <= end - c.startedAtEpochSecond(),
                    "elapsed is business time within the cycle's wall time: " + c);
            assertEquals(c.targetSeconds() - c.elapsedSeconds(), c.remainingSeconds());
            if (c.status() == CycleStatus.BREACHED && !c.isStopped()) {
                assertTrue(c.dueAtEpochSecond() < at, "breached means the due instant has passed: " + c);
            }
            if (c.isStopped()) {
                assertEquals(c.stoppedAtEpochSecond() <= c.dueAtEpochSecond(), c.status() == CycleStatus.MET, c.toString());
            } else if (c.dueAtEpochSecond() == MetricCycle.NONE) {
                assertEquals(CycleStatus.PAUSED, c.status(), "only a paused cycle lacks a due instant: " + c);
                assertTrue(c.remainingSeconds() > 0, c.toString());
            }
            if (c.atRisk()) {
                assertTrue(!c.isStopped() && c.status() != CycleStatus.BREACHED, c.toString());
            }
            if (c.elapsedSeconds() >= c.targetSeconds() && c.dueAtEpochSecond() != MetricCycle.NONE) {
                assertTrue(c.dueAtEpochSecond() <= end, "the target was reached by " + end + ": " + c);
            }
        }
    }

    @Property(tries = 200)
    void aRunningCycleIsBreachedExactlyAfterItsDueInstant(@ForAll("histories") List<TicketEvent> history) {
        long at = lastAt(history);
        for (MetricCycle c : TicketFold.of(POLICIES).fold(TICKET, history, at).cycles()) {
            if (c.isStopped() || c.status() != CycleStatus.RUNNING) {
                continue;
            }
            long due = c.dueAtEpochSecond();
            MetricCycle atDue = find(TicketFold.of(POLICIES).fold(TICKET, history, due), c);
            MetricCycle after = find(TicketFold.of(POLICIES).fold(TICKET, history, due + 1), c);
            assertEquals(CycleStatus.RUNNING, atDue.status(), "at its due instant: " + atDue);
            assertEquals(0, atDue.remainingSeconds(), "the target is reached exactly at the due instant: " + atDue);
            assertEquals(CycleStatus.BREACHED, after.status(), "a second later: " + after);
        }
    }

    /**
     * The start rule (SLA-SPEC section 4): every cycle starts at one of the ticket's events, and at that event
     * some policy matching the ticket's attributes as they then were has a target for the cycle's metric. A cycle
     * never starts before the event that made some policy target its metric.
     */
    @Property(tries = 300)
    void aCycleStartsOnlyAtAnEventWhereSomeMatchingPolicyTargetsItsMetric(
            @ForAll("histories") List<TicketEvent> history, @ForAll boolean firstMatch) {
        PolicySet policies = firstMatch ? FIRST_MATCH : POLICIES;
        long at = lastAt(history) + 3600;
        for (MetricCycle c : TicketFold.of(policies).fold(TICKET, history, at).cycles()) {
            long start = c.startedAtEpochSecond();
            assertTrue(history.stream().anyMatch(e -> e.atEpochSecond() == start), "starts at an event: " + c);
            String[] attributes = attributesAt(history, start);
            assertTrue(policies.policies().stream().anyMatch(p -> p.targetSeconds(c.metric()) > 0
                    && p.when().matches(PROJECT, attributes)), "a matching policy targets " + c.metric().wireName()
                    + " at the start event, attributes " + Arrays.toString(attributes) + ": " + c);
        }
    }

    /**
     * {@code selection: first_match}: a cycle that has not stopped is re-chosen at every attribute change, so it
     * has the first policy in file order that matches the ticket now with a target for its metric (when one does;
     * with none the cycle keeps its policy).
     */
    @Property(tries = 300)
    void underFirstMatchAnOpenCycleHasTheFirstWrittenMatchingPolicy(@ForAll("histories") List<TicketEvent> history,
            @ForAll("hours") int hoursAfter) {
        long at = lastAt(history) + hoursAfter * 3600L;
        String[] attributes = attributesAt(history, at);
        for (MetricCycle c : TicketFold.of(FIRST_MATCH).fold(TICKET, history, at).cycles()) {
            if (c.isStopped()) {
                continue;
            }
            FIRST_MATCH.policies().stream().filter(p -> p.targetSeconds(c.metric()) > 0 && p.when().matches(PROJECT, attributes))
                    .findFirst().ifPresent(first -> assertEquals(first.name(), c.policy(), c.toString()));
        }
    }

    /** The ticket's attribute values once the events at or before {@code at} are applied, as policies match them. */
    private static String[] attributesAt(List<TicketEvent> history, long at) {
        String[] values = new String[Attribute.values().length];
        for (TicketEvent e : history) {
            boolean carriesAttributes = e.type() == EventType.CREATED || e.type() == EventType.PRIORITY_CHANGED
                    || e.type() == EventType.ATTRIBUTES_CHANGED;
            if (e.atEpochSecond() <= at && carriesAttributes) {
                for (Attribute a : Attribute.values()) {
                    if (e.attribute(a) != null) {
                        values[a.ordinal()] = e.attribute(a);
                    }
                }
            }
        }
        return values;
    }

    @Provide
    Arbitrary<Integer> hours() {
        return Arbitraries.integers().between(0, 24 * 14);
    }

    @Provide
    Arbitrary<List<TicketEvent>> histories() {
        Arbitrary<Integer> start = Arbitraries.integers().between(0, 30 * 24 * 60);
        Arbitrary<List<Step>> steps = step().list().ofMaxSize(14);
        Arbitrary<String> priority = Arbitraries.of("urgent", "high", "normal", "low");
        Arbitrary<String> tier = Arbitraries.of("starter", "pro", "enterprise");
        return Combinators.combine(start, steps, priority, tier).as((minute, list, prio, t) -> {
            List<TicketEvent> events = new ArrayList<>();
            long at = BASE + minute * 60L;
            events.add(TicketEvent.builder(TICKET + ":0", TICKET, at, EventType.CREATED).priority(Priority.fromWire(prio))
                    .status(TicketStatus.OPEN).tier(t).build());
            int n = 0;
            for (Step s : list) {
                at += s.gapMinutes * 60L; // strictly increasing: no ties for arrival order to decide
                events.add(s.event(TICKET + ":" + (++n), at));
            }
            return events;
        });
    }

    private Arbitrary<Step> step() {
        Arbitrary<EventType> type = Arbitraries.of(EventType.CUSTOMER_MESSAGE, EventType.AGENT_REPLY,
                EventType.INTERNAL_NOTE, EventType.STATUS_CHANGED, EventType.STATUS_CHANGED,
                EventType.PRIORITY_CHANGED, EventType.ATTRIBUTES_CHANGED);
        return Combinators.combine(type, Arbitraries.integers().between(1, 36 * 60),
                Arbitraries.of(TicketStatus.values()), Arbitraries.of(Priority.values()),
                Arbitraries.of("starter", "pro", "enterprise")).as(Step::new);
    }

    private static final class Step {
        final EventType type;
        final int gapMinutes;
        final TicketStatus status;
        final Priority priority;
        final String tier;

        Step(EventType type, int gapMinutes, TicketStatus status, Priority priority, String tier) {
            this.type = type;
            this.gapMinutes = gapMinutes;
            this.status = status;
            this.priority = priority;
            this.tier = tier;
        }

        TicketEvent event(String id, long at) {
            return TicketEvent.builder(id, TICKET, at, type).status(status).priority(priority).tier(tier).build();
        }
    }

    private static MetricCycle find(TicketSla sla, MetricCycle like) {
        return sla.cycles().stream().filter(c -> c.metric() == like.metric() && c.cycle() == like.cycle()).findFirst()
                .orElseThrow();
    }

    private static long lastAt(List<TicketEvent> history) {
        return history.stream().mapToLong(TicketEvent::atEpochSecond).max().orElseThrow();
    }

    private static PolicySet load(String yaml) {
        try {
            return PolicyFileParser.parse("properties.yaml", yaml);
        } catch (InvalidPolicyException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
