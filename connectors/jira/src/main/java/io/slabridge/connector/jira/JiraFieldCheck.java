package io.slabridge.connector.jira;

import com.fasterxml.jackson.databind.JsonNode;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.SummaryState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the configured SLA field ids against Jira before anything is written: each must exist
 * ({@code GET /field}), the status field must be a single select list whose options (in every context of the
 * field, Cloud: {@code GET /field/{id}/context} and {@code .../context/{contextId}/option}) include the six SLA
 * labels, each due field must be a date-time field, and the field read as the linked Case
 * ({@code sla.jira.field.linked-case}) must exist. A wrong id otherwise shows only later, as every SLA write
 * of every issue being refused.
 *
 * <p>Each problem names its property and value, e.g. {@code sla.jira.field.status=customfield_10050: ...}.
 * Jira refusing the credentials (401, 403) is a problem naming the credential properties. Jira not answering (a
 * connection failure, a timeout, a 5xx, a body that is not Jira's) is not a finding about the fields: it is
 * thrown as {@link JiraUnavailableException}, and the caller decides whether to start anyway.
 */
public final class JiraFieldCheck {
    private static final Logger LOG = LoggerFactory.getLogger(JiraFieldCheck.class);
    /** Jira's single select list custom field type (the key ends the {@code schema.custom} value). */
    static final String SINGLE_SELECT = "com.atlassian.jira.plugin.system.customfieldtypes:select";
    private static final int PAGE = 50;

    private final JiraHttp http;
    private final JiraConfig config;

    public JiraFieldCheck(JiraHttp http) {
        this.http = http;
        this.config = http.config();
    }

    /** The configured fields, by property, in the order they are reported. */
    private Map<String, String> dateTimeFields() {
        Map<String, String> out = new LinkedHashMap<>();
        if (config.nextDueField() != null) {
            out.put(JiraSettings.NEXT_DUE_FIELD.name(), config.nextDueField());
        }
        for (Map.Entry<Metric, String> e : config.dueFields().entrySet()) {
            out.put(JiraSettings.DUE_FIELDS.get(e.getKey()).name(), e.getValue());
        }
        putIfSet(out, JiraSettings.LINKED_DUE_FIELD.name(), config.linkedFields().linkedDue());
        putIfSet(out, JiraSettings.CUSTOMER_DUE_FIELD.name(), config.linkedFields().customerDue());
        return out;
    }

    /** The configured linked-ticket fields of one schema type (issue 16), by property. */
    private Map<String, String> linkedFields(String schemaType) {
        Map<String, String> out = new LinkedHashMap<>();
        if (schemaType.equals("string")) {
            putIfSet(out, JiraSettings.LINKED_STATUS_FIELD.name(), config.linkedFields().linkedStatus());
            putIfSet(out, JiraSettings.CUSTOMER_STATUS_FIELD.name(), config.linkedFields().customerStatus());
            putIfSet(out, JiraSettings.CUSTOMER_ACCOUNT_FIELD.name(), config.linkedFields().customerAccount());
        } else {
            putIfSet(out, JiraSettings.CUSTOMERS_WAITING_FIELD.name(), config.linkedFields().customersWaiting());
        }
        return out;
    }

    private static void putIfSet(Map<String, String> out, String property, String field) {
        if (field != null) {
            out.put(property, field);
        }
    }

    /**
     * Every problem with the configured SLA fields; empty when they are right or none is configured (then no call
     * is made).
     *
     * @throws JiraUnavailableException when Jira cannot be asked
     */
    public List<String> problems() {
        Map<String, String> dates = dateTimeFields();
        Map<String, String> texts = linkedFields("string");
        Map<String, String> numbers = linkedFields("number");
        if (config.statusField() == null && dates.isEmpty() && config.linkedCaseField() == null && texts.isEmpty()
                && numbers.isEmpty()) {
            return List.of();
        }
        List<String> problems = new ArrayList<>();
        JiraHttp.Response all = http.get(config.apiBase() + "/field", Map.of());
        if (!all.ok()) {
            return List.of(refused(all, "the configured SLA fields"));
        }
        if (all.json() == null || !all.json().isArray()) {
            throw new JiraUnavailableException("GET " + all.path() + ": HTTP " + all.status()
                    + " without the list of fields Jira answers with; is sla.jira.url (" + config.url() + ") Jira?");
        }
        Map<String, JsonNode> byId = new HashMap<>();
        all.json().forEach(f -> byId.put(f.path("id").asText(), f));

        if (config.statusField() != null) {
            String property = JiraSettings.STATUS_FIELD.name() + "=" + config.statusField();
            JsonNode field = byId.get(config.statusField());
            if (field == null) {
                problems.add(property + ": Jira has no field with this id" + candidates(all.json(), true));
            } else if (!SINGLE_SELECT.equals(field.path("schema").path("custom").asText())) {
                problems.add(property + ": '" + field.path("name").asText() + "' is " + typeOf(field)
                        + "; expected a single select list (" + SINGLE_SELECT + ")" + candidates(all.json(), true));
            } else if (config.deployment() == JiraConfig.Deployment.CLOUD) {
                problems.addAll(missingOptions(property, field));
            }
        }
        for (Map.Entry<String, String> e : dates.entrySet()) {
            String property = e.getKey() + "=" + e.getValue();
            JsonNode field = byId.get(e.getValue());
            if (field == null) {
                problems.add(property + ": Jira has no field with this id" + candidates(all.json(), false));
            } else if (!"datetime".equals(field.path("schema").path("type").asText())) {
                problems.add(property + ": '" + field.path("name").asText() + "' is " + typeOf(field)
                        + "; expected a Date Time Picker field (schema type datetime)" + candidates(all.json(), false));
            }
        }
        for (Map<String, String> typed : List.of(texts, numbers)) {
            String type = typed == texts ? "string" : "number";
            for (Map.Entry<String, String> e : typed.entrySet()) {
                String property = e.getKey() + "=" + e.getValue();
                JsonNode field = byId.get(e.getValue());
                if (field == null) {
                    problems.add(property + ": Jira has no field with this id (GET " + config.apiBase() + "/field)");
                } else if (!type.equals(field.path("schema").path("type").asText())) {
                    problems.add(property + ": '" + field.path("name").asText() + "' is " + typeOf(field)
                            + "; expected a " + (type.equals("string") ? "single line text field (schema type string)"
                                    : "number field (schema type number)"));
                }
            }
        }
        if (config.linkedCaseField() != null && !byId.containsKey(config.linkedCaseField())) {
            problems.add(JiraSettings.LINKED_CASE_FIELD.name() + "=" + config.linkedCaseField()
                    + ": Jira has no field with this id (GET " + config.apiBase() + "/field)");
        }
        return problems;
    }

    /** The six labels missing from any of the status field's contexts, one problem per such context. */
    private List<String> missingOptions(String property, JsonNode field) {
        String id = field.path("id").asText();
        String base = config.apiBase() + "/field/" + id + "/context";
        List<String> problems = new ArrayList<>();
        Listing contexts = list(base, property);
        if (contexts.refusal() != null && contexts.forbidden()) {
            // Reading contexts and options takes Administer Jira, which an integration user rarely has and does not
            // need to write the field: not a reason to refuse the start.
            LOG.warn("{}: the options of '{}' were not checked: the integration user lacks Jira's Administer Jira "
                    + "global permission to read them. It needs the options {}; a missing one shows as a parked SLA "
                    + "field write (sla-bridge outbox --failed)", property, field.path("name").asText(),
                    labels(List.of(SummaryState.values())));
            return List.of();
        }
        if (contexts.refusal() != null) {
            return List.of(contexts.refusal());
        }
        if (contexts.values().isEmpty()) {
            return List.of(property + ": '" + field.path("name").asText() + "' has no context, so no options; add one "
                    + "(Settings > Issues > Custom fields > Contexts and default value) with the options "
                    + labels(List.of(SummaryState.values())));
        }
        for (JsonNode context : contexts.values()) {
            Listing options = list(base + "/" + context.path("id").asText() + "/option", property);
            if (options.refusal() != null) {
                return List.of(options.refusal());
            }
            Set<String> enabled = new LinkedHashSet<>();
            options.values().stream().filter(o -> !o.path("disabled").asBoolean(false)).forEach(o -> enabled.add(o.path("value").asText()));
            List<SummaryState> missing = new ArrayList<>();
            for (SummaryState s : SummaryState.values()) {
                if (!enabled.contains(s.label())) {
                    missing.add(s);
                }
            }
            if (!missing.isEmpty()) {
                problems.add(property + ": the options of '" + field.path("name").asText() + "' in its context '"
                        + context.path("name").asText() + "' (" + context.path("id").asText() + ") lack "
                        + labels(missing) + " (options are matched exactly, and disabled ones do not count); it has "
                        + (enabled.isEmpty() ? "none" : "'" + String.join("', '", enabled) + "'"));
            }
        }
        return problems;
    }

    /** A paged list read whole, or Jira's refusal to list it as a problem ({@code forbidden}: a 403). */
    private record Listing(List<JsonNode> values, String refusal, boolean forbidden) {
    }

    /** Every value of a paged list ({@code startAt}, {@code isLast}). */
    private Listing list(String path, String property) {
        List<JsonNode> out = new ArrayList<>();
        int startAt = 0;
        while (true) {
            JiraHttp.Response r = http.get(path, Map.of("startAt", Integer.toString(startAt),
                    "maxResults", Integer.toString(PAGE)));
            if (!r.ok()) {
                return new Listing(List.of(), refused(r, property), r.status() == 403);
            }
            JsonNode values = r.json() == null ? null : r.json().path("values");
            if (values == null || !values.isArray()) {
                throw new JiraUnavailableException("GET " + path + ": HTTP " + r.status() + " without a list of values");
            }
            values.forEach(out::add);
            startAt += values.size();
            if (values.isEmpty() || r.json().path("isLast").asBoolean(startAt >= r.json().path("total").asInt(0))) {
                return new Listing(List.copyOf(out), null, false);
            }
        }
    }

    /**
     * A refusal as a problem when it is about the credentials (401, 403: named, and for the options the permission
     * reading them needs); any other status is Jira not answering the question, thrown.
     */
    private String refused(JiraHttp.Response r, String what) {
        // Which credentials are in use, named, never shown.
        String credentials = config.usesPat() ? JiraSettings.PAT.name()
                : JiraSettings.EMAIL.name() + " / " + JiraSettings.API_TOKEN.name();
        if (r.status() == 401) {
            return credentials + ": Jira rejected the credentials while checking " + what + " (" + r.error() + ")";
        }
        if (r.status() == 403) {
            boolean options = r.path().contains("/context");
            return credentials + ": the integration user may not " + (options
                    ? "read the options of " + what + ", which needs Jira's Administer Jira global permission"
                    : "read Jira's fields") + " (" + r.error() + "); use the credentials of a user who may";
        }
        throw new JiraUnavailableException(r.error() + "; is sla.jira.url (" + config.url() + ") the Jira base URL?");
    }

    private static String typeOf(JsonNode field) {
        JsonNode schema = field.path("schema");
        String custom = schema.path("custom").asText("");
        return custom.isEmpty() ? "a field of type " + schema.path("type").asText("unknown")
                : "a " + custom.substring(custom.lastIndexOf(':') + 1) + " field (" + custom + ")";
    }

    /** Up to five custom fields of the wanted type, so that the right id can be picked. */
    private static String candidates(JsonNode fields, boolean select) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : fields) {
            JsonNode schema = f.path("schema");
            boolean fits = select ? SINGLE_SELECT.equals(schema.path("custom").asText())
                    : "datetime".equals(schema.path("type").asText()) && f.path("custom").asBoolean(false);
            if (fits && out.size() < 5) {
                out.add(f.path("id").asText() + " ('" + f.path("name").asText() + "')");
            }
        }
        return out.isEmpty() ? "" : "; " + (select ? "single select" : "date-time") + " fields there: " + String.join(", ", out);
    }

    private static String labels(List<SummaryState> states) {
        return "'" + String.join("', '", states.stream().map(SummaryState::label).toList()) + "'";
    }
}
