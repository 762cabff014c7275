package io.slabridge.connector.jira;

import com.fasterxml.jackson.databind.JsonNode;
import io.slabridge.connector.api.LinkMemory;
import io.slabridge.connector.api.TicketNumbers;
import io.slabridge.core.model.TicketEvent;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tickets a Jira issue is linked to, as it shows them now: the Salesforce Case in
 * {@code sla.jira.field.linked-case}, the issues linked to it by a type in {@code sla.jira.link-types}
 * ({@code fields.issuelinks}: {@code type} with {@code name}, {@code inward}, {@code outward}, and the other issue
 * as {@code outwardIssue} or {@code inwardIssue}), and, in the projects of {@code sla.jira.remote-links}, its remote
 * links to a Salesforce Case ({@code GET /issue/{key}/remotelink}, one call per issue read). Compared with what the
 * last read of the issue showed ({@link LinkMemory}), at the issue's {@code fields.updated}, which the poll and the
 * webhook see alike.
 *
 * <p>A Case is named by its id ({@code 500} and 12 or 15 more letters and digits), alone or inside a URL; a
 * 15-character id is read as the 18-character one the Salesforce connector keys Cases by. A Case number
 * ({@code 00001234}) in the field is looked up through {@link TicketNumbers} (the Salesforce connector's, wired by the
 * application): one not found is left out with a WARN, and looked up again at the issue's next read.
 *
 * <p>What a read cannot show is not read as removed: when the issue's fields lack a configured one (a comment
 * webhook's reduced issue), its remote links cannot be read (403, 404), or a Case number cannot be looked up now,
 * the issue's links are not compared at all this time, and nothing it was linked to is unlinked.
 */
final class JiraLinks {
    private static final Logger LOG = LoggerFactory.getLogger(JiraLinks.class);
    private static final Pattern CASE_ID = Pattern.compile("(?<![A-Za-z0-9])(500[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)"
            + "(?![A-Za-z0-9])");
    private static final String CHECKSUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    /** A Case number as Salesforce numbers Cases by default ({@code 00001026}), maybe written {@code #00001026}. */
    private static final Pattern CASE_NUMBER = Pattern.compile("#?([0-9]{1,30})");

    private final JiraConfig config;
    private final LinkMemory memory;
    private final JiraHttp http;
    private final TicketNumbers caseNumbers;

    /** Links read from what the issue's JSON carries only: nothing is fetched, Case numbers are not looked up. */
    JiraLinks(JiraConfig config, LinkMemory memory) {
        this(config, memory, null, TicketNumbers.unavailable("Case numbers are not looked up here"));
    }

    /**
     * @param http        fetches the issues a link webhook names, and remote links; null: neither is read
     * @param caseNumbers Salesforce Cases by number
     */
    JiraLinks(JiraConfig config, LinkMemory memory, JiraHttp http, TicketNumbers caseNumbers) {
        this.config = config;
        this.memory = memory;
        this.http = http;
        this.caseNumbers = caseNumbers;
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
            Optional<JsonNode> issue = fetchIssue(id.asText());
            if (issue.isPresent()) {
                LinkMemory.Change change = read(issue.get());
                events.addAll(change.events());
                remember.add(change.remember());
            }
        }
        return new LinkMemory.Change(events, () -> remember.forEach(Runnable::run));
    }

    /** An issue's links and {@code updated}; empty when Jira shows no such issue (404: deleted, or hidden). */
    private Optional<JsonNode> fetchIssue(String id) {
        if (http == null) {
            return Optional.empty();
        }
        List<String> fields = new ArrayList<>(List.of("updated"));
        fields.addAll(fieldsRead());
        JiraHttp.Response r = http.get(config.apiBase() + "/issue/" + id, Map.of("fields", String.join(",", fields)));
        if (r.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(JiraRequestException.requireOk(r).json());
    }

    /** Whether any link is read at all. */
    boolean enabled() {
        return memory != null && (config.linkedCaseField() != null || !config.linkTypes().isEmpty()
                || !config.remoteLinkProjects().isEmpty());
    }

    /** The fields a search must ask for so that {@link #read} sees the issue's links. */
    List<String> searchFields() {
        return enabled() ? fieldsRead() : List.of();
    }

    /** The issue fields links are read from: {@code issuelinks}, the linked-case field, as configured. */
    List<String> fieldsRead() {
        List<String> fields = new ArrayList<>();
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

    /** The tickets the issue is linked to; empty when this read cannot show every configured source of links. */
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
        if (field != null && (!fields.has(field) || !casesInField(ref, field, fields.path(field), out))) {
            return Optional.empty();
        }
        if (config.remoteLinkProjects().contains(project(ref.key()))) {
            Optional<Set<String>> remote = http == null ? Optional.empty() : remoteCases(ref);
            if (remote.isEmpty()) {
                return Optional.empty();
            }
            out.addAll(remote.get());
        }
        return Optional.of(out);
    }

    /**
     * Adds the Cases the linked-case field names: ids and URLs as they are, numbers as Salesforce finds them.
     *
     * @return false when a number cannot be looked up now: the issue's links are then not compared this time
     */
    private boolean casesInField(JiraEvents.IssueRef ref, String field, JsonNode node, Set<String> out) {
        String value = JiraEvents.fieldValue(node);
        if (value == null || value.isBlank()) {
            return true;
        }
        Matcher m = CASE_ID.matcher(value);
        boolean found = false;
        while (m.find()) {
            out.add("salesforce:" + caseId18(m.group(1)));
            found = true;
        }
        if (found) {
            return true;
        }
        String setting = JiraSettings.LINKED_CASE_FIELD.name();
        for (String token : value.strip().split("[,;\\s]+")) {
            Matcher number = CASE_NUMBER.matcher(token);
            if (!number.matches()) {
                LOG.warn("Jira issue {}: {} ({}) holds '{}', which is no Salesforce Case id (500..., 15 or 18 "
                        + "characters), Case URL or Case number: not read as a link", ref.key(), field, setting,
                        token.length() > 40 ? token.substring(0, 40) + "..." : token);
                continue;
            }
            try {
                Optional<String> ticket = caseNumbers.ticket(number.group(1));
                if (ticket.isPresent()) {
                    out.add(ticket.get());
                } else {
                    LOG.warn("Jira issue {}: {} ({}) holds Case number {}, and Salesforce has no Case with that "
                            + "number: not read as a link (looked up again at the issue's next read)", ref.key(),
                            field, setting, number.group(1));
                }
            } catch (TicketNumbers.Unavailable e) {
                LOG.warn("Jira issue {}: {} ({}) holds Case number {}, which cannot be looked up now: the issue's "
                        + "links are read at its next read ({})", ref.key(), field, setting, number.group(1),
                        e.getMessage());
                return false;
            }
        }
        return true;
    }

    /**
     * The Cases the issue's remote links point at ({@code object.url} a Salesforce Case page); empty when they
     * cannot be read now. Jira's answer is an array of remote links ({@code id}, {@code globalId},
     * {@code relationship}, {@code object} with {@code url} and {@code title}). A 429 or a 5xx is thrown as a
     * {@link JiraRequestException}: the poll waits as Jira asked and reads from the same cursor again, a webhook is
     * answered 503 so that Jira delivers it again.
     */
    private Optional<Set<String>> remoteCases(JiraEvents.IssueRef ref) {
        JiraHttp.Response r = http.get(config.apiBase() + "/issue/" + ref.key() + "/remotelink", Map.of());
        if (r.status() == 404 || r.status() == 403) {
            LOG.warn("Jira issue {}: its remote links cannot be read ({}{}): its links are read at its next read",
                    ref.key(), r.error(), r.status() == 404 ? ", the issue is gone or hidden from the integration user"
                            : ", issue linking is off, or the integration user may not browse the project");
            return Optional.empty();
        }
        JsonNode links = JiraRequestException.requireOk(r).json();
        if (!links.isArray()) {
            LOG.warn("Jira issue {}: GET .../remotelink answered {}, not an array of remote links: its links are read "
                    + "at its next read", ref.key(), JiraEvents.describe(links));
            return Optional.empty();
        }
        Set<String> cases = new TreeSet<>();
        for (JsonNode link : links) {
            caseOfUrl(link.path("object").path("url").asText("")).ifPresent(cases::add);
        }
        return Optional.of(cases);
    }

    /** The Case a Salesforce page's URL shows ({@code https://acme.lightning.force.com/lightning/r/Case/500.../view}). */
    static Optional<String> caseOfUrl(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (!(host.endsWith(".force.com") || host.endsWith(".salesforce.com")) || uri.getRawPath() == null) {
            return Optional.empty();
        }
        Matcher m = CASE_ID.matcher(uri.getRawPath());
        return m.find() ? Optional.of("salesforce:" + caseId18(m.group(1))) : Optional.empty();
    }

    /** The project of an issue key ({@code ENG} of {@code ENG-42}). */
    private static String project(String key) {
        return key.substring(0, Math.max(0, key.lastIndexOf('-'))).toUpperCase(Locale.ROOT);
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
