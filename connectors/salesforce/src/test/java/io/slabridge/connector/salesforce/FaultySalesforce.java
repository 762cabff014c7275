package io.slabridge.connector.salesforce;

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
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
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
 * A stateful Salesforce on WireMock for {@link SalesforceWriter}, failing as a {@link FaultPlan} says. It keeps
 * each Case's fields and its CaseComments: sObject Collections updates ({@code PATCH /composite/sobjects}) set
 * Case fields, creates ({@code POST}) add CaseComments, and the writer's SOQL look-up of its comments
 * ({@code GET /query}) is answered from them (ParentId, CreatedDate and CreatedById as the query asks). Every
 * record it applies is recorded, in the order applied, for {@link WriteAudit}. The OAuth token endpoint never
 * fails: the plan is about the API calls.
 *
 * <p>A faulty call is answered with a reset connection, an empty reply, a 500, 502 or 503, a 429 with
 * {@code Retry-After}, or the real answer ten seconds late; for a reset, an empty reply or a 502 the whole call
 * may have been applied first, for a late answer it always was. As in {@code FaultyJira}, a request this server
 * only gets to after the writer gave up on it is refused and counted as stale.
 */
final class FaultySalesforce implements ResponseDefinitionTransformerV2 {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern MARKER = Pattern.compile("\\[sla-bridge ([^\\]]+)\\]$");
    private static final Pattern IDS = Pattern.compile("ParentId IN \\(([^)]*)\\)");
    private static final Pattern SINCE = Pattern.compile("CreatedDate >= (\\S+)");

    private final FaultPlan plan;
    private final Predicate<String> deliveryInFlight;
    private final Clock clock;
    private final String integrationUser;
    private volatile String baseUrl;
    private volatile String dataPath;
    private final Map<String, ObjectNode> cases = new ConcurrentHashMap<>();
    /** All CaseComments, oldest first. Guarded by itself. */
    private final List<ObjectNode> comments = new ArrayList<>();
    private final List<Applied> applied = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final LongAdder stale = new LongAdder();

    private record Applied(long sequence, WriteAudit.Applied write) {
    }

    /**
     * @param deliveryInFlight whether a writer is delivering a command of the ticket ({@code salesforce:<Case Id>})
     */
    FaultySalesforce(FaultPlan plan, Predicate<String> deliveryInFlight, Clock clock, String integrationUser) {
        this.plan = plan;
        this.deliveryInFlight = deliveryInFlight;
        this.clock = clock;
        this.integrationUser = integrationUser;
    }

    /** Where this fake is served (its token response names it) and its REST data path; before the first call. */
    void serveAt(String base, String data) {
        this.baseUrl = base;
        this.dataPath = data;
    }

    @Override
    public String getName() {
        return "faulty-salesforce";
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        var request = serveEvent.getRequest();
        String method = request.getMethod().getName();
        String url = request.getUrl();
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        if (path.equals("/services/oauth2/token")) {
            return json(200, "{\"access_token\":\"token-1\",\"instance_url\":\"" + baseUrl + "\",\"id\":\"" + baseUrl
                    + "/id/00D000000000001EAA/" + integrationUser + "\",\"token_type\":\"Bearer\","
                    + "\"issued_at\":\"1763630102514\",\"signature\":\"c2lnbmF0dXJl\"}");
        }
        if (path.equals("/services/oauth2/revoke")) {
            return ResponseDefinitionBuilder.responseDefinition().withStatus(200).build();
        }
        if (path.equals(dataPath + "/sobjects/Case/describe") && method.equals("GET")) {
            // Read once, before the first write: not part of the fault plan, which is about the writes.
            return json(200, SalesforceFixtures.caseDescribe(true, SalesforceFixtures.SLA_FIELDS).toString());
        }
        String what = method + (path.endsWith("/query") ? " query" : path.endsWith("/composite/sobjects")
                ? " sobjects" : " " + path);
        calls.computeIfAbsent(what, k -> new LongAdder()).increment();
        String body = request.getBodyAsString();
        List<String> tickets;
        try {
            tickets = tickets(method, path, url, body);
        } catch (IOException | RuntimeException e) {
            return json(400, "[{\"message\":\"" + e.getMessage() + "\",\"errorCode\":\"MALFORMED_QUERY\"}]");
        }
        if (tickets == null) {
            return json(404, "[{\"message\":\"The requested resource does not exist\",\"errorCode\":\"NOT_FOUND\"}]");
        }
        if (!tickets.stream().allMatch(deliveryInFlight)) {
            stale.increment();
            return json(503, "[{\"message\":\"stale request: its writer had given up\",\"errorCode\":\"SERVER_UNAVAILABLE\"}]");
        }
        FaultPlan.Call call = plan.next(what);
        ResponseDefinitionBuilder answer = call.serves() ? serve(method, path, url, body) : null;
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
            case HTTP_500 -> json(500, "[{\"message\":\"An unexpected error occurred\",\"errorCode\":\"UNKNOWN_EXCEPTION\"}]");
            case HTTP_502 -> ResponseDefinitionBuilder.responseDefinition().withStatus(502)
                    .withHeader("Content-Type", "text/html").withBody("<html><body>502 Bad Gateway</body></html>").build();
            case HTTP_503 -> json(503, "[{\"message\":\"Service unavailable\",\"errorCode\":\"SERVER_UNAVAILABLE\"}]");
            case HTTP_429 -> ResponseDefinitionBuilder.responseDefinition().withStatus(429)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("Retry-After", Integer.toString(call.retryAfterSeconds()))
                    .withBody("[{\"message\":\"Too many requests\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]").build();
            case LATENCY -> answer.withFixedDelay(FaultPlan.LATENCY_MILLIS).build();
        };
    }

    /** The tickets a call is about; null when it is not a call this fake knows. */
    private List<String> tickets(String method, String path, String url, String body) throws IOException {
        List<String> out = new ArrayList<>();
        if (path.equals(dataPath + "/composite/sobjects") && (method.equals("PATCH") || method.equals("POST"))) {
            for (JsonNode r : JSON.readTree(body).path("records")) {
                out.add("salesforce:" + (method.equals("PATCH") ? r.path("id") : r.path("ParentId")).asText());
            }
            return out;
        }
        if (path.equals(dataPath + "/query") && method.equals("GET")) {
            Matcher m = IDS.matcher(soql(url));
            if (!m.find()) {
                throw new IllegalArgumentException("no ParentId IN (...) in the query");
            }
            for (String id : m.group(1).split(",")) {
                out.add("salesforce:" + id.strip().replace("'", ""));
            }
            return out;
        }
        return null;
    }

    private static String soql(String url) {
        for (String pair : url.substring(url.indexOf('?') + 1).split("&")) {
            if (pair.startsWith("q=")) {
                return URLDecoder.decode(pair.substring(2), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    private ResponseDefinitionBuilder serve(String method, String path, String url, String body) {
        try {
            if (method.equals("PATCH")) {
                ArrayNode results = JSON.createArrayNode();
                for (JsonNode r : JSON.readTree(body).path("records")) {
                    String id = r.path("id").asText();
                    ObjectNode values = ((ObjectNode) r).deepCopy();
                    values.remove(List.of("attributes", "id"));
                    ObjectNode stored = cases.computeIfAbsent(id, k -> JSON.createObjectNode());
                    synchronized (stored) {
                        stored.setAll(values);
                        boolean priority = values.has("Priority");
                        record("salesforce:" + id, priority ? "set_priority" : "sla_fields",
                                priority ? values.path("Priority").asText() : values.toString());
                    }
                    results.addObject().put("id", id).put("success", true).putArray("errors");
                }
                return ok(results);
            }
            if (method.equals("POST")) {
                ArrayNode results = JSON.createArrayNode();
                for (JsonNode r : JSON.readTree(body).path("records")) {
                    String parent = r.path("ParentId").asText();
                    String text = r.path("CommentBody").asText();
                    Matcher marker = MARKER.matcher(text);
                    String id = String.format("00a%012dAAA", ids.incrementAndGet());
                    ObjectNode comment = JSON.createObjectNode();
                    comment.putObject("attributes").put("type", "CaseComment");
                    comment.put("Id", id);
                    comment.put("ParentId", parent);
                    comment.put("CommentBody", text);
                    comment.put("CreatedDate", clock.instant().toString());
                    comment.put("CreatedById", integrationUser);
                    synchronized (comments) {
                        comments.add(comment);
                        // An internal comment is known by its marker, a public one (no marker) by its text.
                        record("salesforce:" + parent, "comment", marker.find() ? marker.group(1) : text);
                    }
                    results.addObject().put("id", id).put("success", true).putArray("errors");
                }
                return ok(results);
            }
            // GET /query: the writer's look-up of its own comments.
            String soql = soql(url);
            Matcher m = IDS.matcher(soql);
            m.find();
            List<String> parents = new ArrayList<>();
            for (String id : m.group(1).split(",")) {
                parents.add(id.strip().replace("'", ""));
            }
            Matcher since = SINCE.matcher(soql);
            Instant from = since.find() ? Instant.parse(since.group(1)) : Instant.MIN;
            ObjectNode page = JSON.createObjectNode();
            ArrayNode records = page.putArray("records");
            synchronized (comments) {
                for (ObjectNode c : comments) {
                    if (parents.contains(c.path("ParentId").asText())
                            && !Instant.parse(c.path("CreatedDate").asText()).isBefore(from)
                            && soql.contains("CreatedById = '" + SalesforceApi.shortId(c.path("CreatedById").asText()))) {
                        ObjectNode r = records.addObject();
                        r.set("attributes", c.path("attributes"));
                        r.set("ParentId", c.path("ParentId"));
                        r.set("CommentBody", c.path("CommentBody"));
                        r.put("CreatedDate", SalesforceWriter.DATE_TIME.format(Instant.parse(c.path("CreatedDate").asText()))
                                .replace("Z", "+0000"));
                    }
                }
            }
            page.put("totalSize", records.size());
            page.put("done", true);
            return ok(page);
        } catch (IOException e) {
            return ResponseDefinitionBuilder.responseDefinition().withStatus(400).withHeader("Content-Type", "application/json")
                    .withBody("[{\"message\":\"not JSON\",\"errorCode\":\"JSON_PARSER_ERROR\"}]");
        }
    }

    private void record(String ticket, String kind, String content) {
        applied.add(new Applied(sequence.incrementAndGet(), new WriteAudit.Applied(ticket, kind, content)));
    }

    private static ResponseDefinitionBuilder ok(JsonNode body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(body.toString());
    }

    private static ResponseDefinition json(int status, String body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body).build();
    }

    /** The records applied so far, in the order applied. */
    List<WriteAudit.Applied> applied() {
        synchronized (applied) {
            return applied.stream().sorted((a, b) -> Long.compare(a.sequence(), b.sequence())).map(Applied::write).toList();
        }
    }

    /** A Case's current field values (a copy), or null when nothing was ever written to it. */
    ObjectNode fields(String caseId) {
        ObjectNode stored = cases.get(caseId);
        if (stored == null) {
            return null;
        }
        synchronized (stored) {
            return stored.deepCopy();
        }
    }

    int cases() {
        return cases.size();
    }

    /** API calls by method and resource, e.g. {@code PATCH sobjects}, {@code GET query}. */
    Map<String, Long> calls() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    long staleRequests() {
        return stale.sum();
    }
}
