package io.slabridge.connector.jira;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.slabridge.connector.jira.JiraFixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.store.SlaStore;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook route over real HTTP (platform-http on Vert.x): signatures, bad bodies, store outages. */
class JiraWebhookRouteTest {
    private static final String SECRET = "whsec-Jira-0123456789";

    private WireMockServer jira;
    private DefaultCamelContext camel;
    private SlaStore store;
    private int port;
    private final List<TicketEvent> stored = new CopyOnWriteArrayList<>();
    private final AtomicBoolean storeDown = new AtomicBoolean();
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(okJson(text("cloud/myself.json"))));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-12")).willReturn(okJson(
                "{\"fields\":{\"reporter\":{\"accountId\":\"557058:cust-1\",\"accountType\":\"customer\"}}}")));
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        store = JdbcSlaStore.open(StoreSettings.inMemory("jira-webhook-" + UUID.randomUUID()));
        camel = new DefaultCamelContext();
        VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
        server.setBindHost("127.0.0.1");
        server.setBindPort(port);
        camel.addService(new VertxPlatformHttpServer(server));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:test-ingest").process(e -> {
                    if (storeDown.get()) {
                        throw new IllegalStateException("store transaction failed on jdbc:postgresql://db/sla: connection refused");
                    }
                    @SuppressWarnings("unchecked")
                    List<TicketEvent> events = e.getMessage().getBody(List.class);
                    stored.addAll(events);
                });
            }
        });
        JiraConfig config = JiraFixtures.cloud("http://127.0.0.1:" + jira.port()).projects(List.of())
                .webhookSecret(SECRET).build();
        camel.addRoutes(new JiraRoutes(config, store, "direct:test-ingest", Clock.systemUTC()));
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        store.close();
        jira.stop();
    }

    private HttpResponse<String> post(byte[] body, String signature) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/jira"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            b.header("X-Hub-Signature", signature);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sign(byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(JiraWebhook.hmac(SECRET, body));
    }

    private static byte[] fixture(String name) {
        return text("cloud/" + name + ".json").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void signedDeliveryIsStored() throws Exception {
        byte[] body = fixture("issue_created");
        HttpResponse<String> r = post(body, sign(body));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"issue\":\"SUP-12\",\"events\":1}", r.body());
        assertEquals(1, stored.size());
        assertEquals(EventType.CREATED, stored.get(0).type());
    }

    @Test
    void uppercaseHexSignatureIsAcceptedToo() throws Exception {
        byte[] body = fixture("comment_created_customer");
        HttpResponse<String> r = post(body, sign(body).toUpperCase(java.util.Locale.ROOT).replace("SHA256=", "sha256="));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(EventType.CUSTOMER_MESSAGE, stored.get(0).type());
    }

    @Test
    void missingWrongOrMalformedSignatureIs401AndStoresNothing() throws Exception {
        byte[] body = fixture("issue_created");
        HttpResponse<String> missing = post(body, null);
        assertEquals(401, missing.statusCode());
        assertTrue(missing.body().contains("X-Hub-Signature header is missing"), missing.body());
        byte[] other = fixture("comment_created_customer");
        HttpResponse<String> wrong = post(body, sign(other));
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("does not match the body"), wrong.body());
        assertEquals(401, post(body, "sha1=abcdef").statusCode());
        byte[] tampered = text("cloud/issue_created.json").replace("High", "Highest").getBytes(StandardCharsets.UTF_8);
        assertEquals(401, post(tampered, sign(body)).statusCode());
        assertTrue(stored.isEmpty());
    }

    @Test
    void malformedJsonIs400WithWhereItBroke() throws Exception {
        byte[] body = "{\"webhookEvent\": \"jira:issue_created\",\n \"issue\": {\"id\": }".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = post(body, sign(body));
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("the body is not JSON") && r.body().contains("line 2"), r.body());
        assertTrue(stored.isEmpty());
    }

    @Test
    void payloadMissingAFieldIs400NamingIt() throws Exception {
        byte[] body = text("cloud/issue_created.json").replace("\"key\": \"SUP-12\",", "").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = post(body, sign(body));
        assertEquals(400, r.statusCode());
        assertEquals("{\"error\":\"issue 10001: field 'key' is missing\"}", r.body());
        byte[] array = "[1,2]".getBytes(StandardCharsets.UTF_8);
        assertEquals(400, post(array, sign(array)).statusCode());
        assertTrue(stored.isEmpty());
    }

    @Test
    void oversizedBodyIs413() throws Exception {
        byte[] body = new byte[JiraRoutes.DEFAULT_MAX_WEBHOOK_BYTES + 1];
        java.util.Arrays.fill(body, (byte) ' ');
        assertEquals(413, post(body, sign(body)).statusCode());
        assertTrue(stored.isEmpty());
    }

    @Test
    void ourOwnUpdateIsAnswered200AndStoresNothing() throws Exception {
        byte[] body = fixture("issue_updated_sla_fields_by_us");
        HttpResponse<String> r = post(body, sign(body));
        assertEquals(200, r.statusCode());
        assertEquals("{\"ignored\":\"made by the integration user\"}", r.body());
        assertTrue(stored.isEmpty());
    }

    @Test
    void storeOutageIs503SoJiraDeliversAgainAndNoSecretOrUrlLeaks() throws Exception {
        storeDown.set(true);
        byte[] body = fixture("issue_created");
        HttpResponse<String> r = post(body, sign(body));
        assertEquals(503, r.statusCode());
        assertTrue(!r.body().contains("postgresql") && !r.body().contains(SECRET), r.body());
        storeDown.set(false);
        assertEquals(200, post(body, sign(body)).statusCode());
        assertEquals(1, stored.size());
    }

    @Test
    void theRouteKeepsServingAfterBadInput() throws Exception {
        for (String bad : List.of("", "null", "{}", "{\"webhookEvent\":\"jira:issue_created\",\"issue\":[]}", "\u0000\u0001")) {
            byte[] body = bad.getBytes(StandardCharsets.UTF_8);
            int status = post(body, sign(body)).statusCode();
            assertEquals(400, status, "body '" + bad + "'");
        }
        byte[] good = fixture("issue_created");
        assertEquals(200, post(good, sign(good)).statusCode());
    }
}
