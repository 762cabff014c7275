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
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.slabridge.routes.testing.FakeCaseDescribe;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Salesforce org with state, on WireMock in the test's JVM, so that it outlives the sla-bridge processes the tests
 * kill. Written from the REST API reference, not from the connector's stubs: the OAuth 2.0 token endpoint (client
 * credentials: {@code access_token}, {@code instance_url}, the identity URL {@code id} naming the run-as user), the
 * token revoke, {@code sobjects/Case/describe}, SOQL through {@code query?q=} ({@code totalSize}, {@code done},
 * {@code records} with their {@code attributes}, {@code nextRecordsUrl} pages of the {@code Sforce-Query-Options}
 * batch size, relationship fields as nested records, an empty child subquery as {@code null}, date-times as
 * {@code 2025-11-20T09:00:30.000+0000}), sObject Collections ({@code POST} and {@code PATCH composite/sobjects}: 200
 * with one SaveResult {@code {"id":..,"success":..,"errors":[..]}} per record, in order), the single-record
 * resources ({@code POST sobjects/CaseComment}: 201 with a SaveResult; {@code PATCH sobjects/Case/{id}}: 204), and
 * errors as Salesforce sends them, {@code [{"message":..,"errorCode":..}]}.
 *
 * <p>It keeps Cases and CaseComments. A comment is stored with what was written (ParentId, CommentBody,
 * IsPublished) and CreatedById, CreatedDate and SystemModstamp, so that a writer looking for its own comment finds
 * it; a Case update sets its fields and bumps its {@code SystemModstamp}. The SOQL understood is what sla-bridge
 * sends: a field list (with dotted relationship fields and a child subquery), one object, conditions joined by
 * {@code AND} ({@code =}, {@code !=}, {@code >=}, {@code <=}, {@code >}, {@code <}, {@code IN (..)}), and
 * {@code ORDER BY}; anything else is a 400 {@code MALFORMED_QUERY}, a field the object lacks a 400
 * {@code INVALID_FIELD}.
 *
 * <p>Each sla-bridge process logs in with a client id of its own ({@code sla.salesforce.client-id}); the token it
 * is given tells which process made each later call.
 */
final class FakeSalesforce implements AutoCloseable {
    static final String API = "v62.0";
    static final String DATA = "/services/data/" + API;
    static final String ORG = "00D5g0000SlaOrgEAA";
    /** The connected app's run-as user: the integration user. */
    static final String BOT = "005Qy0000SlaBotIAA";
    /** The portal user who opens the Cases. */
    static final String CUSTOMER = "005Qy000000CustIAA";
    static final String SECRET = "cluster-test-consumer-secret";
    /** The SLA fields the settings name, as the org's describe has them. */
    static final Map<String, String> SLA_FIELDS = FakeCaseDescribe.SLA_FIELDS;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How Salesforce writes a date-time in JSON. */
    private static final DateTimeFormatter SF_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx")
            .withZone(ZoneOffset.UTC);
    private static final Pattern MARKER = Pattern.compile("\\[sla-bridge ([^\\]]+)\\]$");
    private static final Pattern QUERY_MORE = Pattern.compile(Pattern.quote(DATA) + "/query/(01g[A-Za-z0-9]+-\\d+)");
    private static final Pattern CASE_PATH = Pattern.compile(Pattern.quote(DATA) + "/sobjects/Case/([A-Za-z0-9]{15,18})");
    private static final Map<String, Set<String>> FIELDS = Map.of(
            "Case", Set.of("Id", "CaseNumber", "Subject", "Status", "Priority", "Origin", "AccountId", "CreatedById",
                    "CreatedDate", "SystemModstamp", "LastModifiedDate", "IsDeleted"),
            "CaseComment", Set.of("Id", "ParentId", "IsPublished", "CommentBody", "CreatedById", "CreatedDate",
                    "SystemModstamp", "LastModifiedDate", "IsDeleted"),
            "EmailMessage", Set.of("Id", "ParentId", "Incoming", "Status", "FromAddress", "MessageDate", "CreatedById",
                    "CreatedDate", "SystemModstamp"),
            "CaseHistory", Set.of("Id", "CaseId", "Field", "OldValue", "NewValue", "CreatedById", "CreatedDate"),
            "User", Set.of("Id", "Name", "UserType"));
    /** The relationship names of lookups, to the object they name. */
    private static final Map<String, String> LOOKUPS = Map.of("CreatedBy", "User", "Parent", "Case");

    /** One call sla-bridge made: which process, what, when; for a query its SOQL, else null. */
    record Call(String client, String method, String path, Instant at, String soql) {
        boolean isQueryOf(String object) {
            return soql != null && soql.contains(" FROM " + object + " ");
        }
    }

    /** A CaseComment as the org keeps it; its command key from the marker line of an internal one, else null. */
    record Comment(String id, String caseId, String body, boolean published, String createdBy, Instant created,
            String postedBy, String commandKey) {
    }

    /** A Case update the org applied (and answered): the fields written, without {@code attributes} and {@code id}. */
    record CaseUpdate(String caseId, String client, Instant at, JsonNode fields) {
    }

    private final WireMockServer server;
    /** Records by object, in creation order: field name → value, as the org stores them. */
    private final Map<String, List<ObjectNode>> records = new LinkedHashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private final List<Comment> comments = new ArrayList<>();
    private final List<CaseUpdate> updates = new ArrayList<>();
    private final Map<String, String> clientByToken = new HashMap<>();
    /** Query locators: the rows a query result has not shown yet. */
    private final Map<String, List<ObjectNode>> cursors = new HashMap<>();
    private long nextId = 1;
    private volatile Duration commentAnswerDelay = Duration.ZERO;

    FakeSalesforce() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(24)
                .extensions(new Handler()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(404)));
        FIELDS.keySet().forEach(object -> records.put(object, new ArrayList<>()));
        ObjectNode bot = user(BOT, "SLA Bridge Integration", "Standard");
        ObjectNode customer = user(CUSTOMER, "Dana Customer", "PowerCustomerSuccess");
        records.get("User").addAll(List.of(bot, customer));
    }

    /** The login URL of this org (its token endpoint is {@code /services/oauth2/token} under it). */
    String loginUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /**
     * From now on, the answer to a request creating CaseComments takes {@code delay}, the comments being stored at
     * once: a long one holds the writer waiting, so that a test can kill it mid-call.
     */
    void answerCommentsAfter(Duration delay) {
        commentAnswerDelay = delay;
    }

    // ---- what the test does in "Salesforce" ------------------------------------------------------------------

    /** A customer opens a Case now (Status New, Priority High, Origin Web); returns its 18-character Id. */
    synchronized String createCase(String subject) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String id = id("500");
        ObjectNode c = JSON.createObjectNode();
        c.put("Id", id).put("CaseNumber", String.format("%08d", 1000 + records.get("Case").size() + 1))
                .put("Subject", subject).put("Status", "New").put("Priority", "High").put("Origin", "Web")
                .putNull("AccountId").put("CreatedById", CUSTOMER).put("CreatedDate", SF_TIME.format(now))
                .put("SystemModstamp", SF_TIME.format(now)).put("LastModifiedDate", SF_TIME.format(now))
                .put("IsDeleted", false);
        SLA_FIELDS.keySet().forEach(c::putNull);
        records.get("Case").add(c);
        return id;
    }

    // ---- what the test reads afterwards ----------------------------------------------------------------------

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    synchronized List<Comment> comments() {
        return List.copyOf(comments);
    }

    synchronized List<CaseUpdate> caseUpdates() {
        return List.copyOf(updates);
    }

    @Override
    public void close() {
        server.stop();
    }

    // ---- the REST API ----------------------------------------------------------------------------------------

    private final class Handler implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return "fake-salesforce";
        }

        @Override
        public boolean applyGlobally() {
            return true;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Request request = event.getRequest();
            String url = request.getUrl();
            int q = url.indexOf('?');
            String path = q < 0 ? url : url.substring(0, q);
            try {
                return handle(request.getMethod().getName(), path, q < 0 ? "" : url.substring(q + 1), request);
            } catch (Malformed e) {
                return errors(400, e.getMessage(), e.code);
            } catch (IOException | RuntimeException e) {
                return errors(500, "An unexpected error occurred: " + e, "UNKNOWN_EXCEPTION");
            }
        }
    }

    /** A request Salesforce refuses as a whole, with its error code. */
    private static final class Malformed extends RuntimeException {
        final String code;

        Malformed(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    private ResponseDefinition handle(String method, String path, String query, Request request) throws IOException {
        Instant now = Instant.now();
        synchronized (this) {
            if (path.equals("/services/oauth2/token") && method.equals("POST")) {
                return token(form(request.getBodyAsString()));
            }
            if (path.equals("/services/oauth2/revoke")) {
                return aResponse().withStatus(200).build();
            }
            String client = client(request);
            if (client == null) {
                // As Salesforce answers a REST call without a valid session.
                return errors(401, "Session expired or invalid", "INVALID_SESSION_ID");
            }
            String soql = path.equals(DATA + "/query") ? param(query, "q") : null;
            calls.add(new Call(client, method, path, now, soql));
            if (path.equals(DATA + "/sobjects/Case/describe") && method.equals("GET")) {
                return json(200, JSON.readTree(FakeCaseDescribe.json(DATA, false, SLA_FIELDS))).build();
            }
            if (path.equals(DATA + "/query") && method.equals("GET")) {
                if (soql == null) {
                    throw new Malformed("MALFORMED_QUERY", "The q parameter is missing");
                }
                return query(soql, batchSize(request));
            }
            Matcher more = QUERY_MORE.matcher(path);
            if (more.matches() && method.equals("GET")) {
                List<ObjectNode> rest = cursors.remove(more.group(1));
                if (rest == null) {
                    return errors(400, "invalid query locator", "INVALID_QUERY_LOCATOR");
                }
                return page(rest, Integer.parseInt(more.group(1).substring(more.group(1).indexOf('-') + 1)));
            }
            if (path.equals(DATA + "/composite/sobjects") && method.equals("POST")) {
                ArrayNode results = JSON.createArrayNode();
                for (JsonNode r : records(request)) {
                    results.add(create(r, client, now));
                }
                return held(json(200, results)).build();
            }
            if (path.equals(DATA + "/composite/sobjects") && method.equals("PATCH")) {
                ArrayNode results = JSON.createArrayNode();
                for (JsonNode r : records(request)) {
                    results.add(update(r.path("attributes").path("type").asText(), r.path("id").asText(), r, client, now));
                }
                return json(200, results).build();
            }
            if (path.equals(DATA + "/sobjects/CaseComment") && method.equals("POST")) {
                ObjectNode result = create(withType(JSON.readTree(request.getBodyAsString()), "CaseComment"), client, now);
                return result.path("success").asBoolean() ? held(json(201, result)).build()
                        : json(400, errorList(result.path("errors"))).build();
            }
            Matcher casePath = CASE_PATH.matcher(path);
            if (casePath.matches() && method.equals("PATCH")) {
                ObjectNode result = update("Case", casePath.group(1), JSON.readTree(request.getBodyAsString()), client, now);
                return result.path("success").asBoolean() ? aResponse().withStatus(204).build()
                        : json(result.path("errors").path(0).path("statusCode").asText().equals("ENTITY_IS_DELETED") ? 404
                                : 400, errorList(result.path("errors"))).build();
            }
            return errors(404, "The requested resource does not exist", "NOT_FOUND");
        }
    }

    /** The client credentials flow: a token of its own for each process, named by its client id. */
    private ResponseDefinition token(Map<String, String> form) {
        if (!"client_credentials".equals(form.get("grant_type")) || !SECRET.equals(form.get("client_secret"))
                || form.get("client_id") == null) {
            return json(400, JSON.createObjectNode().put("error", "invalid_client").put("error_description",
                    "invalid client credentials")).build();
        }
        String client = form.get("client_id");
        String token = ORG.substring(0, 15) + "!" + client + "." + (nextId++);
        clientByToken.put(token, client);
        String base = loginUrl();
        ObjectNode answer = JSON.createObjectNode().put("access_token", token).put("signature", "c2lnbmF0dXJl")
                .put("scope", "api").put("instance_url", base).put("id", base + "/id/" + ORG + "/" + BOT)
                .put("token_type", "Bearer").put("issued_at", Long.toString(System.currentTimeMillis()));
        return json(200, answer).build();
    }

    /** The process a REST call comes from, by its bearer token; null without a valid one. */
    private String client(Request request) {
        HttpHeader authorization = request.header("Authorization");
        if (!authorization.isPresent()) {
            return null;
        }
        String value = authorization.firstValue();
        return value.startsWith("Bearer ") ? clientByToken.get(value.substring(7)) : null;
    }

    private com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder held(
            com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
        // The comments are in; their answer takes a while: a kill in between loses it.
        return answer.withFixedDelay((int) commentAnswerDelay.toMillis());
    }

    private static JsonNode records(Request request) throws IOException {
        JsonNode body = JSON.readTree(request.getBodyAsString());
        JsonNode list = body.path("records");
        if (!list.isArray() || list.size() > 200) {
            throw new Malformed("JSON_PARSER_ERROR", "records: expected a list of at most 200 sObjects");
        }
        return list;
    }

    private static JsonNode withType(JsonNode record, String type) {
        ObjectNode copy = ((ObjectNode) record).deepCopy();
        copy.putObject("attributes").put("type", type);
        return copy;
    }

    /** Creates one CaseComment (the only object sla-bridge creates here); its SaveResult. */
    private ObjectNode create(JsonNode r, String client, Instant now) {
        String type = r.path("attributes").path("type").asText("");
        if (!type.equals("CaseComment") || r.has("Id") || r.has("id")) {
            return saveError(null, "INVALID_TYPE", "this org takes no " + type + " from this user", List.of());
        }
        for (String f : fieldNames(r)) {
            if (!FIELDS.get(type).contains(f)) {
                throw new Malformed("INVALID_FIELD", "No such column '" + f + "' on sobject of type " + type);
            }
        }
        String parent = r.path("ParentId").asText("");
        ObjectNode c = byId("Case", parent);
        if (c == null) {
            return saveError(null, "FIELD_INTEGRITY_EXCEPTION", "Parent ID: id value of incorrect type: " + parent,
                    List.of("ParentId"));
        }
        String body = r.path("CommentBody").asText("");
        if (body.getBytes(StandardCharsets.UTF_8).length > 4000) {
            return saveError(null, "STRING_TOO_LONG", "Body: data value too large", List.of("CommentBody"));
        }
        Instant created = now.truncatedTo(ChronoUnit.MILLIS);
        String id = id("00a");
        ObjectNode stored = JSON.createObjectNode().put("Id", id).put("ParentId", c.path("Id").asText())
                .put("CommentBody", body).put("IsPublished", r.path("IsPublished").asBoolean(false))
                .put("CreatedById", BOT).put("CreatedDate", SF_TIME.format(created))
                .put("SystemModstamp", SF_TIME.format(created)).put("LastModifiedDate", SF_TIME.format(created))
                .put("IsDeleted", false);
        records.get("CaseComment").add(stored);
        Matcher marker = MARKER.matcher(body);
        comments.add(new Comment(id, c.path("Id").asText(), body, stored.path("IsPublished").asBoolean(), BOT, created,
                client, marker.find() ? marker.group(1) : null));
        // A comment touches its Case, as in Salesforce.
        c.put("SystemModstamp", SF_TIME.format(created)).put("LastModifiedDate", SF_TIME.format(created));
        return saveResult(id);
    }

    /** Updates one record (a Case: the only object sla-bridge updates); its SaveResult. */
    private ObjectNode update(String type, String id, JsonNode r, String client, Instant now) {
        if (!type.equals("Case")) {
            return saveError(id, "INVALID_TYPE", "this org lets no " + type + " be updated by this user", List.of());
        }
        ObjectNode c = byId("Case", id);
        if (c == null) {
            return saveError(id, "ENTITY_IS_DELETED", "entity is deleted", List.of());
        }
        ObjectNode fields = JSON.createObjectNode();
        for (String f : fieldNames(r)) {
            if (f.equals("id")) {
                continue;
            }
            if (!FIELDS.get("Case").contains(f) && !SLA_FIELDS.containsKey(f)) {
                throw new Malformed("INVALID_FIELD", "No such column '" + f + "' on sobject of type Case");
            }
            fields.set(f, r.path(f));
        }
        Instant at = now.truncatedTo(ChronoUnit.MILLIS);
        c.setAll(fields);
        c.put("SystemModstamp", SF_TIME.format(at)).put("LastModifiedDate", SF_TIME.format(at));
        updates.add(new CaseUpdate(c.path("Id").asText(), client, now, fields));
        return saveResult(c.path("Id").asText());
    }

    private static List<String> fieldNames(JsonNode r) {
        List<String> names = new ArrayList<>();
        r.fieldNames().forEachRemaining(n -> {
            if (!n.equals("attributes")) {
                names.add(n);
            }
        });
        return names;
    }

    private static ObjectNode saveResult(String id) {
        ObjectNode result = JSON.createObjectNode().put("id", id).put("success", true);
        result.putArray("errors");
        return result;
    }

    /** A SaveResult refusing one record: {@code errors[]} with {@code statusCode}, {@code message}, {@code fields}. */
    private static ObjectNode saveError(String id, String code, String message, List<String> fields) {
        ObjectNode result = JSON.createObjectNode();
        if (id == null) {
            result.putNull("id");
        } else {
            result.put("id", id);
        }
        result.put("success", false);
        ObjectNode error = result.putArray("errors").addObject().put("statusCode", code).put("message", message);
        fields.forEach(error.putArray("fields")::add);
        return result;
    }

    /** The single-record resources' error body: {@code [{"message":..,"errorCode":..,"fields":[..]}]}. */
    private static ArrayNode errorList(JsonNode saveErrors) {
        ArrayNode list = JSON.createArrayNode();
        for (JsonNode e : saveErrors) {
            list.addObject().put("message", e.path("message").asText()).put("errorCode", e.path("statusCode").asText())
                    .set("fields", e.path("fields"));
        }
        return list;
    }

    // ---- SOQL -------------------------------------------------------------------------------------------------

    private static final Pattern SELECT = Pattern.compile(
            "SELECT (.+?) FROM (\\w+)(?: WHERE (.+?))?(?: ORDER BY (.+?))?(?: LIMIT (\\d+))?", Pattern.DOTALL);
    private static final Pattern CONDITION = Pattern.compile("(\\w+(?:\\.\\w+)?) ?(>=|<=|!=|=|>|<| IN ) ?(.+)",
            Pattern.DOTALL);

    /** A parsed SELECT: its fields (a subquery as one entry), its object, conditions and order. */
    private record Select(List<String> fields, Map<String, Select> subqueries, String object, List<String> where,
            List<String> orderBy, Integer limit) {
    }

    private ResponseDefinition query(String soql, int batchSize) {
        Select select = parse(soql, null);
        List<ObjectNode> rows = new ArrayList<>();
        for (ObjectNode r : run(select, records.get(select.object()))) {
            rows.add(project(select, r));
        }
        return page(rows, batchSize);
    }

    /** One page of a query's result; the rest behind a query locator in {@code nextRecordsUrl}. */
    private ResponseDefinition page(List<ObjectNode> rows, int batchSize) {
        ObjectNode answer = JSON.createObjectNode();
        List<ObjectNode> shown = rows.subList(0, Math.min(batchSize, rows.size()));
        boolean done = shown.size() == rows.size();
        answer.put("totalSize", rows.size()).put("done", done);
        if (!done) {
            String locator = "01g" + String.format("%015d", nextId++) + "-" + batchSize;
            cursors.put(locator, new ArrayList<>(rows.subList(shown.size(), rows.size())));
            answer.put("nextRecordsUrl", DATA + "/query/" + locator);
        }
        answer.putArray("records").addAll(shown);
        return json(200, answer).build();
    }

    /** {@code Sforce-Query-Options: batchSize=N}: 200 to 2,000, 2,000 without it. */
    private static int batchSize(Request request) {
        HttpHeader options = request.header("Sforce-Query-Options");
        if (options.isPresent()) {
            Matcher m = Pattern.compile("batchSize=(\\d+)").matcher(options.firstValue());
            if (m.find()) {
                return Math.max(200, Math.min(2000, Integer.parseInt(m.group(1))));
            }
        }
        return 2000;
    }

    /** Parses sla-bridge's SOQL; {@code parentObject} names the object of a child subquery's parent. */
    private static Select parse(String soql, String parentObject) {
        // Child subqueries in the field list (in parentheses, starting with SELECT) come out first.
        Map<String, String> subs = new LinkedHashMap<>();
        StringBuilder flat = new StringBuilder();
        int depth = 0;
        int start = -1;
        for (int i = 0; i < soql.length(); i++) {
            char ch = soql.charAt(i);
            if (ch == '(' && depth++ == 0 && soql.startsWith("SELECT ", i + 1)) {
                start = i;
            } else if (ch == ')' && --depth == 0 && start >= 0) {
                String name = "__sub" + subs.size();
                subs.put(name, soql.substring(start + 1, i));
                flat.append(name);
                start = -1;
                continue;
            }
            if (start < 0) {
                flat.append(ch);
            }
        }
        Matcher m = SELECT.matcher(flat.toString().strip());
        if (!m.matches()) {
            throw new Malformed("MALFORMED_QUERY", "unexpected token in: " + soql);
        }
        String named = m.group(2);
        if (parentObject != null && !(parentObject.equals("Case") && named.equals("Histories"))) {
            throw new Malformed("INVALID_TYPE", "Didn't understand relationship '" + named + "' in FROM part of "
                    + "query call");
        }
        String object = parentObject == null ? named : "CaseHistory";
        if (!FIELDS.containsKey(object)) {
            throw new Malformed("INVALID_TYPE", "sObject type '" + object + "' is not supported.");
        }
        List<String> fields = new ArrayList<>();
        Map<String, Select> subqueries = new LinkedHashMap<>();
        for (String f : m.group(1).split(",")) {
            String field = f.strip();
            if (subs.containsKey(field)) {
                subqueries.put("Histories", parse(subs.get(field), object));
                fields.add("Histories");
            } else {
                checkField(object, field);
                fields.add(field);
            }
        }
        List<String> where = m.group(3) == null ? List.of() : List.of(m.group(3).split(" AND "));
        where.forEach(c -> {
            Matcher cm = CONDITION.matcher(c.strip());
            if (!cm.matches()) {
                throw new Malformed("MALFORMED_QUERY", "unexpected token: '" + c + "'");
            }
            checkField(object, cm.group(1));
        });
        List<String> orderBy = m.group(4) == null ? List.of() : List.of(m.group(4).split(","));
        return new Select(fields, subqueries, object, where, orderBy,
                m.group(5) == null ? null : Integer.valueOf(m.group(5)));
    }

    private static void checkField(String object, String field) {
        int dot = field.indexOf('.');
        String target = object;
        String name = field;
        if (dot > 0) {
            target = LOOKUPS.get(field.substring(0, dot));
            name = field.substring(dot + 1);
            if (target == null) {
                throw new Malformed("INVALID_FIELD", "Didn't understand relationship '" + field.substring(0, dot)
                        + "' in field path");
            }
        }
        if (!FIELDS.get(target).contains(name) && !(target.equals("Case") && SLA_FIELDS.containsKey(name))) {
            throw new Malformed("INVALID_FIELD", "No such column '" + name + "' on entity '" + target + "'");
        }
    }

    /** The rows matching the conditions, ordered and limited. */
    private List<ObjectNode> run(Select select, List<ObjectNode> from) {
        List<ObjectNode> rows = new ArrayList<>();
        for (ObjectNode r : from) {
            if (select.where().stream().allMatch(c -> matches(r, c.strip()))) {
                rows.add(r);
            }
        }
        Comparator<ObjectNode> order = null;
        for (String o : select.orderBy()) {
            String[] parts = o.strip().split(" ");
            Comparator<ObjectNode> by = Comparator.comparing((ObjectNode r) -> sortKey(r.path(parts[0])));
            if (parts.length > 1 && parts[1].equalsIgnoreCase("DESC")) {
                by = by.reversed();
            }
            order = order == null ? by : order.thenComparing(by);
        }
        if (order != null) {
            rows.sort(order);
        }
        return select.limit() == null ? rows : rows.subList(0, Math.min(select.limit(), rows.size()));
    }

    private static String sortKey(JsonNode value) {
        Instant at = instant(value.asText(""));
        return at != null ? at.toString() : value.asText("");
    }

    private boolean matches(ObjectNode r, String condition) {
        Matcher m = CONDITION.matcher(condition);
        m.matches();
        String field = m.group(1);
        String op = m.group(2).strip();
        String literal = m.group(3).strip();
        JsonNode value = r.path(field);
        if (op.equals("IN")) {
            if (!literal.startsWith("(") || !literal.endsWith(")")) {
                throw new Malformed("MALFORMED_QUERY", "unexpected token: '" + literal + "'");
            }
            for (String item : literal.substring(1, literal.length() - 1).split(",")) {
                if (same(field, value, unquote(item.strip()))) {
                    return true;
                }
            }
            return false;
        }
        if (literal.equals("null")) {
            boolean isNull = value.isMissingNode() || value.isNull();
            return op.equals("=") ? isNull : op.equals("!=") && !isNull;
        }
        if (op.equals("=") || op.equals("!=")) {
            return same(field, value, unquote(literal)) == op.equals("=");
        }
        // A date-time literal (unquoted, UTC or with an offset) against a date-time field.
        Instant bound = instant(literal);
        Instant at = instant(value.asText(""));
        if (bound == null || at == null) {
            throw new Malformed("INVALID_FIELD", "value of filter criterion for field '" + field + "' must be of type "
                    + "dateTime and should not be enclosed in quotes");
        }
        int cmp = at.compareTo(bound);
        return switch (op) {
            case ">=" -> cmp >= 0;
            case "<=" -> cmp <= 0;
            case ">" -> cmp > 0;
            default -> cmp < 0;
        };
    }

    /** Equality as SOQL has it: ids match in their 15- or 18-character forms, booleans by value. */
    private static boolean same(String field, JsonNode value, String literal) {
        String text = value.isNull() || value.isMissingNode() ? null : value.asText();
        if (text == null) {
            return false;
        }
        if (field.equals("Id") || field.endsWith("Id")) {
            return text.length() >= 15 && literal.length() >= 15 && text.substring(0, 15).equals(literal.substring(0, 15));
        }
        return text.equals(literal);
    }

    private static String unquote(String literal) {
        return literal.length() >= 2 && literal.startsWith("'") && literal.endsWith("'")
                ? literal.substring(1, literal.length() - 1).replace("\\'", "'") : literal;
    }

    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX][xx]",
                    Locale.ROOT)).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A row as the query result has it: {@code attributes}, the fields asked for, lookups as nested records. */
    private ObjectNode project(Select select, ObjectNode r) {
        ObjectNode out = JSON.createObjectNode();
        out.set("attributes", attributes(select.object(), r.path("Id").asText()));
        for (String f : select.fields()) {
            Select sub = select.subqueries().get(f);
            if (sub != null) {
                List<ObjectNode> children = run(sub, records.get("CaseHistory").stream()
                        .filter(h -> same("CaseId", h.path("CaseId"), r.path("Id").asText())).toList());
                if (children.isEmpty()) {
                    out.putNull(f); // an empty child relationship is null, not an empty result
                } else {
                    ObjectNode result = out.putObject(f).put("totalSize", children.size()).put("done", true);
                    ArrayNode list = result.putArray("records");
                    children.forEach(h -> list.add(project(sub, h)));
                }
                continue;
            }
            int dot = f.indexOf('.');
            if (dot < 0) {
                out.set(f, r.has(f) ? r.get(f) : JSON.nullNode());
                continue;
            }
            String relationship = f.substring(0, dot);
            String idField = relationship.equals("Parent") ? "ParentId" : relationship + "Id";
            ObjectNode target = byId(LOOKUPS.get(relationship), r.path(idField).asText(""));
            if (target == null) {
                out.putNull(relationship);
                continue;
            }
            ObjectNode nested = out.has(relationship) && out.get(relationship).isObject()
                    ? (ObjectNode) out.get(relationship) : out.putObject(relationship);
            if (!nested.has("attributes")) {
                nested.set("attributes", attributes(LOOKUPS.get(relationship), target.path("Id").asText()));
            }
            String name = f.substring(dot + 1);
            nested.set(name, target.has(name) ? target.get(name) : JSON.nullNode());
        }
        return out;
    }

    private static ObjectNode attributes(String type, String id) {
        return JSON.createObjectNode().put("type", type).put("url", DATA + "/sobjects/" + type + "/" + id);
    }

    private ObjectNode byId(String object, String id) {
        for (ObjectNode r : records.get(object)) {
            if (same("Id", r.path("Id"), id)) {
                return r;
            }
        }
        return null;
    }

    private String id(String prefix) {
        // 18 characters: the key prefix, the org's pod, a number, and a (made-up) case-insensitivity suffix.
        return prefix + "Qy" + String.format("%010d", nextId++) + "IAV";
    }

    private static ObjectNode user(String id, String name, String userType) {
        return JSON.createObjectNode().put("Id", id).put("Name", name).put("UserType", userType);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static String param(String query, String name) {
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, JsonNode body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json;charset=UTF-8")
                .withBody(body.toString());
    }

    /** Salesforce's error body for a refused request: {@code [{"message":..,"errorCode":..}]}. */
    private static ResponseDefinition errors(int status, String message, String code) {
        ArrayNode body = JSON.createArrayNode();
        body.addObject().put("message", message).put("errorCode", code);
        return json(status, body).build();
    }
}
