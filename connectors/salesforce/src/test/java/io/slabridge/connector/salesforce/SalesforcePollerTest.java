package io.slabridge.connector.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.slabridge.connector.salesforce.SalesforceFixtures.DATA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.store.SlaStore;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The poller against a WireMock Salesforce: the three SOQL streams with their pages, every mapping (status,
 * IsStopped, priority, Origin, tier and account, agents and customers), our own writes left out, cursors.
 */
class SalesforcePollerTest {
    private static final Instant NOW = Instant.parse("2025-11-20T12:00:00Z");
    private static final String CASE_1 = "500000000000001AAA";
    private static final String CASE_2 = "500000000000002AAA";

    private WireMockServer sf;
    private DefaultCamelContext camel;
    private SlaStore store;
    private final List<List<TicketEvent>> pages = new ArrayList<>();
    private Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @BeforeEach
    void start() {
        sf = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        sf.start();
        SalesforceFixtures.stubLogin(sf, "token-1");
        camel = new DefaultCamelContext();
        camel.start();
        store = JdbcSlaStore.open(StoreSettings.inMemory("sf-poller-" + UUID.randomUUID()));
    }

    @AfterEach
    void stop() {
        store.close();
        camel.stop();
        sf.stop();
    }

    private SalesforceConfig config() {
        return SalesforceFixtures.config(sf).tierField("Account.Tier__c").accountField("Account.Name")
                .status("Pending-Vendor", TicketStatus.ON_HOLD).autoReplyAddresses(List.of("noreply@acme.example"))
                .build();
    }

    private SalesforcePoller poller(SalesforceConfig config) {
        SalesforceApi api = SalesforceApi.create(camel, config);
        return new SalesforcePoller(api, new SalesforceEvents(config, api::integrationUser), store, pages::add, clock);
    }

    private Map<String, TicketEvent> events() {
        Map<String, TicketEvent> byId = new LinkedHashMap<>();
        pages.forEach(p -> p.forEach(e -> byId.put(e.id(), e)));
        return byId;
    }

    private void stubQuery(String from, String body) {
        sf.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing(from)).willReturn(okJson(body)));
    }

    private static final String CASE_PAGE_1 = """
            {"totalSize":2,"done":false,"nextRecordsUrl":"/services/data/v62.0/query/01gCASES-1",
             "records":[{"attributes":{"type":"Case"},"Id":"500000000000001AAA","CaseNumber":"00001001",
               "Subject":"Checkout returns 500","Status":"Escalated","Priority":"Critical","Origin":"Email",
               "IsStopped":false,"StopStartDate":null,"CreatedDate":"2025-11-20T09:00:00.000+0000",
               "CreatedBy":{"Name":"Web-to-Case"},"SystemModstamp":"2025-11-20T11:00:00.000+0000",
               "Account":{"Tier__c":"Gold","Name":"Acme"},
               "Histories":{"totalSize":3,"done":true,"records":[
                 {"Id":"017000000000001AAA","Field":"Status","OldValue":"New","NewValue":"Working",
                  "CreatedDate":"2025-11-20T09:10:00.000+0000","CreatedById":"005000000000002AAA","CreatedBy":{"Name":"Mia Agent"}},
                 {"Id":"017000000000002AAA","Field":"Priority","OldValue":"High","NewValue":"Critical",
                  "CreatedDate":"2025-11-20T09:20:00.000+0000","CreatedById":"005000000000001AAA","CreatedBy":{"Name":"SLA Bridge"}},
                 {"Id":"017000000000003AAA","Field":"Status","OldValue":"Working","NewValue":"Escalated",
                  "CreatedDate":"2025-11-20T09:30:00.000+0000","CreatedById":"005000000000001AAA","CreatedBy":{"Name":"SLA Bridge"}}]}}]}
            """;

    private static final String CASE_PAGE_2 = """
            {"totalSize":2,"done":true,
             "records":[{"attributes":{"type":"Case"},"Id":"500000000000002AAA","CaseNumber":"00001002",
               "Subject":"Invoice question","Status":"Pending Vendor","Priority":"Medium","Origin":"Web",
               "IsStopped":true,"StopStartDate":"2025-11-20T10:30:00.000+0000",
               "CreatedDate":"2025-11-19T08:00:00.000+0000","SystemModstamp":"2025-11-20T11:30:00.000+0000",
               "Account":null,"Histories":null}]}
            """;

    private static final String COMMENTS = """
            {"totalSize":4,"done":true,"records":[
              {"Id":"00a000000000001AAA","ParentId":"500000000000001AAA","IsPublished":true,
               "CreatedById":"005000000000003AAA","CreatedBy":{"Name":"Carla Customer","UserType":"PowerCustomerSuccess"},
               "CreatedDate":"2025-11-20T09:40:00.000+0000","SystemModstamp":"2025-11-20T09:40:00.000+0000"},
              {"Id":"00a000000000002AAA","ParentId":"500000000000001AAA","IsPublished":true,
               "CreatedById":"005000000000002AAA","CreatedBy":{"Name":"Mia Agent","UserType":"Standard"},
               "CreatedDate":"2025-11-20T09:45:00.000+0000","SystemModstamp":"2025-11-20T09:45:00.000+0000"},
              {"Id":"00a000000000003AAA","ParentId":"500000000000001AAA","IsPublished":false,
               "CreatedById":"005000000000002AAA","CreatedBy":{"Name":"Mia Agent","UserType":"Standard"},
               "CreatedDate":"2025-11-20T09:50:00.000+0000","SystemModstamp":"2025-11-20T09:50:00.000+0000"},
              {"Id":"00a000000000004AAA","ParentId":"500000000000001AAA","IsPublished":false,
               "CreatedById":"005000000000001AAA","CreatedBy":{"Name":"SLA Bridge","UserType":"Standard"},
               "CreatedDate":"2025-11-20T10:15:00.000+0000","SystemModstamp":"2025-11-20T10:15:00.000+0000"}]}
            """;

    private static final String EMAILS = """
            {"totalSize":6,"done":true,"records":[
              {"Id":"02s000000000001AAA","ParentId":"500000000000001AAA","Incoming":true,"Status":"0",
               "FromAddress":"carla@customer.example","MessageDate":"2025-11-20T09:55:00.000+0000",
               "CreatedById":"005000000000009AAA","CreatedDate":"2025-11-20T09:55:01.000+0000","SystemModstamp":"2025-11-20T09:55:01.000+0000"},
              {"Id":"02s000000000002AAA","ParentId":"500000000000001AAA","Incoming":false,"Status":"3",
               "FromAddress":"support@acme.example","MessageDate":"2025-11-20T10:05:00.000+0000",
               "CreatedById":"005000000000002AAA","CreatedDate":"2025-11-20T10:05:00.000+0000","SystemModstamp":"2025-11-20T10:05:00.000+0000"},
              {"Id":"02s000000000003AAA","ParentId":"500000000000001AAA","Incoming":false,"Status":"3",
               "FromAddress":"support@acme.example","MessageDate":"2025-11-20T10:06:00.000+0000",
               "CreatedById":"005000000000001AAA","CreatedDate":"2025-11-20T10:06:00.000+0000","SystemModstamp":"2025-11-20T10:06:00.000+0000"},
              {"Id":"02s000000000004AAA","ParentId":"500000000000001AAA","Incoming":false,"Status":"5",
               "FromAddress":"support@acme.example","MessageDate":null,
               "CreatedById":"005000000000002AAA","CreatedDate":"2025-11-20T10:07:00.000+0000","SystemModstamp":"2025-11-20T10:07:00.000+0000"},
              {"Id":"02s000000000005AAA","ParentId":"500000000000001AAA","Incoming":false,"Status":"3",
               "FromAddress":"NoReply@acme.example","MessageDate":"2025-11-20T09:00:05.000+0000",
               "CreatedById":"005000000000008AAA","CreatedDate":"2025-11-20T09:00:05.000+0000","SystemModstamp":"2025-11-20T09:00:05.000+0000"},
              {"Id":"02s000000000006AAA","ParentId":"001000000000001AAA","Incoming":true,"Status":"0",
               "FromAddress":"x@y.example","MessageDate":"2025-11-20T10:08:00.000+0000",
               "CreatedById":"005000000000009AAA","CreatedDate":"2025-11-20T10:08:00.000+0000","SystemModstamp":"2025-11-20T10:08:00.000+0000"}]}
            """;

    private void stubAll() {
        stubQuery("FROM Case ", CASE_PAGE_1);
        sf.stubFor(get(urlPathEqualTo(DATA + "/query/01gCASES-1")).willReturn(okJson(CASE_PAGE_2)));
        stubQuery("FROM CaseComment ", COMMENTS);
        stubQuery("FROM EmailMessage ", EMAILS);
    }

    @Test
    void everyChangeCommentAndEmailBecomesAnEventAtItsOwnTimeAndOurOwnWritesAreNone() {
        stubAll();

        SalesforcePoller.Result r = poller(config()).pollOnce();

        Map<String, TicketEvent> e = events();
        String c1 = "salesforce:" + CASE_1 + ":";
        // Created with the values it had then, read back through its history.
        TicketEvent created = e.get(c1 + "created");
        assertEquals(EventType.CREATED, created.type());
        assertEquals("salesforce:" + CASE_1, created.ticket());
        assertEquals(Instant.parse("2025-11-20T09:00:00Z"), created.at());
        assertEquals(TicketStatus.OPEN, created.status(), "New");
        assertEquals(Priority.HIGH, created.priority(), "High before our escalation made it Critical");
        assertEquals("email", created.channel());
        assertEquals("Gold", created.tier());
        assertEquals("Acme", created.account());
        assertEquals("00001001: Checkout returns 500", created.title());
        assertEquals("salesforce", created.source());
        // A person's status change; our priority change (an escalation's set_priority) is read, our status change is not.
        assertEquals(TicketStatus.IN_PROGRESS, e.get(c1 + "h017000000000001AAA").status());
        assertEquals(Instant.parse("2025-11-20T09:10:00Z"), e.get(c1 + "h017000000000001AAA").at());
        assertEquals(Priority.URGENT, e.get(c1 + "h017000000000002AAA").priority());
        assertNull(e.get(c1 + "h017000000000003AAA"), "the integration user's status change is no event");
        // Comments: customer (portal user), public agent reply, internal note; ours none.
        assertEquals(EventType.CUSTOMER_MESSAGE, e.get(c1 + "c00a000000000001AAA").type());
        assertEquals(EventType.AGENT_REPLY, e.get(c1 + "c00a000000000002AAA").type());
        assertEquals(EventType.INTERNAL_NOTE, e.get(c1 + "c00a000000000003AAA").type());
        assertNull(e.get(c1 + "c00a000000000004AAA"), "our own comment is no event");
        // E-mails: incoming customer, outgoing agent; ours, drafts, auto-responses and non-Case ones none.
        assertEquals(EventType.CUSTOMER_MESSAGE, e.get(c1 + "e02s000000000001AAA").type());
        assertEquals(Instant.parse("2025-11-20T09:55:00Z"), e.get(c1 + "e02s000000000001AAA").at());
        assertEquals(EventType.AGENT_REPLY, e.get(c1 + "e02s000000000002AAA").type());
        for (String none : List.of("e02s000000000003AAA", "e02s000000000004AAA", "e02s000000000005AAA")) {
            assertNull(e.get(c1 + none), none);
        }
        assertFalse(e.keySet().stream().anyMatch(k -> k.contains("001000000000001AAA")));
        // Case 2, from the second page: an unmapped-by-default status mapped in config, Medium, Web, stopped.
        String c2 = "salesforce:" + CASE_2 + ":";
        assertEquals(TicketStatus.ON_HOLD, e.get(c2 + "created").status(), "Pending Vendor, mapped in config");
        assertEquals(Priority.NORMAL, e.get(c2 + "created").priority());
        assertEquals("web", e.get(c2 + "created").channel());
        TicketEvent stop = e.values().stream().filter(x -> x.id().startsWith(c2 + "stop:")).findFirst().orElseThrow();
        assertEquals(TicketStatus.ON_HOLD, stop.status());
        assertEquals(Instant.parse("2025-11-20T10:30:00Z"), stop.at());
        assertEquals(10, e.size(), e.keySet().toString());
        assertEquals(4, r.pages(), "two Case pages, one of comments, one of e-mails");
        // Each page's events went out on their own, Case pages first.
        assertEquals(4, pages.size());
        assertEquals(Instant.parse("2025-11-20T11:30:00Z"), r.caseCursor());
        assertEquals("2025-11-20T11:30:00Z", store.cursor(SalesforcePoller.CASE_CURSOR).orElseThrow());
        assertEquals("2025-11-20T10:15:00Z", store.cursor(SalesforcePoller.COMMENT_CURSOR).orElseThrow());
        assertEquals("2025-11-20T10:08:00Z", store.cursor(SalesforcePoller.EMAIL_CURSOR).orElseThrow());
    }

    /**
     * A public escalation comment has no marker (the customer reads it): ours are known by their author, the
     * integration user, not by their text; an agent's published comment right after it is still a reply.
     */
    @Test
    void aPublicCommentOfOursWithoutAMarkerIsNoAgentReply() {
        stubQuery("FROM Case ", "{\"totalSize\":0,\"done\":true,\"records\":[]}");
        stubQuery("FROM EmailMessage ", "{\"totalSize\":0,\"done\":true,\"records\":[]}");
        stubQuery("FROM CaseComment ", """
                {"totalSize":2,"done":true,"records":[
                  {"Id":"00a000000000005AAA","ParentId":"500000000000001AAA","IsPublished":true,
                   "CreatedById":"005000000000001AAA","CreatedBy":{"Name":"SLA Bridge","UserType":"Standard"},
                   "CreatedDate":"2025-11-20T11:00:00.000+0000","SystemModstamp":"2025-11-20T11:00:00.000+0000"},
                  {"Id":"00a000000000006AAA","ParentId":"500000000000001AAA","IsPublished":true,
                   "CreatedById":"005000000000002AAA","CreatedBy":{"Name":"Mia Agent","UserType":"Standard"},
                   "CreatedDate":"2025-11-20T11:05:00.000+0000","SystemModstamp":"2025-11-20T11:05:00.000+0000"}]}
                """);

        poller(config()).pollOnce();

        Map<String, TicketEvent> e = events();
        assertEquals(List.of("salesforce:" + CASE_1 + ":c00a000000000006AAA"), List.copyOf(e.keySet()));
        assertEquals(EventType.AGENT_REPLY, e.get("salesforce:" + CASE_1 + ":c00a000000000006AAA").type());
    }

    @Test
    void theFirstPollLooksBackADayAndTheNextStartsAtTheCursorLessTheOverlap() {
        stubAll();
        SalesforcePoller poller = poller(config());
        poller.pollOnce();
        sf.verify(getRequestedFor(urlPathEqualTo(DATA + "/query")).withQueryParam("q",
                containing("FROM Case WHERE SystemModstamp >= 2025-11-19T11:58:00Z ORDER BY SystemModstamp ASC, Id ASC")));
        sf.verify(getRequestedFor(urlPathEqualTo(DATA + "/query")).withQueryParam("q",
                containing("(SELECT Id, Field, OldValue, NewValue, CreatedDate, CreatedById, CreatedBy.Name FROM Histories "
                        + "WHERE Field IN ('Status', 'Priority') ORDER BY CreatedDate ASC, Id ASC)")));
        sf.verify(getRequestedFor(urlPathEqualTo(DATA + "/query")).withHeader("Sforce-Query-Options",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo("batchSize=200")));

        sf.resetRequests();
        pages.clear();
        poller.pollOnce();
        sf.verify(getRequestedFor(urlPathEqualTo(DATA + "/query")).withQueryParam("q",
                containing("FROM Case WHERE SystemModstamp >= 2025-11-20T11:28:00Z")));
        sf.verify(getRequestedFor(urlPathEqualTo(DATA + "/query")).withQueryParam("q",
                containing("FROM CaseComment WHERE SystemModstamp >= 2025-11-20T10:13:00Z")));
        // Read again: the same event ids, duplicates the store ignores; and, Case 1 being older than the window
        // now, its tier and account as they are (an attributes_changed that changes nothing).
        Map<String, TicketEvent> again = events();
        assertEquals(11, again.size(), again.keySet().toString());
        assertEquals("Gold", again.get("salesforce:" + CASE_1 + ":attrs:Gold|Acme").tier());
    }

    @Test
    void aStoppedCaseThatRunsAgainResumesWithItsStatus() {
        stubAll();
        SalesforcePoller poller = poller(config());
        poller.pollOnce();
        assertTrue(store.cursor(SalesforcePoller.STOPPED).orElseThrow().contains(CASE_2));

        pages.clear();
        stubQuery("FROM Case ", CASE_PAGE_2.replace("\"IsStopped\":true", "\"IsStopped\":false")
                .replace("\"StopStartDate\":\"2025-11-20T10:30:00.000+0000\"", "\"StopStartDate\":null")
                .replace("Pending Vendor", "Working").replace("2025-11-20T11:30:00.000+0000", "2025-11-20T11:45:00.000+0000"));
        poller.pollOnce();

        TicketEvent resumed = events().values().stream().filter(x -> x.id().contains(":resume:")).findFirst().orElseThrow();
        assertEquals("salesforce:" + CASE_2, resumed.ticket());
        assertEquals(TicketStatus.IN_PROGRESS, resumed.status());
        assertEquals(Instant.parse("2025-11-20T11:45:00Z"), resumed.at());
        assertFalse(store.cursor(SalesforcePoller.STOPPED).orElseThrow().contains(CASE_2));
        // A Case created before the window: its tier and account as they are now (none here: no Account).
        assertFalse(events().keySet().stream().anyMatch(k -> k.contains(":attrs:")));
    }

    @Test
    void aTierChangeOnAnOlderCaseIsReadWithTheCasesNextChange() {
        stubQuery("FROM Case ", CASE_PAGE_2.replace("\"Account\":null", "\"Account\":{\"Tier__c\":\"Platinum\",\"Name\":\"Initech\"}")
                .replace("\"IsStopped\":true", "\"IsStopped\":false"));
        stubQuery("FROM CaseComment ", "{\"totalSize\":0,\"done\":true,\"records\":[]}");
        stubQuery("FROM EmailMessage ", "{\"totalSize\":0,\"done\":true,\"records\":[]}");

        poller(config()).pollOnce();

        TicketEvent attrs = events().values().stream().filter(x -> x.type() == EventType.ATTRIBUTES_CHANGED)
                .findFirst().orElseThrow();
        assertEquals("Platinum", attrs.tier());
        assertEquals("Initech", attrs.account());
        assertEquals(Instant.parse("2025-11-20T11:30:00Z"), attrs.at());
    }

    @Test
    void aCaseFilterNarrowsAllThreeStreams() {
        stubAll();
        poller(SalesforceFixtures.config(sf).set(SalesforceSettings.CASE_FILTER, "RecordType.DeveloperName = 'Support'").build()).pollOnce();
        sf.verify(getRequestedFor(urlPathEqualTo(DATA + "/query")).withQueryParam("q",
                containing("AND (RecordType.DeveloperName = 'Support') ORDER BY")));
        sf.verify(getRequestedFor(urlPathEqualTo(DATA + "/query")).withQueryParam("q",
                containing("FROM EmailMessage WHERE SystemModstamp >= 2025-11-19T11:58:00Z AND ParentId != null AND "
                        + "ParentId IN (SELECT Id FROM Case WHERE RecordType.DeveloperName = 'Support')")));
    }

    @Test
    void aFailedPageKeepsTheCursorWhereTheLastGoodPageLeftIt() {
        stubQuery("FROM Case ", CASE_PAGE_1);
        sf.stubFor(get(urlPathEqualTo(DATA + "/query/01gCASES-1")).willReturn(aResponse().withStatus(503)));

        SalesforceCallException e = assertThrows(SalesforceCallException.class, () -> poller(config()).pollOnce());

        assertTrue(e.transientFailure());
        assertEquals(1, pages.size(), "the first page's events went out");
        assertEquals("2025-11-20T11:00:00Z", store.cursor(SalesforcePoller.CASE_CURSOR).orElseThrow());
        assertTrue(store.cursor(SalesforcePoller.COMMENT_CURSOR).isEmpty());
    }

    @Test
    void theRequestLimitIsReportedAsSuch() {
        sf.stubFor(get(urlPathEqualTo(DATA + "/query")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody("[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]")));

        SalesforceCallException e = assertThrows(SalesforceCallException.class, () -> poller(config()).pollOnce());

        assertTrue(e.limitExceeded());
        assertFalse(e.transientFailure());
    }
}
