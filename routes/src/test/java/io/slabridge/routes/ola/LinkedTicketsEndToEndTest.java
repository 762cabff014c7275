package io.slabridge.routes.ola;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.slabridge.connector.jira.JiraConfig;
import io.slabridge.connector.jira.JiraHttp;
import io.slabridge.connector.jira.JiraRoutes;
import io.slabridge.connector.jira.JiraSettings;
import io.slabridge.connector.jira.JiraWriter;
import io.slabridge.connector.salesforce.SalesforceApi;
import io.slabridge.connector.salesforce.SalesforceConfig;
import io.slabridge.connector.salesforce.SalesforceRoutes;
import io.slabridge.connector.salesforce.SalesforceSettings;
import io.slabridge.connector.salesforce.SalesforceWriter;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.runtime.OutboxDispatcher;
import io.slabridge.core.runtime.RetryPolicy;
import io.slabridge.core.runtime.Scheduler;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.routes.runtime.SlaRuntimeRoutes;
import io.slabridge.routes.testing.FakeCaseDescribe;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 end to end, through real Camel routes, a real store, a WireMock Salesforce and a WireMock Jira: a Case
 * escalated to the Jira issue ENG-42 (its {@code Jira_Issue__c} field) starts engineering's OLA; the Case shows
 * engineering's state and due, the issue the Case's, each in its own SLA field write, and they change as each side
 * acts (engineering replies: the OLA is met, and the Case says so). Left unanswered, the OLA's breach step comments
 * on the Case exactly once.
 */
class LinkedTicketsEndToEndTest {
    private static final String SECRET = "e2e-webhook-secret";
    private static final String CASE = "500Qy00000AbCdEIAV";
    private static final String US = "005Qy00000SlaBotIAA";
    private static final String DATA = "/services/data/v62.0";

    @TempDir
    Path dir;

    private WireMockServer sf;
    private WireMockServer jira;
    private final MutableClock clock = new MutableClock(Instant.parse("2025-11-20T09:10:30Z"));
    private JdbcSlaStore store;
    private SlaRuntime runtime;
    private DefaultCamelContext camel;
    private SalesforceRoutes salesforce;
    private int port;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("sla.yaml"), """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: support
                    when: { source: salesforce }
                    calendar: always
                    targets: { first_response: 4h, resolution: 8h }
                olas:
                  - name: eng
                    when:
                      engineering: { source: jira }
                      customer: { source: salesforce }
                    calendar: always
                    targets: { first_response: 2h }
                    escalations:
                      - name: ola-breached
                        at: breach
                        on: customer
                        actions:
                          - comment: { visibility: internal, text: "Engineering missed its {metric} OLA (due {due})." }
                """);
        sf = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        sf.start();
        jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
        stubSalesforce();
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(okJson(
                "{\"accountId\":\"712020:sla-bridge-bot\",\"timeZone\":\"UTC\"}")));
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/ENG-42")).willReturn(aResponse().withStatus(204)));

        store = JdbcSlaStore.open(StoreSettings.h2File(dir.resolve("sla")));
        runtime = SlaRuntime.of(store, PolicyFileParser.parse(dir.resolve("sla.yaml")), clock);
        SalesforceConfig sfConfig = SalesforceConfig.builder().loginUrl("http://127.0.0.1:" + sf.port())
                .clientCredentials("3MVG9-e2e", "e2e-secret").statusField("SLA_Status__c")
                .nextDueField("SLA_Next_Due__c").linkedJiraField("Jira_Issue__c")
                .set(SalesforceSettings.LINKED_STATUS_FIELD, "Engineering_Status__c")
                .set(SalesforceSettings.LINKED_DUE_FIELD, "Engineering_Due__c").build();
        JiraConfig jiraConfig = JiraConfig.builder().url(URI.create("http://127.0.0.1:" + jira.port()))
                .basic("sla-bridge@acme.example", "e2e-token").webhookSecret(SECRET)
                .set(JiraSettings.CUSTOMER_STATUS_FIELD, "customfield_10060")
                .set(JiraSettings.CUSTOMER_DUE_FIELD, "customfield_10061")
                .set(JiraSettings.CUSTOMERS_WAITING_FIELD, "customfield_10063").build();
        camel = new DefaultCamelContext();
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
        server.setBindHost("127.0.0.1");
        server.setBindPort(port);
        camel.addService(new VertxPlatformHttpServer(server));
        Properties settings = new Properties();
        settings.setProperty("sla.outbox.poll-interval", "50");
        camel.getPropertiesComponent().setInitialProperties(settings);
        SalesforceApi api = SalesforceApi.create(camel, sfConfig);
        OutboxDispatcher dispatcher = new OutboxDispatcher(store, Map.of("salesforce", new SalesforceWriter(api),
                "jira", new JiraWriter(JiraHttp.create(camel, jiraConfig, clock))), clock,
                new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(2), 5), new Random(7));
        camel.addRoutes(new SlaRuntimeRoutes(runtime, new Scheduler(runtime, clock, Duration.ofMillis(200)), dispatcher,
                null));
        salesforce = new SalesforceRoutes(sfConfig, store, SlaRuntimeRoutes.INGEST, clock).withApi(api).withoutPollTimer();
        camel.addRoutes(salesforce);
        camel.addRoutes(new JiraRoutes(jiraConfig, store, SlaRuntimeRoutes.INGEST, clock));
        camel.start();
    }

    private void stubSalesforce() {
        String base = "http://127.0.0.1:" + sf.port();
        sf.stubFor(post(urlPathEqualTo("/services/oauth2/token")).willReturn(okJson("{\"access_token\":\"e2e-token\","
                + "\"instance_url\":\"" + base + "\",\"id\":\"" + base + "/id/00DQy000001gPLEAY/" + US + "\","
                + "\"token_type\":\"Bearer\",\"issued_at\":\"1763629200000\",\"signature\":\"c2ln\"}")));
        sf.stubFor(get(urlPathEqualTo("/services/oauth2/revoke")).willReturn(aResponse().withStatus(200)));
        sf.stubFor(get(urlPathEqualTo(DATA + "/sobjects/Case/describe")).willReturn(okJson(FakeCaseDescribe.json(DATA,
                true, Map.of("SLA_Status__c", "picklist", "SLA_Next_Due__c", "datetime", "Jira_Issue__c", "string",
                        "Engineering_Status__c", "string", "Engineering_Due__c", "datetime")))));
        // The Case, escalated at 09:10 to ENG-42 (the agent filled in Jira_Issue__c).
        sf.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("FROM Case WHERE")).willReturn(okJson("""
                {"totalSize":1,"done":true,"records":[{"attributes":{"type":"Case"},"Id":"500Qy00000AbCdEIAV",
                 "CaseNumber":"00001026","Subject":"Checkout returns 500","Status":"New","Priority":"High",
                 "Origin":"Web","IsStopped":false,"StopStartDate":null,"CreatedDate":"2025-11-20T09:00:00.000+0000",
                 "CreatedBy":{"Name":"Site Guest User"},"SystemModstamp":"2025-11-20T09:10:00.000+0000",
                 "Jira_Issue__c":"ENG-42","Histories":null}]}""")));
        String none = "{\"totalSize\":0,\"done\":true,\"records\":[]}";
        sf.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("FROM EmailMessage WHERE"))
                .willReturn(okJson(none)));
        sf.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("FROM CaseComment WHERE"))
                .willReturn(okJson(none)));
        sf.stubFor(patch(urlPathEqualTo(DATA + "/composite/sobjects")).willReturn(okJson(
                "[{\"id\":\"" + CASE + "\",\"success\":true,\"errors\":[]}]")));
        sf.stubFor(post(urlPathEqualTo(DATA + "/composite/sobjects")).willReturn(okJson(
                "[{\"id\":\"00aQy0000000001IAA\",\"success\":true,\"errors\":[]}]")));
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (store != null) {
            store.close();
        }
        sf.stop();
        jira.stop();
    }

    @Test
    void bothSidesSeeBothClocksAndEngineeringsReplyMeetsTheOla() throws Exception {
        webhook(issueCreated());
        salesforce.poll(); // the Case, and its link to ENG-42
        await(() -> caseWrites("Engineering_Status__c", "ENG-42 On track") == 1, "the Case shows engineering's OLA");
        sf.verify(patchRequestedFor(urlPathEqualTo(DATA + "/composite/sobjects"))
                .withRequestBody(matchingJsonPath("$.records[0].Engineering_Due__c", equalTo("2025-11-20T11:10:00.000Z"))));
        await(() -> issueWrites("customfield_10060", CASE + " On track") == 1, "the issue shows the Case's SLA");
        jira.verify(putRequestedFor(urlPathEqualTo("/rest/api/3/issue/ENG-42"))
                .withRequestBody(matchingJsonPath("$.fields.customfield_10061", equalTo("2025-11-20T13:00:00.000+0000")))
                .withRequestBody(matchingJsonPath("$.fields.customfield_10063", equalTo("1"))));

        // An engineer answers on the issue at 09:40: the OLA is met, and the Case's next field write says so.
        clock.set(Instant.parse("2025-11-20T09:40:30Z"));
        webhook(engineerComment());
        await(() -> caseWrites("Engineering_Status__c", "ENG-42 Met") == 1, "the Case shows the OLA met");
        sf.verify(patchRequestedFor(urlPathEqualTo(DATA + "/composite/sobjects"))
                .withRequestBody(matchingJsonPath("$.records[0].Engineering_Status__c", equalTo("ENG-42 Met")))
                .withRequestBody(matchingJsonPath("$.records[0].SLA_Status__c", equalTo("On track"))));

        // Past the OLA's due: it was met, so no breach comment.
        clock.set(Instant.parse("2025-11-20T11:10:05Z"));
        runtime.tick();
        Thread.sleep(300);
        assertEquals(0, comments());
    }

    @Test
    void anUnansweredOlaCommentsOnTheCaseOnce() throws Exception {
        webhook(issueCreated());
        salesforce.poll();
        await(() -> caseWrites("Engineering_Status__c", "ENG-42 On track") == 1, "the Case shows engineering's OLA");

        clock.set(Instant.parse("2025-11-20T11:10:01Z")); // a second past the OLA's due
        runtime.tick();
        await(() -> comments() == 1, "the breach step's comment on the Case");
        await(() -> caseWrites("Engineering_Status__c", "ENG-42 Breached") == 1, "the Case shows the OLA breached");
        sf.verify(postRequestedFor(urlPathEqualTo(DATA + "/composite/sobjects"))
                .withRequestBody(matchingJsonPath("$.records[0].attributes.type", equalTo("CaseComment")))
                .withRequestBody(containing("Engineering missed its first_response OLA (due 2025-11-20T11:10:00Z).")));

        // Later refolds (a tick, the Case polled again) fire nothing again.
        clock.set(Instant.parse("2025-11-20T11:20:00Z"));
        runtime.tick();
        salesforce.poll();
        Thread.sleep(300);
        assertEquals(1, comments());
        assertEquals(0, jira.countRequestsMatching(postRequestedFor(urlPathEqualTo("/rest/api/3/issue/ENG-42/comment"))
                .build()).getCount(), "on: customer: nothing on the issue");
        assertTrue(store.parked(10).isEmpty(), "nothing parked");
    }

    private static String issueCreated() {
        return """
                {"timestamp":1763629500000,"webhookEvent":"jira:issue_created",
                 "user":{"accountId":"557058:pm-1","accountType":"atlassian","displayName":"Pat PM"},
                 "issue":{"id":"20042","key":"ENG-42","fields":{"summary":"NPE in checkout service",
                   "created":"2025-11-20T09:05:00.000+0000","status":{"name":"To Do","statusCategory":{"key":"new"}},
                   "project":{"id":"10100","key":"ENG","name":"Engineering"},
                   "priority":{"name":"High"},"reporter":{"accountId":"557058:pm-1","accountType":"atlassian"}}}}
                """;
    }

    private static String engineerComment() {
        return """
                {"timestamp":1763631600000,"webhookEvent":"comment_created",
                 "comment":{"id":"30001","author":{"accountId":"5b10a2844c20165700eng01","displayName":"Erin Engineer",
                   "accountType":"atlassian","active":true},"body":"Reproduced; fix in review.",
                   "created":"2025-11-20T09:40:00.000+0000","updated":"2025-11-20T09:40:00.000+0000"},
                 "issue":{"id":"20042","key":"ENG-42","fields":{"summary":"NPE in checkout service",
                   "project":{"id":"10100","key":"ENG","name":"Engineering"},
                   "status":{"name":"In Progress","statusCategory":{"key":"indeterminate"}},"priority":{"name":"High"}}}}
                """;
    }

    private void webhook(String body) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/webhooks/jira"))
                .header("X-Hub-Signature", "sha256=" + hmac(body)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
    }

    private int caseWrites(String field, String value) {
        return sf.countRequestsMatching(patchRequestedFor(urlPathEqualTo(DATA + "/composite/sobjects"))
                .withRequestBody(matchingJsonPath("$.records[0]." + field, equalTo(value))).build()).getCount();
    }

    private int issueWrites(String field, String value) {
        return jira.countRequestsMatching(putRequestedFor(urlPathEqualTo("/rest/api/3/issue/ENG-42"))
                .withRequestBody(matchingJsonPath("$.fields." + field, equalTo(value))).build()).getCount();
    }

    private int comments() {
        return sf.countRequestsMatching(postRequestedFor(urlPathEqualTo(DATA + "/composite/sobjects")).build()).getCount();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static String hmac(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
