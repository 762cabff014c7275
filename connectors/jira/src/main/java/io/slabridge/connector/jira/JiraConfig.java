package io.slabridge.connector.jira;

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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The Jira connector's settings ({@code sla.jira.*}), read from properties first and then from environment
 * variables ({@code sla.jira.api-token} → {@code SLA_JIRA_API_TOKEN}). {@link #from} reports every wrong setting
 * at once, each naming its property. Secrets are never part of {@link #toString()}.
 */
public final class JiraConfig {
    /** {@code sla.jira.webhook-max-bytes} unless set: webhook bodies above it are answered 413. */
    public static final int DEFAULT_WEBHOOK_MAX_BYTES = 1 << 20;
    /** The range {@code sla.jira.webhook-max-bytes} may take: a Jira delivery is never under 1 KB; a body is held in memory. */
    static final long MIN_WEBHOOK_MAX_BYTES = 1L << 10;
    static final long MAX_WEBHOOK_MAX_BYTES = 64L << 20;

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

    private final URI url;
    private final Deployment deployment;
    private final String email;
    private final String apiToken;
    private final String pat;
    private final List<String> projects;
    private final Duration pollInterval;
    private final Duration pollOverlap;
    private final int pageSize;
    private final String webhookSecret;
    private final String webhookPath;
    private final int webhookMaxBytes;
    private final boolean serviceManagement;
    private final CustomerRule customerRule;
    private final String integrationUser;
    private final String statusField;
    private final String nextDueField;
    private final Map<Metric, String> dueFields;
    private final String tierField;
    private final String accountField;
    private final Map<String, TicketStatus> statusByName;
    private final Map<String, Priority> priorityByName;
    private final Map<Priority, String> jiraPriorityNames;
    private final String internalVisibility;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final Priority defaultPriority;
    private final Duration pollLookback;
    private final boolean notifyWatchers;

    private JiraConfig(Builder b) {
        this.url = b.url;
        this.deployment = b.deployment;
        this.email = b.email;
        this.apiToken = b.apiToken;
        this.pat = b.pat;
        this.projects = List.copyOf(b.projects);
        this.pollInterval = b.pollInterval;
        this.pollOverlap = b.pollOverlap;
        this.pageSize = b.pageSize;
        this.webhookSecret = b.webhookSecret;
        this.webhookPath = b.webhookPath;
        this.webhookMaxBytes = b.webhookMaxBytes;
        this.serviceManagement = b.serviceManagement;
        this.customerRule = b.customerRule;
        this.integrationUser = b.integrationUser;
        this.statusField = b.statusField;
        this.nextDueField = b.nextDueField;
        this.dueFields = Collections.unmodifiableMap(new EnumMap<>(b.dueFields));
        this.tierField = b.tierField;
        this.accountField = b.accountField;
        this.statusByName = Collections.unmodifiableMap(new LinkedHashMap<>(b.statusByName));
        this.priorityByName = Collections.unmodifiableMap(new LinkedHashMap<>(b.priorityByName));
        this.jiraPriorityNames = Collections.unmodifiableMap(new EnumMap<>(b.jiraPriorityNames));
        this.internalVisibility = b.internalVisibility;
        this.connectTimeout = b.connectTimeout;
        this.responseTimeout = b.responseTimeout;
        this.defaultPriority = b.defaultPriority;
        this.pollLookback = b.pollLookback;
        this.notifyWatchers = b.notifyWatchers;
    }

    /**
     * Whether an SLA write notifies the watchers ({@code sla.jira.notify-watchers}); false: each PUT asks
     * Jira not to ({@code notifyUsers=false}).
     */
    public boolean notifyWatchers() {
        return notifyWatchers;
    }

    /** The priority of an issue created with a priority that is not mapped (or none). */
    public Priority defaultPriority() {
        return defaultPriority;
    }

    /** How far back the very first poll reads (there is no cursor yet). */
    public Duration pollLookback() {
        return pollLookback;
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
        if (pat != null) {
            return "Bearer " + pat;
        }
        String pair = email + ":" + apiToken;
        return "Basic " + java.util.Base64.getEncoder().encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Project keys the poller searches; empty: polling is off (webhooks only). */
    public List<String> projects() {
        return projects;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    /** How far before the last seen {@code updated} instant each poll starts again (JQL has minute resolution). */
    public Duration pollOverlap() {
        return pollOverlap;
    }

    public int pageSize() {
        return pageSize;
    }

    /** The shared secret of the webhook's HMAC signature, or null when the webhook is unsigned. */
    String webhookSecret() {
        return webhookSecret;
    }

    public boolean webhookSigned() {
        return webhookSecret != null;
    }

    public String webhookPath() {
        return webhookPath;
    }

    /** The largest webhook body read; a larger one is answered 413 and not parsed. */
    public int webhookMaxBytes() {
        return webhookMaxBytes;
    }

    /** A Jira Service Management project: comments are public or internal, customers have their own accounts. */
    public boolean serviceManagement() {
        return serviceManagement;
    }

    public CustomerRule customerRule() {
        return customerRule;
    }

    /**
     * The account id (Cloud) or user name (Data Center) whose changes are ours; null: asked of Jira
     * ({@code /myself}) on first use.
     */
    public String integrationUser() {
        return integrationUser;
    }

    /** Custom field id of the SLA status select field, or null when not written. */
    public String statusField() {
        return statusField;
    }

    public String nextDueField() {
        return nextDueField;
    }

    public Map<Metric, String> dueFields() {
        return dueFields;
    }

    public String tierField() {
        return tierField;
    }

    public String accountField() {
        return accountField;
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
        return internalVisibility;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration responseTimeout() {
        return responseTimeout;
    }

    /** Every custom field the connector writes: a change touching only these is our own. */
    public List<String> slaFieldIds() {
        List<String> ids = new ArrayList<>();
        if (statusField != null) {
            ids.add(statusField);
        }
        if (nextDueField != null) {
            ids.add(nextDueField);
        }
        ids.addAll(dueFields.values());
        return ids;
    }

    @Override
    public String toString() {
        return "JiraConfig[url=" + url + ", deployment=" + deployment + ", auth="
                + (pat != null ? "pat(****)" : "basic(" + email + ", ****)") + ", projects=" + projects
                + ", webhookSigned=" + webhookSigned() + ", serviceManagement=" + serviceManagement + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads {@code sla.jira.*} from {@code properties}, falling back to {@code environment}.
     *
     * @throws JiraConfigException listing every wrong or missing setting
     */
    public static JiraConfig from(Properties properties, Map<String, String> environment) {
        Settings s = new Settings(properties, environment);
        List<String> problems = new ArrayList<>();
        Builder b = builder();
        String url = s.get("sla.jira.url");
        if (url == null) {
            problems.add("sla.jira.url: missing; expected the Jira base URL, e.g. https://acme.atlassian.net");
        } else {
            try {
                b.url(URI.create(url));
                if (b.url.getScheme() == null || b.url.getHost() == null) {
                    problems.add("sla.jira.url: '" + url + "' is not an http(s) URL");
                }
            } catch (IllegalArgumentException e) {
                problems.add("sla.jira.url: '" + url + "' is not a URL (" + e.getMessage() + ")");
            }
        }
        String email = s.get("sla.jira.email");
        String token = s.get("sla.jira.api-token");
        String pat = s.get("sla.jira.pat");
        if (pat != null) {
            b.pat(pat);
        } else if (email != null && token != null) {
            b.basic(email, token);
        } else {
            problems.add("sla.jira.api-token / sla.jira.email / sla.jira.pat: missing; expected sla.jira.email with "
                    + "sla.jira.api-token (Cloud) or sla.jira.pat (Data Center)");
        }
        String deployment = s.get("sla.jira.deployment");
        if (deployment != null) {
            switch (deployment.strip().toLowerCase(Locale.ROOT)) {
                case "cloud" -> b.deployment(Deployment.CLOUD);
                case "data-center", "datacenter", "server" -> b.deployment(Deployment.DATA_CENTER);
                default -> problems.add("sla.jira.deployment: '" + deployment + "'; expected cloud or data-center");
            }
        } else {
            b.deployment(pat != null ? Deployment.DATA_CENTER : Deployment.CLOUD);
        }
        b.projects(s.list("sla.jira.projects"));
        b.pollInterval(s.duration("sla.jira.poll-interval", Duration.ofSeconds(60), problems));
        b.pollOverlap(s.duration("sla.jira.poll-overlap", Duration.ofMinutes(2), problems));
        b.pageSize(s.integer("sla.jira.page-size", 50, 1, 100, problems));
        String secret = s.get("sla.jira.webhook-secret");
        boolean unsigned = s.bool("sla.jira.webhook-unsigned", false, problems);
        if (secret == null && !unsigned) {
            // An unsigned webhook lets anyone who can reach it write ticket history: opt out explicitly or not at all.
            problems.add("sla.jira.webhook-secret: missing; expected the secret of the Jira webhook (Jira signs each "
                    + "delivery with it), or sla.jira.webhook-unsigned=true where a gateway in front checks deliveries");
        }
        b.webhookSecret(secret);
        String path = s.get("sla.jira.webhook-path");
        if (path != null) {
            b.webhookPath(path);
        }
        long maxBytes = s.bytes("sla.jira.webhook-max-bytes", DEFAULT_WEBHOOK_MAX_BYTES, problems);
        if (maxBytes < MIN_WEBHOOK_MAX_BYTES || maxBytes > MAX_WEBHOOK_MAX_BYTES) {
            problems.add("sla.jira.webhook-max-bytes: '" + s.get("sla.jira.webhook-max-bytes") + "'; expected a size from "
                    + "1KB to 64MB (a webhook body is held in memory while it is checked)");
        } else {
            b.webhookMaxBytes((int) maxBytes);
        }
        b.serviceManagement(s.bool("sla.jira.service-management", false, problems));
        String rule = s.get("sla.jira.customer-rule");
        if (rule != null) {
            try {
                b.customerRule(parseCustomerRule(rule));
            } catch (IllegalArgumentException e) {
                problems.add("sla.jira.customer-rule: " + e.getMessage());
            }
        }
        b.integrationUser(s.get("sla.jira.integration-user"));
        b.statusField(s.get("sla.jira.field.status"));
        b.nextDueField(s.get("sla.jira.field.next-due"));
        for (Metric m : Metric.values()) {
            String field = s.get("sla.jira.field.due." + m.wireName().replace('_', '-'));
            if (field != null) {
                b.dueField(m, field);
            }
        }
        b.tierField(s.get("sla.jira.field.tier"));
        b.accountField(s.get("sla.jira.field.account"));
        for (Map.Entry<String, String> e : s.entries("sla.jira.status.", "SLA_JIRA_STATUS_MAP").entrySet()) {
            TicketStatus status = TicketStatus.fromWire(e.getValue().strip());
            if (status == null) {
                problems.add("sla.jira.status." + e.getKey() + ": '" + e.getValue() + "'; expected one of "
                        + TicketStatus.wireChoices() + splitKeyHint("sla.jira.status.", e.getKey(), e.getValue(),
                                TicketStatus.fromWire(afterEquals(e.getValue())) != null));
            } else {
                b.status(e.getKey(), status);
            }
        }
        for (Map.Entry<String, String> e : s.entries("sla.jira.priority.", "SLA_JIRA_PRIORITY_MAP").entrySet()) {
            Priority priority = Priority.fromWire(e.getValue().strip());
            if (priority == null) {
                problems.add("sla.jira.priority." + e.getKey() + ": '" + e.getValue() + "'; expected one of "
                        + Priority.wireChoices() + splitKeyHint("sla.jira.priority.", e.getKey(), e.getValue(),
                                Priority.fromWire(afterEquals(e.getValue())) != null));
            } else {
                b.priority(e.getKey(), priority);
            }
        }
        String visibility = s.get("sla.jira.internal-visibility");
        if (visibility != null && !visibility.matches("(role|group):.+")) {
            problems.add("sla.jira.internal-visibility: '" + visibility + "'; expected role:<name> or group:<name>");
        }
        b.internalVisibility(visibility);
        String defaultPriority = s.get("sla.jira.default-priority");
        if (defaultPriority != null) {
            Priority p = Priority.fromWire(defaultPriority);
            if (p == null) {
                problems.add("sla.jira.default-priority: '" + defaultPriority + "'; expected one of " + Priority.wireChoices());
            } else {
                b.defaultPriority(p);
            }
        }
        b.pollLookback(s.duration("sla.jira.poll-lookback", Duration.ofDays(1), problems));
        b.notifyWatchers(s.bool("sla.jira.notify-watchers", false, problems));
        b.connectTimeout(s.duration("sla.jira.connect-timeout", Duration.ofSeconds(5), problems));
        b.responseTimeout(s.duration("sla.jira.response-timeout", Duration.ofSeconds(30), problems));
        if (!problems.isEmpty()) {
            throw new JiraConfigException(problems);
        }
        return b.build();
    }

    /**
     * A properties file ends a key at its first unescaped space, so {@code sla.jira.status.Awaiting vendor=on_hold}
     * reads as the key {@code sla.jira.status.Awaiting} with the value {@code vendor=on_hold}. When a wrong value
     * looks like that (words, '=', a valid choice), say how to write the name with its space.
     */
    static String splitKeyHint(String prefix, String key, String value, boolean restIsAChoice) {
        String v = value.strip();
        int eq = v.indexOf('=');
        if (eq <= 0 || !restIsAChoice) {
            return "";
        }
        String name = key + " " + v.substring(0, eq).strip();
        String what = prefix.substring("sla.jira.".length(), prefix.length() - 1); // status, priority
        return "; if the Jira " + what + " is '" + name + "', write " + prefix + name.replace(" ", "\\ ") + "="
                + v.substring(eq + 1).strip() + " (a properties file ends a key at its first space unless it is "
                + "written '\\ ')";
    }

    private static String afterEquals(String value) {
        int eq = value.indexOf('=');
        return eq < 0 ? "" : value.substring(eq + 1).strip();
    }

    static CustomerRule parseCustomerRule(String text) {
        String t = text.strip();
        if (t.equalsIgnoreCase("reporter")) {
            return new CustomerRule(CustomerRule.Kind.REPORTER, List.of());
        }
        int colon = t.indexOf(':');
        String kind = colon < 0 ? t : t.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        List<String> values = colon < 0 ? List.of() : Settings.split(t.substring(colon + 1));
        if (values.isEmpty() && (kind.equals("agent-group") || kind.equals("agent-domain"))) {
            throw new IllegalArgumentException("'" + text + "' names no " + kind.substring(6) + "; expected e.g. "
                    + kind + ":" + (kind.equals("agent-group") ? "support-agents" : "example.com"));
        }
        return switch (kind) {
            case "agent-group" -> new CustomerRule(CustomerRule.Kind.AGENT_GROUP, values);
            case "agent-domain" -> new CustomerRule(CustomerRule.Kind.AGENT_DOMAIN,
                    values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList());
            default -> throw new IllegalArgumentException("'" + text
                    + "'; expected reporter, agent-group:<group,...> or agent-domain:<domain,...>");
        };
    }

    /** Builds a configuration in code (tests, the demo); defaults as in {@link #from}. */
    public static final class Builder {
        private URI url;
        private Deployment deployment = Deployment.CLOUD;
        private String email;
        private String apiToken;
        private String pat;
        private List<String> projects = List.of();
        private Duration pollInterval = Duration.ofSeconds(60);
        private Duration pollOverlap = Duration.ofMinutes(2);
        private int pageSize = 50;
        private String webhookSecret;
        private String webhookPath = "/webhooks/jira";
        private int webhookMaxBytes = DEFAULT_WEBHOOK_MAX_BYTES;
        private boolean serviceManagement;
        private CustomerRule customerRule = new CustomerRule(CustomerRule.Kind.REPORTER, List.of());
        private String integrationUser;
        private String statusField;
        private String nextDueField;
        private final Map<Metric, String> dueFields = new EnumMap<>(Metric.class);
        private String tierField;
        private String accountField;
        private final Map<String, TicketStatus> statusByName = new LinkedHashMap<>();
        private final Map<String, Priority> priorityByName = new LinkedHashMap<>();
        private final Map<Priority, String> jiraPriorityNames = new EnumMap<>(Priority.class);
        private String internalVisibility;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration responseTimeout = Duration.ofSeconds(30);
        private Priority defaultPriority = Priority.NORMAL;
        private Duration pollLookback = Duration.ofDays(1);
        private boolean notifyWatchers;

        private Builder() {
            // Jira's default priority scheme.
            priorityByName.put("highest", Priority.URGENT);
            priorityByName.put("blocker", Priority.URGENT);
            priorityByName.put("critical", Priority.URGENT);
            priorityByName.put("high", Priority.HIGH);
            priorityByName.put("major", Priority.HIGH);
            priorityByName.put("medium", Priority.NORMAL);
            priorityByName.put("low", Priority.LOW);
            priorityByName.put("minor", Priority.LOW);
            priorityByName.put("lowest", Priority.LOW);
            priorityByName.put("trivial", Priority.LOW);
            jiraPriorityNames.put(Priority.URGENT, "Highest");
            jiraPriorityNames.put(Priority.HIGH, "High");
            jiraPriorityNames.put(Priority.NORMAL, "Medium");
            jiraPriorityNames.put(Priority.LOW, "Low");
        }

        public Builder url(URI value) {
            String text = value.toString();
            this.url = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            return this;
        }

        public Builder deployment(Deployment value) {
            this.deployment = Objects.requireNonNull(value);
            return this;
        }

        public Builder basic(String email, String apiToken) {
            this.email = email;
            this.apiToken = apiToken;
            this.pat = null;
            return this;
        }

        public Builder pat(String value) {
            this.pat = value;
            return this;
        }

        public Builder projects(List<String> value) {
            this.projects = List.copyOf(value);
            return this;
        }

        public Builder pollInterval(Duration value) {
            this.pollInterval = value;
            return this;
        }

        public Builder pollOverlap(Duration value) {
            this.pollOverlap = value;
            return this;
        }

        public Builder pageSize(int value) {
            this.pageSize = value;
            return this;
        }

        public Builder webhookSecret(String value) {
            this.webhookSecret = value == null || value.isEmpty() ? null : value;
            return this;
        }

        public Builder webhookPath(String value) {
            this.webhookPath = value.startsWith("/") ? value : "/" + value;
            return this;
        }

        public Builder webhookMaxBytes(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("webhookMaxBytes must be positive, got " + value);
            }
            this.webhookMaxBytes = value;
            return this;
        }

        public Builder serviceManagement(boolean value) {
            this.serviceManagement = value;
            return this;
        }

        public Builder customerRule(CustomerRule value) {
            this.customerRule = Objects.requireNonNull(value);
            return this;
        }

        public Builder integrationUser(String value) {
            this.integrationUser = value;
            return this;
        }

        public Builder statusField(String value) {
            this.statusField = value;
            return this;
        }

        public Builder nextDueField(String value) {
            this.nextDueField = value;
            return this;
        }

        public Builder dueField(Metric metric, String field) {
            this.dueFields.put(metric, field);
            return this;
        }

        public Builder tierField(String value) {
            this.tierField = value;
            return this;
        }

        public Builder accountField(String value) {
            this.accountField = value;
            return this;
        }

        /** Maps a Jira status name (any case) to a ticket status; unmapped names go by status category. */
        public Builder status(String jiraName, TicketStatus status) {
            this.statusByName.put(jiraName.strip().toLowerCase(Locale.ROOT), status);
            return this;
        }

        /** Maps a Jira priority name (any case); the first name mapped to a priority is the one written back. */
        public Builder priority(String jiraName, Priority priority) {
            String key = jiraName.strip().toLowerCase(Locale.ROOT);
            if (!customPriorities) {
                // A custom scheme replaces the default one rather than mixing with it.
                customPriorities = true;
                priorityByName.clear();
                jiraPriorityNames.clear();
            }
            this.priorityByName.put(key, priority);
            this.jiraPriorityNames.putIfAbsent(priority, jiraName.strip());
            return this;
        }

        private boolean customPriorities;

        public Builder internalVisibility(String value) {
            this.internalVisibility = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = value;
            return this;
        }

        public Builder responseTimeout(Duration value) {
            this.responseTimeout = value;
            return this;
        }

        public Builder defaultPriority(Priority value) {
            this.defaultPriority = Objects.requireNonNull(value);
            return this;
        }

        public Builder pollLookback(Duration value) {
            this.pollLookback = value;
            return this;
        }

        public Builder notifyWatchers(boolean value) {
            this.notifyWatchers = value;
            return this;
        }

        public JiraConfig build() {
            Objects.requireNonNull(url, "url");
            if (pat == null && (email == null || apiToken == null)) {
                throw new IllegalStateException("Jira credentials: email and API token, or a personal access token");
            }
            return new JiraConfig(this);
        }
    }
}
