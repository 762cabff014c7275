package io.slabridge.connector.jira;

import io.slabridge.core.config.Setting;
import io.slabridge.core.config.Settings;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketStatus;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

import static io.slabridge.connector.jira.JiraSettings.*;

/**
 * The Jira connector's settings as the connector uses them: a typed view over the declarations in
 * {@link JiraSettings}, read with the one precedence of {@link Settings}. {@link #from} reports every wrong setting
 * at once, each naming its property. Secrets (their mark in the declarations) are never part of {@link #toString()}.
 */
public final class JiraConfig {
    /** Which Jira: the REST version, the search endpoint and the comment body format follow from it. */
    public enum Deployment {
        /** Jira Cloud: REST v3, {@code /search/jql} with {@code nextPageToken}, ADF comment bodies, Basic auth. */
        CLOUD,
        /** Jira Data Center / Server: REST v2, {@code /search} with {@code startAt}, plain-text bodies, PAT. */
        DATA_CENTER
    }

    /** How agents are told from customers outside JSM's own account types. */
    public record CustomerRule(Kind kind, List<String> values) {
        public enum Kind {
            /** The reporter is the customer; everyone else is an agent. */
            REPORTER,
            /** Members of these groups are agents; everyone else is a customer. */
            AGENT_GROUP,
            /** Authors whose e-mail is in these domains are agents; everyone else is a customer. */
            AGENT_DOMAIN
        }

        public CustomerRule {
            Objects.requireNonNull(kind, "kind");
            values = List.copyOf(values);
        }
    }

    /** The settings read, by declaration: the getters below are views of them. */
    private final Map<Setting<?>, Object> values;
    private final URI url;
    private final Deployment deployment;
    private final String webhookPath;
    private final Map<Metric, String> dueFields;
    private final Map<String, TicketStatus> statusByName;
    private final Map<String, Priority> priorityByName;
    private final Map<Priority, String> jiraPriorityNames;

    private JiraConfig(Map<Setting<?>, Object> values, Map<Metric, String> dueFields,
            Map<String, TicketStatus> statusByName, Map<String, Priority> priorityByName,
            Map<Priority, String> jiraPriorityNames) {
        this.values = values;
        String text = get(URL).toString();
        this.url = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        Deployment set = get(DEPLOYMENT);
        this.deployment = set != null ? set : get(PAT) != null ? Deployment.DATA_CENTER : Deployment.CLOUD;
        String path = get(WEBHOOK_PATH);
        this.webhookPath = path.startsWith("/") ? path : "/" + path;
        this.dueFields = Collections.unmodifiableMap(dueFields);
        this.statusByName = Collections.unmodifiableMap(statusByName);
        this.priorityByName = Collections.unmodifiableMap(priorityByName);
        this.jiraPriorityNames = Collections.unmodifiableMap(jiraPriorityNames);
    }

    @SuppressWarnings("unchecked")
    private <T> T get(Setting<T> setting) {
        return (T) values.get(setting);
    }

    /**
     * Whether an SLA write notifies the watchers ({@code sla.jira.notify-watchers}); false: each PUT asks
     * Jira not to ({@code notifyUsers=false}).
     */
    public boolean notifyWatchers() {
        return get(NOTIFY_WATCHERS);
    }

    /** The priority of an issue created with a priority that is not mapped (or none). */
    public Priority defaultPriority() {
        return get(DEFAULT_PRIORITY);
    }

    /** How far back the very first poll reads (there is no cursor yet). */
    public Duration pollLookback() {
        return get(POLL_LOOKBACK);
    }

    /** The base URL, e.g. {@code https://acme.atlassian.net}, without a trailing slash. */
    public URI url() {
        return url;
    }

    public Deployment deployment() {
        return deployment;
    }

    /** {@code /rest/api/3} on Cloud, {@code /rest/api/2} on Data Center. */
    public String apiBase() {
        return deployment == Deployment.CLOUD ? "/rest/api/3" : "/rest/api/2";
    }

    /** The value of the {@code Authorization} header. A secret: never log it. */
    String authorization() {
        if (get(PAT) != null) {
            return "Bearer " + get(PAT);
        }
        String pair = get(EMAIL) + ":" + get(API_TOKEN);
        return "Basic " + java.util.Base64.getEncoder().encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Whether Jira is called with a personal access token (else e-mail and API token). */
    boolean usesPat() {
        return get(PAT) != null;
    }

    /** Project keys the poller searches; empty: polling is off (webhooks only). */
    public List<String> projects() {
        return get(PROJECTS);
    }

    public Duration pollInterval() {
        return get(POLL_INTERVAL);
    }

    /** How far before the last seen {@code updated} instant each poll starts again (JQL has minute resolution). */
    public Duration pollOverlap() {
        return get(POLL_OVERLAP);
    }

    public int pageSize() {
        return get(PAGE_SIZE);
    }

    /** The shared secret of the webhook's HMAC signature, or null when the webhook is unsigned. */
    String webhookSecret() {
        return get(WEBHOOK_SECRET);
    }

    public boolean webhookSigned() {
        return get(WEBHOOK_SECRET) != null;
    }

    public String webhookPath() {
        return webhookPath;
    }

    /** The largest webhook body read; a larger one is answered 413 and not parsed. */
    public int webhookMaxBytes() {
        return (int) (long) get(WEBHOOK_MAX_BYTES);
    }

    /** A Jira Service Management project: comments are public or internal, customers have their own accounts. */
    public boolean serviceManagement() {
        return get(SERVICE_MANAGEMENT);
    }

    public CustomerRule customerRule() {
        return get(CUSTOMER_RULE);
    }

    /**
     * The account id (Cloud) or user name (Data Center) whose changes are ours; null: asked of Jira
     * ({@code /myself}) on first use.
     */
    public String integrationUser() {
        return get(INTEGRATION_USER);
    }

    /** Custom field id of the SLA status select field, or null when not written. */
    public String statusField() {
        return get(STATUS_FIELD);
    }

    public String nextDueField() {
        return get(NEXT_DUE_FIELD);
    }

    public Map<Metric, String> dueFields() {
        return dueFields;
    }

    public String tierField() {
        return get(TIER_FIELD);
    }

    public String accountField() {
        return get(ACCOUNT_FIELD);
    }

    /** A custom field holding the Salesforce Case the issue serves; null: not read. */
    public String linkedCaseField() {
        return get(LINKED_CASE_FIELD);
    }

    /** The fields showing linked tickets' clocks (issue 16); each null when not written. */
    public io.slabridge.connector.api.SlaFieldValues.LinkedFieldIds linkedFields() {
        return new io.slabridge.connector.api.SlaFieldValues.LinkedFieldIds(get(LINKED_STATUS_FIELD),
                get(LINKED_DUE_FIELD), get(CUSTOMER_STATUS_FIELD), get(CUSTOMER_DUE_FIELD), get(CUSTOMER_ACCOUNT_FIELD),
                get(CUSTOMERS_WAITING_FIELD));
    }

    /** The issue link types read as ticket links (names or one side's words), lower case; empty: none. */
    public Set<String> linkTypes() {
        Set<String> out = new LinkedHashSet<>();
        get(LINK_TYPES).forEach(t -> out.add(t.strip().toLowerCase(Locale.ROOT)));
        return Collections.unmodifiableSet(out);
    }

    /** The projects (upper case) whose issues' remote links are read ({@code sla.jira.remote-links}); empty: none. */
    public Set<String> remoteLinkProjects() {
        Set<String> out = new LinkedHashSet<>();
        get(REMOTE_LINKS).forEach(p -> out.add(p.strip().toUpperCase(Locale.ROOT)));
        return Collections.unmodifiableSet(out);
    }

    /** Status names (lower case) mapped explicitly; others go by their status category. */
    public Map<String, TicketStatus> statusByName() {
        return statusByName;
    }

    /** Priority names (lower case) and what they mean. */
    public Map<String, Priority> priorityByName() {
        return priorityByName;
    }

    /** The Jira priority name an escalation's {@code set_priority} writes. */
    public Map<Priority, String> jiraPriorityNames() {
        return jiraPriorityNames;
    }

    /**
     * In plain Jira (no JSM), an internal comment's visibility restriction: {@code role:<name>} or
     * {@code group:<name>}; null: internal comments are posted without one.
     */
    public String internalVisibility() {
        return get(INTERNAL_VISIBILITY);
    }

    public Duration connectTimeout() {
        return get(CONNECT_TIMEOUT);
    }

    public Duration responseTimeout() {
        return get(RESPONSE_TIMEOUT);
    }

    /** Every custom field the connector writes: a change touching only these is our own. */
    public List<String> slaFieldIds() {
        List<String> ids = new ArrayList<>();
        if (statusField() != null) {
            ids.add(statusField());
        }
        if (nextDueField() != null) {
            ids.add(nextDueField());
        }
        ids.addAll(dueFields.values());
        for (Setting<String> s : List.of(LINKED_STATUS_FIELD, LINKED_DUE_FIELD, CUSTOMER_STATUS_FIELD, CUSTOMER_DUE_FIELD,
                CUSTOMER_ACCOUNT_FIELD, CUSTOMERS_WAITING_FIELD)) {
            if (get(s) != null) {
                ids.add(get(s));
            }
        }
        return ids;
    }

    /** Every setting read, secrets shown as {@code ****} (their mark in {@link JiraSettings}), unset ones left out. */
    @Override
    public String toString() {
        return "JiraConfig" + Setting.shownAll(JiraSettings.ALL, values) + "[deployment=" + deployment + "]";
    }

    /** A configuration built in code (tests): the settings given, then {@link #from}, so the same defaults and checks. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads {@code sla.jira.*}: each environment variable over its property ({@link Settings#get}).
     *
     * @throws JiraConfigException listing every wrong or missing setting
     */
    public static JiraConfig from(Properties properties, Map<String, String> environment) {
        Settings s = new Settings(properties, environment);
        List<String> problems = new ArrayList<>();
        Map<Setting<?>, Object> values = Setting.readAll(JiraSettings.ALL, s, problems);
        if (!URL.isSet(s)) {
            problems.add(URL.missing("the Jira base URL, e.g. https://acme.atlassian.net"));
        }
        if (!PAT.isSet(s) && !(EMAIL.isSet(s) && API_TOKEN.isSet(s))) {
            problems.add(API_TOKEN.name() + " / " + EMAIL.name() + " / " + PAT.name() + ": missing; expected "
                    + EMAIL.name() + " with " + API_TOKEN.name() + " (Cloud) or " + PAT.name() + " (Data Center)");
        }
        if (!WEBHOOK_SECRET.isSet(s) && !Boolean.TRUE.equals(values.get(WEBHOOK_UNSIGNED))) {
            // An unsigned webhook lets anyone who can reach it write ticket history: opt out explicitly or not at all.
            problems.add(WEBHOOK_SECRET.missing("the secret of the Jira webhook (Jira signs each delivery with it), or "
                    + WEBHOOK_UNSIGNED.name() + "=true where a gateway in front checks deliveries"));
        }
        Map<Metric, String> dueFields = new EnumMap<>(Metric.class);
        JiraSettings.DUE_FIELDS.forEach((metric, setting) -> {
            if (values.get(setting) != null) {
                dueFields.put(metric, (String) values.get(setting));
            }
        });
        Map<String, TicketStatus> statusByName = new LinkedHashMap<>();
        STATUS.read(s, problems).forEach((name, value) -> {
            TicketStatus status = TicketStatus.fromWire(value.strip());
            if (status == null) {
                problems.add(STATUS.entry(name) + ": '" + value + "'; expected one of " + TicketStatus.wireChoices()
                        + splitKeyHint(STATUS, "status", name, value, TicketStatus.fromWire(afterEquals(value)) != null));
            } else {
                statusByName.put(name.strip().toLowerCase(Locale.ROOT), status);
            }
        });
        Map<String, Priority> priorityByName = new LinkedHashMap<>();
        Map<Priority, String> jiraPriorityNames = new EnumMap<>(Priority.class);
        PRIORITY.read(s, problems).forEach((name, value) -> {
            Priority priority = Priority.fromWire(value.strip());
            if (priority == null) {
                problems.add(PRIORITY.entry(name) + ": '" + value + "'; expected one of " + Priority.wireChoices()
                        + splitKeyHint(PRIORITY, "priority", name, value, Priority.fromWire(afterEquals(value)) != null));
            } else {
                priorityByName.put(name.strip().toLowerCase(Locale.ROOT), priority);
                jiraPriorityNames.putIfAbsent(priority, name.strip());
            }
        });
        if (!problems.isEmpty()) {
            throw new JiraConfigException(problems);
        }
        return new JiraConfig(values, dueFields, statusByName, priorityByName, jiraPriorityNames);
    }

    /**
     * A properties file ends a key at its first unescaped space, so {@code sla.jira.status.Awaiting vendor=on_hold}
     * reads as the key {@code sla.jira.status.Awaiting} with the value {@code vendor=on_hold}. When a wrong value
     * looks like that (words, '=', a valid choice), say how to write the name with its space.
     */
    static String splitKeyHint(Setting<?> map, String what, String key, String value, boolean restIsAChoice) {
        String v = value.strip();
        int eq = v.indexOf('=');
        if (eq <= 0 || !restIsAChoice) {
            return "";
        }
        String name = key + " " + v.substring(0, eq).strip();
        return "; if the Jira " + what + " is '" + name + "', write " + map.entry(name.replace(" ", "\\ ")) + "="
                + v.substring(eq + 1).strip() + " (a properties file ends a key at its first space unless it is "
                + "written '\\ ')";
    }

    private static String afterEquals(String value) {
        int eq = value.indexOf('=');
        return eq < 0 ? "" : value.substring(eq + 1).strip();
    }

    /** @throws IllegalArgumentException saying what was expected */
    static CustomerRule parseCustomerRule(String text) {
        String t = text.strip();
        if (t.equalsIgnoreCase("reporter")) {
            return new CustomerRule(CustomerRule.Kind.REPORTER, List.of());
        }
        int colon = t.indexOf(':');
        String kind = colon < 0 ? t : t.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        List<String> values = colon < 0 ? List.of() : Settings.split(t.substring(colon + 1));
        if (values.isEmpty() && (kind.equals("agent-group") || kind.equals("agent-domain"))) {
            throw new IllegalArgumentException(kind + " naming at least one " + kind.substring(6) + ", e.g. "
                    + kind + ":" + (kind.equals("agent-group") ? "support-agents" : "example.com"));
        }
        return switch (kind) {
            case "agent-group" -> new CustomerRule(CustomerRule.Kind.AGENT_GROUP, values);
            case "agent-domain" -> new CustomerRule(CustomerRule.Kind.AGENT_DOMAIN,
                    values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList());
            default -> throw new IllegalArgumentException(
                    "reporter, agent-group:<group,...> or agent-domain:<domain,...>");
        };
    }

    /**
     * Builds a configuration in code (tests): each call sets a property, and {@link #build} reads them with
     * {@link #from}, so defaults and checks are the declarations'. A webhook without a secret is accepted.
     */
    public static final class Builder {
        private final Properties properties = new Properties();

        private Builder() {
            set(WEBHOOK_UNSIGNED, "true");
        }

        /** Sets a setting as its property would ({@code "2m"}, {@code "true"}, {@code "SUP, OPS"}). */
        public Builder set(Setting<?> setting, String value) {
            if (value == null) {
                properties.remove(setting.name());
            } else {
                properties.setProperty(setting.name(), value);
            }
            return this;
        }

        private Builder set(Setting<?> setting, Object value) {
            return set(setting, value == null ? null : value instanceof Enum<?> e ? Setting.spelling(e)
                    : value instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
                    : value.toString());
        }

        public Builder url(URI value) {
            return set(URL, value);
        }

        public Builder deployment(Deployment value) {
            return set(DEPLOYMENT, value);
        }

        public Builder basic(String email, String apiToken) {
            return set(EMAIL, email).set(API_TOKEN, apiToken).set(PAT, (Object) null);
        }

        public Builder pat(String value) {
            return set(PAT, value);
        }

        public Builder projects(List<String> value) {
            return set(PROJECTS, value);
        }

        public Builder pollInterval(Duration value) {
            return set(POLL_INTERVAL, value);
        }

        public Builder pollOverlap(Duration value) {
            return set(POLL_OVERLAP, value);
        }

        public Builder notifyWatchers(boolean value) {
            return set(NOTIFY_WATCHERS, value);
        }

        public Builder pageSize(int value) {
            return set(PAGE_SIZE, value);
        }

        public Builder webhookSecret(String value) {
            return set(WEBHOOK_SECRET, value);
        }

        public Builder serviceManagement(boolean value) {
            return set(SERVICE_MANAGEMENT, value);
        }

        public Builder customerRule(String value) {
            return set(CUSTOMER_RULE, value);
        }

        public Builder statusField(String value) {
            return set(STATUS_FIELD, value);
        }

        public Builder nextDueField(String value) {
            return set(NEXT_DUE_FIELD, value);
        }

        public Builder dueField(Metric metric, String field) {
            return set(JiraSettings.DUE_FIELDS.get(metric), field);
        }

        public Builder tierField(String value) {
            return set(TIER_FIELD, value);
        }

        public Builder accountField(String value) {
            return set(ACCOUNT_FIELD, value);
        }

        public Builder linkedCaseField(String value) {
            return set(LINKED_CASE_FIELD, value);
        }

        public Builder linkTypes(List<String> value) {
            return set(LINK_TYPES, String.join(",", value));
        }

        public Builder remoteLinks(List<String> projects) {
            return set(REMOTE_LINKS, String.join(",", projects));
        }

        public Builder internalVisibility(String value) {
            return set(INTERNAL_VISIBILITY, value);
        }

        public Builder connectTimeout(Duration value) {
            return set(CONNECT_TIMEOUT, value);
        }

        public Builder responseTimeout(Duration value) {
            return set(RESPONSE_TIMEOUT, value);
        }

        /** Maps a Jira status name (any case) to a ticket status. */
        public Builder status(String jiraName, TicketStatus status) {
            return set(STATUS.entry(jiraName), status.wireName());
        }

        /** Maps a Jira priority name; the first name mapped to a priority is the one written back. */
        public Builder priority(String jiraName, Priority priority) {
            return set(PRIORITY.entry(jiraName), priority.wireName());
        }

        private Builder set(String property, String value) {
            properties.setProperty(property, value);
            return this;
        }

        /** @throws JiraConfigException as {@link #from} does */
        public JiraConfig build() {
            return from(properties, Map.of());
        }
    }
}
