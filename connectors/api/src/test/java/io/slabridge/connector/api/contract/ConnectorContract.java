package io.slabridge.connector.api.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.slabridge.connector.api.Connector;
import io.slabridge.connector.api.Connectors;
import io.slabridge.connector.api.Source;
import io.slabridge.connector.api.SourceContext;
import io.slabridge.connector.api.TicketMapping;
import io.slabridge.core.config.Settings;
import io.slabridge.core.escalation.EscalationAction.Visibility;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.SummaryState;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.outbox.BatchOutboxWriter;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.OutboxWriter;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicySet;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every connector promises the application, checked the same way for each: a connector's tests extend this
 * class and say how to configure it. Nothing here reaches a real source: the settings given point at nothing that
 * answers, and the writer is only handed commands it must refuse without a call.
 */
public abstract class ConnectorContract {
    /** A ticket key no connector owns. */
    private static final String FOREIGN_TICKET = "nosuchsource:4711";

    private JdbcSlaStore store;
    private DefaultCamelContext camel;

    /** The connector's name, as its settings and routes are prefixed. */
    protected abstract String name();

    /** Settings with which the connector configures without a problem; what they point at need not answer. */
    protected abstract Properties validSettings();

    /** The property that maps the source's status name {@code name} to a ticket status. */
    protected abstract String statusProperty(String name);

    /**
     * True for a channel that only sends (Slack, Teams): it reads no tickets, so it has no routes and maps no
     * statuses, and its writer takes commands of any source's tickets.
     */
    protected boolean outboundOnly() {
        return false;
    }

    /** Anything the routes need from the Camel context beyond the defaults (an HTTP server for webhooks). */
    protected void prepare(CamelContext context) throws Exception {
    }

    @BeforeEach
    void openStore() {
        store = JdbcSlaStore.open(StoreSettings.inMemory("contract-" + UUID.randomUUID()));
    }

    @AfterEach
    void close() {
        if (camel != null) {
            camel.stop();
        }
        store.close();
    }

    private static PolicySet policies() {
        try {
            return PolicyFileParser.parse("contract.yaml", """
                    calendars:
                      always: { zone: UTC, week: 24x7 }
                    policies:
                      - name: standard
                        calendar: always
                        targets: { first_response: 1h }
                    """);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Connector connector() {
        List<Connector> found = Connectors.discover().stream().filter(c -> c.name().equals(name())).toList();
        assertEquals(1, found.size(), "connectors named '" + name() + "' on the class path: " + found);
        return found.get(0);
    }

    private Source configured(Properties settings) {
        List<String> problems = new ArrayList<>();
        Optional<Source> source = connector().configure(settings, Map.of(), problems);
        assertEquals(List.of(), problems, "problems with the valid settings");
        assertTrue(source.isPresent(), "no problem, yet no source");
        return source.get();
    }

    @Test
    void isFoundOnTheClassPathByItsName() {
        Connector c = connector();
        assertTrue(c.name().matches("[a-z][a-z0-9]*"), c.name());
        assertTrue(c.writeLimits().defaultConcurrency() >= 1);
    }

    @Test
    void runsOnlyWhenEnabledAndAWrongEnabledValueIsNamed() {
        Connector c = connector();
        String enabled = "sla." + name() + ".enabled";
        List<String> problems = new ArrayList<>();
        assertFalse(Connectors.enabled(c, new Settings(new Properties(), Map.of()), problems), "on without being asked");
        Properties on = new Properties();
        on.setProperty(enabled, "true");
        assertTrue(Connectors.enabled(c, new Settings(on, Map.of()), problems));
        assertTrue(Connectors.enabled(c, new Settings(new Properties(),
                Map.of(enabled.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), "true")), problems),
                "enabled from the environment");
        assertEquals(List.of(), problems);
        Properties wrong = new Properties();
        wrong.setProperty(enabled, "maybe");
        assertFalse(Connectors.enabled(c, new Settings(wrong, Map.of()), problems));
        assertEquals(List.of(enabled + ": 'maybe'; expected true or false"), problems);
    }

    @Test
    void missingSettingsAreEachNamedByTheirProperty() {
        List<String> problems = new ArrayList<>();
        Optional<Source> source = connector().configure(new Properties(), Map.of(), problems);
        assertEquals(source.isEmpty(), !problems.isEmpty(), "a source comes exactly when nothing is wrong: " + problems);
        for (String p : problems) {
            assertTrue(p.startsWith("sla." + name() + "."), "a problem not naming the source's property: " + p);
        }
        configured(validSettings());
    }

    @Test
    void everyTicketStatusCanBeMappedFromASourceName() {
        org.junit.jupiter.api.Assumptions.assumeFalse(outboundOnly(), "an outbound-only channel reads no statuses");
        Properties settings = validSettings();
        for (TicketStatus s : TicketStatus.values()) {
            settings.setProperty(statusProperty("contract-" + s.ordinal()), s.wireName());
        }
        TicketMapping mapping = configured(settings).mapping();
        for (TicketStatus s : TicketStatus.values()) {
            assertEquals(Optional.of(s), mapping.status("Contract-" + s.ordinal()), s.wireName());
        }
        assertEquals(Set.of(TicketStatus.values()), mapping.statusesReached());
        assertTrue(mapping.status("no such status " + UUID.randomUUID()).isEmpty(), "an unknown name is not mapped");
    }

    @Test
    void routesCarryTheSourcesNameAndStartAndStop() throws Exception {
        Source source = configured(validSettings());
        camel = new DefaultCamelContext();
        prepare(camel);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:contract-ingest").routeId("contract-ingest").log("events in");
            }
        });
        camel.addRoutes(source.routes(new SourceContext(store, store.dataSource(), "direct:contract-ingest",
                Clock.systemUTC(), ConnectorContract::policies)));
        camel.start();
        Set<String> ids = camel.getRoutes().stream().map(Route::getRouteId).filter(id -> !id.equals("contract-ingest"))
                .collect(Collectors.toSet());
        if (outboundOnly()) {
            assertEquals(Set.of(), ids, "an outbound-only channel reads nothing");
        } else {
            assertFalse(ids.isEmpty(), "no route reads the source");
        }
        for (String id : ids) {
            assertTrue(id.startsWith(name() + "-"), "route id '" + id + "' does not start with '" + name() + "-'");
        }
        assertTrue(ids.containsAll(source.pollingRoutes()), "polling routes " + source.pollingRoutes() + " not among " + ids);
        for (String id : ids) {
            ServiceStatus status = camel.getRouteController().getRouteStatus(id);
            assertTrue(status.isStarted() || !camel.getRoute(id).isAutoStartup(), id + " is " + status);
        }

        OutboxWriter writer = source.writer(camel);
        if (connector().writeLimits().maxBatch() > 1) {
            BatchOutboxWriter batch = assertInstanceOf(BatchOutboxWriter.class, writer);
            assertEquals(connector().writeLimits().maxBatch(), batch.maxBatch());
        }
        for (WriteBack payload : List.of(new WriteBack.SlaFields(SummaryState.ON_TRACK, null, Map.of()),
                new WriteBack.Comment(Visibility.INTERNAL, "escalated"), new WriteBack.SetPriority(Priority.HIGH))) {
            OutboxCommand command = new OutboxCommand(1, FOREIGN_TICKET, name(), payload,
                    FOREIGN_TICKET + ":" + payload.kind(), Instant.now(), 0);
            WriteResult result = writer.write(command);
            WriteResult.Failed failed = assertInstanceOf(WriteResult.Failed.class, result, payload.kind());
            assertTrue(failed.reason().contains(FOREIGN_TICKET), payload.kind() + ": " + failed.reason());
        }

        for (HealthCheck check : source.healthChecks(Clock.systemUTC())) {
            assertEquals("source-" + name(), check.getId());
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        source.bindMetrics(registry);
        for (Meter m : registry.getMeters()) {
            assertTrue(m.getId().getName().startsWith("sla_" + name() + "_"), m.getId().getName());
        }
        source.longestWriteCall().ifPresent(call -> assertTrue(call.settings().contains("sla." + name() + "."),
                call.settings()));

        camel.stop();
        for (String id : ids) {
            assertTrue(camel.getRouteController().getRouteStatus(id) == null
                    || camel.getRouteController().getRouteStatus(id).isStopped(), id + " still runs");
        }
    }
}
