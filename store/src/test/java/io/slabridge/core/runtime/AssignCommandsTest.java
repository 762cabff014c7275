package io.slabridge.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.store.JdbcSlaStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An {@code assign} step becomes one outbox command to the ticket's own system, once per ticket, metric, cycle and
 * step (a late event's refold adds none), and comes out of the store as it went in.
 */
class AssignCommandsTest {
    private static final String POLICY = """
            calendars: { always: { zone: UTC, week: 24x7 } }
            policies: [ { name: standard, calendar: always, targets: { first_response: 1h } } ]
            escalations:
              - name: breached
                at: breach
                actions:
                  - comment: { text: "{ticket} breached" }
                  - assign: { to: "lead@acme.example" }
            """;

    @Test
    void theStepReachesEachTicketsOwnWriterOnce() throws Exception {
        Instant t0 = Instant.parse("2026-03-06T10:00:00Z");
        MutableClock clock = new MutableClock(t0);
        try (JdbcSlaStore store = TestStores.h2()) {
            SlaRuntime runtime = SlaRuntime.of(store, PolicyFileParser.parse("sla.yaml", POLICY), clock);
            runtime.accept(TicketEvent.builder("j1", "jira:SUP-7", t0, EventType.CREATED).priority(Priority.HIGH)
                    .status(TicketStatus.OPEN).source("jira").title("Checkout fails").build());
            runtime.accept(TicketEvent.builder("s1", "salesforce:500Qy00000DemoAIAV", t0, EventType.CREATED)
                    .priority(Priority.HIGH).status(TicketStatus.OPEN).source("salesforce").build());
            List<OutboxCommand> assigns = new ArrayList<>();
            OutboxDispatcher d = new OutboxDispatcher(store, Map.of("jira", c -> keep(c, assigns),
                    "salesforce", c -> keep(c, assigns)), clock, RetryPolicy.DEFAULT, new Random(1));
            for (int minute = 0; minute <= 120; minute++) {
                clock.set(t0.plusSeconds(minute * 60L));
                runtime.tick();
                if (minute == 90) {
                    // A late event refolds the ticket: the fired step stays fired.
                    runtime.accept(TicketEvent.builder("j2", "jira:SUP-7", t0.plusSeconds(30),
                            EventType.ATTRIBUTES_CHANGED).source("jira").account("Acme").build());
                }
                while (d.dispatchOnce(10) > 0) {
                    // drain
                }
            }
            assertEquals(List.of("jira:SUP-7 jira", "salesforce:500Qy00000DemoAIAV salesforce"),
                    assigns.stream().map(c -> c.ticket() + " " + c.source()).sorted().toList());
            for (OutboxCommand c : assigns) {
                assertEquals(new WriteBack.Assign("lead@acme.example"), c.payload());
                assertEquals(true, c.idempotencyKey().endsWith("/1"), "the step's second action: " + c.idempotencyKey());
            }
        }
    }

    private static WriteResult keep(OutboxCommand c, List<OutboxCommand> assigns) {
        if (c.payload() instanceof WriteBack.Assign) {
            assigns.add(c);
        }
        return WriteResult.done();
    }
}
