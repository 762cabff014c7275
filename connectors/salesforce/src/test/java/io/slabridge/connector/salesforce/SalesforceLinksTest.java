package io.slabridge.connector.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.slabridge.connector.salesforce.SalesforceFixtures.DATA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.slabridge.connector.salesforce.SalesforceFixtures.CustomField;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.store.SlaStore;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Case escalated to Jira through a Case field holding the issue key ({@code sla.salesforce.field.linked-jira}),
 * read by the poller against a WireMock Salesforce: set, changed, cleared; the same Case read again says nothing new.
 */
class SalesforceLinksTest {
    private static final Instant NOW = Instant.parse("2025-11-20T12:00:00Z");
    private static final String CASE = "salesforce:500000000000001AAA";
    private static final String EMPTY = "{\"totalSize\":0,\"done\":true,\"records\":[]}";

    private WireMockServer sf;
    private DefaultCamelContext camel;
    private SlaStore store;
    private final List<TicketEvent> events = new ArrayList<>();

    @BeforeEach
    void start() {
        sf = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        sf.start();
        SalesforceFixtures.stubLogin(sf, "token-1");
        List<CustomField> fields = new ArrayList<>(SalesforceFixtures.SLA_FIELDS);
        fields.add(new CustomField("Jira_Issue__c", "string", true));
        sf.stubFor(get(urlPathEqualTo(DATA + "/sobjects/Case/describe")).willReturn(okJson(
                SalesforceFixtures.caseDescribe(true, fields).toString())));
        sf.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("FROM CaseComment "))
                .willReturn(okJson(EMPTY)));
        sf.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("FROM EmailMessage "))
                .willReturn(okJson(EMPTY)));
        camel = new DefaultCamelContext();
        camel.start();
        store = JdbcSlaStore.open(StoreSettings.inMemory("sf-links-" + UUID.randomUUID()));
    }

    @AfterEach
    void stop() {
        store.close();
        camel.stop();
        sf.stop();
    }

    private SalesforcePoller poller() {
        SalesforceConfig config = SalesforceFixtures.config(sf).linkedJiraField("Jira_Issue__c").build();
        SalesforceApi api = SalesforceApi.create(camel, config);
        return new SalesforcePoller(api, new SalesforceEvents(config, api::integrationUser), store, events::addAll,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** The Case as the Case stream's SOQL answers it, with the link field's value (null: empty) as of {@code modstamp}. */
    private void caseWith(String jiraIssue, String modstamp) {
        String value = jiraIssue == null ? "null" : "\"" + jiraIssue + "\"";
        sf.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("FROM Case ")).willReturn(okJson("""
                {"totalSize":1,"done":true,
                 "records":[{"attributes":{"type":"Case","url":"/services/data/v62.0/sobjects/Case/500000000000001AAA"},
                   "Id":"500000000000001AAA","CaseNumber":"00001001","Subject":"Checkout returns 500","Status":"Escalated",
                   "Priority":"High","Origin":"Email","IsStopped":false,"StopStartDate":null,
                   "CreatedDate":"2025-11-20T09:00:00.000+0000","CreatedBy":{"Name":"Web-to-Case"},
                   "SystemModstamp":"%s","Jira_Issue__c":%s,"Histories":null}]}
                """.formatted(modstamp, value))));
    }

    private List<String> linkEvents() {
        return events.stream().filter(e -> e.type().namesOther())
                .map(e -> e.type().wireName() + " " + e.other() + " " + e.at() + " " + e.id()).toList();
    }

    @Test
    void aKeySetChangedAndClearedIsLinkedRelinkedAndUnlinked() {
        SalesforcePoller poller = poller();
        caseWith("ENG-42", "2025-11-20T10:00:00.000+0000");
        poller.pollOnce();
        assertEquals(List.of("linked jira:ENG-42 2025-11-20T10:00:00Z " + CASE + ":link:jira:ENG-42:2025-11-20T10:00:00Z"),
                linkEvents());
        sf.verify(getRequestedFor(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing(", Jira_Issue__c, (SELECT")));

        events.clear();
        caseWith("https://acme.atlassian.net/browse/plat-7", "2025-11-20T10:30:00.000+0000");
        poller.pollOnce();
        assertEquals(List.of(
                "unlinked jira:ENG-42 2025-11-20T10:30:00Z " + CASE + ":unlink:jira:ENG-42:2025-11-20T10:30:00Z",
                "linked jira:PLAT-7 2025-11-20T10:30:00Z " + CASE + ":link:jira:PLAT-7:2025-11-20T10:30:00Z"), linkEvents(),
                "a changed key ends the old link and makes the new one; a /browse/ URL is read as its key");

        events.clear();
        caseWith(null, "2025-11-20T11:00:00.000+0000");
        poller.pollOnce();
        assertEquals(List.of("unlinked jira:PLAT-7 2025-11-20T11:00:00Z " + CASE + ":unlink:jira:PLAT-7:2025-11-20T11:00:00Z"),
                linkEvents());
    }

    @Test
    void theSameCaseReadAgainSaysNothingNew() {
        SalesforcePoller poller = poller();
        caseWith("ENG-42", "2025-11-20T10:00:00.000+0000");
        poller.pollOnce();
        events.clear();

        poller.pollOnce(); // the poll's overlap reads the Case again
        caseWith("ENG-42", "2025-11-20T10:45:00.000+0000");
        poller.pollOnce(); // another field of the Case changed

        assertEquals(List.of(), linkEvents());
        assertTrue(events.stream().anyMatch(e -> e.type() == EventType.CREATED), "the Case itself was read again");
    }

    @Test
    void aLinkFieldTheOrgLacksStopsTheStartNamingItsProperty() {
        sf.stubFor(get(urlPathEqualTo(DATA + "/sobjects/Case/describe")).willReturn(okJson(
                SalesforceFixtures.caseDescribe(true, SalesforceFixtures.SLA_FIELDS).toString())));
        SalesforceConfig config = SalesforceFixtures.config(sf).linkedJiraField("Jira_Issue__c").build();
        SalesforceRoutes routes = new SalesforceRoutes(config, store, "direct:ingest", Clock.fixed(NOW, ZoneOffset.UTC))
                .withoutPollTimer();
        DefaultCamelContext fresh = new DefaultCamelContext();
        try {
            Exception e = assertThrows(Exception.class, () -> {
                fresh.addRoutes(routes);
                fresh.start();
            });
            StringBuilder message = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                message.append(t.getMessage()).append('\n');
            }
            assertTrue(message.toString().contains("sla.salesforce.field.linked-jira: Case has no field 'Jira_Issue__c'"),
                    message.toString());
        } finally {
            fresh.stop();
        }
    }

    /** {@code SELECT Id FROM Case WHERE CaseNumber = ...} as the REST query endpoint answers it. */
    private void caseNumbered(String soqlLiteral, String id) {
        String records = id == null ? "" : """
                {"attributes":{"type":"Case","url":"/services/data/v62.0/sobjects/Case/%s"},"Id":"%s"}""".formatted(id, id);
        sf.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", com.github.tomakehurst.wiremock.client
                .WireMock.equalTo("SELECT Id FROM Case WHERE CaseNumber = " + soqlLiteral + " LIMIT 1"))
                .willReturn(okJson("{\"totalSize\":%d,\"done\":true,\"records\":[%s]}"
                        .formatted(id == null ? 0 : 1, records))));
    }

    private int numberQueries() {
        return sf.findAll(getRequestedFor(urlPathEqualTo(DATA + "/query"))
                .withQueryParam("q", containing("WHERE CaseNumber ="))).size();
    }

    @Test
    void caseNumbersAreFoundOnceAndThoseNotFoundAreAskedAgain() {
        SalesforceConfig config = SalesforceFixtures.config(sf).build();
        CaseNumbers numbers = new CaseNumbers(SalesforceApi.create(camel, config));
        caseNumbered("'00001026'", "500000000000001AAA");
        caseNumbered("'00009999'", null);

        assertEquals(java.util.Optional.of(CASE), numbers.ticket("00001026"));
        assertEquals(java.util.Optional.of(CASE), numbers.ticket("00001026"));
        assertEquals(1, numberQueries(), "a Case's number never changes: asked once");

        assertEquals(java.util.Optional.empty(), numbers.ticket("00009999"));
        assertEquals(java.util.Optional.empty(), numbers.ticket("00009999"));
        assertEquals(3, numberQueries(), "a number not found is asked again: the Case may have been made since");

        caseNumbered("'x\\' OR CaseNumber != \\''", null);
        assertEquals(java.util.Optional.empty(), numbers.ticket("x' OR CaseNumber != '"),
                "quotes are escaped: the number cannot change the query");

        sf.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("'00001027'"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(503)
                        .withBody("Service Unavailable")));
        io.slabridge.connector.api.TicketNumbers.Unavailable down = assertThrows(
                io.slabridge.connector.api.TicketNumbers.Unavailable.class, () -> numbers.ticket("00001027"));
        assertTrue(down.getMessage().contains("00001027"), down.getMessage());
    }
}
