package io.slabridge.routes.ola;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
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
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.routes.runtime.SlaRuntimeRoutes;
import io.slabridge.routes.testing.RunningRoutes;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 end to end with Jira alone: the Jira Service Management request SUP-20 is linked ("is caused by") to the
 * engineering issue ENG-42 by a Jira issue link, which starts engineering's OLA. The request's linked fields show
 * ENG-42's OLA, the engineering issue's customer fields show the request's SLA; an engineer's comment on ENG-42
 * meets the OLA and SUP-20 then says so. Left unanswered, the OLA's breach step comments on SUP-20 exactly once.
 * Real Camel routes, a real store, a WireMock Jira Cloud (REST v3 shapes).
 */
class JsmLinkedToEngineeringEndToEndTest {
    private static final String SECRET = "e2e-webhook-secret";
    private static final String LINKED_STATUS = "customfield_10070";
    private static final String LINKED_DUE = "customfield_10071";
    private static final String CUSTOMER_STATUS = "customfield_10060";
    private static final String CUSTOMER_DUE = "customfield_10061";

    @TempDir
    Path dir;

    private WireMockServer jira;
    private final MutableClock clock = new MutableClock(Instant.parse("2025-11-20T09:00:30Z"));
    private JdbcSlaStore store;
    private SlaRuntime runtime;
    private RunningRoutes routes;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("sla.yaml"), """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: support
                    when: { source: jira }
                    calendar: always
                    targets: { first_response: 4h, resolution: 8h }
                olas:
                  - name: eng
                    when:
                      engineering: { source: jira, project: [ENG] }
                      customer: { source: jira, project: [SUP] }
                    calendar: always
                    targets: { first_response: 2h }
                    escalations:
                      - name: ola-breached
                        at: breach
                        on: customer
                        actions:
                          - comment: { visibility: internal, text: "Engineering missed its {metric} OLA (due {due})." }
                """);
        jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(okJson(
                "{\"accountId\":\"712020:sla-bridge-bot\",\"accountType\":\"app\",\"timeZone\":\"UTC\"}")));
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-20")).willReturn(aResponse().withStatus(204)));
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/ENG-42")).willReturn(aResponse().withStatus(204)));
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/issue/SUP-20/comment")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":\"30900\",\"jsdPublic\":false}")));

        store = JdbcSlaStore.open(StoreSettings.h2File(dir.resolve("sla")));
        runtime = SlaRuntime.of(store, PolicyFileParser.parse(dir.resolve("sla.yaml")), clock);
        JiraConfig jiraConfig = JiraConfig.builder().url(URI.create("http://127.0.0.1:" + jira.port()))
                .basic("sla-bridge@acme.example", "e2e-token").webhookSecret(SECRET).serviceManagement(true)
                .linkTypes(List.of("is caused by"))
                .set(JiraSettings.LINKED_STATUS_FIELD, LINKED_STATUS)
                .set(JiraSettings.LINKED_DUE_FIELD, LINKED_DUE)
                .set(JiraSettings.CUSTOMER_STATUS_FIELD, CUSTOMER_STATUS)
                .set(JiraSettings.CUSTOMER_DUE_FIELD, CUSTOMER_DUE).build();
        routes = RunningRoutes.onFreePort();
        routes.start(store, runtime, clock, Map.of("jira", new JiraWriter(JiraHttp.create(routes.camel(), jiraConfig,
                clock))), new JiraRoutes(jiraConfig, store, SlaRuntimeRoutes.INGEST, clock).withoutPollTimer());
    }

    @AfterEach
    void stop() {
        if (routes != null) {
            routes.close();
        }
        if (store != null) {
            store.close();
        }
        jira.stop();
    }

    /** Both issues raised, then the agent links SUP-20 to ENG-42 at 09:10; the OLA's first response is due 11:10. */
    private void raiseAndLink() throws Exception {
        webhook(created(request("2025-11-20T09:00:00.000+0000", ""), 1763629200000L));
        clock.set(Instant.parse("2025-11-20T09:05:30Z"));
        webhook(created(engineeringIssue(), 1763629500000L));
        clock.set(Instant.parse("2025-11-20T09:10:30Z"));
        webhook(linkAdded(request("2025-11-20T09:10:00.000+0000", CAUSED_BY_ENG_42), 1763629800000L));
    }

    @Test
    void bothIssuesSeeBothClocksAndEngineeringsCommentMeetsTheOla() throws Exception {
        raiseAndLink();
        await(() -> writes("SUP-20", LINKED_STATUS, "ENG-42 On track") == 1, "SUP-20 shows engineering's OLA");
        jira.verify(putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-20"))
                .withRequestBody(matchingJsonPath("$.fields." + LINKED_DUE, equalTo("2025-11-20T11:10:00.000+0000"))));
        await(() -> writes("ENG-42", CUSTOMER_STATUS, "SUP-20 On track") == 1, "ENG-42 shows the request's SLA");
        jira.verify(putRequestedFor(urlPathEqualTo("/rest/api/3/issue/ENG-42"))
                .withRequestBody(matchingJsonPath("$.fields." + CUSTOMER_DUE, equalTo("2025-11-20T13:00:00.000+0000"))));

        // An engineer answers on ENG-42 at 09:40: the OLA is met, and SUP-20's next field write says so.
        clock.set(Instant.parse("2025-11-20T09:40:30Z"));
        webhook(engineerComment());
        await(() -> writes("SUP-20", LINKED_STATUS, "ENG-42 Met") == 1, "SUP-20 shows the OLA met");

        // Past the OLA's due: it was met, so no breach comment.
        clock.set(Instant.parse("2025-11-20T11:10:05Z"));
        runtime.tick();
        Thread.sleep(300);
        assertEquals(0, comments());
        assertTrue(store.parked(10).isEmpty(), "nothing parked");
        assertEquals(List.of(), jira.findAllUnmatchedRequests(), "every call was one Jira answers");
    }

    @Test
    void anUnansweredOlaCommentsOnTheRequestOnce() throws Exception {
        raiseAndLink();
        await(() -> writes("SUP-20", LINKED_STATUS, "ENG-42 On track") == 1, "SUP-20 shows engineering's OLA");

        clock.set(Instant.parse("2025-11-20T11:10:01Z")); // a second past the OLA's due
        runtime.tick();
        await(() -> comments() == 1, "the breach step's comment on SUP-20");
        await(() -> writes("SUP-20", LINKED_STATUS, "ENG-42 Breached") == 1, "SUP-20 shows the OLA breached");
        jira.verify(postRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-20/comment"))
                .withRequestBody(containing("Engineering missed its first_response OLA (due 2025-11-20T11:10:00Z)."))
                .withRequestBody(matchingJsonPath("$.properties[?(@.key == 'sd.public.comment')].value.internal",
                        equalTo("true"))));

        // Later refolds (a tick, the same link delivered again) fire nothing again.
        clock.set(Instant.parse("2025-11-20T11:20:00Z"));
        runtime.tick();
        webhook(linkAdded(request("2025-11-20T09:10:00.000+0000", CAUSED_BY_ENG_42), 1763629800000L));
        Thread.sleep(300);
        assertEquals(1, comments());
        assertEquals(0, jira.countRequestsMatching(postRequestedFor(urlPathEqualTo("/rest/api/3/issue/ENG-42/comment"))
                .build()).getCount(), "on: customer: nothing on the engineering issue");
        assertTrue(store.parked(10).isEmpty(), "nothing parked");
        assertEquals(List.of(), jira.findAllUnmatchedRequests(), "every call was one Jira answers");
    }

    /**
     * {@code issuelink_created} / {@code issuelink_deleted} as Jira Cloud delivers them: the link's two issues by id
     * only (ENG-42 causes SUP-20).
     */
    private static String linkDelivery(String event, long timestamp) {
        return """
                {"timestamp": %d, "webhookEvent": "%s",
                 "issueLink": {"id": 20001, "sourceIssueId": 20042, "destinationIssueId": 10020,
                   "issueLinkType": {"id": 10002, "name": "Cause", "outwardName": "causes", "inwardName": "is caused by",
                                     "isSubTaskLinkType": false, "isSystemLinkType": false},
                   "systemLink": false}}
                """.formatted(timestamp, event);
    }

    /** {@code GET /rest/api/3/issue/{id}?fields=updated,issuelinks}: the issue as it is now. */
    private void issueNow(String id, String issue) {
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/" + id)).withQueryParam("fields", equalTo("updated,issuelinks"))
                .willReturn(okJson(issue)));
    }

    /** ENG-42 as it reads the same link: it "causes" SUP-20, words not configured, so its side reports nothing. */
    private static String engineeringIssueCausing(String updated, boolean linked) {
        return engineeringIssue().replace("\"updated\": \"2025-11-20T09:05:00.000+0000\"", "\"updated\": \"" + updated + "\"")
                .replace("\"issuelinks\": []", "\"issuelinks\": [" + (linked ? """
                        {"id": "20001", "type": {"id": "10002", "name": "Cause", "inward": "is caused by",
                         "outward": "causes"}, "outwardIssue": {"id": "10020", "key": "SUP-20"}}""" : "") + "]");
    }

    @Test
    void anIssueLinkCreatedThenDeletedStartsAndEndsTheOla() throws Exception {
        webhook(created(request("2025-11-20T09:00:00.000+0000", ""), 1763629200000L));
        clock.set(Instant.parse("2025-11-20T09:05:30Z"));
        webhook(created(engineeringIssue(), 1763629500000L));

        // 09:10: the agent links the two issues; the delivery names them by id, and both are read again.
        clock.set(Instant.parse("2025-11-20T09:10:30Z"));
        issueNow("10020", request("2025-11-20T09:10:00.000+0000", CAUSED_BY_ENG_42));
        issueNow("20042", engineeringIssueCausing("2025-11-20T09:10:00.000+0000", true));
        webhook(linkDelivery("issuelink_created", 1763629800000L));
        await(() -> writes("SUP-20", LINKED_STATUS, "ENG-42 On track") == 1, "SUP-20 shows engineering's OLA");
        jira.verify(putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-20"))
                .withRequestBody(matchingJsonPath("$.fields." + LINKED_DUE, equalTo("2025-11-20T11:10:00.000+0000"))));
        await(() -> writes("ENG-42", CUSTOMER_STATUS, "SUP-20 On track") == 1, "ENG-42 shows the request's SLA");

        // 09:20: the link removed. The link ends: SUP-20's linked fields are cleared, ENG-42's customer fields too.
        clock.set(Instant.parse("2025-11-20T09:20:30Z"));
        int requestCleared = cleared("SUP-20", LINKED_STATUS); // its writes before the link had no linked status
        int engineeringCleared = cleared("ENG-42", CUSTOMER_STATUS);
        issueNow("10020", request("2025-11-20T09:20:00.000+0000", ""));
        issueNow("20042", engineeringIssueCausing("2025-11-20T09:20:00.000+0000", false));
        webhook(linkDelivery("issuelink_deleted", 1763630400000L));
        await(() -> cleared("SUP-20", LINKED_STATUS) == requestCleared + 1, "SUP-20's linked status cleared");
        await(() -> cleared("ENG-42", CUSTOMER_STATUS) == engineeringCleared + 1, "ENG-42's customer status cleared");

        // Past the OLA's due: the link ended before, so no breach comment.
        clock.set(Instant.parse("2025-11-20T11:10:05Z"));
        runtime.tick();
        Thread.sleep(300);
        assertEquals(0, comments());
        assertTrue(store.parked(10).isEmpty(), "nothing parked");
        assertEquals(List.of(), jira.findAllUnmatchedRequests(), "every call was one Jira answers");
    }

    private int cleared(String issue, String field) {
        return jira.countRequestsMatching(putRequestedFor(urlPathEqualTo("/rest/api/3/issue/" + issue))
                .withRequestBody(containing("\"" + field + "\":null")).build()).getCount();
    }

    /** The link as Jira Cloud's REST v3 puts it in SUP-20's {@code fields.issuelinks}: ENG-42 is the inward issue. */
    private static final String CAUSED_BY_ENG_42 = """
            {"id": "20001", "self": "https://acme.atlassian.net/rest/api/3/issueLink/20001",
             "type": {"id": "10002", "name": "Cause", "inward": "is caused by", "outward": "causes",
                      "self": "https://acme.atlassian.net/rest/api/3/issueLinkType/10002"},
             "inwardIssue": {"id": "20042", "key": "ENG-42", "self": "https://acme.atlassian.net/rest/api/3/issue/20042",
                             "fields": {"summary": "NPE in checkout service", "status": {"name": "To Do"},
                                        "priority": {"name": "High"}, "issuetype": {"name": "Bug"}}}}
            """;

    /** SUP-20, a JSM request raised on the portal by a customer account, with the given links. */
    private static String request(String updated, String issuelinks) {
        return """
                {"id": "10020", "key": "SUP-20", "self": "https://acme.atlassian.net/rest/api/3/issue/10020",
                 "fields": {
                  "summary": "Checkout fails for Acme",
                  "created": "2025-11-20T09:00:00.000+0000",
                  "updated": "%s",
                  "project": {"id": "10000", "key": "SUP", "name": "Support"},
                  "status": {"name": "Waiting for support", "statusCategory": {"key": "new"}},
                  "priority": {"name": "High"},
                  "reporter": {"accountId": "557058:cust-1", "displayName": "Carla Customer", "accountType": "customer"},
                  "issuelinks": [%s]}}
                """.formatted(updated, issuelinks);
    }

    private static String engineeringIssue() {
        return """
                {"id": "20042", "key": "ENG-42", "self": "https://acme.atlassian.net/rest/api/3/issue/20042",
                 "fields": {"summary": "NPE in checkout service",
                   "created": "2025-11-20T09:05:00.000+0000", "updated": "2025-11-20T09:05:00.000+0000",
                   "status": {"name": "To Do", "statusCategory": {"key": "new"}},
                   "project": {"id": "10100", "key": "ENG", "name": "Engineering"},
                   "priority": {"name": "High"},
                   "reporter": {"accountId": "557058:pm-1", "displayName": "Pat PM", "accountType": "atlassian"},
                   "issuelinks": []}}
                """;
    }

    private static String created(String issue, long timestamp) {
        return """
                {"timestamp": %d, "webhookEvent": "jira:issue_created", "issue_event_type_name": "issue_created",
                 "user": {"accountId": "557058:cust-1", "displayName": "Carla Customer", "accountType": "customer"},
                 "issue": %s}
                """.formatted(timestamp, issue);
    }

    /** {@code jira:issue_updated} for the link an agent added: the issue as it now is, and the changelog's Link item. */
    private static String linkAdded(String issue, long timestamp) {
        return """
                {"timestamp": %d, "webhookEvent": "jira:issue_updated", "issue_event_type_name": "issue_generic",
                 "user": {"accountId": "5b10a2844c20165700ede21g", "displayName": "Alex Agent", "accountType": "atlassian"},
                 "issue": %s,
                 "changelog": {"id": "10600", "items": [{"field": "Link", "fieldtype": "jira", "from": null,
                   "fromString": null, "to": "ENG-42", "toString": "This issue is caused by ENG-42"}]}}
                """.formatted(timestamp, issue);
    }

    private static String engineerComment() {
        return """
                {"timestamp": 1763631600000, "webhookEvent": "comment_created",
                 "comment": {"id": "30001", "author": {"accountId": "5b10a2844c20165700eng01", "displayName": "Erin Engineer",
                   "accountType": "atlassian", "active": true}, "body": "Reproduced; fix in review.",
                   "created": "2025-11-20T09:40:00.000+0000", "updated": "2025-11-20T09:40:00.000+0000"},
                 "issue": {"id": "20042", "key": "ENG-42", "fields": {"summary": "NPE in checkout service",
                   "project": {"id": "10100", "key": "ENG", "name": "Engineering"},
                   "status": {"name": "In Progress", "statusCategory": {"key": "indeterminate"}},
                   "priority": {"name": "High"},
                   "reporter": {"accountId": "557058:pm-1", "displayName": "Pat PM", "accountType": "atlassian"}}}}
                """;
    }

    private void webhook(String body) throws Exception {
        HttpResponse<String> answer = routes.signedPost("/webhooks/jira", SECRET, body);
        assertEquals(200, answer.statusCode(), answer.body());
    }

    private int writes(String issue, String field, String value) {
        return jira.countRequestsMatching(putRequestedFor(urlPathEqualTo("/rest/api/3/issue/" + issue))
                .withRequestBody(matchingJsonPath("$.fields." + field, equalTo(value))).build()).getCount();
    }

    private int comments() {
        return jira.countRequestsMatching(postRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-20/comment")).build())
                .getCount();
    }
}
