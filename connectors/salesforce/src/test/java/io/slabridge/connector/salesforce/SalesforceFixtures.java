package io.slabridge.connector.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.List;

/** A fake Salesforce for camel-salesforce: the OAuth token endpoint, the revoke it calls on shutdown, the REST paths. */
public final class SalesforceFixtures {
    /** The integration user: the token response's identity URL names it. */
    static final String INTEGRATION_USER = "005000000000001AAA";
    static final String AGENT = "005000000000002AAA";
    static final String PORTAL_USER = "005000000000003AAA";
    static final String DATA = "/services/data/v62.0";

    private SalesforceFixtures() {
    }

    /** The token endpoint (client credentials) answering {@code token}, and the revoke endpoint. */
    static void stubLogin(WireMockServer sf, String token) {
        sf.stubFor(post(urlPathEqualTo("/services/oauth2/token")).willReturn(okJson(tokenResponse(sf, token))));
        stubRevoke(sf);
        stubDescribe(sf, true);
    }

    /** {@code GET sobjects/Case/describe}: the standard Case fields, the SLA fields the tests configure. */
    static void stubDescribe(WireMockServer sf, boolean entitlementManagement) {
        sf.stubFor(get(urlPathEqualTo(DATA + "/sobjects/Case/describe")).willReturn(okJson(
                caseDescribe(entitlementManagement, SLA_FIELDS).toString())));
    }

    /** A custom field of the describe: its API name, its type and whether the integration user can write it. */
    public record CustomField(String name, String type, boolean updateable) {
    }

    public static final List<CustomField> SLA_FIELDS = List.of(new CustomField("SLA_Status__c", "picklist", true),
            new CustomField("SLA_Next_Due__c", "datetime", true),
            new CustomField("SLA_First_Response_Due__c", "datetime", true),
            new CustomField("SLA_Next_Response_Due__c", "datetime", true),
            new CustomField("SLA_Resolution_Due__c", "datetime", true),
            new CustomField("Engineering_Status__c", "string", true),
            new CustomField("Engineering_Due__c", "datetime", true));

    /**
     * Case's describe as Salesforce answers it (the REST API's sObject Describe: {@code fields[]} with {@code name},
     * {@code type}, {@code updateable}, {@code picklistValues}, {@code relationshipName}...), trimmed to the fields
     * sla-bridge touches. {@code IsStopped} and {@code StopStartDate} exist only with Entitlement Management.
     */
    public static ObjectNode caseDescribe(boolean entitlementManagement, List<CustomField> custom) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode d = json.createObjectNode();
        d.put("name", "Case").put("label", "Case").put("labelPlural", "Cases").put("keyPrefix", "500").put("custom", false)
                .put("queryable", true).put("updateable", true).put("createable", true);
        ArrayNode fields = d.putArray("fields");
        field(fields, "Id", "id", false, false, null, 18);
        field(fields, "CaseNumber", "string", false, false, null, 30);
        field(fields, "Subject", "string", true, false, null, 255);
        field(fields, "Status", "picklist", true, false, null, 255);
        field(fields, "Priority", "picklist", true, false, null, 255);
        field(fields, "Origin", "picklist", true, false, null, 255);
        field(fields, "AccountId", "reference", true, false, "Account", 18);
        field(fields, "CreatedById", "reference", false, false, "CreatedBy", 18);
        field(fields, "CreatedDate", "datetime", false, false, null, 0);
        field(fields, "SystemModstamp", "datetime", false, false, null, 0);
        if (entitlementManagement) {
            field(fields, "EntitlementId", "reference", true, false, "Entitlement", 18);
            field(fields, "IsStopped", "boolean", true, false, null, 0);
            field(fields, "StopStartDate", "datetime", false, false, null, 0);
        }
        for (CustomField f : custom) {
            field(fields, f.name(), f.type(), f.updateable(), true, null, f.type().equals("datetime") ? 0 : 255);
        }
        d.putObject("urls").put("sobject", DATA + "/sobjects/Case").put("describe", DATA + "/sobjects/Case/describe");
        return d;
    }

    private static void field(ArrayNode fields, String name, String type, boolean updateable, boolean custom,
            String relationshipName, int length) {
        ObjectNode f = fields.addObject();
        f.put("name", name).put("label", name.replace("__c", "").replace('_', ' ')).put("type", type)
                .put("length", length).put("updateable", updateable).put("createable", updateable)
                .put("nillable", !name.equals("Id")).put("custom", custom).put("filterable", true)
                .putObject("defaultValue").putNull("value");
        ArrayNode picklist = f.putArray("picklistValues");
        if (name.equals("SLA_Status__c")) {
            for (String v : new String[] {"On track", "At risk", "Paused", "Breached", "Met", "No SLA"}) {
                picklist.addObject().put("active", true).put("defaultValue", false).put("label", v).putNull("validFor")
                        .put("value", v);
            }
        }
        ArrayNode referenceTo = f.putArray("referenceTo");
        if (relationshipName != null) {
            referenceTo.add(relationshipName.equals("CreatedBy") ? "User" : relationshipName);
            f.put("relationshipName", relationshipName);
        } else {
            f.putNull("relationshipName");
        }
    }

    static void stubRevoke(WireMockServer sf) {
        sf.stubFor(get(urlPathEqualTo("/services/oauth2/revoke")).willReturn(aResponse().withStatus(200)));
    }

    static String tokenResponse(WireMockServer sf, String token) {
        String base = "http://127.0.0.1:" + sf.port();
        return "{\"access_token\":\"" + token + "\",\"instance_url\":\"" + base + "\",\"id\":\"" + base
                + "/id/00D000000000001EAA/" + INTEGRATION_USER + "\",\"token_type\":\"Bearer\","
                + "\"issued_at\":\"1763630102514\",\"signature\":\"c2lnbmF0dXJl\"}";
    }

    /** A configuration for the fake: client credentials, the usual SLA fields. */
    static SalesforceConfig.Builder config(WireMockServer sf) {
        return SalesforceConfig.builder().loginUrl("http://127.0.0.1:" + sf.port())
                .clientCredentials("3MVG9-consumer-key", "consumer-secret")
                .statusField("SLA_Status__c").nextDueField("SLA_Next_Due__c");
    }
}
