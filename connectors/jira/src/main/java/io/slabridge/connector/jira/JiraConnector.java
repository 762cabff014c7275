package io.slabridge.connector.jira;

import io.slabridge.core.config.Setting;
import io.slabridge.core.config.Settings;
import io.slabridge.connector.api.Connector;
import io.slabridge.connector.api.PollHealthCheck;
import io.slabridge.connector.api.Source;
import io.slabridge.connector.api.SourceContext;
import io.slabridge.connector.api.TicketLinks;
import io.slabridge.connector.api.TicketMapping;
import io.slabridge.connector.api.WriteCall;
import io.slabridge.connector.api.WriteLimits;
import io.slabridge.core.outbox.OutboxWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.health.HealthCheck;

/** Jira as a ticket source ({@code sla.jira.*}): webhooks and JQL polls in, SLA fields, comments and priority out. */
public final class JiraConnector implements Connector {
    /** Four calls at once by default: Jira Cloud answers one issue's PUT in about a second. */
    private static final WriteLimits WRITES = new WriteLimits(4, 64, 1);

    @Override
    public String name() {
        return "jira";
    }

    @Override
    public List<Setting<?>> settings() {
        return JiraSettings.ALL;
    }

    @Override
    public WriteLimits writeLimits() {
        return WRITES;
    }

    /** An issue's page: {@code <sla.jira.url>/browse/{id}}. */
    @Override
    public Optional<String> ticketPage(Settings settings) {
        return TicketLinks.webBase(settings.get(JiraSettings.URL.name())).map(base -> base + "/browse/{id}");
    }

    @Override
    public Optional<Source> configure(Properties properties, Map<String, String> environment, List<String> problems) {
        try {
            return Optional.of(new JiraSource(JiraConfig.from(properties, environment)));
        } catch (JiraConfigException e) {
            problems.addAll(e.problems());
            return Optional.empty();
        }
    }

    /** Jira with its settings. */
    static final class JiraSource implements Source {
        private final JiraConfig config;
        private JiraRoutes routes;

        JiraSource(JiraConfig config) {
            this.config = config;
        }

        @Override
        public TicketMapping mapping() {
            return JiraMapping.of(config);
        }

        /** A wrong field id would otherwise show only as every SLA write being refused. */
        @Override
        public List<String> checkAgainstSource(Clock clock) {
            return JiraStartupCheck.problems(config, clock, false);
        }

        @Override
        public Optional<WriteCall> longestWriteCall() {
            return Optional.of(new WriteCall(config.connectTimeout().plus(config.responseTimeout()),
                    JiraSettings.CONNECT_TIMEOUT.name() + " + " + JiraSettings.RESPONSE_TIMEOUT.name()));
        }

        @Override
        public OptionalInt webhookMaxBytes() {
            return OptionalInt.of(config.webhookMaxBytes());
        }

        @Override
        public RoutesBuilder routes(SourceContext context) {
            routes = new JiraRoutes(config, context.cursors(), context.ingestUri(), context.clock())
                    .withCaseNumbers(number -> context.numbers().apply("salesforce").ticket(number));
            return routes;
        }

        @Override
        public Set<String> pollingRoutes() {
            return Set.of(JiraRoutes.POLL_ROUTE);
        }

        @Override
        public OutboxWriter writer(CamelContext camel) {
            return routes.writer();
        }

        @Override
        public List<HealthCheck> healthChecks(Clock clock) {
            return List.of(routes.polling()
                    ? new PollHealthCheck("jira", routes::pollStatus, config.pollInterval(), clock)
                    : PollHealthCheck.webhooksOnly("jira"));
        }
    }
}
