package io.slabridge.connector.teams;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slabridge.connector.api.TicketLinks;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.OutboxWriter;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.policy.TargetDuration;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;

/**
 * Posts escalation alerts as Adaptive Cards to Teams webhooks (Workflows' "Send webhook alerts to a channel" or an
 * incoming webhook) through Camel's HTTP producer: a {@code message} whose one attachment has the content type
 * {@code application/vnd.microsoft.card.adaptive}.
 *
 * <p>A 2xx is done; 429 waits its {@code Retry-After}; another 4xx is parked with the status and body; 5xx and no
 * answer are retried. Teams offers no way to look a post up: a crash between Teams' 2xx and the outbox's done mark
 * posts the card again when the command is retried (at least once).
 */
final class TeamsWriter implements OutboxWriter {
    static final String COMPONENT = "teams-http";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter DUE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final Map<String, URI> webhooks;
    private final TicketLinks links;
    private final ProducerTemplate producer;

    private TeamsWriter(Map<String, URI> webhooks, TicketLinks links, ProducerTemplate producer) {
        this.webhooks = Map.copyOf(webhooks);
        this.links = links;
        this.producer = producer;
    }

    /** Registers the channel's HTTP component on {@code camel} (once) and returns the writer. */
    static TeamsWriter create(CamelContext camel, TeamsSettings.Values settings, TicketLinks links) {
        if (camel.hasComponent(COMPONENT) == null) {
            HttpComponent http = new HttpComponent();
            long millis = settings.timeout().toMillis();
            http.setConnectTimeout(millis);
            http.setConnectionRequestTimeout(millis);
            http.setResponseTimeout(millis);
            http.setSoTimeout(millis);
            // One call is one call: when to try again is the outbox's decision.
            http.setAutomaticRetriesDisabled(true);
            camel.addComponent(COMPONENT, http);
        }
        return new TeamsWriter(settings.webhooks(), links, camel.createProducerTemplate());
    }

    @Override
    public WriteResult write(OutboxCommand command) throws Exception {
        if (!(command.payload() instanceof WriteBack.TeamsMessage message)) {
            return WriteResult.failed("the teams channel posts only escalation alerts; the " + command.payload().kind()
                    + " command of " + command.ticket() + " is not one");
        }
        URI url = webhooks.get(message.webhook());
        if (url == null) {
            return WriteResult.failed("Teams webhook '" + message.webhook() + "' for " + command.ticket()
                    + ": " + TeamsSettings.WEBHOOK_PREFIX + message.webhook() + " is not set");
        }
        String where = "Teams webhook '" + message.webhook() + "'";
        byte[] body = JSON.writeValueAsBytes(card(command.ticket(), message));
        // The URL is a secret: it travels in the header, never in the endpoint's name (which Camel may log).
        String endpoint = COMPONENT + ":teams?throwExceptionOnFailure=false&followRedirects=false";
        Exchange exchange = producer.send(endpoint, e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
            e.getMessage().setHeader(Exchange.HTTP_URI, url.toString());
            e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            e.getMessage().setBody(body);
        });
        if (exchange.getException() != null) {
            // No answer: the card may or may not be posted; retried (at least once).
            throw new IOException(where + ": no answer (" + exchange.getException().getClass().getSimpleName() + ")");
        }
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        int code = status == null ? 0 : status;
        String text = Optional.ofNullable(exchange.getMessage().getBody(String.class)).orElse("").strip();
        if (code >= 200 && code < 300) {
            return WriteResult.done();
        }
        if (code == 429) {
            Object after = exchange.getMessage().getHeader("Retry-After");
            String a = after == null ? "" : after.toString().strip();
            long seconds = a.matches("\\d{1,6}") ? Long.parseLong(a) : 60;
            return WriteResult.retryAfter(Duration.ofSeconds(seconds), where + ": HTTP 429 (Retry-After " + seconds
                    + "s)");
        }
        if (code >= 500 || code == 0) {
            throw new IOException(where + ": HTTP " + code + " " + abbreviate(text));
        }
        return WriteResult.failed(where + " for " + command.ticket() + ": HTTP " + code + " " + abbreviate(text));
    }

    /** The Teams message: one Adaptive Card with the step's text, the ticket's facts and a button to the ticket. */
    ObjectNode card(String ticket, WriteBack.TeamsMessage message) {
        WriteBack.Alert a = message.alert();
        ObjectNode root = JSON.createObjectNode().put("type", "message");
        ObjectNode attachment = root.putArray("attachments").addObject()
                .put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.putNull("contentUrl");
        ObjectNode card = attachment.putObject("content")
                .put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json")
                .put("type", "AdaptiveCard").put("version", "1.4");
        ArrayNode body = card.putArray("body");
        body.addObject().put("type", "TextBlock").put("text", message.text()).put("weight", "Bolder")
                .put("size", "Medium").put("wrap", true)
                .put("color", a.remainingSeconds() < 0 ? "Attention" : "Warning");
        ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
        fact(facts, "Ticket", ticket + (a.title() == null ? "" : " " + a.title()));
        fact(facts, "Account", a.account() == null ? "—" : a.account());
        fact(facts, "Metric", a.metric().wireName() + " (cycle " + a.cycle() + ", " + a.policy() + ")");
        fact(facts, "Due", a.due() == null ? "paused" : DUE.format(a.due()));
        fact(facts, a.remainingSeconds() < 0 ? "Late by" : "Time left",
                TargetDuration.format(Math.abs(a.remainingSeconds())) + " (" + a.condition() + ")");
        fact(facts, "Step", a.step());
        links.link(ticket).ifPresent(url -> card.putArray("actions").addObject().put("type", "Action.OpenUrl")
                .put("title", "Open " + ticket).put("url", url));
        return root;
    }

    private static void fact(ArrayNode facts, String title, String value) {
        facts.addObject().put("title", title).put("value", value);
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
