package io.slabridge.connector.email;

import io.slabridge.core.config.Setting;
import io.micrometer.core.instrument.MeterRegistry;
import io.slabridge.connector.api.Connector;
import io.slabridge.connector.api.Notices;
import io.slabridge.connector.api.Source;
import io.slabridge.connector.api.SourceContext;
import io.slabridge.connector.api.TicketMapping;
import io.slabridge.core.outbox.OutboxWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;

/**
 * A shared support mailbox as a ticket source ({@code sla.email.*}): IMAP in; acknowledgements, agents' notices and
 * every source's escalation notices out over SMTP.
 */
public final class EmailConnector implements Connector {

    @Override
    public String name() {
        return "email";
    }

    @Override
    public List<Setting<?>> settings() {
        return EmailSettings.ALL;
    }

    @Override
    public Optional<Source> configure(Properties properties, Map<String, String> environment, List<String> problems) {
        try {
            return Optional.of(new EmailSource(EmailConfig.from(properties, environment)));
        } catch (EmailConfigException e) {
            problems.addAll(e.problems());
            return Optional.empty();
        }
    }

    /** The mailbox with its settings. */
    static final class EmailSource implements Source {
        private final EmailConfig config;
        private SourceContext context;
        private EmailRoutes routes;
        private EmailWriter writer;

        EmailSource(EmailConfig config) {
            this.config = config;
        }

        /**
         * A status tag in a subject ({@code [pending]}, {@code sla.email.status-tag.*}) as a ticket status; priorities
         * come from words in the subject ({@code sla.email.priority.*}), not from names, so none are mapped here.
         */
        @Override
        public TicketMapping mapping() {
            return TicketMapping.builder(tag -> tag.strip().toLowerCase(Locale.ROOT)).statuses(config.statusTags())
                    .defaultPriority(config.defaultPriority()).build();
        }

        @Override
        public RoutesBuilder routes(SourceContext value) {
            this.context = value;
            routes = new EmailRoutes(config, value.dataSource(), value.ingestUri(), value.clock());
            return routes;
        }

        @Override
        public Set<String> pollingRoutes() {
            return routes.pollingRoutes();
        }

        @Override
        public OutboxWriter writer(CamelContext camel) {
            writer = EmailWriter.create(camel, config, new MailStore(context.dataSource()), context.policies(),
                    context.clock(), routes.stats());
            return writer;
        }

        @Override
        public Optional<Notices> notices() {
            MailNotifier notifier = writer.notifier();
            return Optional.of(notifier::send);
        }

        @Override
        public void bindMetrics(MeterRegistry registry) {
            EmailMetrics.bindTo(registry, routes.stats());
        }
    }
}
