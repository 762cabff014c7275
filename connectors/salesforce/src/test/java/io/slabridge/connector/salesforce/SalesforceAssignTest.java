package io.slabridge.connector.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.slabridge.connector.salesforce.SalesforceFixtures.DATA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.SummaryState;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code assign} escalation action against a WireMock Salesforce answering as the REST reference shows: SOQL
 * {@code /query} results ({@code totalSize}, {@code done}, {@code records} with {@code attributes}), the owner set
 * with the batch's {@code PATCH /composite/sobjects}, whose per-record errors carry {@code statusCode},
 * {@code message} and {@code fields}.
 */
class SalesforceAssignTest {
    private static final String CASE_A = "500000000000001AAA";
    private static final String CASE_B = "500000000000002AAA";
    private static final String MIA = "005000000000009AAA";
    private static final String TIER2 = "00G000000000007AAA";
    private static final Instant CREATED = Instant.parse("2025-11-20T10:00:00Z");

    private WireMockServer sf;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() {
        sf = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        sf.start();
        SalesforceFixtures.stubDescribe(sf, true);
        SalesforceFixtures.stubLogin(sf, "token-1");
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        sf.stop();
    }

    private SalesforceWriter writer() {
        return new SalesforceWriter(SalesforceApi.create(camel, SalesforceFixtures.config(sf).build()));
    }

    private static OutboxCommand assign(long id, String caseId, String to, int attempts) {
        return new OutboxCommand(id, "salesforce:" + caseId, "salesforce", new WriteBack.Assign(to),
                "salesforce:" + caseId + "/first_response/1/late/" + id, CREATED, attempts);
    }

    private static String page(String... records) {
        return "{\"totalSize\":" + records.length + ",\"done\":true,\"records\":[" + String.join(",", records) + "]}";
    }

    private static String user(String id, String name, String username) {
        return "{\"attributes\":{\"type\":\"User\",\"url\":\"" + DATA + "/sobjects/User/" + id + "\"},\"Id\":\"" + id
                + "\",\"Name\":\"" + name + "\",\"Username\":\"" + username + "\"}";
    }

    private static String queue(String id, String name, String developerName) {
        return "{\"attributes\":{\"type\":\"Group\",\"url\":\"" + DATA + "/sobjects/Group/" + id + "\"},\"Id\":\"" + id
                + "\",\"Name\":\"" + name + "\",\"DeveloperName\":\"" + developerName + "\"}";
    }

    private void usersAre(String... records) {
        sf.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("FROM User"))
                .willReturn(okJson(page(records))));
    }

    private void queuesAre(String... records) {
        sf.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("FROM Group"))
                .willReturn(okJson(page(records))));
    }

    private int queries(String fragment) {
        return sf.countRequestsMatching(getRequestedFor(urlPathEqualTo(DATA + "/query"))
                .withQueryParam("q", containing(fragment)).build()).getCount();
    }

    @Test
    void aUserFoundByAddressBecomesTheOwnerInTheBatchsOneUpdateAndIsAskedForOnce() {
        usersAre(user(MIA, "Mia Krystof", "mia@acme.example.prod"));
        queuesAre();
        sf.stubFor(patch(urlPathEqualTo(DATA + "/composite/sobjects")).willReturn(okJson("""
                [{"id":"500000000000001AAA","success":true,"errors":[]},
                 {"id":"500000000000002AAA","success":true,"errors":[]}]""")));
        SalesforceWriter writer = writer();

        List<WriteResult> results = writer.writeAll(List.of(assign(1, CASE_A, "lead@acme.example", 0),
                new OutboxCommand(2, "salesforce:" + CASE_B, "salesforce", new WriteBack.SlaFields(SummaryState.BREACHED,
                        null, Map.of(Metric.FIRST_RESPONSE, CREATED)), "k2", CREATED, 0)));
        assertEquals(List.of(WriteResult.done(), WriteResult.done()), results);
        sf.verify(1, patchRequestedFor(urlPathEqualTo(DATA + "/composite/sobjects")).withRequestBody(equalToJson("""
                {"allOrNone":false,"records":[
                  {"attributes":{"type":"Case"},"id":"500000000000001AAA","OwnerId":"005000000000009AAA"},
                  {"attributes":{"type":"Case"},"id":"500000000000002AAA","SLA_Status__c":"Breached",
                   "SLA_Next_Due__c":null}]}""", true, true)));
        assertEquals(1, queries("WHERE IsActive = true AND (Email = 'lead@acme.example' OR Username = "
                + "'lead@acme.example' OR Name = 'lead@acme.example')"));

        writer.writeAll(List.of(assign(3, CASE_B, "lead@acme.example", 0)));
        assertEquals(1, queries("FROM User"), "the owner is remembered");
    }

    @Test
    void aQueueFoundByNameBecomesTheOwner() {
        usersAre();
        queuesAre(queue(TIER2, "Tier 2", "Tier_2"));
        sf.stubFor(patch(urlPathEqualTo(DATA + "/composite/sobjects")).willReturn(okJson(
                "[{\"id\":\"500000000000001AAA\",\"success\":true,\"errors\":[]}]")));

        assertEquals(List.of(WriteResult.done()), writer().writeAll(List.of(assign(1, CASE_A, "Tier_2", 0))));
        sf.verify(patchRequestedFor(urlPathEqualTo(DATA + "/composite/sobjects")).withRequestBody(equalToJson(
                "{\"allOrNone\":false,\"records\":[{\"attributes\":{\"type\":\"Case\"},\"id\":\"" + CASE_A
                        + "\",\"OwnerId\":\"" + TIER2 + "\"}]}")));
        assertEquals(1, queries("FROM Group WHERE Type = 'Queue' AND (Name = 'Tier_2' OR DeveloperName = 'Tier_2'"));
    }

    @Test
    void noOwnerOrSeveralParkTheCommandAndUpdateNothing() {
        usersAre(user(MIA, "Mia Krystof", "mia@acme.example.prod"), user("005000000000008AAA", "Mia Krystof",
                "mia@acme.example.sandbox"));
        queuesAre();

        WriteResult several = writer().writeAll(List.of(assign(1, CASE_A, "mia@acme.example", 0))).get(0);
        String reason = assertInstanceOf(WriteResult.Failed.class, several).reason();
        assertTrue(reason.contains("assign salesforce:" + CASE_A + " to mia@acme.example: 2 owners match: user Mia "
                + "Krystof (mia@acme.example.prod, " + MIA + "), user Mia Krystof (mia@acme.example.sandbox"), reason);

        usersAre();
        WriteResult none = writer().writeAll(List.of(assign(2, CASE_A, "nobody@acme.example", 0))).get(0);
        assertTrue(assertInstanceOf(WriteResult.Failed.class, none).reason().contains("no active Salesforce user has "
                + "that e-mail address, user name or name, and no queue"));
        assertEquals(0, sf.countRequestsMatching(patchRequestedFor(urlPathEqualTo(DATA + "/composite/sobjects")).build())
                .getCount());
    }

    @Test
    void anOwnerSalesforceRefusesIsParkedWithItsWordsAndLookedUpAgainNextTime() {
        usersAre(user(MIA, "Mia Krystof", "mia@acme.example.prod"));
        queuesAre();
        sf.stubFor(patch(urlPathEqualTo(DATA + "/composite/sobjects")).willReturn(okJson("""
                [{"success":false,"errors":[{"statusCode":"INVALID_CROSS_REFERENCE_KEY",
                  "message":"invalid cross reference id","fields":["OwnerId"]}]}]""")));
        SalesforceWriter writer = writer();

        String reason = assertInstanceOf(WriteResult.Failed.class,
                writer.writeAll(List.of(assign(1, CASE_A, "lead@acme.example", 0))).get(0)).reason();
        assertTrue(reason.contains("INVALID_CROSS_REFERENCE_KEY: invalid cross reference id [\"OwnerId\"]"), reason);

        writer.writeAll(List.of(assign(1, CASE_A, "lead@acme.example", 0)));
        assertEquals(2, queries("FROM User"));
    }

    @Test
    void aRetryFindsTheCaseAlreadyTheirsAndLeavesIt() {
        usersAre(user(MIA, "Mia Krystof", "mia@acme.example.prod"));
        queuesAre();
        sf.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("FROM Case WHERE Id IN"))
                .willReturn(okJson(page("{\"attributes\":{\"type\":\"Case\"},\"Id\":\"" + CASE_A
                        + "\",\"OwnerId\":\"005000000000009\"}", "{\"attributes\":{\"type\":\"Case\"},\"Id\":\""
                        + CASE_B + "\",\"OwnerId\":\"005000000000001AAA\"}"))));
        sf.stubFor(patch(urlPathEqualTo(DATA + "/composite/sobjects")).willReturn(okJson(
                "[{\"id\":\"500000000000002AAA\",\"success\":true,\"errors\":[]}]")));

        List<WriteResult> results = writer().writeAll(List.of(assign(1, CASE_A, "lead@acme.example", 2),
                assign(2, CASE_B, "lead@acme.example", 1)));

        assertEquals(List.of(WriteResult.done(), WriteResult.done()), results);
        assertEquals(1, queries("SELECT Id, OwnerId FROM Case WHERE Id IN ('" + CASE_A + "', '" + CASE_B + "')"));
        sf.verify(1, patchRequestedFor(urlPathEqualTo(DATA + "/composite/sobjects")).withRequestBody(equalToJson(
                "{\"allOrNone\":false,\"records\":[{\"attributes\":{\"type\":\"Case\"},\"id\":\"" + CASE_B
                        + "\",\"OwnerId\":\"" + MIA + "\"}]}")));
    }

    @Test
    void theOrgsLimitDuringALookUpHoldsBackTheWholeBatch() {
        sf.stubFor(get(urlPathEqualTo(DATA + "/query")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody("[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]")));

        List<WriteResult> results = writer().writeAll(List.of(assign(1, CASE_A, "lead@acme.example", 0),
                new OutboxCommand(2, "salesforce:" + CASE_B, "salesforce", new WriteBack.SlaFields(SummaryState.AT_RISK,
                        null, Map.of()), "k2", CREATED, 0)));

        results.forEach(r -> assertTrue(assertInstanceOf(WriteResult.RetryAfter.class, r).reason()
                .contains("REQUEST_LIMIT_EXCEEDED")));
        assertEquals(0, sf.countRequestsMatching(patchRequestedFor(urlPathEqualTo(DATA + "/composite/sobjects")).build())
                .getCount());
    }

    @Test
    void aNameCannotChangeTheQuery() {
        assertEquals("'O\\'Brien \\\\ x'", SalesforceWriter.soqlString("O'Brien \\ x"));
    }
}
