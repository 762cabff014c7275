package io.slabridge.core.fold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.CycleStatus;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.MetricCycle;
import io.slabridge.core.model.OlaCycle;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.policy.InvalidPolicyException;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicySet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the OLA fold (SLA-SPEC section 7) over random linked histories of two customer tickets and two
 * engineering issues: links and unlinks reported from either side, replies, notes, status and priority changes,
 * all at distinct instants, evaluated against an office-hours OLA with {@code within_customer}.
 */
class OlaFoldProperties {
    private static final long MARGIN = 30 * 60;
    private static final PolicySet POLICIES = load("""
            calendars:
              always: { zone: UTC, week: 24x7 }
              berlin: { zone: Europe/Berlin, week: { mon: ["09:00-17:00"], tue: ["09:00-17:00"], wed: ["09:00-17:00"], thu: ["09:00-17:00"], fri: ["09:00-16:00"] } }
            policies:
              - name: support
                when: { source: salesforce }
                calendar: always
                targets: { first_response: 2h, resolution: 24h }
              - name: urgent
                when: { source: salesforce, priority: urgent }
                calendar: always
                targets: { first_response: 30m, resolution: 4h }
            olas:
              - name: eng
                when: { engineering: { source: jira }, customer: { source: salesforce } }
                calendar: berlin
                targets: { first_response: 4h, resolution: 16h }
                within_customer: 30m
                escalations:
                  - name: warn
                    at: "50%"
                    actions: [{ comment: { text: "OLA at risk" } }]
            pause_statuses: [waiting_on_customer, on_hold]
            """);
    private static final List<String> CUSTOMERS = List.of("salesforce:500A", "salesforce:500B");
    private static final List<String> ENGINEERING = List.of("jira:ENG-1", "jira:ENG-2");
    private static final long BASE = Instant.parse("2026-03-23T07:00:00Z").getEpochSecond();

    @Property(tries = 300)
    void resultsDoNotDependOnArrivalOrderOrRepeats(@ForAll("histories") List<TicketEvent> history,
            @ForAll long shuffleSeed) {
        long at = lastAt(history) + 3600;
        OlaFold.Result inOrder = OlaFold.of(POLICIES).fold(byTicket(history), at);
        List<TicketEvent> arrived = new ArrayList<>(history);
        Random random = new Random(shuffleSeed);
        Collections.shuffle(arrived, random);
        for (int i = 0; i < 4; i++) {
            arrived.add(random.nextInt(arrived.size() + 1), arrived.get(random.nextInt(arrived.size())));
        }
        Statistics.collect(inOrder.cycles().isEmpty() ? "no OLA cycle" : "OLA cycles");

        assertEquals(inOrder, OlaFold.of(POLICIES).fold(byTicket(arrived), at));
    }

    @Property(tries = 300)
    void aLinkReportedFromBothSidesCountsOnce(@ForAll("histories") List<TicketEvent> history) {
        long at = lastAt(history) + 3600;
        List<TicketEvent> mirrored = new ArrayList<>(history);
        for (int i = 0; i < history.size(); i++) {
            TicketEvent e = history.get(i);
            if (e.type().namesOther()) {
                // The other connector reports the same change, at the same instant, under its own id.
                mirrored.add(TicketEvent.builder(e.other() + ":mirror:" + i, e.other(), e.atEpochSecond(), e.type())
                        .other(e.ticket()).build());
            }
        }
        Statistics.collect(mirrored.size() > history.size() ? "links mirrored" : "no link");

        assertEquals(OlaFold.of(POLICIES).fold(byTicket(history), at), OlaFold.of(POLICIES).fold(byTicket(mirrored), at));
    }

    @Property(tries = 300)
    void aRunningOlaIsNeverDueAfterItsCustomersDueMinusTheMargin(@ForAll("histories") List<TicketEvent> history,
            @ForAll("minutes") int minutesAfter) {
        long at = lastAt(history) + minutesAfter * 60L;
        Map<String, List<TicketEvent>> byTicket = byTicket(history);
        TicketFold customerFold = TicketFold.of(POLICIES);
        for (OlaCycle c : OlaFold.of(POLICIES).fold(byTicket, at).cycles()) {
            if (c.status() != CycleStatus.RUNNING) {
                continue;
            }
            // The customer's due, read independently of the OLA fold: its latest cycle of the metric, if running.
            long customerDue = MetricCycle.NONE;
            for (MetricCycle m : customerFold.fold(c.customer(), byTicket.get(c.customer()), at).cycles()) {
                if (m.metric() == c.metric()) {
                    customerDue = m.isStopped() ? MetricCycle.NONE : m.dueAtEpochSecond();
                }
            }
            assertEquals(customerDue, c.customerDueAt(), "the customer's due the OLA read");
            long cap = customerDue == MetricCycle.NONE ? MetricCycle.NONE : customerDue - MARGIN;
            if (cap != MetricCycle.NONE && cap > c.startedAt()) {
                Statistics.collect("capped");
                assertTrue(c.dueAt() <= cap, () -> c + " is due after " + Instant.ofEpochSecond(cap));
            } else {
                Statistics.collect("not capped");
            }
        }
    }

    private static Map<String, List<TicketEvent>> byTicket(List<TicketEvent> events) {
        Map<String, List<TicketEvent>> map = new LinkedHashMap<>();
        for (TicketEvent e : events) {
            map.computeIfAbsent(e.ticket(), t -> new ArrayList<>()).add(e);
        }
        return map;
    }

    private static long lastAt(List<TicketEvent> history) {
        return history.stream().mapToLong(TicketEvent::atEpochSecond).max().orElseThrow();
    }

    @Provide
    Arbitrary<Integer> minutes() {
        return Arbitraries.integers().between(0, 3 * 24 * 60);
    }

    /** One random event: of which ticket, of what type, how many minutes after the one before. */
    private record Step(int ticket, EventType type, int gapMinutes, int other, TicketStatus status, Priority priority) {
    }

    @Provide
    Arbitrary<List<TicketEvent>> histories() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.of(EventType.LINKED, EventType.LINKED, EventType.UNLINKED, EventType.AGENT_REPLY,
                        EventType.INTERNAL_NOTE, EventType.CUSTOMER_MESSAGE, EventType.STATUS_CHANGED,
                        EventType.STATUS_CHANGED, EventType.PRIORITY_CHANGED),
                Arbitraries.integers().between(1, 8 * 60), Arbitraries.integers().between(0, 1),
                Arbitraries.of(TicketStatus.values()), Arbitraries.of(Priority.values())).as(Step::new);
        return Combinators.combine(Arbitraries.integers().between(0, 7 * 24 * 60), step.list().ofMaxSize(24),
                Arbitraries.of(Priority.values())).as((minute, steps, firstPriority) -> {
                    List<TicketEvent> events = new ArrayList<>();
                    long at = BASE + minute * 60L;
                    List<String> all = new ArrayList<>(CUSTOMERS);
                    all.addAll(ENGINEERING);
                    for (String t : all) {
                        at += 60; // distinct instants throughout: arrival order decides no tie
                        events.add(TicketEvent.builder(t + ":created", t, at, EventType.CREATED)
                                .priority(firstPriority).status(TicketStatus.OPEN)
                                .source(t.startsWith("jira") ? "jira" : "salesforce").build());
                    }
                    int n = 0;
                    for (Step s : steps) {
                        at += s.gapMinutes() * 60L;
                        String ticket = all.get(s.ticket());
                        boolean customer = s.ticket() < 2;
                        String other = (customer ? ENGINEERING : CUSTOMERS).get(s.other());
                        TicketEvent.Builder b = TicketEvent.builder(ticket + ":" + (++n), ticket, at, s.type())
                                .other(other).status(s.status()).priority(s.priority());
                        events.add(b.build());
                    }
                    return events;
                });
    }

    private static PolicySet load(String yaml) {
        try {
            return PolicyFileParser.parse("ola-properties.yaml", yaml);
        } catch (InvalidPolicyException e) {
            throw new IllegalStateException(e);
        }
    }
}
