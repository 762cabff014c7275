package io.slabridge.routes.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.SummaryState;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.runtime.OutboxDispatcher;
import io.slabridge.core.runtime.PolicyReloader;
import io.slabridge.core.runtime.RetryPolicy;
import io.slabridge.core.runtime.Scheduler;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime inside a real Camel context: events in through the ingest endpoint, write-backs out to a writer. */
class SlaRuntimeRoutesTest {

    @TempDir
    Path dir;

    @Test
    void aPollPageSentAsAListIsTakenInOneGoWithAnOutcomePerEvent() throws Exception {
        Path policy = dir.resolve("sla.yaml");
        Files.writeString(policy, """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: standard
                    calendar: always
                    targets: { first_response: 1h }
                """);
        Clock clock = Clock.systemUTC();
        List<OutboxCommand> written = new CopyOnWriteArrayList<>();
        try (JdbcSlaStore store = JdbcSlaStore.open(StoreSettings.inMemory("routes" + System.nanoTime()))) {
            SlaRuntime runtime = SlaRuntime.of(store, PolicyFileParser.parse(policy), clock);
            OutboxDispatcher dispatcher = new OutboxDispatcher(store, Map.of("jira", c -> {
                written.add(c);
                return WriteResult.done();
            }), clock, RetryPolicy.DEFAULT, new Random(1));
            CamelContext camel = new DefaultCamelContext();
            Properties settings = new Properties();
            settings.setProperty("sla.outbox.poll-interval", "50");
            camel.getPropertiesComponent().setInitialProperties(settings);
            camel.addRoutes(new SlaRuntimeRoutes(runtime, new Scheduler(runtime, clock, Duration.ofSeconds(1)), dispatcher,
                    null));
            camel.start();
            try {
                ProducerTemplate producer = camel.createProducerTemplate();
                Instant now = Instant.now().minusSeconds(60);
                TicketEvent first = TicketEvent.builder("jira:SUP-1:1", "jira:SUP-1", now, EventType.CREATED)
                        .priority(Priority.HIGH).status(TicketStatus.OPEN).build();
                TicketEvent second = TicketEvent.builder("jira:SUP-2:1", "jira:SUP-2", now, EventType.CREATED)
                        .priority(Priority.HIGH).status(TicketStatus.OPEN).build();
                assertEquals(List.of(SlaRuntime.Outcome.ACCEPTED, SlaRuntime.Outcome.DUPLICATE, SlaRuntime.Outcome.ACCEPTED),
                        producer.requestBody(SlaRuntimeRoutes.INGEST, List.of(first, first, second), List.class));
                assertEquals(SlaRuntime.Outcome.DUPLICATE,
                        producer.requestBody(SlaRuntimeRoutes.INGEST, second, SlaRuntime.Outcome.class));
                assertEquals(List.of(), producer.requestBody(SlaRuntimeRoutes.INGEST, List.of(), List.class));
                CamelExecutionException wrong = assertThrows(CamelExecutionException.class,
                        () -> producer.requestBody(SlaRuntimeRoutes.INGEST, List.of(first, "not an event")));
                assertTrue(wrong.getCause().getMessage().contains("must hold only TicketEvents, not java.lang.String"),
                        wrong.getCause().getMessage());

                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (written.size() < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(List.of("jira:SUP-1", "jira:SUP-2"), written.stream().map(OutboxCommand::ticket).sorted().toList(),
                        "each ticket of the page folded and its fields written back once");
            } finally {
                camel.stop();
            }
        }
    }

    @Test
    void anEventSentToTheIngestEndpointIsStoredFoldedAndItsFieldsWrittenBack() throws Exception {
        Path policy = dir.resolve("sla.yaml");
        Files.writeString(policy, """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: standard
                    calendar: always
                    targets: { first_response: 1h }
                """);
        Clock clock = Clock.systemUTC();
        List<OutboxCommand> written = new CopyOnWriteArrayList<>();
        try (JdbcSlaStore store = JdbcSlaStore.open(StoreSettings.inMemory("routes" + System.nanoTime()))) {
            SlaRuntime runtime = SlaRuntime.of(store, PolicyFileParser.parse(policy), clock);
            OutboxDispatcher dispatcher = new OutboxDispatcher(store, Map.of("jira", c -> {
                written.add(c);
                return WriteResult.done();
            }), clock, RetryPolicy.DEFAULT, new Random(1));
            CamelContext camel = new DefaultCamelContext();
            Properties settings = new Properties();
            settings.setProperty("sla.outbox.poll-interval", "50");
            camel.getPropertiesComponent().setInitialProperties(settings);
            camel.addRoutes(new SlaRuntimeRoutes(runtime, new Scheduler(runtime, clock, Duration.ofSeconds(1)), dispatcher,
                    new PolicyReloader(policy, runtime, Files.readString(policy))));
            camel.start();
            try {
                ProducerTemplate producer = camel.createProducerTemplate();
                Instant now = Instant.now().minusSeconds(60);
                TicketEvent created = TicketEvent.builder("jira:SUP-1:1", "jira:SUP-1", now, EventType.CREATED)
                        .priority(Priority.HIGH).status(TicketStatus.OPEN).build();
                assertEquals(SlaRuntime.Outcome.ACCEPTED,
                        producer.requestBody(SlaRuntimeRoutes.INGEST, created, SlaRuntime.Outcome.class));
                assertEquals(SlaRuntime.Outcome.DUPLICATE,
                        producer.requestBody(SlaRuntimeRoutes.INGEST, created, SlaRuntime.Outcome.class));
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (written.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(1, written.size(), "the outbox route delivered the SLA fields once");
                WriteBack.SlaFields fields = (WriteBack.SlaFields) written.get(0).payload();
                assertEquals(SummaryState.ON_TRACK, fields.summary());
                assertTrue(camel.getRouteController().getRouteStatus("sla-policy-reload").isStarted());
            } finally {
                camel.stop();
            }
        }
    }
}
