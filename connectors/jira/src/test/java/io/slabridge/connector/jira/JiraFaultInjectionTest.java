package io.slabridge.connector.jira;

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
import java.net.URI;
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
 * Jira failing on 30% of calls while at least 1,000 tickets go through the real {@link SlaRuntime}, store,
 * {@code OutboxDispatcher} (several threads, as several instances) and {@link JiraWriter}: every write lands,
 * in order per ticket, no comment twice, and the outbox drains once the faults stop.
 *
 * <p>Jira is {@link FaultyJira}: stateful, so comments posted before a lost answer are there for the writer's
 * look-up, and every applied write is recorded in order. Time is a {@link MutableClock} run up to 400 times
 * faster than real time (see {@link FaultRun}), so warnings, breaches, escalation steps and retry backoffs
 * all happen within the run. The client's response timeout is 250 ms, so a ten-second latency fault times out
 * with the write already applied.
 *
 * <p>System properties: {@code sla.faults.tickets} (default 1000), {@code sla.faults.seed},
 * {@code sla.faults.store} ({@code sqlite}, the embedded default and the default here, {@code h2} or {@code postgres} on 127.0.0.1:5432, database
 * {@code test}), {@code sla.faults.dispatchers} (6), {@code sla.faults.batch} (20).
 */
class JiraFaultInjectionTest {
    private static final int TICKETS = Integer.getInteger("sla.faults.tickets", 1000);
    private static final long SEED = Long.getLong("sla.faults.seed", 20260302L);
    private static final String STORE = System.getProperty("sla.faults.store", "sqlite");
    /** Six: each latency fault holds a dispatcher for the client's timeout, and Jira takes one command per call. */
    private static final int DISPATCHERS = Integer.getInteger("sla.faults.dispatchers", 6);
    private static final int BATCH = Integer.getInteger("sla.faults.batch", 20);
    private static final double FAULT_RATE = 0.30;
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    /** Tickets are created over the first hour; their stories last up to about two and a half hours. */
    private static final Duration CREATION_SPREAD = Duration.ofHours(1);

    private static final String STATUS = "customfield_10050";
    private static final String NEXT_DUE = "customfield_10051";
    private static final String FIRST_RESPONSE_DUE = "customfield_10052";
    private static final String NEXT_RESPONSE_DUE = "customfield_10053";
    private static final String RESOLUTION_DUE = "customfield_10054";

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
        FaultyJira fake = new FaultyJira(plan, run::inFlight, clock);

        WireMockServer jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(fake)
                .asynchronousResponseEnabled(true).asynchronousResponseThreads(4).containerThreads(64)
                .disableRequestJournal());
        jira.start();
        resources.add(jira::stop);
        jira.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.start();
        resources.add(camel::stop);
        JiraConfig config = JiraConfig.builder().url(URI.create(jira.baseUrl())).basic("bot@example.com", "token")
                .deployment(JiraConfig.Deployment.CLOUD).serviceManagement(true).statusField(STATUS)
                .nextDueField(NEXT_DUE).dueField(Metric.FIRST_RESPONSE, FIRST_RESPONSE_DUE)
                .dueField(Metric.NEXT_RESPONSE, NEXT_RESPONSE_DUE).dueField(Metric.RESOLUTION, RESOLUTION_DUE)
                .connectTimeout(Duration.ofSeconds(1)).responseTimeout(Duration.ofMillis(250)).build();
        JiraHttp http = JiraHttp.create(camel, config, clock);
        resources.add(http);
        JiraWriter writer = new JiraWriter(http);

        List<TicketEvent> events = TicketStories.generate(TICKETS, T0, CREATION_SPREAD, SEED,
                i -> "jira:FLT-" + (i + 1), "jira");
        run.start(Map.of("jira", writer));
        resources.add(run);
        // Faults on until the last event is in: the tickets' whole lives, every escalation step included.
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

        // ---- what Jira has
        WriteAudit.Result audit = WriteAudit.audit(rows, fake.applied(), row -> content(writer, config, row));
        List<String> wrongFields = wrongFinalFields(store, fake, writer);
        List<String> wrongPriorities = wrongFinalPriorities(rows, fake, config);
        Map<String, Long> kinds = new LinkedHashMap<>();
        rows.forEach(r -> kinds.merge(r.kind(), 1L, Long::sum));
        long retriedComments = rows.stream().filter(r -> r.kind().equals("comment") && r.attempts() > 1).count();
        int mostAttempts = rows.stream().mapToInt(WriteAudit.OutboxRow::attempts).max().orElse(0);

        String summary = String.format("jira fault injection: %d tickets, %d events, %d commands (%s), %d calls "
                + "(%s), %d during faults of which %d faulty (%.1f%%: %s), %d writes applied with the answer lost, "
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
        System.out.println("jira fault injection: deliveries " + run.outcomes() + "; comments retried " + retriedComments
                + "; most deliveries of one command " + mostAttempts + "; lease-guard waits " + run.guardWaits()
                + ", backlog waits " + run.backlogWaits()
                + (run.lastDispatcherError() == null ? "" : "; last store error " + run.lastDispatcherError()));

        assertEquals(List.of(), first(parked), "parked commands");
        assertEquals(0L, counts.get("pending"), "pending after the drain: " + counts);
        assertEquals(List.of(), first(audit.duplicates()), "comments posted twice");
        assertEquals(List.of(), first(audit.lost()), "commands done whose write Jira never got");
        assertEquals(List.of(), first(audit.outOfOrder()), "writes applied out of order");
        assertEquals(List.of(), first(wrongFields), "final SLA fields");
        assertEquals(List.of(), first(wrongPriorities), "final priorities");
        assertEquals(0, run.overlaps(), "two deliveries of one ticket at once");
        assertEquals(TICKETS, fake.issues(), "every ticket got its fields");

        // The run tested what it claims to: about 30% faults of every kind, lost answers, retried comments.
        assertTrue(TICKETS >= 1000, "at least 1,000 tickets");
        double rate = (double) plan.faults() / faultsOnCalls;
        assertTrue(rate > 0.27 && rate < 0.33, "fault rate " + rate);
        plan.faultsByKind().forEach((kind, n) -> assertTrue(n > 0.6 * plan.faults() / 7, kind + ": " + n));
        assertTrue(plan.landedThenLostCount() > 0, "some writes landed with their answer lost");
        assertTrue(fake.calls().getOrDefault("GET comment", 0L) > 0, "retried comments looked for themselves");
        assertTrue(kinds.getOrDefault("comment", 0L) >= TICKETS / 2, "escalation comments: " + kinds);
        assertTrue(kinds.getOrDefault("set_priority", 0L) > 0, "priority changes: " + kinds);
    }

    /** What Jira shows for a command's write: the fields body, the priority name, the comment's key. */
    private static String content(JiraWriter writer, JiraConfig config, WriteAudit.OutboxRow row) {
        if (row.payload() instanceof WriteBack.SlaFields f) {
            return writer.slaFieldValues(f).toString();
        } else if (row.payload() instanceof WriteBack.SetPriority p) {
            return config.jiraPriorityNames().get(p.priority());
        } else if (row.payload() instanceof WriteBack.Comment) {
            return row.idempotencyKey();
        }
        return null;
    }

    /** Tickets whose fields in Jira differ from the last fields the runtime computed for them. */
    private static List<String> wrongFinalFields(JdbcSlaStore store, FaultyJira fake, JiraWriter writer) {
        List<String> wrong = new ArrayList<>();
        WriteAudit.finalFields(store.dataSource()).forEach((ticket, fields) -> {
            ObjectNode expected = writer.slaFieldValues(fields);
            ObjectNode actual = fake.fields(ticket.substring("jira:".length()));
            ObjectNode shown = actual == null ? null : actual.deepCopy().retain(fieldNames(expected));
            if (!expected.equals(shown)) {
                wrong.add(ticket + ": expected " + expected + ", Jira has " + shown);
            }
        });
        return wrong;
    }

    private static List<String> fieldNames(ObjectNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Tickets whose priority in Jira is not the one their last set_priority command asked for. */
    private static List<String> wrongFinalPriorities(List<WriteAudit.OutboxRow> rows, FaultyJira fake, JiraConfig config) {
        Map<String, String> last = new LinkedHashMap<>();
        for (WriteAudit.OutboxRow r : rows) {
            if (r.payload() instanceof WriteBack.SetPriority p) {
                last.put(r.ticket(), config.jiraPriorityNames().get(p.priority()));
            }
        }
        List<String> wrong = new ArrayList<>();
        last.forEach((ticket, name) -> {
            ObjectNode fields = fake.fields(ticket.substring("jira:".length()));
            String actual = fields == null ? null : fields.path("priority").path("name").asText(null);
            if (!name.equals(actual)) {
                wrong.add(ticket + ": expected priority " + name + ", Jira has " + actual);
            }
        });
        return wrong;
    }

    private static List<String> first(List<String> items) {
        return items.size() <= 20 ? items : items.subList(0, 20);
    }

    private static long seconds(long startedNanos) {
        return Math.round((System.nanoTime() - startedNanos) / 1e9);
    }
}
