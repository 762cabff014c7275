package io.slabridge.connector.api;

import io.slabridge.core.config.Setting;
import io.slabridge.core.config.Settings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a ticket opens in its own system, for chat alerts and the board: {@code sla.ticket-link.<source>}, a URL with
 * {@code {id}} for the key after {@code <source>:}; without it, the page its connector names from its own settings
 * ({@link Connector#ticketPage}: Jira's {@code /browse/{id}}, a Salesforce Case's Lightning page). A mailbox ticket
 * has no page: no link.
 */
public final class TicketLinks {
    /** {@code sla.ticket-link.<source>}: a source's page of a ticket, over the one its connector gives. */
    public static final Setting<Map<String, String>> SETTING = Setting.entries("sla.ticket-link.", "source",
            "SLA_TICKET_LINKS", "URL template with {id}")
            .describedAs("Where a source's ticket opens, {id} being its key after '<source>:' (URL-encoded), e.g. "
                    + "https://acme.atlassian.net/browse/{id}; for Slack and Teams alerts and the SLA board. Without "
                    + "it: Jira's from sla.jira.url, a Salesforce Case's Lightning page from sla.salesforce.instance-url.");

    private final Map<String, String> templates;

    private TicketLinks(Map<String, String> templates) {
        this.templates = Map.copyOf(templates);
    }

    /**
     * The links the discovered connectors and {@link #SETTING} give; a template that is no http(s) URL with
     * {@code {id}} is a problem naming its property.
     */
    public static TicketLinks from(Settings settings, List<String> problems) {
        Map<String, String> templates = new HashMap<>();
        for (Connector connector : Connectors.discover()) {
            connector.ticketPage(settings).ifPresent(template -> templates.put(connector.name(), template));
        }
        SETTING.read(settings, problems).forEach((source, template) -> {
            if (!template.matches("https?://\\S+") || !template.contains("{id}")) {
                problems.add(SETTING.prefix() + source + ": '" + template + "'; expected an http(s) URL with {id} for "
                        + "the ticket's key, e.g. https://acme.atlassian.net/browse/{id}");
            } else {
                templates.put(source.strip().toLowerCase(Locale.ROOT), template.strip());
            }
        });
        return new TicketLinks(templates);
    }

    /** {@code url} without a trailing {@code /}, when it is an http(s) URL: the base a connector's page starts with. */
    public static Optional<String> webBase(String url) {
        if (url == null || !url.startsWith("http")) {
            return Optional.empty();
        }
        return Optional.of(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    /** Links for the given templates, by source (tests). */
    public static TicketLinks of(Map<String, String> templates) {
        return new TicketLinks(templates);
    }

    /** The page of {@code ticket} ({@code jira:SUP-7}), when its source has one. */
    public Optional<String> link(String ticket) {
        int colon = ticket.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String template = templates.get(ticket.substring(0, colon));
        if (template == null) {
            return Optional.empty();
        }
        String id = URLEncoder.encode(ticket.substring(colon + 1), StandardCharsets.UTF_8).replace("+", "%20");
        return Optional.of(template.replace("{id}", id));
    }
}
