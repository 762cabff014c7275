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
import static io.slabridge.routes.testing.RunningRoutes.await;

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
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.routes.runtime.SlaRuntimeRoutes;
import io.slabridge.routes.testing.FakeCaseDescribe;
import io.slabridge.routes.testing.RunningRoutes;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
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
    private RunningRoutes routes;
    private SalesforceRoutes salesforce;

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
                .basic("sla-bridge@acme.example", "e2e-token").webhookSecret(SECRET).linkedCaseField("customfield_10300")
                .set(JiraSettings.CUSTOMER_STATUS_FIELD, "customfield_10060")
                .set(JiraSettings.CUSTOMER_DUE_FIELD, "customfield_10061")
                .set(JiraSettings.CUSTOMERS_WAITING_FIELD, "customfield_10063").build();
        routes = RunningRoutes.onFreePort();
        SalesforceApi api = SalesforceApi.create(routes.camel(), sfConfig);
        salesforce = new SalesforceRoutes(sfConfig, store, SlaRuntimeRoutes.INGEST, clock).withApi(api).withoutPollTimer();
        routes.start(store, runtime, clock, Map.of("salesforce", new SalesforceWriter(api),
                "jira", new JiraWriter(JiraHttp.create(routes.camel(), jiraConfig, clock))), salesforce,
                new JiraRoutes(jiraConfig, store, SlaRuntimeRoutes.INGEST, clock)
                        .withCaseNumbers(number -> salesforce.caseNumbers().orElseThrow().ticket(number)));
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
        if (routes != null) {
            routes.close();
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

    @Test
    void aJiraFieldHoldingTheCaseNumberLinksTheCase() throws Exception {
        // The agent left the Case's Jira_Issue__c empty; the engineer typed the Case number into ENG-42's Case field.
        sf.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("FROM Case WHERE")).willReturn(okJson("""
                {"totalSize":1,"done":true,"records":[{"attributes":{"type":"Case"},"Id":"500Qy00000AbCdEIAV",
                 "CaseNumber":"00001026","Subject":"Checkout returns 500","Status":"New","Priority":"High",
                 "Origin":"Web","IsStopped":false,"StopStartDate":null,"CreatedDate":"2025-11-20T09:00:00.000+0000",
                 "CreatedBy":{"Name":"Site Guest User"},"SystemModstamp":"2025-11-20T09:00:00.000+0000",
                 "Jira_Issue__c":null,"Histories":null}]}""")));
        sf.stubFor(get(urlPathEqualTo(DATA + "/query"))
                .withQueryParam("q", equalTo("SELECT Id FROM Case WHERE CaseNumber = '00001026' LIMIT 1"))
                .willReturn(okJson("{\"totalSize\":1,\"done\":true,\"records\":[{\"attributes\":{\"type\":\"Case\"},"
                        + "\"Id\":\"" + CASE + "\"}]}")));
        salesforce.poll();
        webhook(issueCreated().replace("\"created\":\"2025-11-20T09:05:00.000+0000\",", "\"created\":\"2025-11-20T09:05:00.000+0000\","
                + "\"updated\":\"2025-11-20T09:10:00.000+0000\",\"customfield_10300\":\"00001026\","));

        await(() -> caseWrites("Engineering_Status__c", "ENG-42 On track") == 1, "the Case shows engineering's OLA");
        sf.verify(patchRequestedFor(urlPathEqualTo(DATA + "/composite/sobjects"))
                .withRequestBody(matchingJsonPath("$.records[0].Engineering_Due__c", equalTo("2025-11-20T11:10:00.000Z"))));
        await(() -> issueWrites("customfield_10060", CASE + " On track") == 1, "the issue shows the Case's SLA");

        webhook(issueCreated().replace("\"created\":\"2025-11-20T09:05:00.000+0000\",", "\"created\":\"2025-11-20T09:05:00.000+0000\","
                + "\"updated\":\"2025-11-20T09:10:00.000+0000\",\"customfield_10300\":\"00001026\","));
        assertEquals(1, sf.countRequestsMatching(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("WHERE CaseNumber")).build()).getCount(),
                "the number was looked up once");
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
        HttpResponse<String> answer = routes.signedPost("/webhooks/jira", SECRET, body);
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
}
