package io.slabridge.connector.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.store.SlaStore;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what changed in Jira since the last poll: a JQL search {@code updated >= cursor - overlap} over the
 * configured projects, oldest change first, page by page; for each issue its whole changelog and its comments,
 * so that every status change, priority change and comment becomes an event at its own time. Each page's events
 * go to the sink before the cursor moves past them, so a crash re-reads a page rather than losing it; the events
 * re-read are duplicates and change nothing.
 *
 * <p>Cloud uses {@code POST /rest/api/3/search/jql} ({@code nextPageToken}/{@code isLast}, explicit fields) and
 * the paged {@code /issue/{key}/changelog}; Data Center uses {@code GET /rest/api/2/search} ({@code startAt}/
 * {@code total}) with {@code expand=changelog}.
 */
public final class JiraPoller {
    private static final Logger LOG = LoggerFactory.getLogger(JiraPoller.class);
    /** The durable cursor: the latest {@code updated} instant read, as ISO-8601. */
    public static final String CURSOR = "jira:updated";
    private static final DateTimeFormatter JQL_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm", Locale.ROOT);
    private static final int CHILD_PAGE = 100;

    private final JiraHttp http;
    private final RestJiraDirectory directory;
    private final JiraEvents events;
    private final SlaStore store;
    private final Consumer<List<TicketEvent>> sink;
    private final Clock clock;

    public JiraPoller(JiraHttp http, RestJiraDirectory directory, JiraEvents events, SlaStore store,
            Consumer<List<TicketEvent>> sink, Clock clock) {
        this.http = http;
        this.directory = directory;
        this.events = events;
        this.store = store;
        this.sink = sink;
        this.clock = clock;
    }

    /** What one poll did. */
    public record Result(int pages, int issues, int events, int skippedIssues, Instant cursor) {
    }

    /**
     * One poll, to the last page.
     *
     * @throws JiraRequestException when Jira answers with an error ({@link JiraRequestException#transientFailure()}
     *                              tells whether waiting helps)
     * @throws JiraUnavailableException when Jira cannot be reached or times out
     */
    public Result pollOnce() {
        JiraConfig config = http.config();
        Instant now = clock.instant();
        Optional<String> stored = store.cursor(CURSOR);
        Instant cursor = stored.map(Instant::parse).orElse(now.minus(config.pollLookback()));
        String jql = jql(config.projects(), cursor.minus(config.pollOverlap()));
        int pages = 0;
        int issues = 0;
        int emitted = 0;
        int skipped = 0;
        String token = null;
        int startAt = 0;
        while (true) {
            JsonNode page = search(jql, token, startAt);
            pages++;
            JsonNode found = page.path("issues");
            List<TicketEvent> pageEvents = new ArrayList<>();
            Instant pageLatest = null;
            for (JsonNode issue : found) {
                issues++;
                try {
                    pageEvents.addAll(eventsOf(issue));
                } catch (JiraPayloadException e) {
                    skipped++;
                    LOG.warn("Jira issue skipped, nothing else is affected: {}", e.getMessage());
                }
                String updated = issue.path("fields").path("updated").asText(null);
                if (updated != null) {
                    try {
                        Instant u = Instant.ofEpochSecond(JiraEvents.parseTime(updated));
                        pageLatest = pageLatest == null || u.isAfter(pageLatest) ? u : pageLatest;
                    } catch (java.time.format.DateTimeParseException e) {
                        LOG.warn("Jira issue {}: fields.updated '{}' is not a Jira time", issue.path("key").asText(), updated);
                    }
                }
            }
            if (!pageEvents.isEmpty()) {
                sink.accept(pageEvents);
                emitted += pageEvents.size();
            }
            if (pageLatest != null && pageLatest.isAfter(cursor)) {
                cursor = pageLatest;
                store.saveCursor(CURSOR, cursor.toString(), clock.instant());
            }
            if (config.deployment() == JiraConfig.Deployment.CLOUD) {
                token = page.path("nextPageToken").asText(null);
                if (page.path("isLast").asBoolean(true) || token == null || found.isEmpty()) {
                    break;
                }
            } else {
                startAt += found.size();
                if (found.isEmpty() || startAt >= page.path("total").asInt(0)) {
                    break;
                }
            }
        }
        if (stored.isEmpty() && issues == 0) {
            // Nothing yet: still remember where we looked from, so the lookback is applied once.
            store.saveCursor(CURSOR, cursor.toString(), clock.instant());
        }
        return new Result(pages, issues, emitted, skipped, cursor);
    }

    /** The JQL of a poll: minute resolution, in the integration user's time zone, as Jira reads it. */
    String jql(List<String> projects, Instant since) {
        String list = projects.stream().map(p -> "\"" + p.replace("\"", "") + "\"").collect(Collectors.joining(", "));
        return "project in (" + list + ") AND updated >= \"" + JQL_TIME.format(since.atZone(directory.zone()))
                + "\" ORDER BY updated ASC";
    }

    private JsonNode search(String jql, String token, int startAt) {
        JiraConfig config = http.config();
        List<String> fields = new ArrayList<>(List.of("summary", "status", "priority", "created", "updated", "reporter"));
        if (config.tierField() != null) {
            fields.add(config.tierField());
        }
        if (config.accountField() != null) {
            fields.add(config.accountField());
        }
        if (config.deployment() == JiraConfig.Deployment.CLOUD) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("jql", jql);
            body.put("maxResults", config.pageSize());
            fields.forEach(body.putArray("fields")::add);
            if (token != null) {
                body.put("nextPageToken", token);
            }
            return JiraRequestException.requireOk(http.post("/rest/api/3/search/jql", Map.of(), body)).json();
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("jql", jql);
        query.put("startAt", Integer.toString(startAt));
        query.put("maxResults", Integer.toString(config.pageSize()));
        query.put("fields", String.join(",", fields));
        query.put("expand", "changelog");
        return JiraRequestException.requireOk(http.get("/rest/api/2/search", query)).json();
    }

    private List<TicketEvent> eventsOf(JsonNode issue) {
        String key = issue.path("key").asText("");
        if (key.isEmpty()) {
            throw new JiraPayloadException("an issue in the search result has no key");
        }
        directory.rememberReporter(key, issue.path("fields").path("reporter"));
        List<JsonNode> histories = new ArrayList<>();
        if (http.config().deployment() == JiraConfig.Deployment.CLOUD) {
            int startAt = 0;
            while (true) {
                JsonNode page = JiraRequestException.requireOk(http.get("/rest/api/3/issue/" + key + "/changelog",
                        Map.of("startAt", Integer.toString(startAt), "maxResults", Integer.toString(CHILD_PAGE)))).json();
                JsonNode values = page.path("values");
                values.forEach(histories::add);
                startAt += values.size();
                if (values.isEmpty() || page.path("isLast").asBoolean(startAt >= page.path("total").asInt(0))) {
                    break;
                }
            }
        } else {
            JsonNode changelog = issue.path("changelog");
            changelog.path("histories").forEach(histories::add);
            if (changelog.path("total").asInt(0) > changelog.path("histories").size()) {
                LOG.warn("Jira issue {}: the search returned {} of {} changelog histories; the older ones are not read",
                        key, changelog.path("histories").size(), changelog.path("total").asInt());
            }
        }
        List<JsonNode> comments = new ArrayList<>();
        int startAt = 0;
        while (true) {
            JsonNode page = JiraRequestException.requireOk(http.get(http.config().apiBase() + "/issue/" + key + "/comment",
                    Map.of("startAt", Integer.toString(startAt), "maxResults", Integer.toString(CHILD_PAGE),
                            "expand", "properties"))).json();
            JsonNode values = page.path("comments");
            values.forEach(comments::add);
            startAt += values.size();
            if (values.isEmpty() || startAt >= page.path("total").asInt(0)) {
                break;
            }
        }
        return events.fromIssue(issue, histories, comments);
    }
}
