package io.slabridge.connector.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.slabridge.core.testing.FaultPlan;
import io.slabridge.core.testing.WriteAudit;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful Jira Cloud on WireMock, failing as a {@link FaultPlan} says. It keeps each issue's fields and
 * comments (with their properties) and serves what {@link JiraWriter} reads back: {@code PUT /issue/{key}}
 * updates fields (a null clears one), {@code POST /issue/{key}/comment} adds a comment, {@code GET
 * /issue/{key}/comment} lists the newest first with their properties. Every write it applies is recorded, in
 * the order applied, for {@link WriteAudit}.
 *
 * <p>A faulty call is answered with a reset connection, an empty reply, a 500, 502 or 503, a 429 with
 * {@code Retry-After}, or the real answer ten seconds late; for a reset, an empty reply or a 502 the write may
 * have been applied first, for a late answer it always was.
 *
 * <p>A request is applied on receipt. One that this server only gets to after the writer that sent it gave up
 * (a stall of the test machine longer than the client's timeout) is refused and counted as stale: a server
 * that applies a write long after its client gave up can reorder any client's writes, and Jira offers no
 * conditional update to prevent it; the faults planned here model an answer lost, not a request delayed.
 */
final class FaultyJira implements ResponseDefinitionTransformerV2 {
    private static final Pattern ISSUE = Pattern.compile("/rest/api/3/issue/([A-Za-z][A-Za-z0-9_]*-[0-9]+)(/comment)?");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FaultPlan plan;
    private final Predicate<String> deliveryInFlight;
    private final Clock clock;
    private final Map<String, Issue> issues = new ConcurrentHashMap<>();
    private final List<Applied> applied = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong commentIds = new AtomicLong(10_000);
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final LongAdder stale = new LongAdder();

    /** An issue as this Jira keeps it. Guarded by itself. */
    static final class Issue {
        final ObjectNode fields = JSON.createObjectNode();
        /** Oldest first. */
        final List<ObjectNode> comments = new ArrayList<>();
    }

    private record Applied(long sequence, WriteAudit.Applied write) {
    }

    /**
     * @param deliveryInFlight whether a writer is delivering a command of the ticket ({@code jira:KEY}) now
     */
    FaultyJira(FaultPlan plan, Predicate<String> deliveryInFlight, Clock clock) {
        this.plan = plan;
        this.deliveryInFlight = deliveryInFlight;
        this.clock = clock;
    }

    @Override
    public String getName() {
        return "faulty-jira";
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        var request = serveEvent.getRequest();
        String method = request.getMethod().getName();
        String url = request.getUrl();
        int query = url.indexOf('?');
        Matcher m = ISSUE.matcher(query < 0 ? url : url.substring(0, query));
        boolean comments = m.matches() && m.group(2) != null;
        calls.computeIfAbsent(method + (comments ? " comment" : " issue"), k -> new LongAdder()).increment();
        if (!m.matches()) {
            return error(404, "No such resource: " + method + " " + url);
        }
        String key = m.group(1);
        if (!deliveryInFlight.test("jira:" + key)) {
            stale.increment();
            return error(503, "stale request: its writer had given up");
        }
        FaultPlan.Call call = plan.next(key);
        ResponseDefinitionBuilder answer = call.serves() ? serve(method, key, comments, request.getBodyAsString())
                : null;
        if (call.ok()) {
            return answer.build();
        }
        if (answer != null && !method.equals("GET")) {
            plan.landedThenLost();
        }
        return switch (call.fault()) {
            case CONNECTION_RESET -> ResponseDefinitionBuilder.responseDefinition().withFault(Fault.CONNECTION_RESET_BY_PEER)
                    .build();
            case EMPTY_REPLY -> ResponseDefinitionBuilder.responseDefinition().withFault(Fault.EMPTY_RESPONSE).build();
            case HTTP_500 -> error(500, "Internal server error");
            case HTTP_502 -> ResponseDefinitionBuilder.responseDefinition().withStatus(502)
                    .withHeader("Content-Type", "text/html").withBody("<html><body>502 Bad Gateway</body></html>").build();
            case HTTP_503 -> error(503, "Service unavailable");
            case HTTP_429 -> ResponseDefinitionBuilder.responseDefinition().withStatus(429)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("Retry-After", Integer.toString(call.retryAfterSeconds()))
                    .withBody("{\"errorMessages\":[\"Rate limit exceeded.\"]}").build();
            case LATENCY -> answer.withFixedDelay(FaultPlan.LATENCY_MILLIS).build();
        };
    }

    private ResponseDefinitionBuilder serve(String method, String key, boolean comments, String body) {
        Issue issue = issues.computeIfAbsent(key, k -> new Issue());
        try {
            if (method.equals("PUT") && !comments) {
                JsonNode fields = JSON.readTree(body).path("fields");
                if (!fields.isObject() || fields.isEmpty()) {
                    return badRequest("no fields to update");
                }
                synchronized (issue) {
                    fields.fields().forEachRemaining(f -> issue.fields.set(f.getKey(), f.getValue()));
                    boolean priority = fields.has("priority");
                    record(key, priority ? "set_priority" : "sla_fields",
                            priority ? fields.path("priority").path("name").asText() : fields.toString());
                }
                return ResponseDefinitionBuilder.responseDefinition().withStatus(204);
            }
            if (method.equals("POST") && comments) {
                JsonNode comment = JSON.readTree(body);
                String command = null;
                for (JsonNode p : comment.path("properties")) {
                    if (JiraWriter.COMMAND_PROPERTY.equals(p.path("key").asText())) {
                        command = p.path("value").path("command").asText(null);
                    }
                }
                ObjectNode stored = JSON.createObjectNode();
                stored.put("id", Long.toString(commentIds.incrementAndGet()));
                stored.put("created", JiraWriter.DATE_TIME.format(clock.instant()));
                stored.set("body", comment.path("body"));
                stored.set("properties", comment.path("properties").isArray() ? comment.path("properties")
                        : JSON.createArrayNode());
                synchronized (issue) {
                    issue.comments.add(stored);
                    record(key, "comment", String.valueOf(command));
                }
                return ResponseDefinitionBuilder.responseDefinition().withStatus(201)
                        .withHeader("Content-Type", "application/json").withBody(stored.toString());
            }
            if (method.equals("GET") && comments) {
                ObjectNode page = JSON.createObjectNode();
                ArrayNode list = page.putArray("comments");
                synchronized (issue) {
                    // ?orderBy=-created&maxResults=50 as the writer asks: the newest first, at most 50.
                    for (int i = issue.comments.size() - 1; i >= 0 && list.size() < JiraWriter.RECENT_COMMENTS; i--) {
                        list.add(issue.comments.get(i).deepCopy());
                    }
                    page.put("startAt", 0);
                    page.put("maxResults", JiraWriter.RECENT_COMMENTS);
                    page.put("total", issue.comments.size());
                }
                return ResponseDefinitionBuilder.responseDefinition().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody(page.toString());
            }
        } catch (IOException e) {
            return badRequest("not JSON: " + e.getMessage());
        }
        return ResponseDefinitionBuilder.responseDefinition().withStatus(405);
    }

    private void record(String key, String kind, String content) {
        applied.add(new Applied(sequence.incrementAndGet(), new WriteAudit.Applied("jira:" + key, kind, content)));
    }

    private static ResponseDefinitionBuilder badRequest(String message) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"errorMessages\":[\"" + message.replace("\"", "'") + "\"]}");
    }

    private static ResponseDefinition error(int status, String message) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"errorMessages\":[\"" + message + "\"]}").build();
    }

    /** The writes applied so far, in the order applied. */
    List<WriteAudit.Applied> applied() {
        synchronized (applied) {
            return applied.stream().sorted((a, b) -> Long.compare(a.sequence(), b.sequence())).map(Applied::write).toList();
        }
    }

    /** An issue's current field values (a copy), or null when nothing was ever written to it. */
    ObjectNode fields(String key) {
        Issue issue = issues.get(key);
        if (issue == null) {
            return null;
        }
        synchronized (issue) {
            return issue.fields.deepCopy();
        }
    }

    int issues() {
        return issues.size();
    }

    /** Calls by method and resource, e.g. {@code PUT issue}, {@code GET comment}. */
    Map<String, Long> calls() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    long staleRequests() {
        return stale.sum();
    }
}
