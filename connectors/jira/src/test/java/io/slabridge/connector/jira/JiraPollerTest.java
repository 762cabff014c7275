package io.slabridge.connector.jira;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.slabridge.connector.jira.JiraFixtures.json;
import static io.slabridge.connector.jira.JiraFixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.store.SlaStore;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The poller against a WireMock Jira: Cloud and Data Center search, paging, changelog, comments, cursor, errors. */
class JiraPollerTest {
    private static final Instant NOW = Instant.parse("2025-11-20T12:00:00Z");

    private WireMockServer jira;
    private DefaultCamelContext camel;
    private SlaStore store;
    private final List<List<TicketEvent>> pages = new ArrayList<>();

    @BeforeEach
    void start() {
        jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
        camel = new DefaultCamelContext();
        camel.start();
        store = JdbcSlaStore.open(StoreSettings.inMemory("jira-poller-" + UUID.randomUUID()));
    }

    @AfterEach
    void stop() {
        store.close();
        camel.stop();
        jira.stop();
    }

    private JiraPoller poller(JiraConfig config) {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        JiraHttp http = JiraHttp.create(camel, config, clock);
        RestJiraDirectory directory = new RestJiraDirectory(http, clock);
        return new JiraPoller(http, directory, new JiraEvents(config, directory), store, pages::add, clock);
    }

    private String url() {
        return "http://127.0.0.1:" + jira.port();
    }

    private void stubCloud() {
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(okJson(text("cloud/myself.json"))));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/status")).willReturn(okJson(text("cloud/status.json"))));
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/search/jql"))
                .withRequestBody(matchingJsonPath("$[?(!@.nextPageToken)]")).willReturn(okJson(text("cloud/search_page1.json"))));
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/search/jql"))
                .withRequestBody(matchingJsonPath("$.nextPageToken", equalTo("CAEaAggB")))
                .willReturn(okJson(text("cloud/search_page2.json"))));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-12/changelog")).withQueryParam("startAt", equalTo("0"))
                .willReturn(okJson(text("cloud/changelog_SUP-12_page1.json"))));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-12/changelog")).withQueryParam("startAt", equalTo("1"))
                .willReturn(okJson(text("cloud/changelog_SUP-12_page2.json"))));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-12/comment")).willReturn(okJson(text("cloud/comments_SUP-12.json"))));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-13/changelog")).willReturn(okJson(text("cloud/changelog_empty.json"))));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-13/comment")).willReturn(okJson(text("cloud/comments_empty.json"))));
    }

    private List<TicketEvent> all() {
        return pages.stream().flatMap(List::stream).toList();
    }

    @Test
    void cloudPollReadsEveryPageChangelogAndCommentAndMovesTheCursor() {
        stubCloud();
        JiraPoller.Result r = poller(JiraFixtures.cloud(url()).build()).pollOnce();
        assertEquals(2, r.pages());
        assertEquals(2, r.issues());
        assertEquals(2, pages.size(), "one batch of events per search page");
        assertEquals(Instant.parse("2025-11-20T11:20:00Z"), r.cursor());
        assertEquals("2025-11-20T11:20:00Z", store.cursor(JiraPoller.CURSOR).orElseThrow());
        // First poll: a day back, minus the overlap, in the integration user's zone (Berlin, UTC+1), minute resolution.
        jira.verify(postRequestedFor(urlPathEqualTo("/rest/api/3/search/jql")).withRequestBody(equalToJson(
                "{\"jql\":\"project in (\\\"SUP\\\") AND updated >= \\\"2025/11/19 12:58\\\" ORDER BY updated ASC\","
                        + "\"maxResults\":1,\"fields\":[\"summary\",\"status\",\"priority\",\"created\",\"updated\","
                        + "\"reporter\",\"comment\",\"customfield_10050\",\"customfield_10002\"],\"expand\":\"changelog\"}")));
        jira.verify(getRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12/comment"))
                .withQueryParam("expand", equalTo("properties"))
                .withHeader("Authorization", equalTo("Basic c2xhLWJyaWRnZUBhY21lLmV4YW1wbGU6Y2xvdWQtdG9rZW4tMTIz")));

        List<TicketEvent> events = all();
        Set<String> ids = events.stream().map(TicketEvent::id).collect(Collectors.toSet());
        assertEquals(Set.of("jira:10001:created", "jira:10001:h10500:status", "jira:10001:h10505:status",
                "jira:10001:c10200", "jira:10001:c10201", "jira:10001:c10202", "jira:10002:created"), ids,
                "the bot's history 10510 and comment 10203 are our own writes: no events");
        TicketEvent created = events.stream().filter(e -> e.id().equals("jira:10001:created")).findFirst().orElseThrow();
        // Read back through the changelog: the issue was created "Waiting for support" (it is that again now).
        assertEquals(TicketStatus.OPEN, created.status());
        assertEquals(Priority.HIGH, created.priority());
        assertEquals("Gold", created.tier());
        assertEquals("Acme Corp", created.account());
        TicketEvent triage = events.stream().filter(e -> e.id().equals("jira:10002:created")).findFirst().orElseThrow();
        assertEquals(TicketStatus.OPEN, triage.status(), "an unknown status name goes by its category from /status");
        assertEquals(Priority.LOW, triage.priority());
    }

    /**
     * The search pages as Jira Cloud answers them when asked for {@code expand=changelog} and the {@code comment}
     * field: each issue's most recent histories first (all of them unless {@code embeddedHistories} is smaller),
     * and its comments without their properties (the search does not expand them).
     */
    private void stubCloudSearchCarryingChangelogAndComments(int embeddedHistories) {
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(okJson(text("cloud/myself.json"))));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/status")).willReturn(okJson(text("cloud/status.json"))));
        com.fasterxml.jackson.databind.node.ObjectNode page1 = (com.fasterxml.jackson.databind.node.ObjectNode) json("cloud/search_page1.json");
        com.fasterxml.jackson.databind.node.ObjectNode sup12 = (com.fasterxml.jackson.databind.node.ObjectNode) page1.path("issues").get(0);
        List<com.fasterxml.jackson.databind.JsonNode> histories = new ArrayList<>();
        json("cloud/changelog_SUP-12_page2.json").path("values").forEach(histories::add); // 10510, 10505: newest first
        json("cloud/changelog_SUP-12_page1.json").path("values").forEach(histories::add); // 10500
        com.fasterxml.jackson.databind.node.ObjectNode changelog = sup12.putObject("changelog");
        changelog.put("startAt", 0).put("maxResults", Math.min(embeddedHistories, 3)).put("total", 3);
        changelog.putArray("histories").addAll(histories.subList(0, Math.min(embeddedHistories, 3)));
        com.fasterxml.jackson.databind.node.ObjectNode comment = ((com.fasterxml.jackson.databind.node.ObjectNode) sup12.path("fields")).putObject("comment");
        com.fasterxml.jackson.databind.node.ArrayNode comments = comment.putArray("comments");
        json("cloud/comments_SUP-12.json").path("comments").forEach(c -> comments.add(
                ((com.fasterxml.jackson.databind.node.ObjectNode) c.deepCopy()).without("properties")));
        comment.put("maxResults", 4).put("total", 4).put("startAt", 0);
        com.fasterxml.jackson.databind.node.ObjectNode page2 = (com.fasterxml.jackson.databind.node.ObjectNode) json("cloud/search_page2.json");
        com.fasterxml.jackson.databind.node.ObjectNode sup13 = (com.fasterxml.jackson.databind.node.ObjectNode) page2.path("issues").get(0);
        sup13.putObject("changelog").put("startAt", 0).put("maxResults", 0).put("total", 0).putArray("histories");
        ((com.fasterxml.jackson.databind.node.ObjectNode) sup13.path("fields")).putObject("comment").put("maxResults", 0)
                .put("total", 0).put("startAt", 0).putArray("comments");
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/search/jql")).withRequestBody(matchingJsonPath("$[?(!@.nextPageToken)]"))
                .willReturn(okJson(page1.toString())));
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/search/jql")).withRequestBody(matchingJsonPath("$.nextPageToken", equalTo("CAEaAggB")))
                .willReturn(okJson(page2.toString())));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-12/changelog")).withQueryParam("startAt", equalTo("0"))
                .willReturn(okJson(text("cloud/changelog_SUP-12_page1.json"))));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-12/changelog")).withQueryParam("startAt", equalTo("1"))
                .willReturn(okJson(text("cloud/changelog_SUP-12_page2.json"))));
    }

    private static final Set<String> SUP_12_AND_13_EVENTS = Set.of("jira:10001:created", "jira:10001:h10500:status",
            "jira:10001:h10505:status", "jira:10001:c10200", "jira:10001:c10201", "jira:10001:c10202", "jira:10002:created");

    @Test
    void aSearchPageCarryingTheChangelogAndTheCommentsIsAllAPollReads() {
        stubCloudSearchCarryingChangelogAndComments(3);
        JiraPoller.Result r = poller(JiraFixtures.cloud(url()).build()).pollOnce();

        assertEquals(2, r.issues());
        jira.verify(0, getRequestedFor(urlPathMatching("/rest/api/3/issue/.*")));
        assertEquals(SUP_12_AND_13_EVENTS, all().stream().map(TicketEvent::id).collect(Collectors.toSet()));
        assertEquals(EventType.INTERNAL_NOTE, byId(all(), "jira:10001:c10201").type(), "JSM's jsdPublic=false, no property needed");
        assertEquals(TicketStatus.OPEN, byId(all(), "jira:10001:created").status(), "read back through the changelog");
    }

    @Test
    void aChangelogTheSearchCutShortIsReadInFullFromTheIssue() {
        stubCloudSearchCarryingChangelogAndComments(2); // the two newest of three
        poller(JiraFixtures.cloud(url()).build()).pollOnce();

        jira.verify(2, getRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12/changelog")));
        jira.verify(0, getRequestedFor(urlPathMatching("/rest/api/3/issue/.*/comment")));
        assertEquals(SUP_12_AND_13_EVENTS, all().stream().map(TicketEvent::id).collect(Collectors.toSet()),
                "history 10500, left out of the search, is read");
    }

    @Test
    void anIssueWhoseOnlyNewsIsOurOwnFieldWriteIsPassedOverWithoutACall() {
        // The cursor after an earlier poll: the window starts at 11:08. SUP-12's only news since then is the
        // integration user's: history 10510 (SLA status) and comment 10203 at 11:10; SUP-13 shows none at all.
        store.saveCursor(JiraPoller.CURSOR, "2025-11-20T11:10:00Z", NOW);
        stubCloudSearchCarryingChangelogAndComments(2); // cut short, yet 10505 shows nothing older is missing
        JiraPoller.Result r = poller(JiraFixtures.cloud(url()).pollOverlap(Duration.ofMinutes(2)).build()).pollOnce();

        assertEquals(2, r.passedOver(), r.toString());
        assertEquals(2, r.issues());
        jira.verify(0, getRequestedFor(urlPathMatching("/rest/api/3/issue/.*")));
        assertEquals(List.of(), all());
        assertEquals("2025-11-20T11:20:00Z", store.cursor(JiraPoller.CURSOR).orElseThrow(), "the cursor still moves on");
    }

    @Test
    void ourOwnPriorityChangeOrAnyoneElsesChangeInTheWindowIsRead() {
        store.saveCursor(JiraPoller.CURSOR, "2025-11-20T11:02:00Z", NOW); // window from 11:00: the automation's 10505 is in it
        stubCloudSearchCarryingChangelogAndComments(3);
        JiraPoller.Result r = poller(JiraFixtures.cloud(url()).build()).pollOnce();

        assertEquals(1, r.passedOver(), "SUP-13 only: " + r);
        assertTrue(all().stream().anyMatch(e -> e.id().equals("jira:10001:h10505:status")));

        // The integration user's priority change (an escalation's set_priority) is news too.
        pages.clear();
        store.saveCursor(JiraPoller.CURSOR, "2025-11-20T11:12:00Z", NOW); // window from 11:10: only 10510 in it
        String withPriority = text("cloud/changelog_SUP-12_page2.json").replace("\"fieldId\": \"customfield_10100\"",
                "\"fieldId\": \"priority\"").replace("\"field\": \"SLA status\"", "\"field\": \"priority\"")
                .replace("\"fromString\": \"On track\"", "\"fromString\": \"High\"").replace("\"toString\": \"At risk\"", "\"toString\": \"Highest\"");
        assertTrue(withPriority.contains("\"field\": \"priority\""));
        com.fasterxml.jackson.databind.node.ObjectNode page1 = (com.fasterxml.jackson.databind.node.ObjectNode) json("cloud/search_page1.json");
        com.fasterxml.jackson.databind.node.ObjectNode sup12 = (com.fasterxml.jackson.databind.node.ObjectNode) page1.path("issues").get(0);
        com.fasterxml.jackson.databind.node.ObjectNode changelog = sup12.putObject("changelog").put("startAt", 0).put("maxResults", 2).put("total", 2);
        try {
            changelog.putArray("histories").addAll((com.fasterxml.jackson.databind.node.ArrayNode) JiraFixtures.JSON.readTree(withPriority).path("values"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) sup12.path("fields")).putObject("comment").put("total", 0).putArray("comments");
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/search/jql")).withRequestBody(matchingJsonPath("$[?(!@.nextPageToken)]"))
                .willReturn(okJson(page1.toString())));
        JiraPoller.Result again = poller(JiraFixtures.cloud(url()).build()).pollOnce();
        assertEquals(1, again.passedOver(), "SUP-13 only: " + again);
        assertTrue(all().stream().anyMatch(e -> e.id().equals("jira:10001:h10510:priority")), all().toString());
    }

    @Test
    void webhookAndPollDescribeTheSameChangesWithTheSameEvents() {
        stubCloud();
        poller(JiraFixtures.cloud(url()).build()).pollOnce();
        Set<TicketEvent> polled = all().stream().filter(e -> e.ticket().equals("jira:SUP-12")).collect(Collectors.toSet());

        JiraConfig config = JiraFixtures.cloud(url()).build();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        RestJiraDirectory directory = new RestJiraDirectory(JiraHttp.create(camel, config, clock), clock);
        JiraEvents events = new JiraEvents(config, directory);
        Set<TicketEvent> delivered = new HashSet<>();
        for (String hook : List.of("issue_created", "comment_created_agent_public", "comment_created_agent_internal",
                "issue_updated_status", "comment_created_customer", "issue_updated_automation",
                "issue_updated_sla_fields_by_us")) {
            delivered.addAll(events.fromWebhook(json("cloud/" + hook + ".json")).events());
        }
        assertEquals(polled, delivered);
    }

    @Test
    void nextPollStartsFromTheCursorMinusTheOverlapAndRereadsHarmlessly() {
        stubCloud();
        JiraPoller poller = poller(JiraFixtures.cloud(url()).pollOverlap(Duration.ofMinutes(2)).build());
        poller.pollOnce();
        poller.pollOnce();
        // 11:20 UTC is 12:20 in Berlin; two minutes of overlap.
        jira.verify(postRequestedFor(urlPathEqualTo("/rest/api/3/search/jql")).withRequestBody(
                matchingJsonPath("$.jql", equalTo("project in (\"SUP\") AND updated >= \"2025/11/20 12:18\" ORDER BY updated ASC"))));
        List<TicketEvent> events = all();
        assertEquals(2 * 7, events.size(), "the overlap re-reads the same events, which the runtime ignores by id");
    }

    @Test
    void dataCenterPollPagesWithStartAtReadsTheChangelogFromTheSearchAndUsesThePat() {
        jira.stubFor(get(urlPathEqualTo("/rest/api/2/myself")).willReturn(okJson(text("dc/myself.json"))));
        jira.stubFor(get(urlPathEqualTo("/rest/api/2/search")).withQueryParam("startAt", equalTo("0"))
                .willReturn(okJson(text("dc/search_page1.json"))));
        jira.stubFor(get(urlPathEqualTo("/rest/api/2/search")).withQueryParam("startAt", equalTo("1"))
                .willReturn(okJson(text("dc/search_page2.json"))));
        jira.stubFor(get(urlPathEqualTo("/rest/api/2/issue/OPS-7/comment")).willReturn(okJson(text("dc/comments_OPS-7.json"))));
        jira.stubFor(get(urlPathEqualTo("/rest/api/2/issue/OPS-8/comment")).willReturn(okJson(text("cloud/comments_empty.json"))));

        JiraPoller.Result r = poller(JiraFixtures.dataCenter(url()).build()).pollOnce();
        assertEquals(2, r.pages());
        jira.verify(getRequestedFor(urlPathEqualTo("/rest/api/2/search")).withQueryParam("expand", equalTo("changelog"))
                .withQueryParam("jql", equalTo("project in (\"OPS\") AND updated >= \"2025/11/19 06:58\" ORDER BY updated ASC"))
                .withHeader("Authorization", equalTo("Bearer dc-pat-456")));
        jira.verify(0, getRequestedFor(urlPathEqualTo("/rest/api/2/issue/OPS-7/changelog")));
        List<TicketEvent> events = all();
        TicketEvent created = events.stream().filter(e -> e.id().equals("jira:20001:created")).findFirst().orElseThrow();
        assertEquals(TicketStatus.OPEN, created.status(), "created Open, moved to In Progress later");
        assertEquals(Priority.LOW, created.priority(), "created Minor, raised to Major later");
        assertEquals(Instant.parse("2025-11-20T19:00:00Z"), created.at());
        assertEquals(EventType.AGENT_REPLY, byId(events, "jira:20001:c40001").type(), "acme.example is the agents' domain");
        assertEquals(EventType.CUSTOMER_MESSAGE, byId(events, "jira:20001:c40002").type());
        assertEquals(EventType.INTERNAL_NOTE, byId(events, "jira:20001:c40003").type(), "a role-restricted comment");
        assertEquals(TicketStatus.IN_PROGRESS, byId(events, "jira:20001:h30001:status").status());
        assertEquals(Priority.HIGH, byId(events, "jira:20001:h30001:priority").priority());
        assertEquals(Priority.LOW, byId(events, "jira:20002:created").priority(), "Trivial");
    }

    private static TicketEvent byId(List<TicketEvent> events, String id) {
        return events.stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError(id));
    }

    @Test
    void rateLimitedSearchSaysHowLongToWaitAndKeepsTheCursor() {
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(okJson(text("cloud/myself.json"))));
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/search/jql")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "30").withBody("{\"errorMessages\":[\"Rate limit exceeded\"]}")));
        JiraRequestException e = assertThrows(JiraRequestException.class, () -> poller(JiraFixtures.cloud(url()).build()).pollOnce());
        assertTrue(e.transientFailure());
        assertEquals(Duration.ofSeconds(30), e.retryAfter());
        assertTrue(store.cursor(JiraPoller.CURSOR).isEmpty());
        assertTrue(pages.isEmpty());
    }

    @Test
    void serverErrorAndResetAndMalformedBodyFailThePollWithoutLosingThePage() {
        stubCloud();
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-13/comment")).willReturn(aResponse().withStatus(502)));
        JiraPoller poller = poller(JiraFixtures.cloud(url()).build());
        JiraRequestException e = assertThrows(JiraRequestException.class, poller::pollOnce);
        assertEquals(502, e.status());
        assertEquals("2025-11-20T11:10:00Z", store.cursor(JiraPoller.CURSOR).orElseThrow(),
                "page 1 was delivered; page 2 will be read again");

        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-13/comment")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThrows(JiraUnavailableException.class, poller::pollOnce);
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-13/comment")).willReturn(okJson("{\"comments\": [")));
        assertThrows(JiraUnavailableException.class, poller::pollOnce);

        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-13/comment")).willReturn(okJson(text("cloud/comments_empty.json"))));
        poller.pollOnce();
        assertTrue(all().stream().anyMatch(ev -> ev.id().equals("jira:10002:created")));
        assertEquals("2025-11-20T11:20:00Z", store.cursor(JiraPoller.CURSOR).orElseThrow());
    }

    @Test
    void anIssueThatCannotBeReadIsSkippedAndTheRestIsNot() {
        stubCloud();
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/search/jql")).withRequestBody(matchingJsonPath("$[?(!@.nextPageToken)]"))
                .willReturn(okJson(text("cloud/search_page1.json").replace("2025-11-20T09:15:02.000+0000", "not a time"))));
        JiraPoller.Result r = poller(JiraFixtures.cloud(url()).build()).pollOnce();
        assertEquals(1, r.skippedIssues());
        assertTrue(all().stream().anyMatch(ev -> ev.id().equals("jira:10002:created")));
    }

    @Test
    void timeoutIsUnavailable() {
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(okJson(text("cloud/myself.json")).withFixedDelay(1_500)));
        JiraConfig config = JiraFixtures.cloud(url()).responseTimeout(Duration.ofMillis(300)).build();
        assertThrows(JiraUnavailableException.class, () -> poller(config).pollOnce());
    }
}
