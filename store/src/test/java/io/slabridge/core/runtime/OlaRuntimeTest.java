package io.slabridge.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.store.JdbcSlaStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The live runtime folds linked pairs (SLA-SPEC section 7, issue 16): a link reported by one side only still ties
 * the pair, the scheduler wakes when the OLA needs it, and each OLA escalation step fires once, on the ticket its
 * {@code on} names, however many instances tick.
 */
class OlaRuntimeTest {
    static final String POLICY = """
            calendars: { always: { zone: UTC, week: 24x7 } }
            policies:
              - { name: support, when: { source: salesforce }, calendar: always, targets: { first_response: 1h, resolution: 8h } }
            olas:
              - name: eng
                when:
                  engineering: { source: jira }
                  customer: { source: salesforce }
                calendar: always
                targets: { first_response: 2h }
                escalations:
                  - name: ola-warn
                    at: "75%"
                    actions: [ { comment: { text: "OLA {policy} at risk: {metric} due {due}" } } ]
                  - name: ola-breach
                    at: breach
                    on: customer
                    actions:
                      - comment: { text: "Engineering missed its {metric} OLA ({step})" }
                      - slack: { channel: "#eng-escalations", text: "{ticket}: engineering OLA {condition}" }
            """;
    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    static final String CASE = "salesforce:500A";
    static final String ENG = "jira:ENG-1";

    @Test
    void onTheEmbeddedStore() throws Exception {
        try (JdbcSlaStore store = TestStores.sqlite()) {
            olaStepsFireOnceOnTheirTickets(store);
        }
    }

    @Test
    void onH2() throws Exception {
        try (JdbcSlaStore store = TestStores.h2()) {
            olaStepsFireOnceOnTheirTickets(store);
        }
    }

    @Test
    void onPostgresql() throws Exception {
        TestStores.PostgresStore pg = TestStores.postgres();
        try {
            olaStepsFireOnceOnTheirTickets(pg.store());
        } finally {
            pg.dropSchema();
        }
    }

    static PolicySet policies() throws Exception {
        return PolicyFileParser.parse("sla.yaml", POLICY);
    }

    static List<TicketEvent> caseAndIssue() {
        return List.of(
                TicketEvent.builder("sf:created", CASE, T0, EventType.CREATED).priority(Priority.HIGH)
                        .status(TicketStatus.OPEN).source("salesforce").title("Checkout fails").account("Acme").build(),
                TicketEvent.builder("sf:r1", CASE, T0.plusSeconds(300), EventType.AGENT_REPLY).source("salesforce").build(),
                TicketEvent.builder("jira:created", ENG, T0.plusSeconds(600), EventType.CREATED).priority(Priority.NORMAL)
                        .status(TicketStatus.OPEN).source("jira").title("NPE in checkout").build());
    }

    /** Only the engineering issue reports the link (a Jira field naming the Case). */
    static TicketEvent linkFromJira(Instant at) {
        return TicketEvent.builder("jira:ENG-1:linked", ENG, at, EventType.LINKED).other(CASE).source("jira").build();
    }

    private static void olaStepsFireOnceOnTheirTickets(JdbcSlaStore store) throws Exception {
        MutableClock clock = new MutableClock(T0.plusSeconds(600));
        SlaRuntime one = SlaRuntime.of(store, policies(), clock);
        SlaRuntime two = SlaRuntime.of(store, policies(), clock);
        List<SlaRuntime.Transition> told = java.util.Collections.synchronizedList(new ArrayList<>());
        one.onTransition(told::add);
        two.onTransition(told::add);
        one.acceptAll(caseAndIssue());
        Instant linkedAt = T0.plusSeconds(1200);
        clock.set(linkedAt);
        one.accept(linkFromJira(linkedAt));
        assertEquals(Optional.of(linkedAt.plusSeconds(90 * 60)), one.nextWake(),
                "the scheduler wakes when the OLA reaches 75% of its 2h (before the case's 6h warning)");

        // An event on the Case alone refolds the engineering issue too: the link was reported on the Jira side only.
        long before = version(store, ENG);
        clock.set(linkedAt.plusSeconds(60));
        one.accept(TicketEvent.builder("sf:m1", CASE, linkedAt.plusSeconds(60), EventType.CUSTOMER_MESSAGE)
                .source("salesforce").build());
        assertEquals(before + 1, version(store, ENG), "the Case's event refolded its linked issue");

        List<OutboxCommand> jira = new ArrayList<>();
        List<OutboxCommand> salesforce = new ArrayList<>();
        List<OutboxCommand> slack = new ArrayList<>();
        OutboxDispatcher d = new OutboxDispatcher(store, Map.of(
                "jira", c -> add(jira, c), "salesforce", c -> add(salesforce, c), "slack", c -> add(slack, c)),
                clock, RetryPolicy.DEFAULT, new Random(1));
        for (int minute = 2; minute <= 150; minute++) {
            clock.set(linkedAt.plusSeconds(minute * 60L));
            one.tick();
            two.tick(); // a second instance on the same store finds nothing left to fire
            while (d.dispatchOnce(10) > 0) {
                // drain
            }
        }
        List<String> jiraComments = comments(jira);
        assertEquals(List.of("OLA eng at risk: first_response due 2026-03-02T11:20:00Z"), jiraComments,
                "the warning lands once, on the engineering issue");
        assertEquals(List.of("Engineering missed its first_response OLA (ola-breach)"), comments(salesforce),
                "the breach step lands once, on the Case (on: customer)");
        assertEquals(1, slack.size());
        assertEquals(CASE, slack.get(0).ticket());
        WriteBack.SlackMessage message = (WriteBack.SlackMessage) slack.get(0).payload();
        assertEquals(CASE + ": engineering OLA breached", message.text());
        assertEquals("eng", message.alert().policy());
        assertEquals("Acme", message.alert().account());

        // Replaying the same events, and a refold of everything, fires nothing again.
        one.acceptAll(caseAndIssue());
        one.reload(policies());
        while (d.dispatchOnce(10) > 0) {
            // drain
        }
        assertEquals(1, comments(salesforce).size());
        assertEquals(1, comments(jira).size());
        // What sla_ola_warnings_total and sla_ola_breaches_total count: once each, whichever instance refolded.
        assertEquals(List.of(
                new SlaRuntime.Transition(ENG, "jira", Metric.FIRST_RESPONSE, "eng", SlaRuntime.Transition.Condition.AT_RISK,
                        CASE),
                new SlaRuntime.Transition(ENG, "jira", Metric.FIRST_RESPONSE, "eng", SlaRuntime.Transition.Condition.BREACHED,
                        CASE)), told.stream().filter(SlaRuntime.Transition::isOla).toList());
        assertTrue(one.nextWake().map(w -> w.isAfter(linkedAt.plusSeconds(150 * 60))).orElse(true),
                "a breached OLA asks for no more wake-ups before the Case's own");
    }

    @Test
    void bothSidesSeeBothClocksOnTheEmbeddedStore() throws Exception {
        try (JdbcSlaStore store = TestStores.sqlite()) {
            bothSidesSeeBothClocks(store);
        }
    }

    @Test
    void bothSidesSeeBothClocksOnH2() throws Exception {
        try (JdbcSlaStore store = TestStores.h2()) {
            bothSidesSeeBothClocks(store);
        }
    }

    /** The SLA field writes: the Case shows engineering's OLA, the issue its customer's SLA, each as the other acts. */
    private static void bothSidesSeeBothClocks(JdbcSlaStore store) throws Exception {
        MutableClock clock = new MutableClock(T0.plusSeconds(600));
        SlaRuntime runtime = SlaRuntime.of(store, policies(), clock);
        List<OutboxCommand> jira = new ArrayList<>();
        List<OutboxCommand> salesforce = new ArrayList<>();
        OutboxDispatcher d = new OutboxDispatcher(store, Map.of("jira", c -> add(jira, c), "salesforce",
                c -> add(salesforce, c), "slack", c -> WriteResult.done()), clock, RetryPolicy.DEFAULT, new Random(1));
        runtime.acceptAll(caseAndIssue());
        drain(d);
        assertEquals(List.of(), fields(jira), "an engineering issue under no SLA policy and no link shows nothing");
        assertEquals(null, fields(salesforce).get(fields(salesforce).size() - 1).linked(), "the Case is not linked yet");

        Instant linkedAt = T0.plusSeconds(1200);
        clock.set(linkedAt);
        runtime.accept(linkFromJira(linkedAt));
        drain(d);
        WriteBack.Linked onCase = fields(salesforce).get(fields(salesforce).size() - 1).linked();
        assertEquals("ENG-1 On track", onCase.linkedStatus());
        assertEquals(linkedAt.plusSeconds(2 * 3600), onCase.linkedDue(), "the OLA's first response due");
        WriteBack.Linked onIssue = fields(jira).get(fields(jira).size() - 1).linked();
        assertEquals("500A On track", onIssue.customerStatus());
        assertEquals(T0.plusSeconds(8 * 3600), onIssue.customerDue(), "the Case's resolution due (first response met)");
        assertEquals("Acme", onIssue.customerAccount());
        assertEquals(1, onIssue.customersWaiting());

        // Engineering answers: the OLA is met, and the Case shows it in the same field write as its own SLA.
        int caseWrites = fields(salesforce).size();
        clock.set(linkedAt.plusSeconds(1800));
        runtime.accept(TicketEvent.builder("jira:r1", ENG, linkedAt.plusSeconds(1800), EventType.AGENT_REPLY)
                .source("jira").build());
        drain(d);
        assertEquals(caseWrites + 1, fields(salesforce).size(), "one field write on the Case");
        onCase = fields(salesforce).get(fields(salesforce).size() - 1).linked();
        assertEquals("ENG-1 Met", onCase.linkedStatus());
        assertEquals(null, onCase.linkedDue(), "no OLA running");

        // The customer's clock moves (waiting on the customer pauses it): the issue shows it.
        clock.set(linkedAt.plusSeconds(2400));
        runtime.accept(TicketEvent.builder("sf:s1", CASE, linkedAt.plusSeconds(2400), EventType.STATUS_CHANGED)
                .status(TicketStatus.WAITING_ON_CUSTOMER).source("salesforce").build());
        drain(d);
        onIssue = fields(jira).get(fields(jira).size() - 1).linked();
        assertEquals("500A Paused", onIssue.customerStatus());
    }

    private static void drain(OutboxDispatcher d) {
        while (d.dispatchOnce(10) > 0) {
            // drain
        }
    }

    static List<WriteBack.SlaFields> fields(List<OutboxCommand> commands) {
        return commands.stream().filter(c -> c.payload() instanceof WriteBack.SlaFields)
                .map(c -> (WriteBack.SlaFields) c.payload()).toList();
    }

    private static WriteResult add(List<OutboxCommand> into, OutboxCommand c) {
        into.add(c);
        return WriteResult.done();
    }

    static List<String> comments(List<OutboxCommand> commands) {
        return commands.stream().filter(c -> c.payload() instanceof WriteBack.Comment)
                .map(c -> ((WriteBack.Comment) c.payload()).text()).toList();
    }

    static long version(JdbcSlaStore store, String ticket) {
        return store.inTransaction(tx -> tx.lockTickets(List.of(ticket), t -> "x").get(ticket).version());
    }
}
