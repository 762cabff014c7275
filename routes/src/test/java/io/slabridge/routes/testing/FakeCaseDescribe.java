package io.slabridge.routes.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The answer of a fake Salesforce to {@code GET /services/data/vXX.X/sobjects/Case/describe}, shaped as the REST
 * API's sObject Describe ({@code fields[]} with {@code name}, {@code type}, {@code updateable},
 * {@code picklistValues}, {@code relationshipName}...), trimmed to the fields sla-bridge touches. For the demo and
 * the end-to-end tests; sla-bridge reads it at start to check its settings against the org.
 */
public final class FakeCaseDescribe {
    /** The demo's SLA fields: a picklist for the status, a date-time for the next due instant. */
    public static final Map<String, String> SLA_FIELDS = Map.of("SLA_Status__c", "picklist", "SLA_Next_Due__c", "datetime");

    private FakeCaseDescribe() {
    }

    /**
     * @param entitlementManagement whether the org has Entitlement Management ({@code IsStopped}, {@code StopStartDate})
     * @param customFields custom Case fields by API name, with their describe type ({@code picklist}, {@code datetime})
     */
    public static String json(String dataPath, boolean entitlementManagement, Map<String, String> customFields) {
        ObjectNode d = new ObjectMapper().createObjectNode();
        d.put("name", "Case").put("label", "Case").put("labelPlural", "Cases").put("keyPrefix", "500").put("custom", false)
                .put("queryable", true).put("updateable", true).put("createable", true);
        ArrayNode fields = d.putArray("fields");
        field(fields, "Id", "id", false, false, null);
        field(fields, "CaseNumber", "string", false, false, null);
        field(fields, "Subject", "string", true, false, null);
        field(fields, "Status", "picklist", true, false, null);
        field(fields, "Priority", "picklist", true, false, null);
        field(fields, "Origin", "picklist", true, false, null);
        field(fields, "AccountId", "reference", true, false, "Account");
        field(fields, "CreatedById", "reference", false, false, "CreatedBy");
        field(fields, "CreatedDate", "datetime", false, false, null);
        field(fields, "SystemModstamp", "datetime", false, false, null);
        if (entitlementManagement) {
            field(fields, "EntitlementId", "reference", true, false, "Entitlement");
            field(fields, "IsStopped", "boolean", true, false, null);
            field(fields, "StopStartDate", "datetime", false, false, null);
        }
        customFields.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> field(fields, e.getKey(), e.getValue(), true, true, null));
        d.putObject("urls").put("sobject", dataPath + "/sobjects/Case").put("describe", dataPath + "/sobjects/Case/describe");
        return d.toString();
    }

    private static void field(ArrayNode fields, String name, String type, boolean updateable, boolean custom,
            String relationshipName) {
        ObjectNode f = fields.addObject();
        f.put("name", name).put("label", name.replace("__c", "").replace('_', ' ')).put("type", type)
                .put("length", type.equals("id") || type.equals("reference") ? 18 : type.equals("datetime")
                        || type.equals("boolean") ? 0 : 255)
                .put("updateable", updateable).put("createable", updateable).put("nillable", !name.equals("Id"))
                .put("custom", custom).put("filterable", true).putObject("defaultValue").putNull("value");
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
}
