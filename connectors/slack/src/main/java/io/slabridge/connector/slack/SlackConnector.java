package io.slabridge.connector.slack;

import io.slabridge.core.config.Setting;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import io.slabridge.connector.api.Connector;
import io.slabridge.connector.api.Source;
import io.slabridge.connector.api.SourceContext;
import io.slabridge.connector.api.TicketLinks;
import io.slabridge.connector.api.TicketMapping;
import io.slabridge.connector.api.WriteCall;
import io.slabridge.core.config.Settings;
import io.slabridge.core.outbox.OutboxWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.slack.helper.SlackHelper;

/**
 * Slack as an outbound channel ({@code sla.slack.*}): no tickets come in; the policy's {@code slack} steps go out as
 * messages through the Web API with a bot token. Its writer takes the outbox's commands addressed to {@code slack}.
 *
 * <p>camel-slack's producer posts only a text, blocks and attachments to the channel of its endpoint, and keeps
 * neither the answer's {@code ts} nor {@code thread_ts} nor metadata; it does not look users up or open direct
 * messages. So the channel uses the component as far as it goes: its Slack client configuration
 * ({@link SlackHelper#createSlackConfig}) and the Slack SDK it is built on ({@code com.slack.api:slack-api-client}),
 * whose methods client makes every call.
 */
public final class SlackConnector implements Connector {

    @Override
    public String name() {
        return "slack";
    }

    @Override
    public List<Setting<?>> settings() {
        return SlackSettings.ALL;
    }

    @Override
    public Optional<Source> configure(Properties properties, Map<String, String> environment, List<String> problems) {
        Settings settings = new Settings(properties, environment);
        int before = problems.size();
        SlackSettings.Values values = SlackSettings.read(settings, problems);
        TicketLinks links = TicketLinks.from(settings, problems);
        return problems.size() > before ? Optional.empty() : Optional.of(new SlackSource(values, links));
    }

    /** The channel with its settings. */
    static final class SlackSource implements Source {
        private final SlackSettings.Values settings;
        private final TicketLinks links;
        private SourceContext context;
        private Slack slack;

        SlackSource(SlackSettings.Values settings, TicketLinks links) {
            this.settings = settings;
            this.links = links;
        }

        /** No tickets come from Slack: nothing to map. */
        @Override
        public TicketMapping mapping() {
            return TicketMapping.builder(name -> name).build();
        }

        @Override
        public Optional<WriteCall> longestWriteCall() {
            return Optional.of(new WriteCall(settings.timeout().multipliedBy(SlackWriter.CALLS_PER_WRITE),
                    SlackWriter.CALLS_PER_WRITE + " × sla.slack.timeout"));
        }

        /** Outbound only: no routes read Slack. */
        @Override
        public RoutesBuilder routes(SourceContext value) {
            this.context = value;
            return new RouteBuilder() {
                @Override
                public void configure() {
                }
            };
        }

        @Override
        public OutboxWriter writer(CamelContext camel) {
            SlackConfig config = SlackHelper.createSlackConfig(settings.url().toString().replaceAll("/+$", ""));
            int millis = Math.toIntExact(settings.timeout().toMillis());
            config.setHttpClientCallTimeoutMillis(millis);
            config.setHttpClientReadTimeoutMillis(millis);
            config.setHttpClientWriteTimeoutMillis(millis);
            // The SDK's call statistics ask auth.test for the team first: a call the alerts do not need.
            config.getMethodsConfig().setStatsEnabled(false);
            slack = Slack.getInstance(config);
            try {
                // Slack's HTTP client (OkHttp) stops with Camel.
                camel.addService(new org.apache.camel.support.service.ServiceSupport() {
                    @Override
                    protected void doStop() throws Exception {
                        slack.close();
                    }
                }, true, true);
            } catch (Exception e) {
                throw new IllegalStateException("cannot register the Slack client with Camel", e);
            }
            SlackThreads threads = SlackThreads.migrate(context.dataSource(), context.clock());
            return new SlackWriter(slack.methods(settings.token()), threads, links, context.clock());
        }
    }
}
