package io.slabridge.connector.api;

import io.slabridge.core.config.Settings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a ticket opens in its own system, for the alerts a chat channel posts: {@code sla.ticket-link.<source>}, a
 * URL with {@code {id}} for the key after {@code <source>:}; without it, Jira's from {@code sla.jira.url}
 * ({@code /browse/{id}}) and Salesforce's from {@code sla.salesforce.instance-url} (the Case's Lightning page). A
 * mailbox ticket has no page: no link.
 */
public final class TicketLinks {
    /** The setting of a source's link template, {@code sla.ticket-link.<source>}. */
    public static final String PREFIX = "sla.ticket-link.";

    private final Map<String, String> templates;

    private TicketLinks(Map<String, String> templates) {
        this.templates = Map.copyOf(templates);
    }

    /** The links the settings give; a template that is no http(s) URL with {@code {id}} is a problem naming it. */
    public static TicketLinks from(Settings settings, List<String> problems) {
        Map<String, String> templates = new HashMap<>();
        String jira = settings.get("sla.jira.url");
        if (jira != null && jira.startsWith("http")) {
            templates.put("jira", strip(jira) + "/browse/{id}");
        }
        String salesforce = settings.get("sla.salesforce.instance-url");
        if (salesforce != null && salesforce.startsWith("http")) {
            templates.put("salesforce", strip(salesforce) + "/lightning/r/Case/{id}/view");
        }
        for (String source : List.of("jira", "salesforce", "email")) {
            String template = settings.get(PREFIX + source);
            if (template == null) {
                continue;
            }
            if (!template.matches("https?://\\S+") || !template.contains("{id}")) {
                problems.add(PREFIX + source + ": '" + template + "'; expected an http(s) URL with {id} for the "
                        + "ticket's key, e.g. https://acme.atlassian.net/browse/{id}");
            } else {
                templates.put(source, template);
            }
        }
        return new TicketLinks(templates);
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

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
