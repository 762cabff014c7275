package io.slabridge.connector.salesforce;

import io.slabridge.core.config.Setting;
import io.slabridge.core.config.Settings;
import io.micrometer.core.instrument.MeterRegistry;
import io.slabridge.connector.api.Connector;
import io.slabridge.connector.api.PollHealthCheck;
import io.slabridge.connector.api.Source;
import io.slabridge.connector.api.SourceContext;
import io.slabridge.connector.api.TicketLinks;
import io.slabridge.connector.api.TicketMapping;
import io.slabridge.connector.api.TicketNumbers;
import io.slabridge.connector.api.WriteCall;
import io.slabridge.connector.api.WriteLimits;
import io.slabridge.core.outbox.OutboxWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.health.HealthCheck;

/**
 * Salesforce Cases as a ticket source ({@code sla.salesforce.*}): SOQL polls in; SLA fields, comments and priority
 * out in batches of up to {@value SalesforceWriter#MAX_BATCH} (sObject Collections).
 */
public final class SalesforceConnector implements Connector {
    private static final WriteLimits WRITES = new WriteLimits(2, 16, SalesforceWriter.MAX_BATCH);

    @Override
    public String name() {
        return "salesforce";
    }

    @Override
    public List<Setting<?>> settings() {
        return SalesforceSettings.ALL;
    }

    @Override
    public WriteLimits writeLimits() {
        return WRITES;
    }

    /**
     * A Case's Lightning page on {@code sla.salesforce.instance-url}; none when only the token response names the
     * instance.
     */
    @Override
    public Optional<String> ticketPage(Settings settings) {
        return TicketLinks.webBase(settings.get(SalesforceSettings.INSTANCE_URL.name()))
                .map(base -> base + "/lightning/r/Case/{id}/view");
    }

    @Override
    public Optional<Source> configure(Properties properties, Map<String, String> environment, List<String> problems) {
        try {
            return Optional.of(new SalesforceSource(SalesforceConfig.from(properties, environment)));
        } catch (SalesforceConfigException e) {
            problems.addAll(e.problems());
            return Optional.empty();
        }
    }

    /** Salesforce with its settings. */
    static final class SalesforceSource implements Source {
        private final SalesforceConfig config;
        private SalesforceRoutes routes;

        SalesforceSource(SalesforceConfig config) {
            this.config = config;
        }

        @Override
        public TicketMapping mapping() {
            return SalesforceMapping.of(config);
        }

        @Override
        public Optional<WriteCall> longestWriteCall() {
            return Optional.of(new WriteCall(config.requestTimeout(), SalesforceSettings.REQUEST_TIMEOUT.name()));
        }

        @Override
        public RoutesBuilder routes(SourceContext context) {
            routes = new SalesforceRoutes(config, context.cursors(), context.ingestUri(), context.clock());
            return routes;
        }

        @Override
        public Set<String> pollingRoutes() {
            return Set.of(SalesforceRoutes.POLL_ROUTE);
        }

        @Override
        public OutboxWriter writer(CamelContext camel) {
            return new SalesforceWriter(routes.api());
        }

        @Override
        public Optional<TicketNumbers> ticketNumbers() {
            return routes == null ? Optional.empty() : routes.caseNumbers();
        }

        @Override
        public List<HealthCheck> healthChecks(Clock clock) {
            SalesforceApi api = routes.api();
            return List.of(new PollHealthCheck("salesforce", routes::pollStatus, config.pollInterval(), clock)
                    .limitedBy(() -> api.limitedNow().map(l -> new PollHealthCheck.Limited(l.until(), l.reason()))));
        }

        @Override
        public void bindMetrics(MeterRegistry registry) {
            SalesforceMetrics.limitHits(registry, routes.api(), SalesforceApi::limitHits);
        }
    }
}
