package io.slabridge.connector.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.core.testing.FaultPlan;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.core.testing.TicketStories;
import io.slabridge.core.testing.WriteAudit;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.testing.FaultRun;
import io.slabridge.store.testing.RunStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Salesforce failing on 30% of API calls while at least 1,000 Cases go through the real {@link SlaRuntime}, store,
 * {@code OutboxDispatcher} (several threads, as several instances) and {@link SalesforceWriter} (sObject
 * Collections: a batch of Cases per call): every write lands, in order per Case, no CaseComment twice, and the
 * outbox drains once the faults stop. Per-record errors are {@link SalesforceWriterTest}'s subject; here whole
 * calls fail.
 *
 * <p>Salesforce is {@link FaultySalesforce}: stateful, so a comment created before a lost answer is found by the
 * writer's SOQL look-up, and every applied record is recorded in order. Time is a {@link MutableClock} run
 * up to 400 times faster than real time (see {@link FaultRun}). The client's request timeout is 500 ms, so a
 * ten-second latency fault times out with the call already applied.
 *
 * <p>System properties: {@code sla.faults.tickets} (default 1000), {@code sla.faults.seed},
 * {@code sla.faults.store} ({@code sqlite}, the embedded default and the default here, {@code h2} or {@code postgres}), {@code sla.faults.dispatchers} (4),
 * {@code sla.faults.batch} (50, the service's default).
 */
class SalesforceFaultInjectionTest {
    private static final int TICKETS = Integer.getInteger("sla.faults.tickets", 1000);
    private static final long SEED = Long.getLong("sla.faults.seed", 20260302L);
    private static final String STORE = System.getProperty("sla.faults.store", "sqlite");
    private static final int DISPATCHERS = Integer.getInteger("sla.faults.dispatchers", 4);
    private static final int BATCH = Integer.getInteger("sla.faults.batch", 50);
    private static final double FAULT_RATE = 0.30;
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final Duration CREATION_SPREAD = Duration.ofHours(1);

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    @Timeout(value = 30, unit = java.util.concurrent.TimeUnit.MINUTES) // an outer bound: the run's own limits scale with TICKETS
    void everyWriteLandsOnceInOrderThroughThirtyPercentFaultsAndTheOutboxDrains() throws Exception {
        long started = System.nanoTime();
        MutableClock clock = new MutableClock(T0);
        RunStore runStore = RunStore.open(STORE, DISPATCHERS + 4);
        resources.add(runStore);
        JdbcSlaStore store = runStore.store();
        SlaRuntime runtime = SlaRuntime.of(store, TicketStories.policies(), clock);
        FaultRun run = new FaultRun(store, runtime, clock,
                new FaultRun.Settings(DISPATCHERS, BATCH, 400, Duration.ofSeconds(5), Duration.ofSeconds(100),
                        DISPATCHERS * BATCH), SEED);
        FaultPlan plan = new FaultPlan(SEED, FAULT_RATE);

        FaultySalesforce fake = new FaultySalesforce(plan, run::inFlight, clock, SalesforceFixtures.INTEGRATION_USER);
        WireMockServer sf = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(fake)
                .asynchronousResponseEnabled(true).asynchronousResponseThreads(4).containerThreads(64)
                .disableRequestJournal());
        sf.start();
        resources.add(sf::stop);
        SalesforceConfig config = SalesforceFixtures.config(sf).dueField(Metric.FIRST_RESPONSE, "SLA_First_Response_Due__c")
                .dueField(Metric.NEXT_RESPONSE, "SLA_Next_Response_Due__c").dueField(Metric.RESOLUTION, "SLA_Resolution_Due__c")
                .set(SalesforceSettings.REQUEST_TIMEOUT, "500ms").build();
        fake.serveAt("http://127.0.0.1:" + sf.port(), config.dataPath());
        sf.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.start();
        resources.add(camel::stop);
        SalesforceWriter writer = new SalesforceWriter(SalesforceApi.create(camel, config));

        List<TicketEvent> events = TicketStories.generate(TICKETS, T0, CREATION_SPREAD, SEED,
                i -> "salesforce:" + caseId(i), "salesforce");
        run.start(Map.of("salesforce", writer));
        resources.add(run);
        // Faults on until the last event is in: the Cases' whole lives, every escalation step included.
        run.feed(events, events.get(events.size() - 1).at(),
                Duration.ofSeconds(120 + TICKETS / 10));
        long faultPhaseSeconds = seconds(started);
        plan.stop();
        long faultsOnCalls = plan.callsWhileOn();
        long backlog = store.outboxCounts().get("pending");
        Duration drained = run.drain(4_000, Duration.ofHours(2), Duration.ofSeconds(60 + TICKETS / 50));
        run.close();

        // ---- what the store says
        Map<String, Long> counts = store.outboxCounts();
        List<WriteAudit.OutboxRow> rows = WriteAudit.outbox(store.dataSource());
        List<String> parked = rows.stream().filter(r -> r.status().equals("parked"))
                .map(r -> r.id() + " " + r.ticket() + " " + r.kind() + ": " + r.lastError()).toList();

        // ---- what Salesforce has
        WriteAudit.Result audit = WriteAudit.audit(rows, fake.applied(), row -> content(writer, config, row));
        List<String> wrongFields = new ArrayList<>();
        WriteAudit.finalFields(store.dataSource()).forEach((ticket, fields) -> {
            ObjectNode expected = writer.slaFieldValues(fields);
            ObjectNode actual = fake.fields(ticket.substring("salesforce:".length()));
            ObjectNode shown = actual == null ? null : actual.deepCopy().retain(fieldNames(expected));
            if (!expected.equals(shown)) {
                wrongFields.add(ticket + ": expected " + expected + ", Salesforce has " + shown);
            }
        });
        Map<String, String> lastPriority = new LinkedHashMap<>();
        rows.stream().filter(r -> r.payload() instanceof WriteBack.SetPriority).forEach(r -> lastPriority.put(r.ticket(),
                config.salesforcePriorityNames().get(((WriteBack.SetPriority) r.payload()).priority())));
        List<String> wrongPriorities = new ArrayList<>();
        lastPriority.forEach((ticket, name) -> {
            ObjectNode fields = fake.fields(ticket.substring("salesforce:".length()));
            String actual = fields == null ? null : fields.path("Priority").asText(null);
            if (!name.equals(actual)) {
                wrongPriorities.add(ticket + ": expected priority " + name + ", Salesforce has " + actual);
            }
        });
        Map<String, Long> kinds = new LinkedHashMap<>();
        rows.forEach(r -> kinds.merge(r.kind(), 1L, Long::sum));
        long retriedComments = rows.stream().filter(r -> r.kind().equals("comment") && r.attempts() > 1).count();
        int mostAttempts = rows.stream().mapToInt(WriteAudit.OutboxRow::attempts).max().orElse(0);

        String summary = String.format("salesforce fault injection: %d tickets, %d events, %d commands (%s), %d calls "
                + "(%s), %d during faults of which %d faulty (%.1f%%: %s), %d calls applied with the answer lost, "
                + "%d writes landed for %d commands (%d field writes superseded, %d re-applied), duplicates %d, "
                + "lost %d, out of order %d, parked %d, stale requests %d, overlapping deliveries %d, store errors %d; "
                + "%d commands pending when the faults stopped, outbox drained %d s (simulated) later; wall time "
                + "%d s (%d s under faults); %d dispatchers, batch %d, store %s, seed %d",
                TICKETS, events.size(), rows.size(), kinds, plan.calls(), fake.calls(), faultsOnCalls, plan.faults(),
                100.0 * plan.faults() / Math.max(1, faultsOnCalls), plan.describeFaults(), plan.landedThenLostCount(),
                audit.applied(), audit.commandsLanded(), audit.superseded(), audit.reapplied(), audit.duplicates().size(),
                audit.lost().size(), audit.outOfOrder().size(), parked.size(), fake.staleRequests(), run.overlaps(),
                run.dispatcherErrors(), backlog, drained.toSeconds(), seconds(started), faultPhaseSeconds, DISPATCHERS,
                BATCH, STORE, SEED);
        System.out.println(summary);
        System.out.println("salesforce fault injection: deliveries " + run.outcomes() + "; comments retried "
                + retriedComments + "; most deliveries of one command " + mostAttempts + "; lease-guard waits "
                + run.guardWaits() + ", backlog waits " + run.backlogWaits() + (run.lastDispatcherError() == null ? "" : "; last store error "
                        + run.lastDispatcherError()));

        assertEquals(List.of(), first(parked), "parked commands");
        assertEquals(0L, counts.get("pending"), "pending after the drain: " + counts);
        assertEquals(List.of(), first(audit.duplicates()), "comments created twice");
        assertEquals(List.of(), first(audit.lost()), "commands done whose write Salesforce never got");
        assertEquals(List.of(), first(audit.outOfOrder()), "writes applied out of order");
        assertEquals(List.of(), first(wrongFields), "final SLA fields");
        assertEquals(List.of(), first(wrongPriorities), "final priorities");
        assertEquals(0, run.overlaps(), "two deliveries of one Case at once");
        assertEquals(TICKETS, fake.cases(), "every Case got its fields");

        // The run tested what it claims to: about 30% faults of every kind, lost answers, retried comments.
        assertTrue(TICKETS >= 1000, "at least 1,000 tickets");
        double rate = (double) plan.faults() / faultsOnCalls;
        assertTrue(rate > 0.25 && rate < 0.35, "fault rate " + rate);
        plan.faultsByKind().forEach((kind, n) -> assertTrue(n > 0.5 * plan.faults() / 7, kind + ": " + n));
        assertTrue(plan.landedThenLostCount() > 0, "some calls landed with their answer lost");
        assertTrue(fake.calls().getOrDefault("GET query", 0L) > 0, "retried comments looked for themselves");
        assertTrue(kinds.getOrDefault("comment", 0L) >= TICKETS / 2, "escalation comments: " + kinds);
        assertTrue(kinds.getOrDefault("set_priority", 0L) > 0, "priority changes: " + kinds);
    }

    /** An 18-character Case id for the i-th ticket. */
    private static String caseId(int i) {
        return String.format("500%012dAAA", i + 1);
    }

    /** What Salesforce shows for a command's write: the Case fields, the Priority value, the comment's key. */
    private static String content(SalesforceWriter writer, SalesforceConfig config, WriteAudit.OutboxRow row) {
        if (row.payload() instanceof WriteBack.SlaFields f) {
            return writer.slaFieldValues(f).toString();
        } else if (row.payload() instanceof WriteBack.SetPriority p) {
            return config.salesforcePriorityNames().get(p.priority());
        } else if (row.payload() instanceof WriteBack.Comment c) {
            // Internal comments carry their key in a marker; public ones show the customer the text alone.
            return c.visibility() == io.slabridge.core.escalation.EscalationAction.Visibility.INTERNAL ? row.idempotencyKey()
                    : writer.commentBody(c, row.idempotencyKey());
        }
        return null;
    }

    private static List<String> fieldNames(ObjectNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> first(List<String> items) {
        return items.size() <= 20 ? items : items.subList(0, 20);
    }

    private static long seconds(long startedNanos) {
        return Math.round((System.nanoTime() - startedNanos) / 1e9);
    }
}
