package io.slabridge.demo;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.slabridge.connector.jira.JiraSettings;
import io.slabridge.connector.salesforce.SalesforceSettings;
import io.slabridge.routes.testing.FakeCaseDescribe;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The demo's escalation to engineering (issue 16): Case {@link DemoStory#CASE_A} is escalated to the Jira issue
 * {@link #ISSUE} (its "Salesforce Case" field names the Case), engineering's OLA runs from the link (the policy's
 * {@code olas:}), and each side shows the other's clock in fields of its own: the Case engineering's state and due,
 * the issue the Case's. What the table shows is read from the simulators' journals: what sla-bridge last wrote into
 * those fields.
 */
final class LinkedStory {
    /** The engineering issue, and the id Jira gives it. */
    static final String ISSUE = "ENG-7";
    static final String ISSUE_ID = "10070";
    /** The Jira field holding the Case an issue serves (sla.jira.field.linked-case). */
    static final String LINKED_CASE_FIELD = "customfield_10300";
    /** On the issue: the Case's SLA state, its due, how many customers wait. */
    static final String CUSTOMER_STATUS_FIELD = "customfield_10301";
    static final String CUSTOMER_DUE_FIELD = "customfield_10302";
    static final String CUSTOMERS_WAITING_FIELD = "customfield_10304";
    /** On the Case: engineering's OLA state and due. */
    static final String ENGINEERING_STATUS_FIELD = "Engineering_Status__c";
    static final String ENGINEERING_DUE_FIELD = "Engineering_Due__c";

    private LinkedStory() {
    }

    /** The linked-ticket settings, beside the demo's others. */
    static void settings(Properties p, JiraSimulator jira, SalesforceSimulator salesforce) {
        install(jira, salesforce);
        p.setProperty(JiraSettings.LINKED_CASE_FIELD.name(), LINKED_CASE_FIELD);
        p.setProperty(JiraSettings.CUSTOMER_STATUS_FIELD.name(), CUSTOMER_STATUS_FIELD);
        p.setProperty(JiraSettings.CUSTOMER_DUE_FIELD.name(), CUSTOMER_DUE_FIELD);
        p.setProperty(JiraSettings.CUSTOMERS_WAITING_FIELD.name(), CUSTOMERS_WAITING_FIELD);
        p.setProperty(SalesforceSettings.LINKED_STATUS_FIELD.name(), ENGINEERING_STATUS_FIELD);
        p.setProperty(SalesforceSettings.LINKED_DUE_FIELD.name(), ENGINEERING_DUE_FIELD);
    }

    /**
     * Adds the linked-ticket fields to what the simulated Jira's {@code GET /rest/api/3/field} and Salesforce's Case
     * describe answer (sla-bridge checks them at start). A later stub of the same request wins in WireMock.
     */
    private static void install(JiraSimulator jira, SalesforceSimulator salesforce) {
        StringBuilder fields = new StringBuilder("[")
                .append(jiraField(JiraSimulator.STATUS_FIELD, "SLA status", "option", "select")).append(',')
                .append(jiraField(JiraSimulator.NEXT_DUE_FIELD, "SLA next due", "datetime", "datetime")).append(',')
                .append(jiraField(LINKED_CASE_FIELD, "Salesforce Case", "string", "url")).append(',')
                .append(jiraField(CUSTOMER_STATUS_FIELD, "Customer SLA", "string", "textfield")).append(',')
                .append(jiraField(CUSTOMER_DUE_FIELD, "Customer due", "datetime", "datetime")).append(',')
                .append(jiraField(CUSTOMERS_WAITING_FIELD, "Customers waiting", "number", "float")).append(']');
        jira.server.stubFor(get(urlPathEqualTo("/rest/api/3/field")).willReturn(okJson(fields.toString())));
        Map<String, String> caseFields = new LinkedHashMap<>(FakeCaseDescribe.SLA_FIELDS);
        caseFields.put(ENGINEERING_STATUS_FIELD, "string");
        caseFields.put(ENGINEERING_DUE_FIELD, "datetime");
        salesforce.server.stubFor(get(urlPathEqualTo(SalesforceSimulator.DATA + "/sobjects/Case/describe"))
                .willReturn(okJson(FakeCaseDescribe.json(SalesforceSimulator.DATA, true, caseFields))));
    }

    private static String jiraField(String id, String name, String type, String custom) {
        return "{\"id\":\"" + id + "\",\"key\":\"" + id + "\",\"name\":\"" + name + "\",\"custom\":true,\"schema\":"
                + "{\"type\":\"" + type + "\",\"custom\":\"com.atlassian.jira.plugin.system.customfieldtypes:" + custom
                + "\"}}";
    }

    /** The engineering issue, created by a product manager, its "Salesforce Case" field naming the Case. */
    static String issueCreated(long millis, String created) {
        return """
                {"timestamp":TS,"webhookEvent":"jira:issue_created",
                 "user":{"accountId":"557058:pm-1","accountType":"atlassian","displayName":"Pat PM"},
                 "issue":{"id":"ID","key":"KEY","fields":{"summary":"502 from the API gateway under load",
                   "created":"CREATED","updated":"CREATED","project":{"id":"10100","key":"ENG","name":"Engineering"},
                   "status":{"name":"To Do","statusCategory":{"key":"new"}},"priority":{"name":"High"},
                   "reporter":{"accountId":"557058:pm-1","accountType":"atlassian"},"FIELD":"CASE"}}}
                """.replace("TS", Long.toString(millis)).replace("ID", ISSUE_ID).replace("KEY", ISSUE)
                .replace("CREATED", created).replace("FIELD", LINKED_CASE_FIELD).replace("CASE", DemoStory.CASE_A);
    }

    /** An engineer's answer on the issue: engineering's first response, which meets the OLA. */
    static String engineerComment(long millis, String now) {
        return """
                {"timestamp":TS,"webhookEvent":"comment_created",
                 "comment":{"id":"10701","author":{"accountId":"5b10a2844c20165700eng07","displayName":"Erin Engineer",
                   "accountType":"atlassian","active":true},"body":"Reproduced: the gateway's pool is too small. Fix today.",
                   "created":"NOW","updated":"NOW","jsdPublic":true},
                 "issue":{"id":"ID","key":"KEY","fields":{"summary":"502 from the API gateway under load",
                   "project":{"id":"10100","key":"ENG","name":"Engineering"},
                   "status":{"name":"In Progress","statusCategory":{"key":"indeterminate"}},"priority":{"name":"High"}}}}
                """.replace("TS", Long.toString(millis)).replace("ID", ISSUE_ID).replace("KEY", ISSUE)
                .replace("NOW", now);
    }

    /** Every value sla-bridge wrote into the Case's field, oldest first. */
    static List<String> caseValues(SalesforceSimulator salesforce, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode body : bodies(salesforce, "PATCH", path -> true)) {
            for (JsonNode r : body.path("records")) {
                if (DemoStory.CASE_A.equals(r.path("id").asText()) && r.has(field)) {
                    out.add(r.path(field).isNull() ? "-" : r.path(field).asText());
                }
            }
        }
        return out;
    }

    /** Every value sla-bridge wrote into the issue's field, oldest first. */
    static List<String> issueValues(JiraSimulator jira, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode body : bodies(jira, "PUT", path -> path.endsWith("/issue/" + ISSUE))) {
            JsonNode f = body.path("fields");
            if (f.has(field)) {
                out.add(f.path(field).isNull() ? "-" : f.path(field).asText());
            }
        }
        return out;
    }

    private static List<JsonNode> bodies(HttpSimulator simulator, String method,
            java.util.function.Predicate<String> path) {
        List<ServeEvent> events = new ArrayList<>(simulator.server.getAllServeEvents());
        events.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
        List<JsonNode> out = new ArrayList<>();
        for (ServeEvent e : events) {
            if (e.getRequest().getMethod().getName().equals(method)
                    && path.test(URI.create(e.getRequest().getUrl()).getPath())) {
                try {
                    out.add(HttpSimulator.JSON.readTree(e.getRequest().getBodyAsString()));
                } catch (IOException bad) {
                    // not a body sla-bridge sent as JSON: not a field write
                }
            }
        }
        return out;
    }

    /** Both sides of the link as their fields show them now (the latest write of each field). */
    static String table(JiraSimulator jira, SalesforceSimulator salesforce) {
        String engineering = last(caseValues(salesforce, ENGINEERING_STATUS_FIELD));
        String customer = last(issueValues(jira, CUSTOMER_STATUS_FIELD));
        if (orDash(engineering).equals("-") && orDash(customer).equals("-")) { // not linked (yet): fields cleared
            return "";
        }
        String format = "  %-10s  %-22s  %-30s  %s%n";
        return String.format(format, "SOURCE", "KEY", "SHOWS THE OTHER SIDE'S CLOCK", "DUE")
                + String.format(format, "salesforce", DemoStory.CASE_A, "engineering: " + orDash(engineering),
                        due(last(caseValues(salesforce, ENGINEERING_DUE_FIELD))))
                + String.format(format, "jira", ISSUE, "customer: " + orDash(customer),
                        due(last(issueValues(jira, CUSTOMER_DUE_FIELD))) + ", customers waiting "
                                + orDash(last(issueValues(jira, CUSTOMERS_WAITING_FIELD))));
    }

    /** The values a field went through, each once in a row, without the cleared ones: "ENG-7 On track -> ENG-7 Met". */
    static String changes(List<String> values) {
        List<String> shown = new ArrayList<>();
        for (String v : values) {
            if (!v.equals("-") && (shown.isEmpty() || !shown.get(shown.size() - 1).equals(v))) {
                shown.add(v);
            }
        }
        return shown.isEmpty() ? "-" : String.join(" -> ", shown);
    }

    private static String last(List<String> values) {
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    private static String orDash(String value) {
        return value == null ? "-" : value;
    }

    private static String due(String written) {
        return written == null || written.equals("-") ? "-" : WriteBackLog.shortTime(written);
    }
}
