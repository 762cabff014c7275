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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.slabridge.connector.salesforce.SalesforceFixtures.CustomField;
import io.slabridge.core.model.Metric;
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
 * The org's Case fields, read from {@code sobjects/Case/describe}: the poller asks only for fields the org has, and
 * a configured field the org lacks (or cannot write) stops the start, naming its property.
 */
class SalesforceCaseFieldsTest {
    private static final Instant NOW = Instant.parse("2025-11-20T12:00:00Z");
    private static final String EMPTY = "{\"totalSize\":0,\"done\":true,\"records\":[]}";

    private WireMockServer sf;
    private DefaultCamelContext camel;
    private SlaStore store;
    private final List<List<TicketEvent>> pages = new ArrayList<>();

    @BeforeEach
    void start() {
        sf = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        sf.start();
        SalesforceFixtures.stubLogin(sf, "token-1");
        camel = new DefaultCamelContext();
        camel.start();
        store = JdbcSlaStore.open(StoreSettings.inMemory("sf-fields-" + UUID.randomUUID()));
    }

    @AfterEach
    void stop() {
        store.close();
        camel.stop();
        sf.stop();
    }

    /** An org: its describe, and SOQL refused with INVALID_FIELD, as Salesforce does, when it names a field it lacks. */
    private void org(boolean entitlementManagement, List<CustomField> custom) {
        sf.stubFor(get(urlPathEqualTo(DATA + "/sobjects/Case/describe")).willReturn(okJson(
                SalesforceFixtures.caseDescribe(entitlementManagement, custom).toString())));
        sf.stubFor(get(urlPathEqualTo(DATA + "/query")).willReturn(okJson(EMPTY)));
        if (!entitlementManagement) {
            sf.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("IsStopped")).atPriority(1)
                    .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody("""
                            [{"message":"\\nSubject, Status, Priority, Origin, IsStopped, StopStartDate\\n                                  ^\\nERROR at Row:1:Column:51\\nNo such column 'IsStopped' on entity 'Case'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.","errorCode":"INVALID_FIELD"}]""")));
        }
    }

    private SalesforcePoller poller(SalesforceConfig config) {
        SalesforceApi api = SalesforceApi.create(camel, config);
        return new SalesforcePoller(api, new SalesforceEvents(config, api::integrationUser), store, pages::add,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void anOrgWithoutEntitlementManagementIsPolledWithoutTheStopFields() {
        org(false, SalesforceFixtures.SLA_FIELDS);

        SalesforcePoller.Result r = poller(SalesforceFixtures.config(sf).build()).pollOnce();

        assertEquals(3, r.pages(), "the three streams were read");
        sf.verify(getRequestedFor(urlPathEqualTo(DATA + "/query")).withQueryParam("q",
                containing("SELECT Id, CaseNumber, Subject, Status, Priority, Origin, CreatedDate, CreatedBy.Name,")));
        sf.verify(1, getRequestedFor(urlPathEqualTo(DATA + "/sobjects/Case/describe")));
        poller(SalesforceFixtures.config(sf).build()).pollOnce();
    }

    @Test
    void anOrgWithEntitlementManagementIsPolledWithThem() {
        org(true, SalesforceFixtures.SLA_FIELDS);

        SalesforcePoller poller = poller(SalesforceFixtures.config(sf).build());
        poller.pollOnce();
        poller.pollOnce();

        sf.verify(getRequestedFor(urlPathEqualTo(DATA + "/query")).withQueryParam("q",
                containing("Origin, IsStopped, StopStartDate, CreatedDate")));
        sf.verify(1, getRequestedFor(urlPathEqualTo(DATA + "/sobjects/Case/describe")));
    }

    private Exception startRefused(SalesforceConfig config) {
        SalesforceRoutes routes = new SalesforceRoutes(config, store, "direct:ingest", Clock.fixed(NOW, ZoneOffset.UTC))
                .withoutPollTimer();
        DefaultCamelContext fresh = new DefaultCamelContext();
        try {
            Exception e = assertThrows(Exception.class, () -> {
                fresh.addRoutes(routes);
                fresh.start();
            });
            return e;
        } finally {
            fresh.stop();
        }
    }

    private static String messages(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            out.append(t.getMessage()).append('\n');
        }
        return out.toString();
    }

    @Test
    void aConfiguredFieldTheOrgLacksStopsTheStartNamingItsProperty() {
        org(true, List.of(new CustomField("SLA_Next_Due__c", "datetime", true)));

        String message = messages(startRefused(SalesforceFixtures.config(sf).build()));

        assertTrue(message.contains("sla.salesforce.field.status: Case has no field 'SLA_Status__c'"), message);
    }

    @Test
    void fieldsOfATypeThatCannotHoldWhatIsWrittenStopTheStartNamingTheirProperties() {
        org(true, List.of(new CustomField("SLA_Status__c", "datetime", true), new CustomField("SLA_Next_Due__c", "date", true),
                new CustomField("SLA_Resolution_Due__c", "datetime", false)));

        String message = messages(startRefused(SalesforceFixtures.config(sf)
                .dueField(Metric.RESOLUTION, "SLA_Resolution_Due__c").tierField("Contract__r.Tier__c").build()));

        assertTrue(message.contains("sla.salesforce.field.status: Case.SLA_Status__c is of type datetime"), message);
        assertTrue(message.contains("sla.salesforce.field.next-due: Case.SLA_Next_Due__c is of type date"), message);
        assertTrue(message.contains("sla.salesforce.field.due.resolution: Case.SLA_Resolution_Due__c is not updateable"),
                message);
        assertTrue(message.contains("sla.salesforce.field.tier: Case has no lookup 'Contract__r'"), message);
    }

    @Test
    void linkedEngineeringFieldsAreCheckedLikeTheSlaFields() {
        List<CustomField> fields = new java.util.ArrayList<>(SalesforceFixtures.SLA_FIELDS);
        fields.add(new CustomField("Eng_Status__c", "datetime", true));
        org(true, fields);

        String message = messages(startRefused(SalesforceFixtures.config(sf)
                .set(SalesforceSettings.LINKED_STATUS_FIELD, "Eng_Status__c")
                .set(SalesforceSettings.LINKED_DUE_FIELD, "Eng_Due__c").build()));

        assertTrue(message.contains("sla.salesforce.field.linked-status: Case.Eng_Status__c is of type datetime"),
                message);
        assertTrue(message.contains("sla.salesforce.field.linked-due: Case has no field 'Eng_Due__c'"), message);
    }

    @Test
    void aSalesforceThatCannotBeReachedAtStartDoesNotStopIt() throws Exception {
        sf.stubFor(get(urlPathEqualTo(DATA + "/sobjects/Case/describe")).willReturn(aResponse().withStatus(503)));
        SalesforceRoutes routes = new SalesforceRoutes(SalesforceFixtures.config(sf).build(), store, "direct:ingest",
                Clock.fixed(NOW, ZoneOffset.UTC)).withoutPollTimer();
        camel.addRoutes(routes); // the context is started: the check runs now

        routes.poll();
        assertTrue(routes.pollStatus().lastError().contains("HTTP 503"), routes.pollStatus().lastError());
    }
}
