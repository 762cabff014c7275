package io.slabridge.connector.jira;

import com.fasterxml.jackson.databind.JsonNode;
import io.slabridge.connector.api.LinkMemory;
import java.time.format.DateTimeParseException;
import io.slabridge.core.model.TicketEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tickets a Jira issue is linked to, as its fields show them now: the Salesforce Case in
 * {@code sla.jira.field.linked-case}, and the issues linked to it by a type in {@code sla.jira.link-types}
 * ({@code fields.issuelinks}: {@code type} with {@code name}, {@code inward}, {@code outward}, and the other issue
 * as {@code outwardIssue} or {@code inwardIssue}). Compared with what the last read of the issue showed
 * ({@link LinkMemory}), at the issue's {@code fields.updated}, which Jira moves when a link is added or removed and
 * which the poll and the webhook see alike.
 *
 * <p>A Case is named by its id ({@code 500} and 12 or 15 more letters and digits), alone or inside a URL; a
 * 15-character id is read as the 18-character one the Salesforce connector keys Cases by. A Case number
 * ({@code 00001234}) cannot be turned into an id without asking Salesforce, and is logged and left out.
 */
final class JiraLinks {
    private static final Logger LOG = LoggerFactory.getLogger(JiraLinks.class);
    private static final Pattern CASE_ID = Pattern.compile("(?<![A-Za-z0-9])(500[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)"
            + "(?![A-Za-z0-9])");
    private static final String CHECKSUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    private final JiraConfig config;
    private final LinkMemory memory;
    private final Function<String, Optional<JsonNode>> fetchIssue;

    JiraLinks(JiraConfig config, LinkMemory memory) {
        this(config, memory, id -> Optional.empty());
    }

    /**
     * @param fetchIssue an issue by id with the fields {@link #searchFields()} and {@code updated}; empty when Jira
     *                   does not show it (deleted, or not visible to the integration user)
     */
    JiraLinks(JiraConfig config, LinkMemory memory, Function<String, Optional<JsonNode>> fetchIssue) {
        this.config = config;
        this.memory = memory;
        this.fetchIssue = fetchIssue;
    }

    /**
     * The link events of an {@code issuelink_created} or {@code issuelink_deleted} delivery: it names the two issues
     * by id only ({@code issueLink.sourceIssueId}, {@code destinationIssueId}), so each is read again (one call
     * each) and compared like any read. None when issue links are not read.
     */
    LinkMemory.Change fromLinkWebhook(JsonNode payload) {
        if (!enabled() || config.linkTypes().isEmpty()) {
            return NONE;
        }
        JsonNode link = payload.path("issueLink");
        if (!link.isObject()) {
            throw new JiraPayloadException("field 'issueLink' is missing (webhookEvent "
                    + payload.path("webhookEvent").asText() + ")");
        }
        List<TicketEvent> events = new ArrayList<>();
        List<Runnable> remember = new ArrayList<>();
        for (String side : List.of("sourceIssueId", "destinationIssueId")) {
            JsonNode id = link.path(side);
            if (!(id.isIntegralNumber() || id.isTextual() && id.asText().matches("[0-9]{1,19}"))) {
                throw new JiraPayloadException("issueLink." + side + " must be a Jira id (digits), found "
                        + JiraEvents.describe(id));
            }
            Optional<JsonNode> issue = fetchIssue.apply(id.asText());
            if (issue.isPresent()) {
                LinkMemory.Change change = read(issue.get());
                events.addAll(change.events());
                remember.add(change.remember());
            }
        }
        return new LinkMemory.Change(events, () -> remember.forEach(Runnable::run));
    }

    /** Whether any link is read at all. */
    boolean enabled() {
        return memory != null && (config.linkedCaseField() != null || !config.linkTypes().isEmpty());
    }

    /** The fields a search must ask for so that {@link #read} sees the issue's links. */
    List<String> searchFields() {
        return enabled() ? fieldsRead() : List.of();
    }

    /** The issue fields links are read from: {@code issuelinks}, the linked-case field, as configured. */
    List<String> fieldsRead() {
        List<String> fields = new java.util.ArrayList<>();
        if (!config.linkTypes().isEmpty()) {
            fields.add("issuelinks");
        }
        if (config.linkedCaseField() != null) {
            fields.add(config.linkedCaseField());
        }
        return fields;
    }

    /**
     * The link events of one read of {@code issue} (a search result's or a webhook's); none when links are not
     * read, or the issue's fields lack one of the configured ones (a comment webhook carries a reduced issue):
     * what a read does not show is not read as removed.
     */
    LinkMemory.Change read(JsonNode issue) {
        if (!enabled()) {
            return NONE;
        }
        JiraEvents.IssueRef ref = JiraEvents.IssueRef.of(issue);
        JsonNode fields = issue.path("fields");
        Optional<Set<String>> others = others(ref, fields);
        if (others.isEmpty()) {
            return NONE;
        }
        JsonNode updated = fields.path("updated");
        if (!updated.isTextual()) {
            LOG.debug("Jira issue {}: no fields.updated to date its links by: links not read", ref.key());
            return NONE;
        }
        long at;
        try {
            at = JiraEvents.parseTime(updated.asText(""));
        } catch (DateTimeParseException e) {
            throw new JiraPayloadException("issue " + ref.key() + ": fields.updated is " + JiraEvents.describe(updated)
                    + ", not a Jira time; the issue's links cannot be dated");
        }
        return memory.read(ref.ticket(), at, others.get(), "jira");
    }

    private static final LinkMemory.Change NONE = new LinkMemory.Change(List.of(), () -> { });

    /** The tickets the issue is linked to; empty when its fields do not carry every configured source of links. */
    Optional<Set<String>> others(JiraEvents.IssueRef ref, JsonNode fields) {
        Set<String> out = new TreeSet<>();
        if (!config.linkTypes().isEmpty()) {
            JsonNode links = fields.path("issuelinks");
            if (!links.isArray()) {
                return Optional.empty();
            }
            for (JsonNode link : links) {
                JsonNode type = link.path("type");
                boolean outward = link.path("outwardIssue").isObject();
                JsonNode other = outward ? link.path("outwardIssue") : link.path("inwardIssue");
                String key = other.path("key").asText("");
                if (key.isEmpty()) {
                    continue;
                }
                // This issue "<outward>" the outward issue; "<inward>" the inward one.
                String words = type.path(outward ? "outward" : "inward").asText("");
                if (config.linkTypes().contains(type.path("name").asText("").toLowerCase(Locale.ROOT))
                        || config.linkTypes().contains(words.toLowerCase(Locale.ROOT))) {
                    String ticket = "jira:" + key;
                    if (!ticket.equals(ref.ticket())) {
                        out.add(ticket);
                    }
                }
            }
        }
        String field = config.linkedCaseField();
        if (field != null) {
            if (!fields.has(field)) {
                return Optional.empty();
            }
            String value = JiraEvents.fieldValue(fields.path(field));
            if (value != null && !value.isBlank()) {
                Matcher m = CASE_ID.matcher(value);
                boolean found = false;
                while (m.find()) {
                    out.add("salesforce:" + caseId18(m.group(1)));
                    found = true;
                }
                if (!found) {
                    LOG.warn("Jira issue {}: {} ({}) holds '{}', which is no Salesforce Case id (500..., 15 or 18 "
                            + "characters) nor a Case URL: not read as a link (a Case number cannot be)", ref.key(),
                            field, JiraSettings.LINKED_CASE_FIELD.name(), value.length() > 40 ? value.substring(0, 40)
                                    + "..." : value);
                }
            }
        }
        return Optional.of(out);
    }

    /**
     * The 18-character form of a record id: a 15-character id with the three letters Salesforce appends, one per
     * five characters, telling which of them are upper case.
     */
    static String caseId18(String id) {
        if (id.length() != 15) {
            return id;
        }
        StringBuilder out = new StringBuilder(id);
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = id.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    bits |= 1 << i;
                }
            }
            out.append(CHECKSUM.charAt(bits));
        }
        return out.toString();
    }
}
