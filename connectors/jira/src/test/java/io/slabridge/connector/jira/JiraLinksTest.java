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
import io.slabridge.connector.api.TicketNumbers;
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
    /** The projects whose remote links are read (sla.jira.remote-links); none unless a test says so. */
    private List<String> remoteLinks = List.of();
    /** Salesforce's Cases by number, as the application wires them; a test sets what it knows. */
    private TicketNumbers caseNumbers = TicketNumbers.unavailable("no Salesforce in this test");

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
                .linkedCaseField("customfield_10300").remoteLinks(remoteLinks).build();
    }

    private JiraPoller poller() {
        JiraConfig config = config();
        JiraHttp http = JiraHttp.create(camel, config, clock);
        RestJiraDirectory directory = new RestJiraDirectory(http, clock);
        return new JiraPoller(http, directory, new JiraEvents(config, directory), store, events::addAll, clock,
                caseNumbers);
    }

    private JiraWebhook webhook() {
        JiraConfig config = config();
        JiraHttp http = JiraHttp.create(camel, config, clock);
        return new JiraWebhook(config, new JiraEvents(config, new RestJiraDirectory(http, clock)), events::addAll,
                config.webhookMaxBytes(), new LinkMemory(store, clock), http, caseNumbers);
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

    /** A Salesforce that knows the Cases in {@code known} by number, and counts the look-ups. */
    private final java.util.Map<String, String> known = new java.util.HashMap<>();
    private final List<String> lookedUp = new ArrayList<>();

    private TicketNumbers salesforce() {
        return number -> {
            lookedUp.add(number);
            return java.util.Optional.ofNullable(known.get(number));
        };
    }

    @Test
    void aCaseNumberInTheFieldIsLookedUpAndOneNotFoundIsLookedUpAgainAtTheNextRead() {
        caseNumbers = salesforce();
        JiraPoller poller = poller();
        String at = "2025-11-20T11:30:00.000+0000";
        searchAnswers(issue(at, CAUSED_BY_ENG_42, "\"00001026\""), at);

        poller.pollOnce();
        assertEquals(List.of("linked jira:ENG-42 2025-11-20T11:30:00Z"), linkEvents(),
                "Salesforce has no Case 00001026 yet: the issue link is read, the number is not");
        assertEquals(List.of("00001026"), lookedUp);

        known.put("00001026", CASE);
        poller.pollOnce(); // the overlap reads the same version again
        assertEquals(List.of("linked " + CASE + " 2025-11-20T11:30:00Z"), linkEvents(),
                "looked up again, found: linked, at the version's instant");
        poller.pollOnce();
        assertEquals(List.of(), linkEvents(), "the same version a third time says nothing new");

        String later = "2025-11-20T11:45:00.000+0000";
        searchAnswers(issue(later, "", "\"#00001026\""), later);
        poller.pollOnce();
        assertEquals(List.of("unlinked jira:ENG-42 2025-11-20T11:45:00Z"), linkEvents(),
                "the Case stays linked whether its number is written with # or not");
    }

    @Test
    void aCaseNumberThatCannotBeLookedUpNowLeavesTheIssuesLinksAsTheyWere() {
        caseNumbers = salesforce();
        known.put("00001026", CASE);
        JiraPoller poller = poller();
        String at = "2025-11-20T11:30:00.000+0000";
        searchAnswers(issue(at, CAUSED_BY_ENG_42, "\"00001026\""), at);
        poller.pollOnce();
        assertEquals(List.of("linked jira:ENG-42 2025-11-20T11:30:00Z", "linked " + CASE + " 2025-11-20T11:30:00Z"),
                linkEvents());

        caseNumbers = TicketNumbers.unavailable("Salesforce answers 503 (test)");
        poller = poller();
        String later = "2025-11-20T11:45:00.000+0000";
        searchAnswers(issue(later, "", "\"00001027\""), later);
        poller.pollOnce();
        assertEquals(List.of(), linkEvents(), "neither ENG-42 nor the Case is unlinked while 00001027 is unknown");

        known.put("00001027", "salesforce:5003x00000XYZabCDE");
        caseNumbers = salesforce();
        poller = poller();
        poller.pollOnce();
        assertEquals(List.of("unlinked jira:ENG-42 2025-11-20T11:45:00Z", "unlinked " + CASE + " 2025-11-20T11:45:00Z",
                "linked salesforce:5003x00000XYZabCDE 2025-11-20T11:45:00Z"), linkEvents(),
                "read at the next read, at that version's instant");
    }

    /**
     * SUP-20's remote links as Jira Cloud answers {@code GET /rest/api/3/issue/{key}/remotelink}: an array of
     * {@code id}, {@code self}, {@code globalId}, {@code application}, {@code relationship} and {@code object}
     * ({@code url}, {@code title}, {@code summary}, {@code icon}, {@code status}).
     */
    private static String remoteLinks(String... urls) {
        List<String> links = new ArrayList<>();
        for (int i = 0; i < urls.length; i++) {
            links.add("""
                    {"id": %d, "self": "https://acme.atlassian.net/rest/api/3/issue/SUP-20/remotelink/%d",
                     "globalId": "system=%s",
                     "application": {"type": "com.salesforce", "name": "Salesforce"},
                     "relationship": "escalated from",
                     "object": {"url": "%s", "title": "Case 00001026: Checkout fails",
                                "summary": "Acme cannot pay",
                                "icon": {"url16x16": "https://acme.lightning.force.com/favicon.ico", "title": "Case"},
                                "status": {"resolved": false, "icon": {}}}}
                    """.formatted(10000 + i, 10000 + i, urls[i], urls[i]));
        }
        return "[" + String.join(",", links) + "]";
    }

    private void remoteLinksAnswer(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-20/remotelink")).willReturn(answer));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder error(int status, String message) {
        return com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"errorMessages\":[\"" + message + "\"],\"errors\":{}}");
    }

    @Test
    void remoteLinksToACaseAreReadInTheConfiguredProjectsAndARemovedOneEndsTheLink() {
        remoteLinks = List.of("sup");
        JiraPoller poller = poller();
        String at = "2025-11-20T11:30:00.000+0000";
        searchAnswers(issue(at, "", "null"), at);
        remoteLinksAnswer(okJson(remoteLinks("https://acme.lightning.force.com/lightning/r/Case/5003x00000ABCdEAAX/view",
                "https://acme.atlassian.net/wiki/spaces/ENG/pages/123/Runbook",
                "https://acme.my.salesforce.com/5003x00000XYZab")));
        poller.pollOnce();
        assertEquals(List.of("linked " + CASE + " 2025-11-20T11:30:00Z",
                "linked salesforce:5003x00000XYZabAAH 2025-11-20T11:30:00Z"), linkEvents(),
                "a Lightning and a Classic Case page; the Confluence page is no ticket");

        String later = "2025-11-20T11:45:00.000+0000";
        searchAnswers(issue(later, "", "null"), later);
        remoteLinksAnswer(okJson(remoteLinks("https://acme.my.salesforce.com/5003x00000XYZab")));
        poller.pollOnce();
        assertEquals(List.of("unlinked " + CASE + " 2025-11-20T11:45:00Z"), linkEvents(), "the remote link removed");
        jira.verify(2, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                urlPathEqualTo("/rest/api/3/issue/SUP-20/remotelink")));
    }

    @Test
    void remoteLinksOfOtherProjectsCostNoCall() {
        remoteLinks = List.of("ENG");
        String at = "2025-11-20T11:30:00.000+0000";
        searchAnswers(issue(at, CAUSED_BY_ENG_42, "null"), at);
        poller().pollOnce();
        assertEquals(List.of("linked jira:ENG-42 2025-11-20T11:30:00Z"), linkEvents());
        jira.verify(0, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                urlPathEqualTo("/rest/api/3/issue/SUP-20/remotelink")));
    }

    @Test
    void remoteLinksThatCannotBeReadUnlinkNothingAndARateLimitIsWaitedOut() throws Exception {
        remoteLinks = List.of("SUP");
        JiraPoller poller = poller();
        String at = "2025-11-20T11:30:00.000+0000";
        searchAnswers(issue(at, CAUSED_BY_ENG_42, "null"), at);
        remoteLinksAnswer(okJson(remoteLinks("https://acme.lightning.force.com/lightning/r/Case/5003x00000ABCdE/view")));
        poller.pollOnce();
        assertEquals(List.of("linked jira:ENG-42 2025-11-20T11:30:00Z", "linked " + CASE + " 2025-11-20T11:30:00Z"),
                linkEvents());

        String later = "2025-11-20T11:45:00.000+0000";
        searchAnswers(issue(later, "", "null"), later);
        remoteLinksAnswer(error(404, "Issue does not exist or you do not have permission to see it."));
        poller.pollOnce();
        assertEquals(List.of(), linkEvents(), "deleted meanwhile: nothing is unlinked");
        remoteLinksAnswer(error(403, "Issue linking is disabled."));
        poller.pollOnce();
        assertEquals(List.of(), linkEvents(), "not allowed: nothing is unlinked");

        remoteLinksAnswer(error(429, "Rate limit exceeded.").withHeader("Retry-After", "30"));
        JiraRequestException limited = org.junit.jupiter.api.Assertions.assertThrows(JiraRequestException.class,
                poller::pollOnce, "the poll fails, to be tried again from the same cursor");
        assertEquals(java.time.Duration.ofSeconds(30), limited.retryAfter(), "after the wait Jira asked for");
        assertEquals(List.of(), linkEvents());
        String t = "2025-11-20T11:45:00.000+0000";
        assertEquals(503, deliver(issueUpdated(issue(t, "", "null"), 1763639100000L)),
                "a webhook delivery is answered 503, for Jira to deliver it again");
        assertEquals(List.of(), linkEvents());

        remoteLinksAnswer(okJson("[]"));
        poller.pollOnce();
        assertEquals(List.of("unlinked jira:ENG-42 2025-11-20T11:45:00Z", "unlinked " + CASE + " 2025-11-20T11:45:00Z"),
                linkEvents(), "read once Jira answers again");
    }
}
