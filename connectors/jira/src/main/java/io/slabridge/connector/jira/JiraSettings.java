package io.slabridge.connector.jira;

import io.slabridge.core.config.Setting;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.Priority;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Jira connector's settings ({@code sla.jira.*}), each declared once: name, kind, default, secret mark and what
 * it is for. {@link JiraConfig} reads them; docs/reference/settings.md is generated from {@link #ALL}.
 */
public final class JiraSettings {
    private JiraSettings() {
    }

    public static final Setting<Boolean> ENABLED = Setting.bool("sla.jira.enabled").withDefault(false)
            .describedAs("Turns the Jira connector on.");
    public static final Setting<URI> URL = Setting.url("sla.jira.url")
            .describedAs("The Jira base URL, e.g. https://acme.atlassian.net (required).");
    public static final Setting<JiraConfig.Deployment> DEPLOYMENT = Setting.of("sla.jira.deployment",
            "cloud or data-center", v -> switch (v.toLowerCase(Locale.ROOT)) {
                case "cloud" -> JiraConfig.Deployment.CLOUD;
                case "data-center", "datacenter", "server" -> JiraConfig.Deployment.DATA_CENTER;
                default -> throw new IllegalArgumentException("cloud or data-center");
            }).withDefault(null, "cloud; data-center when sla.jira.pat is set")
            .describedAs("Which Jira: REST v3 and ADF comments (cloud) or REST v2 and plain text (data-center).");
    public static final Setting<String> EMAIL = Setting.text("sla.jira.email")
            .describedAs("Cloud: the integration user's e-mail, with sla.jira.api-token.");
    public static final Setting<String> API_TOKEN = Setting.text("sla.jira.api-token").secret()
            .describedAs("Cloud: the integration user's API token (Basic auth with sla.jira.email).");
    public static final Setting<String> PAT = Setting.text("sla.jira.pat").secret()
            .describedAs("Data Center: a personal access token (Bearer auth); instead of e-mail and API token.");
    public static final Setting<List<String>> PROJECTS = Setting.list("sla.jira.projects").withDefault(List.of(), "")
            .describedAs("Project keys the poller searches; unset: no polling (webhooks only).");
    public static final Setting<Duration> POLL_INTERVAL = Setting.duration("sla.jira.poll-interval")
            .withDefault(Duration.ofSeconds(60)).describedAs("How often the projects are searched for changed issues.");
    public static final Setting<Duration> POLL_OVERLAP = Setting.duration("sla.jira.poll-overlap")
            .withDefault(Duration.ofMinutes(2))
            .describedAs("How far before the last seen update each poll starts again (JQL has minute resolution).");
    public static final Setting<Duration> POLL_LOOKBACK = Setting.duration("sla.jira.poll-lookback")
            .withDefault(Duration.ofDays(1)).describedAs("How far back the very first poll reads.");
    public static final Setting<Integer> PAGE_SIZE = Setting.integer("sla.jira.page-size", 1, 100).withDefault(50)
            .describedAs("Issues per search page.");
    public static final Setting<String> WEBHOOK_SECRET = Setting.text("sla.jira.webhook-secret").secret()
            .describedAs("The secret Jira signs each webhook delivery with (required unless sla.jira.webhook-unsigned).");
    public static final Setting<Boolean> WEBHOOK_UNSIGNED = Setting.bool("sla.jira.webhook-unsigned")
            .withDefault(false)
            .describedAs("Accept unsigned webhook deliveries: only where a gateway in front checks them.");
    public static final Setting<String> WEBHOOK_PATH = Setting.text("sla.jira.webhook-path")
            .withDefault("/webhooks/jira").describedAs("The HTTP path Jira's webhook posts to.");
    public static final Setting<Long> WEBHOOK_MAX_BYTES = Setting.bytes("sla.jira.webhook-max-bytes", 1L << 10,
            64L << 20, "1KB to 64MB (a webhook body is held in memory while it is checked)")
            .withDefault(1L << 20, "1MB").describedAs("The largest webhook body read; a larger one is answered 413.");
    public static final Setting<Boolean> SERVICE_MANAGEMENT = Setting.bool("sla.jira.service-management")
            .withDefault(false)
            .describedAs("A Jira Service Management project: public and internal comments, customer accounts.");
    public static final Setting<JiraConfig.CustomerRule> CUSTOMER_RULE = Setting.of("sla.jira.customer-rule",
            "reporter, agent-group:<groups> or agent-domain:<domains>", JiraConfig::parseCustomerRule)
            .withDefault(new JiraConfig.CustomerRule(JiraConfig.CustomerRule.Kind.REPORTER, List.of()), "reporter")
            .describedAs("Outside JSM, how agents are told from customers.");
    public static final Setting<String> INTEGRATION_USER = Setting.text("sla.jira.integration-user")
            .describedAs("The account id (Cloud) or user name (Data Center) whose changes are ours; unset: /myself.");
    public static final Setting<String> STATUS_FIELD = Setting.text("sla.jira.field.status")
            .describedAs("Custom field id of the SLA status select field; unset: not written.");
    public static final Setting<String> NEXT_DUE_FIELD = Setting.text("sla.jira.field.next-due")
            .describedAs("Custom field id (date-time) the next due instant is written to.");
    /** {@code sla.jira.field.due.<metric>}: one custom field (date-time) per metric, its due instant. */
    public static final Map<Metric, Setting<String>> DUE_FIELDS = dueFields();
    public static final Setting<String> TIER_FIELD = Setting.text("sla.jira.field.tier")
            .describedAs("Custom field id read as the ticket's tier.");
    public static final Setting<String> ACCOUNT_FIELD = Setting.text("sla.jira.field.account")
            .describedAs("Custom field id read as the ticket's account.");
    public static final Setting<String> LINKED_CASE_FIELD = Setting.text("sla.jira.field.linked-case")
            .describedAs("Custom field id holding the Salesforce Case the issue serves: its id, URL or number (a number "
                    + "is looked up through the Salesforce connector); unset: off.");
    public static final Setting<String> LINKED_STATUS_FIELD = Setting.text("sla.jira.field.linked-status")
            .describedAs("Custom field id (text) showing, on a customer request, each linked engineering issue's OLA "
                    + "state (ENG-42 At risk).");
    public static final Setting<String> LINKED_DUE_FIELD = Setting.text("sla.jira.field.linked-due")
            .describedAs("Custom field id (date-time) showing, on a customer request, the earliest linked OLA due.");
    public static final Setting<String> CUSTOMER_STATUS_FIELD = Setting.text("sla.jira.field.customer-status")
            .describedAs("Custom field id (text) showing, on an engineering issue, the most urgent linked customer "
                    + "ticket's SLA state.");
    public static final Setting<String> CUSTOMER_DUE_FIELD = Setting.text("sla.jira.field.customer-due")
            .describedAs("Custom field id (date-time) showing, on an engineering issue, that customer ticket's due.");
    public static final Setting<String> CUSTOMER_ACCOUNT_FIELD = Setting.text("sla.jira.field.customer-account")
            .describedAs("Custom field id (text) showing, on an engineering issue, that customer's account (tier).");
    public static final Setting<String> CUSTOMERS_WAITING_FIELD = Setting.text("sla.jira.field.customers-waiting")
            .describedAs("Custom field id (number) showing, on an engineering issue, how many linked customer "
                    + "tickets wait on it.");
    public static final Setting<List<String>> LINK_TYPES = Setting.list("sla.jira.link-types").withDefault(List.of(), "")
            .describedAs("Issue link types read as ticket links: type names (Relates) or one side's words "
                    + "(is caused by); empty: off.");
    public static final Setting<List<String>> REMOTE_LINKS = Setting.list("sla.jira.remote-links")
            .withDefault(List.of(), "")
            .describedAs("Project keys whose issues' remote links (web links) to a Salesforce Case are read as ticket "
                    + "links: one more call per issue read; empty: off.");
    public static final Setting<Map<String, String>> STATUS = Setting.entries("sla.jira.status.", "Name",
            "SLA_JIRA_STATUS_MAP", "one of " + io.slabridge.core.model.TicketStatus.wireChoices())
            .describedAs("Maps a Jira status name to a ticket status; unmapped names go by status category.");
    public static final Setting<Map<String, String>> PRIORITY = Setting.entries("sla.jira.priority.", "Name",
            "SLA_JIRA_PRIORITY_MAP", "one of " + Priority.wireChoices())
            .withDefault(Setting.pairs("Highest", "urgent", "Blocker", "urgent", "Critical", "urgent", "High", "high",
                    "Major", "high", "Medium", "normal", "Low", "low", "Minor", "low", "Lowest", "low", "Trivial", "low"))
            .describedAs("Maps a Jira priority name; any one set replaces Jira's default scheme; the first name per "
                    + "priority is the one an escalation's set_priority writes.");
    public static final Setting<String> INTERNAL_VISIBILITY = Setting.of("sla.jira.internal-visibility",
            "role:<name> or group:<name>", v -> {
                if (!v.matches("(role|group):.+")) {
                    throw new IllegalArgumentException("role:<name> or group:<name>");
                }
                return v;
            }).describedAs("Outside JSM, the visibility restriction of internal comments; unset: none.");
    public static final Setting<Priority> DEFAULT_PRIORITY = Setting.priority("sla.jira.default-priority")
            .withDefault(Priority.NORMAL).describedAs("The priority of an issue whose priority is not mapped.");
    public static final Setting<Boolean> NOTIFY_WATCHERS = Setting.bool("sla.jira.notify-watchers").withDefault(false)
            .describedAs("Whether an SLA field write notifies the issue's watchers.");
    public static final Setting<Duration> CONNECT_TIMEOUT = Setting.duration("sla.jira.connect-timeout")
            .withDefault(Duration.ofSeconds(5)).describedAs("How long a connection to Jira may take.");
    public static final Setting<Duration> RESPONSE_TIMEOUT = Setting.duration("sla.jira.response-timeout")
            .withDefault(Duration.ofSeconds(30)).describedAs("How long Jira may take to answer a call.");
    public static final Setting<Integer> WRITE_CONCURRENCY = Setting.integer("sla.jira.write-concurrency", 1, 64)
            .withDefault(4).describedAs("How many write-back calls (different issues) may be out at once.");

    private static Map<Metric, Setting<String>> dueFields() {
        Map<Metric, Setting<String>> m = new EnumMap<>(Metric.class);
        for (Metric metric : Metric.values()) {
            m.put(metric, Setting.text("sla.jira.field.due." + metric.wireName().replace('_', '-'))
                    .describedAs("Custom field id (date-time) the " + metric.wireName().replace('_', ' ')
                            + " due instant is written to."));
        }
        return Collections.unmodifiableMap(m);
    }

    /** Every Jira setting, in the order the reference lists them. */
    public static final List<Setting<?>> ALL = all();

    private static List<Setting<?>> all() {
        List<Setting<?>> all = new ArrayList<>(List.of(ENABLED, URL, DEPLOYMENT, EMAIL, API_TOKEN, PAT, PROJECTS,
                POLL_INTERVAL, POLL_OVERLAP, POLL_LOOKBACK, PAGE_SIZE, WEBHOOK_SECRET, WEBHOOK_UNSIGNED, WEBHOOK_PATH,
                WEBHOOK_MAX_BYTES, SERVICE_MANAGEMENT, CUSTOMER_RULE, INTEGRATION_USER, STATUS_FIELD, NEXT_DUE_FIELD));
        all.addAll(DUE_FIELDS.values());
        all.addAll(List.of(TIER_FIELD, ACCOUNT_FIELD, LINKED_CASE_FIELD, LINKED_STATUS_FIELD, LINKED_DUE_FIELD,
                CUSTOMER_STATUS_FIELD, CUSTOMER_DUE_FIELD, CUSTOMER_ACCOUNT_FIELD, CUSTOMERS_WAITING_FIELD, LINK_TYPES,
                REMOTE_LINKS, STATUS, PRIORITY, INTERNAL_VISIBILITY, DEFAULT_PRIORITY,
                NOTIFY_WATCHERS, CONNECT_TIMEOUT, RESPONSE_TIMEOUT, WRITE_CONCURRENCY));
        Setting.byName(all); // a name declared twice fails here, at class load
        return List.copyOf(all);
    }
}
