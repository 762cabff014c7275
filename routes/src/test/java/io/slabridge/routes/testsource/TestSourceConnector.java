package io.slabridge.routes.testsource;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.slabridge.connector.api.Connector;
import io.slabridge.connector.api.PollHealthCheck;
import io.slabridge.connector.api.Source;
import io.slabridge.connector.api.SourceContext;
import io.slabridge.connector.api.TicketMapping;
import io.slabridge.core.config.Setting;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.OutboxWriter;
import io.slabridge.core.outbox.WriteResult;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;

/**
 * A fourth source that lives only in the tests, registered in the tests' {@code META-INF/services}: what adding a
 * source takes is this class and that line, nothing in the application. Its events come in on
 * {@value #INBOUND}; its writer keeps what it is given.
 */
public final class TestSourceConnector implements Connector {
    /** Where the tests hand the source a list of ticket events. */
    public static final String INBOUND = "direct:testsource-in";
    /** The commands written back to the source by every application in this JVM, in order. */
    public static final List<OutboxCommand> WRITTEN = new CopyOnWriteArrayList<>();
    private static final String TICKET_PREFIX = "testsource:";

    /** Its one setting: the switch, off unless set. */
    static final Setting<Boolean> ENABLED = Setting.bool("sla.testsource.enabled").withDefault(false)
            .describedAs("Runs the tests' fourth source");

    @Override
    public String name() {
        return "testsource";
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(ENABLED);
    }

    @Override
    public Optional<Source> configure(Properties properties, Map<String, String> environment, List<String> problems) {
        Map<String, TicketStatus> statuses = new LinkedHashMap<>();
        statuses.put("new", TicketStatus.OPEN);
        statuses.put("working", TicketStatus.IN_PROGRESS);
        statuses.put("waiting", TicketStatus.WAITING_ON_CUSTOMER);
        statuses.put("parked", TicketStatus.ON_HOLD);
        statuses.put("done", TicketStatus.RESOLVED);
        statuses.put("closed", TicketStatus.CLOSED);
        int before = problems.size();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("sla.testsource.status.")) {
                TicketStatus s = TicketStatus.fromWire(properties.getProperty(key).strip());
                if (s == null) {
                    problems.add(key + ": '" + properties.getProperty(key) + "'; expected one of "
                            + TicketStatus.wireChoices());
                } else {
                    statuses.put(key.substring("sla.testsource.status.".length()), s);
                }
            }
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new TestSource(TicketMapping.builder(n -> n.strip().toLowerCase(Locale.ROOT))
                .statuses(statuses).build()));
    }

    private static final class TestSource implements Source {
        private final TicketMapping mapping;

        TestSource(TicketMapping mapping) {
            this.mapping = mapping;
        }

        @Override
        public TicketMapping mapping() {
            return mapping;
        }

        @Override
        public RoutesBuilder routes(SourceContext context) {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from(INBOUND).routeId("testsource-in").to(context.ingestUri());
                }
            };
        }

        @Override
        public OutboxWriter writer(CamelContext camel) {
            return command -> {
                if (!command.ticket().startsWith(TICKET_PREFIX)) {
                    return WriteResult.failed("'" + command.ticket() + "' is not a testsource ticket");
                }
                WRITTEN.add(command);
                return WriteResult.done();
            };
        }

        @Override
        public List<HealthCheck> healthChecks(Clock clock) {
            return List.of(PollHealthCheck.webhooksOnly("testsource"));
        }

        @Override
        public void bindMetrics(MeterRegistry registry) {
            FunctionCounter.builder("sla_testsource_written_total", WRITTEN, List::size)
                    .description("Commands the test source's writer was given").register(registry);
        }
    }
}
