package io.slabridge.connector.jira.bench;

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
import io.slabridge.connector.jira.JiraConfig;
import io.slabridge.connector.jira.JiraEvents;
import io.slabridge.connector.jira.JiraHttp;
import io.slabridge.connector.jira.JiraPoller;
import io.slabridge.connector.jira.RestJiraDirectory;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Jira API calls per poll: the real {@link JiraPoller} (Jira Cloud, {@code sla.jira.poll-interval=10s}, the
 * default two-minute overlap) against a stateful Jira Cloud on WireMock that answers as Atlassian's reference
 * says: {@code POST /rest/api/3/search/jql} with {@code fields} (and, when asked, {@code fields.comment} with its
 * {@code comments} and {@code total}) and {@code expand=changelog} (the 40 most recent histories, newest first,
 * with {@code total}); {@code GET /issue/{key}/changelog} and {@code GET /issue/{key}/comment}, paged.
 *
 * <p>The workload is the one the issue reported: seven issues created five seconds apart, each with a customer
 * comment a minute later and an agent comment two minutes later; two seconds after each of these sla-bridge
 * writes the issue's SLA status field (a changelog history by the integration user, which bumps
 * {@code updated}). Twenty-one polls, ten seconds apart on a simulated clock (3.5 min). Calls are counted by
 * the fake, by kind, per poll.
 *
 * <p>Run from the repository root (see docs/explanation/benchmarks.md):
 * <pre>
 * mvn -B -q -pl connectors/jira -am install -DskipTests
 * mvn -B -q -f connectors/jira/pom.xml test-compile exec:exec@jira-poll-calls
 * </pre>
 */
public final class JiraPollCallsBench {
    static final String BOT = "712020:sla-bridge-bot";
    static final String SLA_STATUS_FIELD = "customfield_10100";
    static final Instant START = Instant.parse("2026-03-10T09:00:00Z");
    static final Duration POLL_INTERVAL = Duration.ofSeconds(10);
    static final int POLLS = 21;
    static final int ISSUES = 7;
    /** How many histories the enhanced search embeds with {@code expand=changelog} (the most recent ones). */
    static final int SEARCH_CHANGELOG_LIMIT = 40;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter JIRA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter JQL_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm", Locale.ROOT);
    private static final Pattern JQL = Pattern.compile("project in \\((.+)\\) AND updated >= \"([0-9/: ]+)\" ORDER BY updated ASC");
    private static final Pattern ISSUE_PATH = Pattern.compile("/rest/api/3/issue/([A-Z]+-[0-9]+)/(changelog|comment)");

    private JiraPollCallsBench() {
    }

    /** One poll: its instant, the calls it made by kind, and the events it handed on. */
    public record Poll(Instant at, Map<String, Integer> calls, int events) {
        public int total() {
            return calls.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.print(report(run()));
    }

    /** The figures as printed: a row per poll, then the totals. */
    public static String report(List<Poll> polls) {
        StringBuilder out = new StringBuilder();
        Map<String, Integer> totals = new TreeMap<>();
        polls.forEach(p -> p.calls().forEach((k, v) -> totals.merge(k, v, Integer::sum)));
        int events = polls.stream().mapToInt(Poll::events).sum();
        out.append("workload: ").append(ISSUES).append(" issues, ").append(POLLS).append(" polls every ")
                .append(POLL_INTERVAL.toSeconds()).append(" s, overlap 2 min; Jira Cloud\n\n");
        out.append("| poll | at | calls | by kind | events handed on |\n|---:|---|---:|---|---:|\n");
        for (int i = 0; i < polls.size(); i++) {
            Poll p = polls.get(i);
            out.append(String.format("| %d | %s | %d | %s | %d |%n", i + 1, p.at(), p.total(), p.calls(), p.events()));
        }
        int all = totals.values().stream().mapToInt(Integer::intValue).sum();
        out.append(String.format("%ntotal: %d calls (%s), %.1f per poll; %d events handed on%n", all, totals,
                (double) all / polls.size(), events));
        return out.toString();
    }

    /** Runs the workload and returns each poll's figures. */
    public static List<Poll> run() throws Exception {
        MutableClock clock = new MutableClock(START);
        FakeCloud fake = new FakeCloud(clock);
        WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(fake));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(404)));
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.start();
        String name = "jira_poll_calls_" + UUID.randomUUID().toString().replace("-", "");
        try (JdbcSlaStore store = JdbcSlaStore.open(StoreSettings.inMemory(name))) {
            JiraConfig config = JiraConfig.builder().url(URI.create(server.baseUrl())).basic("bot@example.com", "token")
                    .deployment(JiraConfig.Deployment.CLOUD).projects(List.of("SUP")).serviceManagement(true)
                    .statusField(SLA_STATUS_FIELD).pollInterval(POLL_INTERVAL).build();
            JiraHttp http = JiraHttp.create(camel, config, clock);
            RestJiraDirectory directory = new RestJiraDirectory(http, clock);
            int[] events = {0};
            JiraPoller poller = new JiraPoller(http, directory, new JiraEvents(config, directory), store,
                    page -> events[0] += page.size(), clock);
            List<Poll> polls = new ArrayList<>();
            for (int i = 0; i < POLLS; i++) {
                Instant at = START.plus(POLL_INTERVAL.multipliedBy(i));
                fake.advanceTo(at);
                fake.calls.clear();
                events[0] = 0;
                poller.pollOnce();
                polls.add(new Poll(at, new TreeMap<>(fake.calls), events[0]));
            }
            http.close();
            return polls;
        } finally {
            camel.stop();
            server.stop();
        }
    }

    /** Jira Cloud for one project, with its issues' comments and changelogs, and a script of what happens when. */
    static final class FakeCloud implements ResponseDefinitionTransformerV2 {
        private final MutableClock clock;
        private final Map<String, Issue> issues = new LinkedHashMap<>();
        private final List<Runnable> script = new ArrayList<>();
        private final List<Instant> scriptAt = new ArrayList<>();
        final Map<String, Integer> calls = new TreeMap<>();
        private long nextId = 50_000;

        FakeCloud(MutableClock clock) {
            this.clock = clock;
            for (int i = 0; i < ISSUES; i++) {
                String key = "SUP-" + (i + 1);
                String id = Integer.toString(10_001 + i);
                Instant created = START.plusSeconds(5L * i);
                at(created, () -> issues.put(key, new Issue(id, key, created)));
                at(created.plusSeconds(2), () -> slaWrite(key, "On track"));
                at(created.plusSeconds(60), () -> comment(key, "557058:cust-" + key, "customer"));
                at(created.plusSeconds(62), () -> slaWrite(key, "On track"));
                at(created.plusSeconds(120), () -> comment(key, "557058:agent-mia", "atlassian"));
                at(created.plusSeconds(122), () -> slaWrite(key, "On track"));
            }
        }

        private void at(Instant when, Runnable what) {
            scriptAt.add(when);
            script.add(what);
        }

        /** Plays what happens up to {@code now}, in time order, each at its own instant. */
        synchronized void advanceTo(Instant now) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < script.size(); i++) {
                if (script.get(i) != null && !scriptAt.get(i).isAfter(now)) {
                    order.add(i);
                }
            }
            order.sort(Comparator.comparing(scriptAt::get));
            for (int i : order) {
                clock.set(scriptAt.get(i));
                script.get(i).run();
                script.set(i, null);
            }
            clock.set(now);
        }

        private void slaWrite(String key, String label) {
            Issue issue = issues.get(key);
            ObjectNode history = JSON.createObjectNode().put("id", Long.toString(nextId++));
            history.set("author", user(BOT, "app"));
            history.put("created", JIRA_TIME.format(clock.instant()));
            history.putArray("items").addObject().put("field", "SLA status").put("fieldtype", "custom")
                    .put("fieldId", SLA_STATUS_FIELD).putNull("from").put("fromString", (String) null).putNull("to")
                    .put("toString", label);
            issue.histories.add(history);
            issue.updated = clock.instant();
        }

        private void comment(String key, String author, String type) {
            Issue issue = issues.get(key);
            ObjectNode c = JSON.createObjectNode().put("id", Long.toString(nextId++));
            c.set("author", user(author, type));
            c.putObject("body").put("type", "doc").put("version", 1).putArray("content");
            c.put("created", JIRA_TIME.format(clock.instant())).put("updated", JIRA_TIME.format(clock.instant()));
            c.put("jsdPublic", true);
            issue.comments.add(c);
            issue.updated = clock.instant();
        }

        @Override
        public String getName() {
            return "fake-jira-cloud";
        }

        @Override
        public synchronized ResponseDefinition transform(ServeEvent event) {
            Request request = event.getRequest();
            String url = request.getUrl();
            int q = url.indexOf('?');
            String path = q < 0 ? url : url.substring(0, q);
            String method = request.getMethod().getName();
            try {
                if (path.equals("/rest/api/3/myself")) {
                    count("GET myself");
                    return ok(user(BOT, "app").put("timeZone", "UTC"));
                }
                if (path.equals("/rest/api/3/status")) {
                    count("GET status");
                    return ok(JSON.createArrayNode());
                }
                if (path.equals("/rest/api/3/search/jql") && method.equals("POST")) {
                    count("POST search");
                    return search(JSON.readTree(request.getBodyAsString()));
                }
                Matcher m = ISSUE_PATH.matcher(path);
                if (m.matches() && method.equals("GET") && issues.containsKey(m.group(1))) {
                    Issue issue = issues.get(m.group(1));
                    int startAt = intParam(request, "startAt", 0);
                    int max = Math.min(100, intParam(request, "maxResults", 50));
                    if (m.group(2).equals("changelog")) {
                        count("GET changelog");
                        List<JsonNode> page = slice(issue.histories, startAt, max);
                        ObjectNode answer = JSON.createObjectNode().put("startAt", startAt).put("maxResults", max)
                                .put("total", issue.histories.size()).put("isLast", startAt + page.size() >= issue.histories.size());
                        answer.putArray("values").addAll(page);
                        return ok(answer);
                    }
                    count("GET comment");
                    ObjectNode answer = JSON.createObjectNode().put("startAt", startAt).put("maxResults", max)
                            .put("total", issue.comments.size());
                    ArrayNode list = answer.putArray("comments");
                    for (JsonNode c : slice(issue.comments, startAt, max)) {
                        ObjectNode copy = c.deepCopy();
                        if (request.queryParameter("expand").isPresent()) {
                            copy.putArray("properties");
                        }
                        list.add(copy);
                    }
                    return ok(answer);
                }
            } catch (IOException e) {
                return error(400, e.getMessage());
            }
            return error(404, "not served here: " + method + " " + path);
        }

        private void count(String kind) {
            calls.merge(kind, 1, Integer::sum);
        }

        private ResponseDefinition search(JsonNode body) {
            Matcher m = JQL.matcher(body.path("jql").asText());
            if (!m.matches()) {
                return error(400, "Error in the JQL Query: " + body.path("jql").asText());
            }
            Instant since = LocalDateTime.parse(m.group(2), JQL_TIME).toInstant(ZoneOffset.UTC);
            List<String> fieldsAsked = new ArrayList<>();
            body.path("fields").forEach(f -> fieldsAsked.add(f.asText()));
            boolean changelog = List.of(body.path("expand").asText("").split(",")).contains("changelog");
            List<Issue> found = issues.values().stream().filter(i -> !i.updated.isBefore(since))
                    .sorted(Comparator.comparing((Issue i) -> i.updated)).toList();
            int max = body.path("maxResults").asInt(50);
            int from = body.hasNonNull("nextPageToken") ? Integer.parseInt(body.path("nextPageToken").asText()) : 0;
            int to = Math.min(found.size(), from + max);
            ObjectNode answer = JSON.createObjectNode();
            ArrayNode page = answer.putArray("issues");
            for (Issue i : found.subList(Math.min(from, to), to)) {
                ObjectNode issue = page.addObject().put("id", i.id).put("key", i.key);
                ObjectNode fields = issue.putObject("fields");
                fields.put("summary", "Checkout fails for " + i.key);
                fields.put("created", JIRA_TIME.format(i.created));
                fields.put("updated", JIRA_TIME.format(i.updated));
                fields.putObject("status").put("name", "Waiting for support").putObject("statusCategory").put("key", "new");
                fields.putObject("priority").put("name", "High");
                fields.set("reporter", user("557058:cust-" + i.key, "customer"));
                if (fieldsAsked.contains("comment")) {
                    ObjectNode comment = fields.putObject("comment");
                    comment.putArray("comments").addAll(i.comments);
                    comment.put("maxResults", i.comments.size()).put("total", i.comments.size()).put("startAt", 0);
                }
                fields.retain(fieldsAsked);
                if (changelog) {
                    List<JsonNode> newestFirst = new ArrayList<>(i.histories);
                    java.util.Collections.reverse(newestFirst);
                    List<JsonNode> shown = newestFirst.subList(0, Math.min(SEARCH_CHANGELOG_LIMIT, newestFirst.size()));
                    ObjectNode log = issue.putObject("changelog").put("startAt", 0).put("maxResults", shown.size())
                            .put("total", i.histories.size());
                    log.putArray("histories").addAll(shown);
                }
            }
            answer.put("isLast", to >= found.size());
            if (to < found.size()) {
                answer.put("nextPageToken", Integer.toString(to));
            }
            return ok(answer);
        }

        private static List<JsonNode> slice(List<? extends JsonNode> all, int startAt, int max) {
            return new ArrayList<>(all.subList(Math.min(startAt, all.size()), Math.min(all.size(), startAt + max)));
        }
    }

    private static final class Issue {
        final String id;
        final String key;
        final Instant created;
        Instant updated;
        final List<ObjectNode> histories = new ArrayList<>();
        final List<ObjectNode> comments = new ArrayList<>();

        Issue(String id, String key, Instant created) {
            this.id = id;
            this.key = key;
            this.created = created;
            this.updated = created;
        }
    }

    static ObjectNode user(String accountId, String accountType) {
        return JSON.createObjectNode().put("accountId", accountId).put("displayName", accountId)
                .put("accountType", accountType);
    }

    private static int intParam(Request request, String name, int fallback) {
        QueryParameter p = request.queryParameter(name);
        return p.isPresent() ? Integer.parseInt(p.firstValue()) : fallback;
    }

    private static ResponseDefinition ok(JsonNode body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body.toString()).build();
    }

    private static ResponseDefinition error(int status, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("errorMessages").add(message);
        body.putObject("errors");
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body.toString())
                .build();
    }
}
