package io.slabridge.core.fold;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.MetricCycle;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketSla;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.policy.InvalidPolicyException;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicySet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A small language for fold tests: a policy written as YAML, a ticket's events as one-liners on one day
 * (Monday 2 March 2026, UTC, unless a full instant is given), and lookups of the resulting cycles.
 */
final class FoldFixture {
    static final String DAY = "2026-03-02T";
    static final String TICKET = "jira:SUP-1";

    private final PolicySet policies;
    private final List<TicketEvent> events = new ArrayList<>();
    private int next;

    private FoldFixture(PolicySet policies) {
        this.policies = policies;
    }

    static FoldFixture policy(String yaml) {
        try {
            return new FoldFixture(PolicyFileParser.parse("test.yaml", yaml));
        } catch (InvalidPolicyException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** "09:15" means that time on the fixture's day, UTC; anything longer is a full ISO instant. */
    static Instant at(String time) {
        return Instant.parse(time.length() <= 8 ? DAY + (time.length() == 5 ? time + ":00" : time) + "Z" : time);
    }

    FoldFixture created(String time, String priority, String status, String tier) {
        return add(TicketEvent.builder(id(), TICKET, at(time), EventType.CREATED).priority(Priority.fromWire(priority))
                .status(TicketStatus.fromWire(status)).tier(tier).channel("email").build());
    }

    FoldFixture created(String time) {
        return created(time, "normal", "open", "pro");
    }

    FoldFixture customer(String time) {
        return add(TicketEvent.builder(id(), TICKET, at(time), EventType.CUSTOMER_MESSAGE).build());
    }

    FoldFixture reply(String time) {
        return add(TicketEvent.builder(id(), TICKET, at(time), EventType.AGENT_REPLY).build());
    }

    FoldFixture note(String time) {
        return add(TicketEvent.builder(id(), TICKET, at(time), EventType.INTERNAL_NOTE).build());
    }

    FoldFixture status(String time, String status) {
        return add(TicketEvent.builder(id(), TICKET, at(time), EventType.STATUS_CHANGED)
                .status(TicketStatus.fromWire(status)).build());
    }

    FoldFixture priority(String time, String priority) {
        return add(TicketEvent.builder(id(), TICKET, at(time), EventType.PRIORITY_CHANGED)
                .priority(Priority.fromWire(priority)).build());
    }

    FoldFixture tier(String time, String tier) {
        return add(TicketEvent.builder(id(), TICKET, at(time), EventType.ATTRIBUTES_CHANGED).tier(tier).build());
    }

    FoldFixture add(TicketEvent e) {
        events.add(e);
        return this;
    }

    private String id() {
        return TICKET + ":" + (++next);
    }

    List<TicketEvent> events() {
        return events;
    }

    PolicySet policies() {
        return policies;
    }

    TicketSla evaluate(String time) {
        return TicketFold.of(policies).fold(TICKET, events, at(time));
    }

    static MetricCycle cycle(TicketSla sla, Metric metric, int number) {
        return sla.cycles().stream().filter(c -> c.metric() == metric && c.cycle() == number).findFirst()
                .orElseThrow(() -> new AssertionError("no " + metric.wireName() + " cycle " + number + " in " + sla));
    }

    static long cycles(TicketSla sla, Metric metric) {
        return sla.cycles().stream().filter(c -> c.metric() == metric).count();
    }

    static Instant due(MetricCycle c) {
        return c.dueAt().orElse(null);
    }

    static Instant stopped(MetricCycle c) {
        return c.stoppedAt().orElse(null);
    }

    /** A policy file with one 24x7 UTC calendar, so that elapsed time is plain wall-clock time. */
    static String always(String policiesAndSettings) {
        return "calendars:\n  always: { zone: UTC, week: 24x7 }\n  office: { zone: UTC, week: { mon: [\"09:00-17:00\"], "
                + "tue: [\"09:00-17:00\"], wed: [\"09:00-17:00\"], thu: [\"09:00-17:00\"], fri: [\"09:00-17:00\"] } }\n"
                + policiesAndSettings;
    }
}
