package io.slabridge.connector.salesforce;

import io.slabridge.core.config.Setting;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketStatus;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The Salesforce connector's settings ({@code sla.salesforce.*}), each declared once: name, kind, default, secret
 * mark and what it is for. {@link SalesforceConfig} reads them; docs/reference/settings.md is generated from
 * {@link #ALL}.
 */
public final class SalesforceSettings {
    private SalesforceSettings() {
    }

    /** An API name, or a dotted path through lookups ({@code Account.Tier__c}): nothing else goes into SOQL. */
    static final Pattern FIELD_PATH = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)*");
    private static final Pattern API_VERSION_PATTERN = Pattern.compile("[1-9][0-9]\\.0");

    public static final Setting<Boolean> ENABLED = Setting.bool("sla.salesforce.enabled").withDefault(false)
            .describedAs("Turns the Salesforce connector on.");
    public static final Setting<String> LOGIN_URL = Setting.of("sla.salesforce.login-url", "URL",
            httpUrl("https://login.salesforce.com or https://test.salesforce.com"))
            .withDefault("https://login.salesforce.com")
            .describedAs("The login host: https://login.salesforce.com, https://test.salesforce.com or My Domain.");
    public static final Setting<String> INSTANCE_URL = Setting.of("sla.salesforce.instance-url", "URL",
            httpUrl("https://acme.my.salesforce.com"))
            .describedAs("The instance to call instead of the one the token response names.");
    public static final Setting<SalesforceConfig.Auth> AUTH = Setting.of("sla.salesforce.auth",
            "client-credentials, jwt or username-password", v -> switch (v.toLowerCase(Locale.ROOT)) {
                case "client-credentials", "client_credentials" -> SalesforceConfig.Auth.CLIENT_CREDENTIALS;
                case "jwt", "jwt-bearer" -> SalesforceConfig.Auth.JWT;
                case "username-password", "password" -> SalesforceConfig.Auth.USERNAME_PASSWORD;
                default -> throw new IllegalArgumentException("client-credentials, jwt or username-password");
            }).withDefault(null, "jwt with a keystore, username-password with a password, else client-credentials")
            .describedAs("The OAuth 2.0 flow camel-salesforce logs in with.");
    public static final Setting<String> CLIENT_ID = Setting.text("sla.salesforce.client-id")
            .describedAs("The connected app's consumer key (required).");
    public static final Setting<String> CLIENT_SECRET = Setting.text("sla.salesforce.client-secret").secret()
            .describedAs("The connected app's consumer secret (client credentials and username-password flows).");
    public static final Setting<String> USERNAME = Setting.text("sla.salesforce.username")
            .describedAs("The user the JWT and username-password flows log in as.");
    public static final Setting<String> PASSWORD = Setting.text("sla.salesforce.password").secret()
            .describedAs("Username-password flow: the password followed by the security token, if the org asks.");
    public static final Setting<String> KEYSTORE = Setting.text("sla.salesforce.keystore")
            .describedAs("JWT flow: a PKCS12 or JKS keystore with the private key of the connected app's certificate.");
    public static final Setting<String> KEYSTORE_PASSWORD = Setting.text("sla.salesforce.keystore-password").secret()
            .describedAs("JWT flow: the keystore's password.");
    public static final Setting<String> JWT_AUDIENCE = Setting.text("sla.salesforce.jwt-audience")
            .describedAs("JWT flow: the assertion's audience, when not the login URL.");
    public static final Setting<String> API_VERSION = Setting.of("sla.salesforce.api-version", "REST API version",
            v -> {
                String version = v.startsWith("v") ? v.substring(1) : v;
                if (!API_VERSION_PATTERN.matcher(version).matches()) {
                    throw new IllegalArgumentException("a REST API version such as 62.0");
                }
                return version;
            }).withDefault("62.0").describedAs("The REST API version called.");
    public static final Setting<Duration> POLL_INTERVAL = Setting.duration("sla.salesforce.poll-interval")
            .withDefault(Duration.ofSeconds(60)).describedAs("How often Cases and their feeds are queried for changes.");
    public static final Setting<Duration> POLL_OVERLAP = Setting.duration("sla.salesforce.poll-overlap")
            .withDefault(Duration.ofMinutes(2))
            .describedAs("How far before each stream's cursor a poll starts again (commits that land late).");
    public static final Setting<Duration> POLL_LOOKBACK = Setting.duration("sla.salesforce.poll-lookback")
            .withDefault(Duration.ofDays(1)).describedAs("How far back the very first poll reads.");
    public static final Setting<Integer> PAGE_SIZE = Setting.integer("sla.salesforce.page-size", 200, 2000)
            .withDefault(200).describedAs("Records per query page (Sforce-Query-Options: batchSize).");
    public static final Setting<String> CASE_FILTER = Setting.text("sla.salesforce.case-filter")
            .describedAs("An extra SOQL condition on Case, e.g. RecordType.DeveloperName = 'Support'.");
    public static final Setting<String> INTEGRATION_USER = Setting.of("sla.salesforce.integration-user", "User id",
            v -> {
                if (!v.matches("[A-Za-z0-9]{15}|[A-Za-z0-9]{18}")) {
                    throw new IllegalArgumentException("a User id (005...)");
                }
                return v;
            }).describedAs("The integration user's id; unset: the user the OAuth token belongs to.");
    public static final Setting<List<String>> AGENT_USER_TYPES = Setting.list("sla.salesforce.agent-user-types")
            .withDefault(List.of("Standard"))
            .describedAs("User.UserType values of agents; any other type (portal, community, guest) is a customer.");
    public static final Setting<List<String>> AUTO_REPLY_ADDRESSES = Setting
            .list("sla.salesforce.auto-reply-addresses").withDefault(List.of(), "")
            .describedAs("Outgoing e-mails from these addresses (auto-responses) are no agent reply.");
    public static final Setting<String> STATUS_FIELD = field("sla.salesforce.field.status",
            "The Case field the SLA status is written to.");
    public static final Setting<String> NEXT_DUE_FIELD = field("sla.salesforce.field.next-due",
            "The Case field (date-time) the next due instant is written to.");
    /** {@code sla.salesforce.field.due.<metric>}: one Case field (date-time) per metric, its due instant. */
    public static final Map<Metric, Setting<String>> DUE_FIELDS = dueFields();
    public static final Setting<String> TIER_FIELD = field("sla.salesforce.field.tier",
            "A Case field or lookup path (Account.Tier__c) read as the ticket's tier.");
    public static final Setting<String> ACCOUNT_FIELD = field("sla.salesforce.field.account",
            "A Case field or lookup path read as the ticket's account.");
    public static final Setting<String> LINKED_JIRA_FIELD = field("sla.salesforce.field.linked-jira",
            "A Case field holding the Jira issue key (or its /browse/ URL) the Case is escalated to; unset: off.");
    public static final Setting<String> LINKED_STATUS_FIELD = field("sla.salesforce.field.linked-status",
            "The Case field (text) showing each linked engineering issue's OLA state (ENG-42 At risk).");
    public static final Setting<String> LINKED_DUE_FIELD = field("sla.salesforce.field.linked-due",
            "The Case field (date-time) showing the earliest due of the linked engineering issues' OLAs.");
    public static final Setting<Map<String, String>> STATUS = Setting.entries("sla.salesforce.status.", "Value",
            "SLA_SALESFORCE_STATUS_MAP", "one of " + TicketStatus.wireChoices())
            // Salesforce's default Case Status picklist, and the values Service Cloud set-ups commonly add.
            .withDefault(Setting.pairs("New", "open", "Open", "open", "Reopened", "open", "Working", "in_progress",
                    "In Progress", "in_progress", "Escalated", "in_progress", "On Hold", "on_hold",
                    "Waiting on Customer", "waiting_on_customer", "Waiting for Customer", "waiting_on_customer",
                    "Resolved", "resolved", "Closed", "closed"))
            .describedAs("Maps a Case Status value (- or _ for spaces) to a ticket status; the defaults stay for the "
                    + "values not set.");
    public static final Setting<Map<String, String>> PRIORITY = Setting.entries("sla.salesforce.priority.", "Value",
            "SLA_SALESFORCE_PRIORITY_MAP", "one of " + Priority.wireChoices())
            // Salesforce's default Case Priority picklist is High, Medium, Low; Critical is commonly added.
            .withDefault(Setting.pairs("Critical", "urgent", "Urgent", "urgent", "High", "high", "Medium", "normal",
                    "Normal", "normal", "Low", "low"))
            .describedAs("Maps a Case Priority value; any one set replaces the default picklist; the first value per "
                    + "priority is the one an escalation's set_priority writes.");
    public static final Setting<Priority> DEFAULT_PRIORITY = Setting.priority("sla.salesforce.default-priority")
            .withDefault(Priority.NORMAL).describedAs("The priority of a Case whose priority is not mapped.");
    public static final Setting<SalesforceConfig.CommentObject> COMMENT_OBJECT = Setting.of(
            "sla.salesforce.comment-object", "CaseComment or FeedItem", v -> switch (v.toLowerCase(Locale.ROOT)) {
                case "casecomment", "case-comment" -> SalesforceConfig.CommentObject.CASE_COMMENT;
                case "feeditem", "feed-item", "chatter" -> SalesforceConfig.CommentObject.FEED_ITEM;
                default -> throw new IllegalArgumentException("CaseComment or FeedItem");
            }).withDefault(SalesforceConfig.CommentObject.CASE_COMMENT, "CaseComment")
            .describedAs("Where escalation comments go: a CaseComment or a Chatter FeedItem.");
    public static final Setting<Duration> REQUEST_TIMEOUT = Setting.duration("sla.salesforce.request-timeout")
            .withDefault(Duration.ofSeconds(60)).describedAs("How long Salesforce may take to answer a call.");
    public static final Setting<Duration> LIMIT_RETRY_AFTER = Setting.duration("sla.salesforce.limit-retry-after")
            .withDefault(Duration.ofMinutes(15))
            .describedAs("How long write-backs wait after REQUEST_LIMIT_EXCEEDED (the API limit is a rolling 24 h).");
    public static final Setting<Integer> WRITE_CONCURRENCY = Setting.integer("sla.salesforce.write-concurrency", 1, 16)
            .withDefault(2).describedAs("How many write-back calls (different Cases) may be out at once.");

    /** Every Salesforce setting, in the order the reference lists them. */
    public static final List<Setting<?>> ALL = all();

    private static List<Setting<?>> all() {
        List<Setting<?>> all = new ArrayList<>(List.of(ENABLED, LOGIN_URL, INSTANCE_URL, AUTH, CLIENT_ID,
                CLIENT_SECRET, USERNAME, PASSWORD, KEYSTORE, KEYSTORE_PASSWORD, JWT_AUDIENCE, API_VERSION, POLL_INTERVAL,
                POLL_OVERLAP, POLL_LOOKBACK, PAGE_SIZE, CASE_FILTER, INTEGRATION_USER, AGENT_USER_TYPES,
                AUTO_REPLY_ADDRESSES, STATUS_FIELD, NEXT_DUE_FIELD));
        all.addAll(DUE_FIELDS.values());
        all.addAll(List.of(TIER_FIELD, ACCOUNT_FIELD, LINKED_JIRA_FIELD, LINKED_STATUS_FIELD, LINKED_DUE_FIELD, STATUS, PRIORITY, DEFAULT_PRIORITY, COMMENT_OBJECT,
                REQUEST_TIMEOUT, LIMIT_RETRY_AFTER, WRITE_CONCURRENCY));
        Setting.byName(all); // a name declared twice fails here, at class load
        return List.copyOf(all);
    }

    private static Map<Metric, Setting<String>> dueFields() {
        Map<Metric, Setting<String>> m = new EnumMap<>(Metric.class);
        for (Metric metric : Metric.values()) {
            m.put(metric, field("sla.salesforce.field.due." + metric.wireName().replace('_', '-'), "The Case field "
                    + "(date-time) the " + metric.wireName().replace('_', ' ') + " due instant is written to."));
        }
        return Collections.unmodifiableMap(m);
    }

    /** A field API name ({@code SLA_Status__c}, or {@code Account.Tier__c} through a lookup). */
    private static Setting<String> field(String name, String description) {
        return Setting.of(name, "field API name", v -> {
            if (!FIELD_PATH.matcher(v).matches()) {
                throw new IllegalArgumentException("a field API name (e.g. SLA_Status__c, or Account.Tier__c through "
                        + "a lookup)");
            }
            return v;
        }).describedAs(description);
    }

    /** An absolute http(s) URL, kept as text without a trailing slash. */
    private static Function<String, String> httpUrl(String example) {
        return v -> {
            try {
                URI uri = URI.create(v);
                if (uri.getHost() != null && ("https".equalsIgnoreCase(uri.getScheme())
                        || "http".equalsIgnoreCase(uri.getScheme()))) {
                    return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            throw new IllegalArgumentException("an http(s) URL such as " + example);
        };
    }
}
