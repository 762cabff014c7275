package io.slabridge.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.core.testing.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Slack and Teams steps become outbox commands addressed to the channel's writer, with the ticket's key kept, once
 * per ticket, metric, cycle and step, and come out of the store as they went in.
 */
class ChannelCommandsTest {
    private static final String POLICY = """
            calendars: { always: { zone: UTC, week: 24x7 } }
            policies: [ { name: standard, calendar: always, targets: { first_response: 1h } } ]
            escalations:
              - name: at-risk
                at: "75%"
                actions:
                  - slack: { channel: "#support-escalations", text: "{ticket} at risk" }
              - name: breached
                at: breach
                actions:
                  - slack: { channel: "#support-escalations" }
                  - slack: { to: assignee }
                  - teams: { webhook: leads, text: "{ticket}: {condition}" }
            """;

    @Test
    void stepsReachTheChannelsWritersOnceWithTheTicketsFields() throws Exception {
        Instant t0 = Instant.parse("2026-03-06T10:00:00Z");
        MutableClock clock = new MutableClock(t0);
        try (JdbcSlaStore store = TestStores.h2()) {
            SlaRuntime runtime = SlaRuntime.of(store, PolicyFileParser.parse("sla.yaml", POLICY), clock);
            runtime.accept(TicketEvent.builder("e1", "jira:SUP-7", t0, EventType.CREATED).priority(Priority.HIGH)
                    .status(TicketStatus.OPEN).source("jira").title("Checkout fails").account("Acme Corp").build());
            // The account changes later: the alert shows the ticket's latest.
            runtime.accept(TicketEvent.builder("e2", "jira:SUP-7", t0.plusSeconds(60), EventType.ATTRIBUTES_CHANGED)
                    .source("jira").account("Acme Inc").build());
            List<OutboxCommand> slack = new ArrayList<>();
            List<OutboxCommand> teams = new ArrayList<>();
            List<String> jira = new ArrayList<>();
            OutboxDispatcher d = new OutboxDispatcher(store, Map.of(
                    "jira", c -> {
                        jira.add(c.payload().kind());
                        return WriteResult.done();
                    },
                    "slack", c -> {
                        slack.add(c);
                        return WriteResult.done();
                    },
                    "teams", c -> {
                        teams.add(c);
                        return WriteResult.done();
                    }), clock, RetryPolicy.DEFAULT, new Random(1));
            for (int minute = 0; minute <= 120; minute++) {
                clock.set(t0.plusSeconds(minute * 60L));
                runtime.tick();
                while (d.dispatchOnce(10) > 0) {
                    // drain
                }
            }
            assertEquals(List.of("slack", "slack", "slack"), slack.stream().map(OutboxCommand::source).toList());
            assertEquals(List.of("jira:SUP-7", "jira:SUP-7", "jira:SUP-7"), slack.stream().map(OutboxCommand::ticket).toList());
            assertEquals(1, teams.size(), "one step, one card");
            assertEquals(List.of(), jira.stream().filter(k -> !k.equals("sla_fields")).toList(),
                    "nothing of the chat steps goes to the ticket's own system");

            WriteBack.SlackMessage first = (WriteBack.SlackMessage) slack.get(0).payload();
            assertEquals("#support-escalations", first.channel());
            assertEquals("jira:SUP-7 at risk", first.text());
            assertEquals("at risk", first.alert().condition());
            assertEquals(Metric.FIRST_RESPONSE, first.alert().metric());
            assertEquals(1, first.alert().cycle());
            assertEquals("Checkout fails", first.alert().title());
            assertEquals("Acme Inc", first.alert().account(), "the latest account");
            assertEquals(Instant.parse("2026-03-06T11:00:00Z"), first.alert().due());
            assertEquals(15 * 60, first.alert().remainingSeconds());

            WriteBack.SlackMessage breach = (WriteBack.SlackMessage) slack.get(1).payload();
            assertEquals("SLA breached: first_response of jira:SUP-7 (Checkout fails), step breached", breach.text());
            assertEquals(-60, breach.alert().remainingSeconds(), "as late as when the scheduler looked, a minute after");
            WriteBack.SlackMessage dm = (WriteBack.SlackMessage) slack.get(2).payload();
            assertNull(dm.channel(), "to the assignee");
            assertNull(dm.alert().assignee(), "no agent has replied: the events name no one");

            WriteBack.TeamsMessage card = (WriteBack.TeamsMessage) teams.get(0).payload();
            assertEquals("leads", card.webhook());
            assertEquals("jira:SUP-7: breached", card.text());
            assertEquals("breached", card.alert().condition());
            assertEquals("standard", card.alert().policy());
        }
    }

    @Test
    void theAssigneeIsTheAuthorOfTheLatestAgentReply() throws Exception {
        Instant t0 = Instant.parse("2026-03-06T10:00:00Z");
        MutableClock clock = new MutableClock(t0);
        try (JdbcSlaStore store = TestStores.h2()) {
            SlaRuntime runtime = SlaRuntime.of(store, PolicyFileParser.parse("sla.yaml", """
                    calendars: { always: { zone: UTC, week: 24x7 } }
                    policies: [ { name: standard, calendar: always, targets: { resolution: 1h } } ]
                    escalations:
                      - name: breached
                        at: breach
                        actions:
                          - slack: { to: assignee }
                    """), clock);
            runtime.accept(TicketEvent.builder("e1", "email:<a@x>", t0, EventType.CREATED).priority(Priority.HIGH)
                    .status(TicketStatus.OPEN).source("email").author("customer@client.example").build());
            runtime.accept(TicketEvent.builder("e2", "email:<a@x>", t0.plusSeconds(60), EventType.AGENT_REPLY)
                    .source("email").author("ana@support.example").build());
            runtime.accept(TicketEvent.builder("e3", "email:<a@x>", t0.plusSeconds(120), EventType.CUSTOMER_MESSAGE)
                    .source("email").author("customer@client.example").build());
            List<WriteBack.SlackMessage> sent = new ArrayList<>();
            OutboxDispatcher d = new OutboxDispatcher(store, Map.of("email", c -> WriteResult.done(), "slack", c -> {
                sent.add((WriteBack.SlackMessage) c.payload());
                return WriteResult.done();
            }), clock, RetryPolicy.DEFAULT, new Random(1));
            clock.set(t0.plusSeconds(3601));
            runtime.tick();
            while (d.dispatchOnce(10) > 0) {
                // drain
            }
            assertEquals(1, sent.size());
            assertEquals("ana@support.example", sent.get(0).alert().assignee());
        }
    }
}
