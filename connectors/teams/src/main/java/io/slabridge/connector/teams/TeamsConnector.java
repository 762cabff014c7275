package io.slabridge.connector.teams;

import io.slabridge.core.config.Setting;
import io.slabridge.connector.api.Connector;
import io.slabridge.connector.api.Source;
import io.slabridge.connector.api.SourceContext;
import io.slabridge.connector.api.TicketLinks;
import io.slabridge.connector.api.TicketMapping;
import io.slabridge.connector.api.WriteCall;
import io.slabridge.core.config.Settings;
import io.slabridge.core.escalation.EscalationAction;
import io.slabridge.core.escalation.EscalationStep;
import io.slabridge.core.policy.PolicySet;
import java.util.LinkedHashSet;
import io.slabridge.core.outbox.OutboxWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;

/**
 * Microsoft Teams as an outbound channel ({@code sla.teams.*}): no tickets come in; the policy's {@code teams} steps
 * go out as Adaptive Cards to the webhooks named in settings. Its writer takes the commands addressed to
 * {@code teams}.
 */
public final class TeamsConnector implements Connector {

    @Override
    public String name() {
        return "teams";
    }

    @Override
    public List<Setting<?>> settings() {
        return TeamsSettings.ALL;
    }

    @Override
    public Optional<Source> configure(Properties properties, Map<String, String> environment, List<String> problems) {
        int before = problems.size();
        TeamsSettings.Values values = TeamsSettings.read(properties, environment, problems);
        TicketLinks links = TicketLinks.from(new Settings(properties, environment), problems);
        return problems.size() > before ? Optional.empty() : Optional.of(new TeamsSource(values, links));
    }

    /** The channel with its settings. */
    static final class TeamsSource implements Source {
        private final TeamsSettings.Values settings;
        private final TicketLinks links;

        TeamsSource(TeamsSettings.Values settings, TicketLinks links) {
            this.settings = settings;
            this.links = links;
        }

        /** The webhook names the settings give (the policy's {@code teams} steps must name one of them). */
        Set<String> webhooks() {
            return settings.webhooks().keySet();
        }

        /** A {@code teams} step naming a webhook the settings have no URL for: named by its property. */
        @Override
        public List<String> checkPolicies(PolicySet policies) {
            Set<String> problems = new LinkedHashSet<>();
            for (EscalationStep step : policies.escalations()) {
                for (EscalationAction action : step.actions()) {
                    if (action instanceof EscalationAction.Teams t && !webhooks().contains(t.webhook())) {
                        problems.add(TeamsSettings.WEBHOOK_PREFIX + t.webhook() + ": not set; the policy's escalation '"
                                + step.name() + "' posts to webhook '" + t.webhook() + "' (set: "
                                + String.join(", ", new java.util.TreeSet<>(webhooks())) + ")");
                    }
                }
            }
            return List.copyOf(problems);
        }

        @Override
        public TicketMapping mapping() {
            return TicketMapping.builder(name -> name).build();
        }

        @Override
        public Optional<WriteCall> longestWriteCall() {
            return Optional.of(new WriteCall(settings.timeout().multipliedBy(2), "2 × sla.teams.timeout"));
        }

        /** Outbound only: no routes read Teams. */
        @Override
        public RoutesBuilder routes(SourceContext context) {
            return new RouteBuilder() {
                @Override
                public void configure() {
                }
            };
        }

        @Override
        public OutboxWriter writer(CamelContext camel) {
            return TeamsWriter.create(camel, settings, links);
        }
    }
}
