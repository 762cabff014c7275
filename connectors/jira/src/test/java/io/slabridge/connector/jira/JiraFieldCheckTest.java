package io.slabridge.connector.jira;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.slabridge.connector.jira.JiraFixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.slabridge.core.model.Metric;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The configured SLA field ids checked against Jira's own list of fields and the status field's options. */
class JiraFieldCheckTest {
    private WireMockServer jira;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() {
        jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
        camel = new DefaultCamelContext();
        camel.start();
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/field")).willReturn(okJson(text("cloud/fields.json"))));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/field/customfield_10100/context"))
                .willReturn(okJson(text("cloud/field_10100_contexts.json"))));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/field/customfield_10100/context/10200/option"))
                .willReturn(okJson(text("cloud/field_10100_context_10200_options.json"))));
    }

    @AfterEach
    void stop() {
        camel.stop();
        jira.stop();
    }

    private List<String> check(UnaryOperator<JiraConfig.Builder> fields) {
        JiraConfig config = fields.apply(JiraConfig.builder().url(URI.create(jira.baseUrl()))
                .basic("bot@acme.example", "s3cret-token").deployment(JiraConfig.Deployment.CLOUD)).build();
        List<String> problems = new JiraFieldCheck(JiraHttp.create(camel, config, Clock.systemUTC())).problems();
        problems.forEach(p -> assertFalse(p.contains("s3cret"), p));
        return problems;
    }

    @Test
    void rightFieldsWithAllSixOptionsPass() {
        assertEquals(List.of(), check(b -> b.statusField("customfield_10100").nextDueField("customfield_10101")));
        jira.verify(3, anyRequestedFor(anyUrl()));
    }

    @Test
    void withoutSlaFieldsNothingIsAsked() {
        assertEquals(List.of(), check(b -> b.tierField("customfield_10050")));
        jira.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aLinkedCaseFieldJiraDoesNotHaveIsNamedAndOneItHasPasses() {
        assertEquals(List.of("sla.jira.field.linked-case=customfield_10999: Jira has no field with this id (GET "
                + "/rest/api/3/field)"), check(b -> b.linkedCaseField("customfield_10999")));
        assertEquals(List.of(), check(b -> b.linkedCaseField("customfield_10050")));
    }

    @Test
    void linkedTicketFieldsAreCheckedForTheirTypes() {
        assertEquals(List.of(), check(b -> b.set(JiraSettings.CUSTOMER_STATUS_FIELD, "customfield_10103")
                .set(JiraSettings.CUSTOMER_DUE_FIELD, "customfield_10101")));
        List<String> problems = check(b -> b.set(JiraSettings.CUSTOMERS_WAITING_FIELD, "customfield_10103")
                .set(JiraSettings.LINKED_STATUS_FIELD, "customfield_10101")
                .set(JiraSettings.LINKED_DUE_FIELD, "customfield_10102"));
        assertEquals(List.of(
                "sla.jira.field.linked-due=customfield_10102: 'First response due' is a datepicker field "
                        + "(com.atlassian.jira.plugin.system.customfieldtypes:datepicker); expected a Date Time Picker "
                        + "field (schema type datetime); date-time fields there: customfield_10101 ('SLA next due')",
                "sla.jira.field.linked-status=customfield_10101: 'SLA next due' is a datetime field "
                        + "(com.atlassian.jira.plugin.system.customfieldtypes:datetime); expected a single line text "
                        + "field (schema type string)",
                "sla.jira.field.customers-waiting=customfield_10103: 'SLA notes' is a textfield field "
                        + "(com.atlassian.jira.plugin.system.customfieldtypes:textfield); expected a number field "
                        + "(schema type number)"), problems);
    }

    @Test
    void aFieldIdJiraDoesNotHaveIsNamedWithTheFieldsThatWouldFit() {
        assertEquals(List.of("sla.jira.field.status=customfield_10500: Jira has no field with this id; single select "
                + "fields there: customfield_10050 ('Customer tier'), customfield_10100 ('SLA status')",
                "sla.jira.field.next-due=customfield_10501: Jira has no field with this id; date-time fields there: "
                        + "customfield_10101 ('SLA next due')"),
                check(b -> b.statusField("customfield_10500").nextDueField("customfield_10501")));
    }

    @Test
    void aFieldOfTheWrongTypeIsNamedWithItsType() {
        List<String> problems = check(b -> b.statusField("customfield_10103").dueField(Metric.FIRST_RESPONSE, "customfield_10102"));
        assertEquals(2, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("sla.jira.field.status=customfield_10103: 'SLA notes' is a textfield field "
                + "(com.atlassian.jira.plugin.system.customfieldtypes:textfield); expected a single select list"), problems.get(0));
        assertTrue(problems.get(1).startsWith("sla.jira.field.due.first-response=customfield_10102: 'First response due' "
                + "is a datepicker field (com.atlassian.jira.plugin.system.customfieldtypes:datepicker); expected a Date "
                + "Time Picker field (schema type datetime)"), problems.get(1));
    }

    @Test
    void missingAndDisabledOptionsAreListed() {
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/field/customfield_10100/context/10200/option"))
                .willReturn(okJson(text("cloud/field_10100_context_10200_options.json")
                        .replace("{\"id\": \"10035\", \"value\": \"No SLA\", \"disabled\": false}",
                                "{\"id\": \"10035\", \"value\": \"No SLA\", \"disabled\": true}")
                        .replace("\"value\": \"At risk\"", "\"value\": \"At Risk\""))));
        assertEquals(List.of("sla.jira.field.status=customfield_10100: the options of 'SLA status' in its context "
                + "'Default Configuration Scheme for SLA status' (10200) lack 'At risk', 'No SLA' (options are matched "
                + "exactly, and disabled ones do not count); it has 'On track', 'At Risk', 'Paused', 'Breached', 'Met'"),
                check(b -> b.statusField("customfield_10100")));
    }

    @Test
    void refusedCredentialsAreNamedAndJiraNotAnsweringIsNotAFinding() {
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/field")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"errorMessages\":[\"Client must be authenticated to access this resource.\"],\"errors\":{}}")));
        List<String> problems = check(b -> b.statusField("customfield_10100"));
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("sla.jira.email / sla.jira.api-token: Jira rejected the credentials"),
                problems.get(0));

        jira.stubFor(get(urlPathEqualTo("/rest/api/3/field")).willReturn(okJson(text("cloud/fields.json"))));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/field/customfield_10100/context")).willReturn(aResponse()
                .withStatus(403).withHeader("Content-Type", "application/json")
                .withBody("{\"errorMessages\":[\"You do not have permission to access this resource.\"],\"errors\":{}}")));
        // Reading options takes Administer Jira, which an integration user need not have: warned, not refused.
        assertEquals(List.of(), check(b -> b.statusField("customfield_10100")));

        jira.stubFor(get(urlPathEqualTo("/rest/api/3/field")).willReturn(aResponse().withStatus(503)));
        assertThrows(JiraUnavailableException.class, () -> check(b -> b.statusField("customfield_10100")));
    }
}
