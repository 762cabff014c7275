package io.slabridge.connector.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slabridge.connector.api.CursorPoll;
import io.slabridge.connector.api.LinkMemory;
import io.slabridge.connector.api.TicketNumbers;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.store.PollCursors;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what changed in Jira since the last poll: a JQL search {@code updated >= cursor - overlap} over the
 * configured projects, oldest change first, page by page ({@link CursorPoll}); for each issue its whole changelog
 * and its comments, so that every status change, priority change and comment becomes an event at its own time.
 *
 * <p>Cloud uses {@code POST /rest/api/3/search/jql} ({@code nextPageToken}/{@code isLast}, explicit fields);
 * Data Center uses {@code GET /rest/api/2/search} ({@code startAt}/{@code total}). Both ask for the changelog
 * ({@code expand=changelog}) and the comments ({@code fields=...,comment}) with the issues, so a poll is usually
 * its search pages and nothing else. An issue's own changelog ({@code /issue/{key}/changelog}, Cloud) or
 * comments ({@code /issue/{key}/comment}) are read only when the search left some out (Cloud's search carries an
 * issue's 40 most recent histories; {@code total} says how many there are), and on Data Center with Service
 * Management, where only the comment endpoint carries the {@code sd.public.comment} property telling internal
 * comments apart.
 *
 * <p>With {@code sla.jira.link-types} or {@code sla.jira.field.linked-case}, the search also asks for the issue's
 * links, and {@link JiraLinks} reads them as {@code linked} and {@code unlinked} events; with
 * {@code sla.jira.remote-links}, each issue read in those projects costs one more call, its remote links.
 *
 * <p>An issue whose only news in the poll's window is our own SLA field writes (histories by the integration
 * user that change no priority, no comment since the window's start) is passed over: our writes bump
 * {@code updated}, and would otherwise bring every issue we write back into every poll's reading.
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
    private final CursorPoll loop;
    private final JiraLinks links;

    public JiraPoller(JiraHttp http, RestJiraDirectory directory, JiraEvents events, PollCursors store,
            Consumer<List<TicketEvent>> sink, Clock clock) {
        this(http, directory, events, store, sink, clock, TicketNumbers.unavailable("Case numbers are not looked up"));
    }

    /** @param caseNumbers Salesforce Cases by the number in {@code sla.jira.field.linked-case} */
    public JiraPoller(JiraHttp http, RestJiraDirectory directory, JiraEvents events, PollCursors store,
            Consumer<List<TicketEvent>> sink, Clock clock, TicketNumbers caseNumbers) {
        this.http = http;
        this.directory = directory;
        this.events = events;
        this.loop = new CursorPoll(store, sink, clock);
        this.links = new JiraLinks(http.config(), new LinkMemory(store, clock), http, caseNumbers);
    }

    /**
     * What one poll did.
     *
     * @param skippedIssues    issues that could not be read (a field in an unexpected shape)
     * @param passedOver    issues not read because their only news in the window was our own writes (or nothing
     *                      their changelog and comments show)
     */
    public record Result(int pages, int issues, int events, int skippedIssues, int passedOver, Instant cursor) {
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
        int[] skipped = new int[1];
        int[] passedOver = new int[1];
        CursorPoll.Result r = loop.read(CURSOR, config.pollLookback(), config.pollOverlap(),
                since -> pages(config, since, skipped, passedOver));
        return new Result(r.pages(), r.records(), r.events(), skipped[0], passedOver[0], r.cursor());
    }

    /** The search's pages from {@code since}: Cloud's by {@code nextPageToken}, Data Center's by {@code startAt}. */
    private CursorPoll.Pages pages(JiraConfig config, Instant since, int[] skipped, int[] passedOver) {
        String jql = jql(config.projects(), since);
        return new CursorPoll.Pages() {
            private String token;
            private int startAt;
            private boolean last;

            @Override
            public CursorPoll.Page next() {
                if (last) {
                    return null;
                }
                JsonNode page = search(jql, token, startAt);
                JsonNode found = page.path("issues");
                if (config.deployment() == JiraConfig.Deployment.CLOUD) {
                    token = page.path("nextPageToken").asText(null);
                    last = page.path("isLast").asBoolean(true) || token == null || found.isEmpty();
                } else {
                    startAt += found.size();
                    last = found.isEmpty() || startAt >= page.path("total").asInt(0);
                }
                return read(found, since, skipped, passedOver);
            }
        };
    }

    /** A search page's issues as events, and the latest {@code updated} among them. */
    private CursorPoll.Page read(JsonNode found, Instant since, int[] skipped, int[] passedOver) {
        List<TicketEvent> pageEvents = new ArrayList<>();
        List<Runnable> remember = new ArrayList<>();
        Instant pageLatest = null;
        for (JsonNode issue : found) {
            try {
                if (onlyOurWritesSince(issue, since)) {
                    passedOver[0]++;
                } else {
                    List<TicketEvent> issueEvents = new ArrayList<>(eventsOf(issue));
                    LinkMemory.Change change = links.read(issue);
                    issueEvents.addAll(change.events());
                    pageEvents.addAll(issueEvents);
                    remember.add(change.remember());
                }
            } catch (JiraPayloadException e) {
                skipped[0]++;
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
        return new CursorPoll.Page(found.size(), pageEvents, pageLatest, () -> remember.forEach(Runnable::run));
    }

    /** The JQL of a poll: minute resolution, in the integration user's time zone, as Jira reads it. */
    String jql(List<String> projects, Instant since) {
        String list = projects.stream().map(p -> "\"" + p.replace("\"", "") + "\"").collect(Collectors.joining(", "));
        return "project in (" + list + ") AND updated >= \"" + JQL_TIME.format(since.atZone(directory.zone()))
                + "\" ORDER BY updated ASC";
    }

    private JsonNode search(String jql, String token, int startAt) {
        JiraConfig config = http.config();
        List<String> fields = new ArrayList<>(List.of("summary", "status", "priority", "created", "updated", "reporter",
                "comment"));
        if (config.tierField() != null) {
            fields.add(config.tierField());
        }
        if (config.accountField() != null) {
            fields.add(config.accountField());
        }
        fields.addAll(links.searchFields());
        if (config.deployment() == JiraConfig.Deployment.CLOUD) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("jql", jql);
            body.put("maxResults", config.pageSize());
            fields.forEach(body.putArray("fields")::add);
            body.put("expand", "changelog"); // a comma-separated string here, unlike the fields
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

    /**
     * Whether everything that happened to the issue since {@code since} is our own writes: it was created before,
     * every history since is the integration user's and changes no priority, and every comment made or edited
     * since is the integration user's. These are exactly what {@link JiraEvents} makes no event of (an escalation's
     * {@code set_priority} is one). Decided on what the search page carries; when it may not show all that
     * happened since (a changelog cut off after {@code since}, a comment list cut short), the issue is read in
     * full instead.
     */
    private boolean onlyOurWritesSince(JsonNode issue, Instant since) {
        JsonNode fields = issue.path("fields");
        JsonNode changelog = issue.path("changelog");
        JsonNode comment = fields.path("comment");
        if (!changelog.path("histories").isArray() || !comment.path("comments").isArray()
                || truncated(comment, "comments") || !before(fields.path("created"), since)) {
            return false;
        }
        String us = directory.integrationUser();
        boolean seenBeforeWindow = false;
        for (JsonNode history : changelog.path("histories")) {
            if (before(history.path("created"), since)) {
                seenBeforeWindow = true;
                continue;
            }
            if (us == null || !us.equals(JiraDirectory.userId(history.path("author")))) {
                return false;
            }
            for (JsonNode item : history.path("items")) {
                if ("priority".equals(item.path("field").asText())) {
                    return false;
                }
            }
        }
        if (truncated(changelog, "histories") && !seenBeforeWindow) {
            return false; // histories in the window may be among those left out
        }
        for (JsonNode c : comment.path("comments")) {
            boolean ours = us != null && us.equals(JiraDirectory.userId(c.path("author")));
            if (!ours && (!before(c.path("created"), since) || !before(c.path("updated"), since))) {
                return false;
            }
        }
        return true;
    }

    /** Whether a time is a Jira time before {@code since}; a missing or unreadable one is not. */
    private static boolean before(JsonNode time, Instant since) {
        if (!time.isTextual()) {
            return false;
        }
        try {
            return Instant.ofEpochSecond(JiraEvents.parseTime(time.asText())).isBefore(since);
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    /** Whether a list Jira embedded holds fewer entries than its {@code total}. */
    private static boolean truncated(JsonNode container, String list) {
        return container.path("total").asInt(0) > container.path(list).size();
    }

    private List<TicketEvent> eventsOf(JsonNode issue) {
        String key = issue.path("key").asText("");
        if (key.isEmpty()) {
            throw new JiraPayloadException("an issue in the search result has no key");
        }
        directory.rememberReporter(key, issue.path("fields").path("reporter"));
        JiraConfig config = http.config();
        List<JsonNode> histories = new ArrayList<>();
        JsonNode changelog = issue.path("changelog");
        if (changelog.path("histories").isArray() && !truncated(changelog, "histories")) {
            changelog.path("histories").forEach(histories::add);
        } else if (config.deployment() == JiraConfig.Deployment.CLOUD) {
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
            // Data Center has no changelog endpoint of its own: what the search returned is all there is.
            changelog.path("histories").forEach(histories::add);
            LOG.warn("Jira issue {}: the search returned {} of {} changelog histories; the older ones are not read",
                    key, changelog.path("histories").size(), changelog.path("total").asInt());
        }
        JsonNode embedded = issue.path("fields").path("comment");
        // Data Center's comments carry JSM's internal flag only as a property, which the search leaves out.
        boolean propertiesNeeded = config.deployment() == JiraConfig.Deployment.DATA_CENTER && config.serviceManagement();
        List<JsonNode> comments = new ArrayList<>();
        if (embedded.path("comments").isArray() && !truncated(embedded, "comments") && !propertiesNeeded) {
            embedded.path("comments").forEach(comments::add);
            return events.fromIssue(issue, histories, comments);
        }
        int startAt = 0;
        while (true) {
            JsonNode page = JiraRequestException.requireOk(http.get(config.apiBase() + "/issue/" + key + "/comment",
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
