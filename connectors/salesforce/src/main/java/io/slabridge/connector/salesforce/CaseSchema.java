package io.slabridge.connector.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.slabridge.core.model.Metric;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Case fields an org has, as its {@code GET /services/data/vXX.X/sobjects/Case/describe} lists them: which
 * optional fields the poller may query ({@code IsStopped} and {@code StopStartDate} exist only with Entitlement
 * Management) and whether the configured fields exist with a type sla-bridge can write.
 */
public final class CaseSchema {
    /** Field types the SLA status (a label such as {@code At risk}) can be written to. */
    static final Set<String> TEXT_TYPES = Set.of("string", "picklist", "textarea");

    /** One field of the describe answer. */
    public record Field(String name, String type, boolean updateable, String relationshipName) {
    }

    private final Map<String, Field> byName;

    private CaseSchema(Map<String, Field> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** Reads the describe answer's {@code fields[]}; names are compared ignoring case, as SOQL does. */
    static CaseSchema of(JsonNode describe) {
        if (describe == null || !describe.path("fields").isArray()) {
            throw new SalesforceCallException("GET sobjects/Case/describe: the answer has no fields[] list", 200, List.of(),
                    false, null);
        }
        Map<String, Field> byName = new LinkedHashMap<>();
        for (JsonNode f : describe.path("fields")) {
            String name = f.path("name").asText("");
            if (!name.isEmpty()) {
                byName.put(key(name), new Field(name, f.path("type").asText(""), f.path("updateable").asBoolean(false),
                        f.path("relationshipName").isTextual() ? f.path("relationshipName").asText() : null));
            }
        }
        return new CaseSchema(byName);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    public boolean has(String field) {
        return byName.containsKey(key(field));
    }

    /** Entitlement Management's stop fields are there: the poller reads pauses from them. */
    public boolean hasEntitlementStops() {
        return has("IsStopped") && has("StopStartDate");
    }

    /**
     * What is wrong with the configured fields in this org, one line each naming the property: a field that does not
     * exist, one sla-bridge cannot write, or one of a type that cannot hold what is written.
     */
    List<String> problems(SalesforceConfig config) {
        List<String> problems = new ArrayList<>();
        writable(problems, SalesforceSettings.STATUS_FIELD.name(), config.statusField(), TEXT_TYPES, "Text or Picklist");
        writable(problems, SalesforceSettings.NEXT_DUE_FIELD.name(), config.nextDueField(), Set.of("datetime"), "Date/Time");
        for (Map.Entry<Metric, String> e : config.dueFields().entrySet()) {
            writable(problems, SalesforceSettings.DUE_FIELDS.get(e.getKey()).name(), e.getValue(),
                    Set.of("datetime"), "Date/Time");
        }
        writable(problems, SalesforceSettings.LINKED_STATUS_FIELD.name(), config.linkedFields().linkedStatus(),
                Set.of("string", "textarea"), "Text");
        writable(problems, SalesforceSettings.LINKED_DUE_FIELD.name(), config.linkedFields().linkedDue(),
                Set.of("datetime"), "Date/Time");
        readable(problems, SalesforceSettings.TIER_FIELD.name(), config.tierField());
        readable(problems, SalesforceSettings.ACCOUNT_FIELD.name(), config.accountField());
        readable(problems, SalesforceSettings.LINKED_JIRA_FIELD.name(), config.linkedJiraField());
        return problems;
    }

    private void writable(List<String> problems, String property, String field, Set<String> types, String typeName) {
        if (field == null) {
            return;
        }
        Field f = byName.get(key(field));
        if (f == null) {
            problems.add(property + ": Case has no field '" + field + "' in this org (GET sobjects/Case/describe); "
                    + "create it (type " + typeName + ") or correct the API name");
        } else if (!types.contains(f.type())) {
            problems.add(property + ": Case." + f.name() + " is of type " + f.type() + "; sla-bridge writes "
                    + (types.contains("datetime") ? "a date-time" : "a status label") + " to it: use a " + typeName
                    + " field");
        } else if (!f.updateable()) {
            problems.add(property + ": Case." + f.name() + " is not updateable by the integration user (field-level "
                    + "security or a formula field)");
        }
    }

    /** A field read by the poller: a Case field, or a path whose first step is a Case lookup ({@code Account.Tier__c}). */
    private void readable(List<String> problems, String property, String path) {
        if (path == null) {
            return;
        }
        int dot = path.indexOf('.');
        if (dot < 0) {
            if (!has(path)) {
                problems.add(property + ": Case has no field '" + path + "' in this org (GET sobjects/Case/describe)");
            }
            return;
        }
        String relationship = path.substring(0, dot);
        boolean found = byName.values().stream().anyMatch(f -> relationship.equalsIgnoreCase(f.relationshipName()));
        if (!found) {
            problems.add(property + ": Case has no lookup '" + relationship + "' for '" + path + "' in this org "
                    + "(GET sobjects/Case/describe)");
        }
    }
}
