package io.slabridge.connector.jira;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.slabridge.connector.jira.JiraFixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.slabridge.connector.api.LinkMemory;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.store.SlaStore;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A JSM request linked to engineering issues (issue links of the configured types) and to a Salesforce Case (a
 * custom field holding the Case's URL), read by the poller and the webhook against a WireMock Jira Cloud: links
 * made, removed; the same state read again, by a poll or a webhook delivered again, says nothing new.
 */
class JiraLinksTest {
    private static final Instant NOW = Instant.parse("2025-11-20T12:00:00Z");
    private static final String SUP = "jira:SUP-20";
    /** The Case's 15-character id in its URL, read as the 18-character id Salesforce's API gives it. */
    private static final String CASE = "salesforce:5003x00000ABCdEAAX";

    private WireMockServer jira;
    private DefaultCamelContext camel;
    private SlaStore store;
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final List<TicketEvent> events = new ArrayList<>();

    @BeforeEach
    void start() {
        jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(okJson(text("cloud/myself.json"))));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/status")).willReturn(okJson(text("cloud/status.json"))));
        camel = new DefaultCamelContext();
        camel.start();
        store = JdbcSlaStore.open(StoreSettings.inMemory("jira-links-" + UUID.randomUUID()));
    }

    @AfterEach
    void stop() {
        store.close();
        camel.stop();
        jira.stop();
    }

    private JiraConfig config() {
        return JiraFixtures.cloud("http://127.0.0.1:" + jira.port()).linkTypes(List.of("Relates", "is caused by"))
                .linkedCaseField("customfield_10300").build();
    }

    private JiraPoller poller() {
        JiraConfig config = config();
        JiraHttp http = JiraHttp.create(camel, config, clock);
        RestJiraDirectory directory = new RestJiraDirectory(http, clock);
        return new JiraPoller(http, directory, new JiraEvents(config, directory), store, events::addAll, clock);
    }

    private JiraWebhook webhook() {
        JiraConfig config = config();
        JiraHttp http = JiraHttp.create(camel, config, clock);
        return new JiraWebhook(config, new JiraEvents(config, new RestJiraDirectory(http, clock)), events::addAll,
                config.webhookMaxBytes(), new LinkMemory(store, clock), http);
    }

    /**
     * SUP-20 as Jira Cloud's REST v3 represents it: {@code fields.issuelinks} entries with {@code type} ({@code name},
     * {@code inward}, {@code outward}) and the other issue as {@code inwardIssue} or {@code outwardIssue}.
     */
    private static String issue(String updated, String issuelinks, String caseField) {
        return """
                {"id": "10020", "key": "SUP-20", "self": "https://acme.atlassian.net/rest/api/3/issue/10020",
                 "fields": {
                  "summary": "Checkout fails for Acme",
                  "created": "2025-11-20T09:00:00.000+0000",
                  "updated": "%s",
                  "status": {"name": "Escalated", "statusCategory": {"key": "indeterminate"}},
                  "priority": {"name": "High"},
                  "reporter": {"accountId": "557058:cust-1", "displayName": "Carla Customer", "accountType": "customer"},
                  "customfield_10050": null, "customfield_10002": [],
                  "customfield_10300": %s,
                  "issuelinks": [%s]}}
                """.formatted(updated, caseField, issuelinks);
    }

    private static final String CAUSED_BY_ENG_42 = """
            {"id": "20001", "self": "https://acme.atlassian.net/rest/api/3/issueLink/20001",
             "type": {"id": "10002", "name": "Cause", "inward": "is caused by", "outward": "causes",
                      "self": "https://acme.atlassian.net/rest/api/3/issueLinkType/10002"},
             "inwardIssue": {"id": "10042", "key": "ENG-42", "self": "https://acme.atlassian.net/rest/api/3/issue/10042",
                             "fields": {"summary": "NPE in checkout", "status": {"name": "In Progress"},
                                        "priority": {"name": "High"}, "issuetype": {"name": "Bug"}}}}
            """;
    private static final String RELATES_PLAT_7 = """
            {"id": "20002", "type": {"id": "10003", "name": "Relates", "inward": "relates to", "outward": "relates to"},
             "outwardIssue": {"id": "10107", "key": "PLAT-7", "fields": {"summary": "Payment gateway timeouts",
                              "status": {"name": "Open"}}}}
            """;
    private static final String BLOCKS_OPS_1 = """
            {"id": "20003", "type": {"id": "10000", "name": "Blocks", "inward": "is blocked by", "outward": "blocks"},
             "outwardIssue": {"id": "10201", "key": "OPS-1", "fields": {"summary": "Rotate certificates"}}}
            """;
    private static final String CASE_URL = "\"https://acme.lightning.force.com/lightning/r/Case/5003x00000ABCdE/view\"";

    /** The search page with SUP-20, and a changelog history by an agent at {@code updated} (the link change). */
    private void searchAnswers(String issue, String updated) {
        String withChangelog = issue.strip().substring(0, issue.strip().length() - 1) + """
                , "changelog": {"startAt": 0, "maxResults": 1, "total": 1, "histories": [
                   {"id": "10600", "created": "%s",
                    "author": {"accountId": "5b10a2844c20165700ede21g", "displayName": "Alex Agent", "accountType": "atlassian"},
                    "items": [{"field": "Link", "fieldtype": "jira", "from": null, "fromString": null,
                               "to": "ENG-42", "toString": "This issue is caused by ENG-42"}]}]}}
                """.formatted(updated);
        String withComments = withChangelog.replace("\"issuelinks\"", "\"comment\": {\"comments\": [], \"maxResults\": 0, "
                + "\"total\": 0, \"startAt\": 0}, \"issuelinks\"");
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/search/jql"))
                .willReturn(okJson("{\"issues\": [" + withComments + "], \"isLast\": true}")));
    }

    private List<String> linkEvents() {
        List<String> out = events.stream().filter(e -> e.type().namesOther())
                .map(e -> e.type().wireName() + " " + e.other() + " " + e.at()).toList();
        events.clear();
        return out;
    }

    private int deliver(String payload) throws Exception {
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        webhook().process(exchange);
        return exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    }

    private static String issueUpdated(String issue, long timestamp) {
        return """
                {"timestamp": %d, "webhookEvent": "jira:issue_updated", "issue_event_type_name": "issue_generic",
                 "user": {"accountId": "5b10a2844c20165700ede21g", "displayName": "Alex Agent", "accountType": "atlassian"},
                 "issue": %s,
                 "changelog": {"id": "10601", "items": [{"field": "Link", "fieldtype": "jira", "from": "ENG-42",
                   "fromString": "This issue is caused by ENG-42", "to": null, "toString": null}]}}
                """.formatted(timestamp, issue);
    }

    @Test
    void aPollReadsLinksOfTheConfiguredTypesAndTheCaseFieldAndOnlyChangesAfterwards() {
        JiraPoller poller = poller();
        String at = "2025-11-20T11:30:00.000+0000";
        searchAnswers(issue(at, CAUSED_BY_ENG_42 + "," + RELATES_PLAT_7 + "," + BLOCKS_OPS_1, CASE_URL), at);

        poller.pollOnce();

        assertEquals(List.of("linked jira:ENG-42 2025-11-20T11:30:00Z", "linked jira:PLAT-7 2025-11-20T11:30:00Z",
                "linked " + CASE + " 2025-11-20T11:30:00Z"), linkEvents(),
                "Blocks is not a configured type; the Case field holds a Lightning URL with a 15-character id");
        jira.verify(postRequestedFor(urlPathEqualTo("/rest/api/3/search/jql"))
                .withRequestBody(containing("\"issuelinks\",\"customfield_10300\"")));

        poller.pollOnce(); // the overlap reads the same issue again
        assertEquals(List.of(), linkEvents());

        String later = "2025-11-20T11:45:00.000+0000";
        searchAnswers(issue(later, RELATES_PLAT_7 + "," + BLOCKS_OPS_1, "null"), later);
        poller.pollOnce();
        assertEquals(List.of("unlinked jira:ENG-42 2025-11-20T11:45:00Z", "unlinked " + CASE + " 2025-11-20T11:45:00Z"),
                linkEvents(), "the link removed and the field cleared");
    }

    @Test
    void aWebhookDeliveredAgainOrLateSaysNothingNewAndAPollOfTheSameVersionNeither() throws Exception {
        String t1 = "2025-11-20T11:30:00.000+0000";
        String first = issueUpdated(issue(t1, CAUSED_BY_ENG_42, CASE_URL), 1763638200000L);
        assertEquals(200, deliver(first));
        assertEquals(List.of("linked jira:ENG-42 2025-11-20T11:30:00Z", "linked " + CASE + " 2025-11-20T11:30:00Z"),
                linkEvents());
        assertEquals(200, deliver(first));
        assertEquals(List.of(), linkEvents(), "the same delivery again");

        searchAnswers(issue(t1, CAUSED_BY_ENG_42, CASE_URL), t1);
        poller().pollOnce();
        assertEquals(List.of(), linkEvents(), "the poll reads the version the webhook told");

        String t2 = "2025-11-20T11:50:00.000+0000";
        assertEquals(200, deliver(issueUpdated(issue(t2, "", CASE_URL), 1763639400000L)));
        assertEquals(List.of("unlinked jira:ENG-42 2025-11-20T11:50:00Z"), linkEvents());
        assertEquals(200, deliver(first));
        assertEquals(List.of(), linkEvents(), "an older delivery arriving late does not bring ENG-42 back");
    }

    @Test
    void aCommentWebhookCarriesNoLinksAndUnlinksNothing() throws Exception {
        String t1 = "2025-11-20T11:30:00.000+0000";
        assertEquals(200, deliver(issueUpdated(issue(t1, CAUSED_BY_ENG_42, CASE_URL), 1763638200000L)));
        linkEvents();
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-20")).willReturn(okJson(
                "{\"fields\":{\"reporter\":{\"accountId\":\"557058:cust-1\",\"accountType\":\"customer\"}}}")));
        String comment = text("cloud/comment_created_agent_public.json").replace("SUP-12", "SUP-20")
                .replace("\"10001\"", "\"10020\"");
        assertEquals(200, deliver(comment));
        assertEquals(List.of(), linkEvents());
    }

    /** {@code issuelink_created} / {@code issuelink_deleted} as Jira Cloud delivers them: the two issues by id only. */
    private static String linkDelivery(String event, long timestamp) {
        return """
                {"timestamp": %d, "webhookEvent": "%s",
                 "issueLink": {"id": 20001, "sourceIssueId": 10042, "destinationIssueId": 10020,
                   "issueLinkType": {"id": 10002, "name": "Cause", "outwardName": "causes", "inwardName": "is caused by",
                                     "isSubTaskLinkType": false, "isSystemLinkType": false},
                   "systemLink": false}}
                """.formatted(timestamp, event);
    }

    /** GET /issue/{id}?fields=updated,issuelinks,...: SUP-20 as it is now; ENG-42 is in a project not visible (404). */
    private void issueNow(String issue) {
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/10020")).withQueryParam("fields",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("updated,issuelinks,customfield_10300"))
                .willReturn(okJson(issue)));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/10042")).willReturn(com.github.tomakehurst.wiremock.client
                .WireMock.aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                .withBody("{\"errorMessages\":[\"Issue does not exist or you do not have permission to see it.\"],"
                        + "\"errors\":{}}")));
    }

    @Test
    void issueLinkDeliveriesReadBothIssuesAgainAndSayOnlyWhatChanged() throws Exception {
        issueNow(issue("2025-11-20T11:30:00.000+0000", CAUSED_BY_ENG_42, "null"));
        assertEquals(200, deliver(linkDelivery("issuelink_created", 1763638200000L)));
        assertEquals(List.of("linked jira:ENG-42 2025-11-20T11:30:00Z"), linkEvents());
        assertEquals(200, deliver(linkDelivery("issuelink_created", 1763638200000L)));
        assertEquals(List.of(), linkEvents(), "delivered again");

        issueNow(issue("2025-11-20T11:40:00.000+0000", "", "null"));
        assertEquals(200, deliver(linkDelivery("issuelink_deleted", 1763638800000L)));
        assertEquals(List.of("unlinked jira:ENG-42 2025-11-20T11:40:00Z"), linkEvents());
    }
}
