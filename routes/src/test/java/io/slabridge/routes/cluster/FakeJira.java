package io.slabridge.routes.cluster;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Jira Cloud (Service Management) with state, on WireMock in the test's JVM, so that it outlives the sla-bridge
 * processes the tests kill. It keeps issues and their comments: comments sla-bridge posts are listed back with
 * their properties (so a retried comment can find its first attempt), every comment and field write bumps the
 * issue's {@code updated}, and the JQL search serves {@code updated >= "yyyy/MM/dd HH:mm"} in ascending order, page
 * by page, as Jira does. Time zone: UTC.
 *
 * <p>Each sla-bridge process is given its own base URL, {@code http://127.0.0.1:<port>/<client>}: the first path
 * segment tells which process made a call, like a context path in front of Jira Data Center.
 */
final class FakeJira implements AutoCloseable {
    static final String BOT = "712020:sla-bridge-bot";
    static final String AGENT = "5b10a2844c20165700ede21g";
    static final String COMMAND_PROPERTY = "sla-bridge";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter JIRA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter JQL_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm");
    private static final Pattern JQL = Pattern.compile(
            "project in \\(([^)]*)\\) AND updated >= \"(\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2})\" ORDER BY updated ASC");
    private static final Pattern ISSUE_PATH = Pattern.compile("/rest/api/3/issue/([A-Z]+-\\d+)(/comment|/changelog)?");

    /**
     * One call sla-bridge made: which process, what, when; for a posted comment its command's key, for a search
     * the instant its JQL reads from ({@code updated >= since}); the query string, or null.
     */
    record Call(String client, String method, String path, Instant at, String commandKey, Instant since,
            String query) {
    }

    /** A comment as Jira keeps it. */
    record Comment(String id, String issueKey, String authorId, String authorType, Instant created, String commandKey,
            boolean internal, String postedBy) {
    }

    /** A field write (PUT of the issue): the SLA status value written, if any. */
    record FieldWrite(String issueKey, String client, Instant at, String status) {
    }

    private static final class Issue {
        final String id;
        final String key;
        final Instant created;
        final String reporter;
        Instant updated;
        final List<Comment> comments = new ArrayList<>();
        /** The changelog, oldest first: sla-bridge's field writes (the only changes made here). */
        final List<ObjectNode> histories = new ArrayList<>();

        Issue(String id, String key, Instant created, String reporter) {
            this.id = id;
            this.key = key;
            this.created = created;
            this.reporter = reporter;
            this.updated = created;
        }
    }

    private final WireMockServer server;
    private final Map<String, Issue> issues = new LinkedHashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private final List<FieldWrite> fieldWrites = new ArrayList<>();
    private long nextComment = 20_000;
    private volatile java.time.Duration commentAnswerDelay;

    /**
     * @param commentAnswerDelay how long the answer to a posted comment takes, the comment being stored at once
     */
    FakeJira(java.time.Duration commentAnswerDelay) {
        this.commentAnswerDelay = commentAnswerDelay;
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(24)
                .extensions(new Handler()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(404)));
    }

    /**
     * From now on, the answer to a posted comment takes {@code delay} (the comment being stored at once): a long one
     * holds the poster waiting, so that a test can kill it mid-call.
     */
    void answerCommentsAfter(java.time.Duration delay) {
        commentAnswerDelay = delay;
    }

    /** The base URL for one process: calls through it are recorded under {@code client}. */
    String urlFor(String client) {
        return "http://127.0.0.1:" + server.port() + "/" + client;
    }

    WireMockServer server() {
        return server;
    }

    // ---- what the test does in "Jira" --------------------------------------------------------------------

    /** A customer raises an issue now; returns its creation time (whole seconds, as Jira's JSON has it). */
    synchronized Instant createIssue(String id, String key, String reporter) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        issues.put(key, new Issue(id, key, now, reporter));
        return now;
    }

    /** Someone comments now (not sla-bridge); returns the comment. */
    synchronized Comment addComment(String issueKey, String authorId, String authorType) {
        Issue issue = issue(issueKey);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Comment c = new Comment(Long.toString(nextComment++), issueKey, authorId, authorType, now, null, false, null);
        issue.comments.add(c);
        issue.updated = Instant.now();
        return c;
    }

    synchronized String issueId(String key) {
        return issue(key).id;
    }

    // ---- what the test reads afterwards --------------------------------------------------------------------

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    synchronized List<Comment> comments() {
        return issues.values().stream().flatMap(i -> i.comments.stream()).collect(Collectors.toList());
    }

    synchronized List<FieldWrite> fieldWrites() {
        return List.copyOf(fieldWrites);
    }

    /** The searches (polls' pages) each process made, in time order. */
    synchronized List<Call> searches() {
        return calls.stream().filter(c -> c.path().equals("/rest/api/3/search/jql")).collect(Collectors.toList());
    }

    private Issue issue(String key) {
        Issue issue = issues.get(key);
        if (issue == null) {
            throw new IllegalArgumentException("no issue " + key);
        }
        return issue;
    }

    @Override
    public void close() {
        server.stop();
    }

    // ---- the REST API ----------------------------------------------------------------------------------

    private final class Handler implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return "fake-jira";
        }

        @Override
        public boolean applyGlobally() {
            return true;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Request request = event.getRequest();
            String url = request.getUrl();
            String pathAndQuery = url.startsWith("/") ? url.substring(1) : url;
            int slash = pathAndQuery.indexOf('/');
            if (slash < 0) {
                return error(404, "no client prefix in " + url);
            }
            String client = pathAndQuery.substring(0, slash);
            String rest = pathAndQuery.substring(slash);
            int q = rest.indexOf('?');
            String path = q < 0 ? rest : rest.substring(0, q);
            try {
                return handle(client, request.getMethod().getName(), path, request);
            } catch (IOException | RuntimeException e) {
                return error(500, e.toString());
            }
        }
    }

    private ResponseDefinition handle(String client, String method, String path, Request request) throws IOException {
        Instant now = Instant.now();
        synchronized (this) {
            String commandKey = null;
            Instant since = null;
            if (method.equals("POST") && path.endsWith("/comment")) {
                commandKey = commandKeyOf(JSON.readTree(request.getBodyAsString()));
            }
            if (method.equals("POST") && path.equals("/rest/api/3/search/jql")) {
                Matcher jql = JQL.matcher(JSON.readTree(request.getBodyAsString()).path("jql").asText());
                since = jql.matches() ? LocalDateTime.parse(jql.group(2), JQL_TIME).toInstant(ZoneOffset.UTC) : null;
            }
            String url = request.getUrl();
            String query = url.indexOf('?') < 0 ? null : url.substring(url.indexOf('?') + 1);
            calls.add(new Call(client, method, path, now, commandKey, since, query));
            if (path.equals("/rest/api/3/myself") && method.equals("GET")) {
                return ok(JSON.createObjectNode().put("accountId", BOT).put("displayName", "sla-bridge")
                        .put("timeZone", "UTC"));
            }
            if (path.equals("/rest/api/3/status") && method.equals("GET")) {
                return ok(JSON.createArrayNode());
            }
            if (path.equals("/rest/api/3/search/jql") && method.equals("POST")) {
                return search(JSON.readTree(request.getBodyAsString()));
            }
            if (path.startsWith("/rest/api/3/field") && method.equals("GET")) {
                return field(path);
            }
            Matcher m = ISSUE_PATH.matcher(path);
            if (!m.matches()) {
                return error(404, "no such resource: " + method + " " + path);
            }
            Issue issue = issues.get(m.group(1));
            if (issue == null) {
                return error(404, "Issue does not exist or you do not have permission to see it.");
            }
            String sub = m.group(2);
            if (sub == null && method.equals("GET")) {
                ObjectNode body = JSON.createObjectNode().put("id", issue.id).put("key", issue.key);
                body.set("fields", JSON.createObjectNode().set("reporter", user(issue.reporter, "customer")));
                return ok(body);
            }
            if (sub == null && method.equals("PUT")) {
                JsonNode fields = JSON.readTree(request.getBodyAsString()).path("fields");
                String status = fields.path("customfield_10100").path("value").asText(null);
                fieldWrites.add(new FieldWrite(issue.key, client, now, status));
                issue.updated = now;
                ObjectNode history = JSON.createObjectNode().put("id", Long.toString(nextComment++));
                history.set("author", user(BOT, "atlassian"));
                history.put("created", JIRA_TIME.format(now));
                ArrayNode items = history.putArray("items");
                fields.fieldNames().forEachRemaining(f -> items.addObject().put("field", f).put("fieldtype", "custom")
                        .put("fieldId", f).put("toString", fields.path(f).path("value").asText(fields.path(f).asText())));
                issue.histories.add(history);
                return aResponse().withStatus(204).build();
            }
            if ("/changelog".equals(sub) && method.equals("GET")) {
                int startAt = intParam(request, "startAt", 0);
                int max = Math.min(100, intParam(request, "maxResults", 100));
                List<ObjectNode> page = issue.histories.subList(Math.min(startAt, issue.histories.size()),
                        Math.min(issue.histories.size(), startAt + max));
                ObjectNode answer = JSON.createObjectNode().put("startAt", startAt).put("maxResults", max)
                        .put("total", issue.histories.size()).put("isLast", startAt + page.size() >= issue.histories.size());
                answer.putArray("values").addAll(page);
                return ok(answer);
            }
            if ("/comment".equals(sub) && method.equals("GET")) {
                return listComments(issue, request);
            }
            if ("/comment".equals(sub) && method.equals("POST")) {
                JsonNode body = JSON.readTree(request.getBodyAsString());
                boolean internal = false;
                for (JsonNode p : body.path("properties")) {
                    if (p.path("key").asText().equals("sd.public.comment")) {
                        internal = p.path("value").path("internal").asBoolean(false);
                    }
                }
                Comment c = new Comment(Long.toString(nextComment++), issue.key, BOT, "atlassian", now.truncatedTo(
                        ChronoUnit.MILLIS), commandKey, internal, client);
                issue.comments.add(c);
                issue.updated = now;
                // The comment is in; its answer takes a while, as Jira's do: a kill in between loses the answer.
                return aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody(JSON.createObjectNode().put("id", c.id()).toString())
                        .withFixedDelay((int) commentAnswerDelay.toMillis()).build();
            }
            return error(405, method + " " + path + " is not served here");
        }
    }

    /**
     * The SLA status field sla-bridge writes (customfield_10100), as {@code GET /field}, its contexts and their
     * options answer: a single select list with the six labels.
     */
    private static ResponseDefinition field(String path) {
        if (path.equals("/rest/api/3/field")) {
            ArrayNode fields = JSON.createArrayNode();
            fields.addObject().put("id", "customfield_10100").put("key", "customfield_10100").put("name", "SLA status")
                    .put("custom", true).putObject("schema").put("type", "option")
                    .put("custom", "com.atlassian.jira.plugin.system.customfieldtypes:select").put("customId", 10100);
            return ok(fields);
        }
        ObjectNode page = JSON.createObjectNode().put("maxResults", 50).put("startAt", 0).put("isLast", true);
        ArrayNode values = page.putArray("values");
        if (path.equals("/rest/api/3/field/customfield_10100/context")) {
            values.addObject().put("id", "10200").put("name", "Default Configuration Scheme for SLA status")
                    .put("isGlobalContext", true).put("isAnyIssueType", true);
        } else if (path.equals("/rest/api/3/field/customfield_10100/context/10200/option")) {
            for (String label : List.of("On track", "At risk", "Paused", "Breached", "Met", "No SLA")) {
                values.addObject().put("id", Integer.toString(10_030 + values.size())).put("value", label)
                        .put("disabled", false);
            }
        } else {
            return error(404, "The custom field was not found.");
        }
        page.put("total", values.size());
        return ok(page);
    }

    private static String commandKeyOf(JsonNode body) {
        for (JsonNode p : body.path("properties")) {
            if (p.path("key").asText().equals(COMMAND_PROPERTY)) {
                return p.path("value").path("command").asText(null);
            }
        }
        return null;
    }

    private ResponseDefinition search(JsonNode body) {
        String jql = body.path("jql").asText();
        Matcher m = JQL.matcher(jql);
        if (!m.matches()) {
            return error(400, "this fake reads only the poller's JQL, not: " + jql);
        }
        Set<String> projects = java.util.Arrays.stream(m.group(1).split(","))
                .map(s -> s.strip().replace("\"", "")).collect(Collectors.toSet());
        Instant since = LocalDateTime.parse(m.group(2), JQL_TIME).toInstant(ZoneOffset.UTC);
        List<Issue> found = issues.values().stream()
                .filter(i -> projects.contains(i.key.substring(0, i.key.indexOf('-'))))
                .filter(i -> !i.updated.isBefore(since))
                .sorted(Comparator.comparing((Issue i) -> i.updated).thenComparing(i -> i.id))
                .collect(Collectors.toList());
        int max = body.path("maxResults").asInt(50);
        int from = body.hasNonNull("nextPageToken") ? Integer.parseInt(body.path("nextPageToken").asText()) : 0;
        int to = Math.min(found.size(), from + max);
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode page = answer.putArray("issues");
        for (Issue i : found.subList(Math.min(from, found.size()), to)) {
            ObjectNode issue = page.addObject().put("id", i.id).put("key", i.key);
            ObjectNode fields = issue.putObject("fields");
            fields.put("summary", "Checkout fails for " + i.key);
            fields.put("created", JIRA_TIME.format(i.created));
            fields.put("updated", JIRA_TIME.format(i.updated));
            fields.putObject("status").put("name", "Waiting for support").putObject("statusCategory").put("key", "new");
            fields.putObject("priority").put("name", "High");
            fields.set("reporter", user(i.reporter, "customer"));
            // Only what was asked for, as Jira's enhanced search answers: the comment field with its comments
            // (no properties: the search does not expand them), the 40 most recent histories with expand=changelog.
            List<String> asked = new ArrayList<>();
            body.path("fields").forEach(f -> asked.add(f.asText()));
            if (asked.contains("comment")) {
                ObjectNode comment = fields.putObject("comment");
                ArrayNode list = comment.putArray("comments");
                i.comments.forEach(c -> list.add(commentJson(c, false)));
                comment.put("maxResults", i.comments.size()).put("total", i.comments.size()).put("startAt", 0);
            }
            if (List.of(body.path("expand").asText("").split(",")).contains("changelog")) {
                List<ObjectNode> newestFirst = new ArrayList<>(i.histories);
                java.util.Collections.reverse(newestFirst);
                List<ObjectNode> shown = newestFirst.subList(0, Math.min(40, newestFirst.size()));
                ObjectNode changelog = issue.putObject("changelog").put("startAt", 0).put("maxResults", shown.size())
                        .put("total", i.histories.size());
                changelog.putArray("histories").addAll(shown);
            }
        }
        answer.put("isLast", to >= found.size());
        if (to < found.size()) {
            answer.put("nextPageToken", Integer.toString(to));
        }
        return ok(answer);
    }

    private ResponseDefinition listComments(Issue issue, Request request) {
        List<Comment> all = new ArrayList<>(issue.comments);
        QueryParameter order = request.queryParameter("orderBy");
        if (order.isPresent() && order.firstValue().equals("-created")) {
            java.util.Collections.reverse(all);
        }
        int startAt = intParam(request, "startAt", 0);
        int max = intParam(request, "maxResults", 50);
        ObjectNode answer = JSON.createObjectNode().put("startAt", startAt).put("maxResults", max).put("total", all.size());
        ArrayNode list = answer.putArray("comments");
        boolean properties = request.queryParameter("expand").isPresent()
                && request.queryParameter("expand").firstValue().contains("properties");
        for (Comment c : all.subList(Math.min(startAt, all.size()), Math.min(all.size(), startAt + max))) {
            list.add(commentJson(c, properties));
        }
        return ok(answer);
    }

    /** A comment as Jira's JSON has it; its properties only when they were asked for ({@code expand=properties}). */
    private static ObjectNode commentJson(Comment c, boolean withProperties) {
        ObjectNode node = JSON.createObjectNode().put("id", c.id());
        node.set("author", user(c.authorId(), c.authorType()));
        node.put("created", JIRA_TIME.format(c.created())).put("updated", JIRA_TIME.format(c.created()));
        node.put("jsdPublic", !c.internal());
        node.putObject("body").put("type", "doc").put("version", 1).putArray("content");
        if (withProperties) {
            ArrayNode properties = node.putArray("properties");
            if (c.internal()) {
                properties.addObject().put("key", "sd.public.comment").putObject("value").put("internal", true);
            }
            if (c.commandKey() != null) {
                properties.addObject().put("key", COMMAND_PROPERTY).putObject("value").put("command", c.commandKey());
            }
        }
        return node;
    }

    static ObjectNode user(String accountId, String accountType) {
        return JSON.createObjectNode().put("accountId", accountId).put("displayName", accountId)
                .put("accountType", accountType);
    }

    static String jiraTime(Instant at) {
        return JIRA_TIME.format(at);
    }

    private static int intParam(Request request, String name, int fallback) {
        QueryParameter p = request.queryParameter(name);
        return p.isPresent() ? Integer.parseInt(p.firstValue()) : fallback;
    }

    private static ResponseDefinition ok(JsonNode body) {
        return json(200, body);
    }

    private static ResponseDefinition json(int status, JsonNode body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body.toString())
                .build();
    }

    private static ResponseDefinition error(int status, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("errorMessages").add(message);
        return json(status, body);
    }
}
