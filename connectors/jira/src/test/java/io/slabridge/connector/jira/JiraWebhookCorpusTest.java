package io.slabridge.connector.jira;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.slabridge.connector.jira.JiraFixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of bad Jira webhook deliveries posted, one after the other, to the real route (platform-http on
 * Vert.x, the real {@link JiraWebhook} and {@link JiraEvents}, a real {@link SlaRuntime} on an H2 store): each is
 * answered 400, 401 or 413 with a reason naming what is wrong, stores nothing, and the route keeps serving.
 *
 * <p>The bodies are the files in {@code src/test/resources/webhook-corpus/} (every file there must have an
 * expectation below, so a file added without one fails); oversized bodies, signature cases and content types are
 * made in code. A few well-formed deliveries that carry nothing for sla-bridge are answered 200 on purpose; each
 * says why next to its expectation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JiraWebhookCorpusTest {
    private static final String SECRET = "whsec-corpus-7f3a9c";
    private static final String CORPUS = "/webhook-corpus/";
    private static final String POLICY = """
            calendars:
              always: { zone: UTC, week: 24x7 }
            policies:
              - name: standard
                calendar: always
                targets: { first_response: 1h }
            """;

    /** One delivery and what the route must answer. */
    record Case(String name, Supplier<byte[]> body, String contentType, Signature signature, int status,
            String reason, int eventsStored) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** How a case is signed. */
    enum Signature { VALID, NONE, EMPTY, SHA1, NOT_HEX, OTHER_BODY, OTHER_SECRET, TRUNCATED, BODY_CHANGED_AFTER }

    private WireMockServer jira;
    private DefaultCamelContext camel;
    private JdbcSlaStore store;
    private int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> answered = new ArrayList<>();

    // ---- the corpus and what each delivery must get ------------------------------------------------------------

    private static Case bad(String file, int status, String reason) {
        return new Case(file, () -> resource(file), "application/json", Signature.VALID, status, reason, 0);
    }

    /** A well-formed delivery that is answered 200 and stores {@code events} events. */
    private static Case ok(String file, String reason, int events) {
        return new Case(file, () -> resource(file), "application/json", Signature.VALID, 200, reason, events);
    }

    static List<Case> corpusFiles() {
        String notJson = "the body is not JSON";
        return List.of(
                // Not JSON at all: where it broke, as Jackson saw it.
                bad("malformed-unclosed-object.json", 400, notJson),
                bad("malformed-trailing-comma.json", 400, notJson),
                bad("malformed-single-quotes.json", 400, notJson),
                bad("malformed-unquoted-keys.json", 400, notJson),
                // A signed body is one document: a second one after it is not silently dropped (it used to be).
                bad("malformed-two-documents.json", 400, "Trailing token"),
                bad("malformed-html-error-page.json", 400, notJson),
                bad("malformed-invalid-utf8.json", 400, "the body is not UTF-8 text"),
                // Zero bytes used to make the parser guess UTF-32 and answer with a confusing message.
                bad("malformed-nul-bytes.json", 400, notJson),
                bad("truncated-issue-created.json", 400, "end-of-input"),
                bad("truncated-comment-created.json", 400, "end-of-input"),
                bad("truncated-mid-string.json", 400, "end-of-input"),
                bad("empty.json", 400, "the body is empty"),
                bad("whitespace-only.json", 400, "the body is empty"),
                bad("json-null.json", 400, "not a JSON object"),
                bad("json-array.json", 400, "not a JSON object but a list"),
                bad("json-string.json", 400, "not a JSON object but the text"),
                bad("json-number.json", 400, "not a JSON object but the number"),
                // 5000 levels: Jackson's nesting limit stops it before it can exhaust the stack.
                bad("deeply-nested.json", 400, "nesting depth"),
                // JSON, but not what a Jira webhook carries.
                bad("missing-webhook-event.json", 400, "field 'webhookEvent' is missing"),
                bad("webhook-event-number.json", 400, "'webhookEvent' must be text, found the number 3"),
                bad("missing-issue.json", 400, "field 'issue' is missing (webhookEvent jira:issue_created)"),
                bad("issue-null.json", 400, "field 'issue' is missing"),
                bad("issue-as-list.json", 400, "field 'issue' must be an object, found a list"),
                bad("issue-id-object.json", 400, "field 'id' must be a Jira id (digits), found an object"),
                bad("issue-id-not-digits.json", 400, "field 'id' must be a Jira id (digits)"),
                bad("issue-key-number.json", 400, "field 'key' must be an issue key such as SUP-12, found the number 12"),
                // Would have become a URL path of the reporter lookup.
                bad("issue-key-with-path.json", 400, "field 'key' must be an issue key"),
                // Would not fit the store's ticket column: the store would fail, and a 503 makes Jira retry forever.
                bad("issue-key-huge.json", 400, "field 'key' must be an issue key"),
                bad("fields-null.json", 400, "issue.fields.created is missing"),
                bad("fields-string.json", 400, "issue.fields must be an object, found the text"),
                bad("created-as-number.json", 400, "issue.fields.created must be a Jira time"),
                bad("created-garbage.json", 400, "'the day before yesterday' is not a Jira time"),
                bad("created-year-99999.json", 400, "'99999-11-20T09:15:02.000+0000' is not a Jira time"),
                bad("status-name-number.json", 400, "issue.fields.status.name must be text, found the number 3"),
                bad("priority-as-list.json", 400, "issue.fields.priority must be an object, found a list"),
                bad("summary-object.json", 400, "fields.summary must be text, found an object"),
                bad("timestamp-missing.json", 400, "field 'timestamp' is missing"),
                bad("timestamp-text.json", 400, "field 'timestamp' must be milliseconds since 1970"),
                bad("timestamp-fraction.json", 400, "field 'timestamp' must be milliseconds since 1970"),
                bad("timestamp-far-future.json", 400, "outside the years 0000 to 9999"),
                bad("timestamp-beyond-long.json", 400, "field 'timestamp' must be milliseconds since 1970"),
                bad("changelog-string.json", 400, "changelog must be an object, found the text"),
                bad("changelog-id-object.json", 400, "changelog.id must be a Jira id (digits), found an object"),
                // An object or null where the items list belongs used to be read as "no change" and answered 200.
                bad("changelog-items-object.json", 400, "changelog.items must be a list, found an object"),
                bad("changelog-items-null.json", 400, "changelog.items must be a list, found null"),
                bad("changelog-item-string.json", 400, "has an item that is the text 'status', not an object"),
                // Used to become a status change to '' (read as open).
                bad("changelog-tostring-object.json", 400, "changelog item toString must be text, found an object"),
                bad("comment-missing.json", 400, "field 'comment' is missing (webhookEvent comment_created)"),
                bad("comment-string.json", 400, "comment must be an object, found the text"),
                bad("comment-created-number.json", 400, "created must be a Jira time"),
                bad("comment-id-negative.json", 400, "comment id must be a Jira id (digits), found the text '-10202'"),
                bad("comment-author-list.json", 400, "author must be an object, found a list"),
                // 200 on purpose: Jira sends whatever events the webhook subscribes to (an admin may tick worklogs or
                // sprints too), and a 4xx would fill Jira's webhook log with failures for deliveries that are fine.
                ok("ignored-worklog-updated.json", "not an event sla-bridge reads (worklog_updated)", 0),
                ok("ignored-sprint-started.json", "not an event sla-bridge reads (sprint_started)", 0),
                // 200 on purpose: an edited comment does not change when it was written.
                ok("ignored-comment-updated.json", "an edited or deleted comment does not change when it was written", 0),
                // 200 on purpose: Jira sends issue_updated without changelog for changes it does not log (a rank).
                ok("ignored-issue-updated-without-changelog.json", "no status, priority, tier, account or comment change", 0));
    }

    /** Bodies made in code: sizes around the limit, signatures, content types. */
    static List<Case> generated() {
        int limit = JiraRoutes.DEFAULT_MAX_WEBHOOK_BYTES;
        Supplier<byte[]> good = () -> fixture("issue_created");
        return List.of(
                new Case("oversized: limit + 1 bytes", () -> padded(fixture("issue_created"), limit + 1),
                        "application/json", Signature.VALID, 413, "the body is " + (limit + 1) + " bytes; the limit is "
                        + limit, 0),
                new Case("oversized: 3 MiB", () -> padded(fixture("issue_created"), 3 << 20), "application/json",
                        Signature.VALID, 413, "the limit is " + limit, 0),
                // The size is checked before anything else: an unsigned giant is refused without hashing it.
                new Case("oversized and unsigned", () -> padded(fixture("issue_created"), limit + 1), "application/json",
                        Signature.NONE, 413, "the limit is " + limit, 0),
                // A huge string in a field sla-bridge does not read, under the limit: a real issue, accepted.
                new Case("huge description under the limit (200 on purpose)", JiraWebhookCorpusTest::hugeDescription,
                        "application/json", Signature.VALID, 200, "\"events\":1", 1),
                new Case("unsigned", good, "application/json", Signature.NONE, 401, "X-Hub-Signature header is missing", 0),
                new Case("empty signature header", good, "application/json", Signature.EMPTY, 401,
                        "X-Hub-Signature header is missing", 0),
                new Case("sha1 signature", good, "application/json", Signature.SHA1, 401,
                        "X-Hub-Signature header is not sha256=<hex>", 0),
                new Case("signature not hex", good, "application/json", Signature.NOT_HEX, 401, "does not match the body", 0),
                new Case("signature of another body", good, "application/json", Signature.OTHER_BODY, 401,
                        "does not match the body", 0),
                new Case("signed with another secret", good, "application/json", Signature.OTHER_SECRET, 401,
                        "does not match the body", 0),
                new Case("signature cut in half", good, "application/json", Signature.TRUNCATED, 401,
                        "does not match the body", 0),
                new Case("body changed after signing", good, "application/json", Signature.BODY_CHANGED_AFTER, 401,
                        "does not match the body", 0),
                new Case("bad JSON and unsigned: 401 first", () -> resource("malformed-unclosed-object.json"),
                        "application/json", Signature.NONE, 401, "X-Hub-Signature header is missing", 0),
                // The content type is checked before the signature: a form body is taken apart by the server, and
                // "signature does not match" would send the sender looking in the wrong place.
                new Case("content type text/plain", good, "text/plain", Signature.VALID, 400,
                        "the Content-Type is 'text/plain'", 0),
                new Case("content type form", () -> "webhookEvent=jira%3Aissue_created&issue=SUP-12"
                        .getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded", Signature.VALID, 400,
                        "a Jira webhook is application/json", 0),
                new Case("content type xml", () -> "<issue key=\"SUP-12\"/>".getBytes(StandardCharsets.UTF_8),
                        "application/xml", Signature.VALID, 400, "the Content-Type is 'application/xml'", 0));
    }

    static Stream<Case> corpus() {
        return Stream.concat(corpusFiles().stream(), generated().stream());
    }

    // ---- the route under test --------------------------------------------------------------------------------

    @BeforeAll
    void start() throws Exception {
        jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(okJson(text("cloud/myself.json"))));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/status")).willReturn(okJson(text("cloud/status.json"))));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-12")).willReturn(okJson(
                "{\"fields\":{\"reporter\":{\"accountId\":\"557058:cust-1\",\"accountType\":\"customer\"}}}")));
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        store = JdbcSlaStore.open(StoreSettings.inMemory("jira-corpus-" + UUID.randomUUID()));
        SlaRuntime runtime = SlaRuntime.of(store, PolicyFileParser.parse("corpus-policy.yaml", POLICY), Clock.systemUTC());
        camel = new DefaultCamelContext();
        VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
        server.setBindHost("127.0.0.1");
        server.setBindPort(port);
        camel.addService(new VertxPlatformHttpServer(server));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:corpus-ingest").process(e -> {
                    @SuppressWarnings("unchecked")
                    List<TicketEvent> events = e.getMessage().getBody(List.class);
                    runtime.acceptAll(events);
                });
            }
        });
        // Read through the settings, as `run` does: the default limit applies (1 MiB).
        Properties p = new Properties();
        p.setProperty("sla.jira.url", "http://127.0.0.1:" + jira.port());
        p.setProperty("sla.jira.email", "sla-bridge@acme.example");
        p.setProperty("sla.jira.api-token", "corpus-token");
        p.setProperty("sla.jira.webhook-secret", SECRET);
        p.setProperty("sla.jira.service-management", "true");
        JiraConfig config = JiraConfig.from(p, Map.of());
        assertEquals(1 << 20, config.webhookMaxBytes());
        camel.addRoutes(new JiraRoutes(config, store, "direct:corpus-ingest", Clock.systemUTC()));
        camel.start();
    }

    @AfterAll
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (store != null) {
            store.close();
        }
        if (jira != null) {
            jira.stop();
        }
    }

    @Test
    @Order(1)
    void everyCorpusFileHasAnExpectation() throws IOException, URISyntaxException {
        Path dir = Path.of(JiraWebhookCorpusTest.class.getResource(CORPUS).toURI());
        Set<String> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.map(f -> f.getFileName().toString()).filter(f -> !f.equals("README.md"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> expected = corpusFiles().stream().map(Case::name).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, files);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @Order(2)
    void eachBadDeliveryIsAnsweredWithAReasonAndStoresNothing(Case c) throws Exception {
        long before = storedEvents();
        byte[] body = c.body().get();
        HttpResponse<String> r = post(body, c.contentType(), signature(c.signature(), body));
        answered.add(c.name() + " -> " + r.statusCode());
        assertEquals(c.status(), r.statusCode(), () -> c.name() + ": " + r.body());
        assertTrue(r.body().contains(c.reason()), () -> c.name() + ": the answer should name '" + c.reason() + "': "
                + r.body());
        JsonNode answer = JiraFixtures.JSON.readTree(r.body());
        if (c.status() != 200) {
            assertTrue(answer.path("error").isTextual(), r.body());
        }
        assertFalse(r.body().contains(SECRET), "the secret never shows");
        assertEquals(before + c.eventsStored(), storedEvents(), () -> c.name() + ": events stored");
        if (c.eventsStored() == 0) {
            assertEquals(0, storedEventsOfOtherTickets(), "nothing stored for any ticket");
        }
    }

    @Test
    @Order(3)
    void afterTheWholeCorpusTheRouteStillAcceptsAGoodDelivery() throws Exception {
        assertEquals(corpusFiles().size() + generated().size(), answered.size(), "the whole corpus was posted first");
        long before = storedEvents();
        byte[] body = fixture("comment_created_customer");
        HttpResponse<String> r = post(body, "application/json; charset=UTF-8", signature(Signature.VALID, body));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"issue\":\"SUP-12\",\"events\":1}", r.body());
        assertEquals(before + 1, storedEvents());
        assertTrue(camel.getRouteController().getRouteStatus("jira-webhook").isStarted());
    }

    @Test
    @Order(4)
    void theConfiguredLimitIsTheOneTheRouteApplies() throws Exception {
        Properties p = new Properties();
        p.setProperty("sla.jira.url", "http://127.0.0.1:" + jira.port());
        p.setProperty("sla.jira.pat", "corpus-pat");
        p.setProperty("sla.jira.deployment", "cloud");
        p.setProperty("sla.jira.webhook-secret", SECRET);
        p.setProperty("sla.jira.webhook-path", "/webhooks/jira-small");
        p.setProperty("sla.jira.webhook-max-bytes", "4KB");
        DefaultCamelContext small = new DefaultCamelContext();
        int smallPort;
        try (ServerSocket s = new ServerSocket(0)) {
            smallPort = s.getLocalPort();
        }
        VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
        server.setBindHost("127.0.0.1");
        server.setBindPort(smallPort);
        small.addService(new VertxPlatformHttpServer(server));
        List<TicketEvent> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        small.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:small-ingest").process(e -> {
                    @SuppressWarnings("unchecked")
                    List<TicketEvent> events = e.getMessage().getBody(List.class);
                    got.addAll(events);
                });
            }
        });
        small.addRoutes(new JiraRoutes(JiraConfig.from(p, Map.of()), store, "direct:small-ingest", Clock.systemUTC()));
        small.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + smallPort + "/webhooks/jira-small");
            byte[] over = padded(fixture("issue_created"), 4097);
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .header("X-Hub-Signature", sign(SECRET, over)).POST(HttpRequest.BodyPublishers.ofByteArray(over))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(413, r.statusCode(), r.body());
            assertEquals("{\"error\":\"the body is 4097 bytes; the limit is 4096\"}", r.body());
            byte[] under = padded(fixture("issue_created"), 4096);
            r = client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .header("X-Hub-Signature", sign(SECRET, under)).POST(HttpRequest.BodyPublishers.ofByteArray(under))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(1, got.size());
        } finally {
            small.stop();
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private HttpResponse<String> post(byte[] body, String contentType, String signature)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/jira"))
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (signature != null) {
            b.header("X-Hub-Signature", signature);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String signature(Signature kind, byte[] body) {
        return switch (kind) {
            case VALID -> sign(SECRET, body);
            case NONE -> null;
            case EMPTY -> "";
            case SHA1 -> "sha1=" + HexFormat.of().formatHex(Arrays.copyOf(JiraWebhook.hmac(SECRET, body), 20));
            case NOT_HEX -> "sha256=" + "zz".repeat(32);
            case OTHER_BODY -> sign(SECRET, fixture("comment_created_customer"));
            case OTHER_SECRET -> sign("not-the-secret", body);
            case TRUNCATED -> sign(SECRET, body).substring(0, 7 + 32);
            case BODY_CHANGED_AFTER -> {
                String s = sign(SECRET, body);
                body[body.length / 2] ^= 1; // the body posted is no longer the one signed
                yield s;
            }
        };
    }

    private static String sign(String secret, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(JiraWebhook.hmac(secret, body));
    }

    private static byte[] resource(String name) {
        try (InputStream in = JiraWebhookCorpusTest.class.getResourceAsStream(CORPUS + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no corpus file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] fixture(String name) {
        return text("cloud/" + name + ".json").getBytes(StandardCharsets.UTF_8);
    }

    /** A valid delivery grown to exactly {@code size} bytes with whitespace before its closing brace. */
    private static byte[] padded(byte[] json, int size) {
        String text = new String(json, StandardCharsets.UTF_8).strip();
        String open = text.substring(0, text.length() - 1);
        return (open + " ".repeat(size - open.length() - 1) + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** issue_created (another issue) with a 900 KB description: under the 1 MiB limit. */
    private static byte[] hugeDescription() {
        String text = text("cloud/issue_created.json").replace("\"10001\"", "\"10077\"").replace("SUP-12", "SUP-77")
                .replace("Since this morning every checkout fails.", "x".repeat(900 * 1024));
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private long storedEvents() throws Exception {
        return count("SELECT COUNT(*) FROM ticket_event");
    }

    /** Events of tickets other than the one the huge-description case creates: any would come from a refused delivery. */
    private long storedEventsOfOtherTickets() throws Exception {
        return count("SELECT COUNT(*) FROM ticket_event WHERE ticket NOT IN ('jira:SUP-77')");
    }

    private long count(String sql) throws Exception {
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
