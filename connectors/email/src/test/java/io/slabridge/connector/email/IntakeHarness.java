package io.slabridge.connector.email;

import io.slabridge.core.model.TicketEvent;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/** The email routes in a real Camel context against GreenMail, with a store and a sink that keeps every event. */
final class IntakeHarness implements AutoCloseable {
    final MailFixture mail;
    final JdbcSlaStore store;
    final List<TicketEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());
    private final UnaryOperator<EmailConfig.Builder> settings;
    DefaultCamelContext camel;
    EmailRoutes routes;

    IntakeHarness(MailFixture mail, UnaryOperator<EmailConfig.Builder> settings) throws Exception {
        this.mail = mail;
        this.settings = settings;
        this.store = JdbcSlaStore.open(StoreSettings.inMemory("mail" + UUID.randomUUID().toString().replace("-", "")));
        start();
    }

    void start() throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:events").routeId("test-sink").process(e -> {
                    @SuppressWarnings("unchecked")
                    List<TicketEvent> page = e.getIn().getBody(List.class);
                    events.addAll(page);
                });
            }
        });
        routes = new EmailRoutes(settings.apply(mail.config()).build(), store.dataSource(), "direct:events",
                Clock.systemUTC()).withoutAutoResolveTimer();
        camel.addRoutes(routes);
        camel.start();
    }

    /** Delivers with the inbox route stopped, so that a poll reads all of it at once. */
    void whileStopped(Runnable delivery) throws Exception {
        camel.getRouteController().stopRoute("email-inbox");
        delivery.run();
        camel.getRouteController().startRoute("email-inbox");
    }

    void restart() throws Exception {
        camel.stop();
        start();
    }

    List<TicketEvent> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    List<TicketEvent> of(String ticket) {
        return events().stream().filter(e -> e.ticket().equals(ticket)).toList();
    }

    EmailStats.Snapshot stats() {
        return routes.stats().snapshot();
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        camel.stop();
        store.close();
    }
}
