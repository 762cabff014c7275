package io.slabridge.routes.testsource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.routes.app.SlaBridgeApplication;
import io.slabridge.routes.app.StartupException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source the application has never heard of: {@link TestSourceConnector}, on the class path through the tests'
 * {@code META-INF/services} and turned on by {@code sla.testsource.enabled=true}. Its events reach the store and its
 * writer gets its tickets' write-backs, with nothing in the application naming it.
 */
class FourthSourceTest {
    @TempDir
    Path dir;

    private Properties settings() throws Exception {
        Path policy = dir.resolve("sla.yaml");
        Files.writeString(policy, """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: standard
                    calendar: always
                    targets: { first_response: 1h }
                """);
        Properties p = new Properties();
        p.setProperty("sla.policy", policy.toString());
        p.setProperty("sla.store.url", "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
        p.setProperty("sla.store.user", "sa");
        p.setProperty("sla.outbox.poll-interval", "100");
        p.setProperty("camel.server.port", Integer.toString(freePort()));
        p.setProperty("camel.management.port", Integer.toString(freePort()));
        return p;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void anEnabledSourceOnTheClassPathIsReadAndWrittenBack() throws Exception {
        Properties p = settings();
        p.setProperty("sla.testsource.enabled", "true");
        String ticket = "testsource:T-" + System.nanoTime();
        try (SlaBridgeApplication app = SlaBridgeApplication.create(p, Map.of(), Clock.systemUTC())) {
            app.start();
            Instant at = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS);
            TicketEvent created = TicketEvent.builder(ticket + ":1", ticket, at, EventType.CREATED)
                    .status(TicketStatus.OPEN).priority(Priority.HIGH).source("testsource").build();
            app.camelContext().createProducerTemplate().requestBody(TestSourceConnector.INBOUND, List.of(created));

            assertEquals(List.of(created.id()), app.store().inTransaction(tx -> tx.events(ticket)).stream()
                    .map(TicketEvent::id).toList(), "the event in the store");
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (written(ticket).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            List<OutboxCommand> written = written(ticket);
            assertEquals(1, written.size(), "the write-backs of " + ticket + ": " + written);
            assertEquals("testsource", written.get(0).source());
            WriteBack.SlaFields fields = (WriteBack.SlaFields) written.get(0).payload();
            assertEquals("On track", fields.summary().label());
            assertNotNull(app.camelContext().getRoute("testsource-in"), "its route runs");
        }
    }

    @Test
    void aSourceOnTheClassPathStaysOffUntilEnabledAndItsSwitchIsChecked() throws Exception {
        Properties p = settings();
        try (SlaBridgeApplication app = SlaBridgeApplication.create(p, Map.of(), Clock.systemUTC())) {
            app.start();
            assertNull(app.camelContext().getRoute("testsource-in"), "off unless enabled");
        }
        p.setProperty("sla.testsource.enabled", "sure");
        StartupException e = assertThrows(StartupException.class,
                () -> SlaBridgeApplication.create(p, Map.of(), Clock.systemUTC()));
        assertEquals(List.of("sla.testsource.enabled: 'sure'; expected true or false"), e.problems());
    }

    private static List<OutboxCommand> written(String ticket) {
        return TestSourceConnector.WRITTEN.stream().filter(c -> c.ticket().equals(ticket)).toList();
    }
}
