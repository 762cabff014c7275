package io.slabridge.connector.salesforce;

import io.slabridge.core.config.Settings;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketStatus;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.regex.Pattern;

/**
 * The Salesforce connector's settings ({@code sla.salesforce.*}), read from properties first and then from
 * environment variables ({@code sla.salesforce.client-secret} → {@code SLA_SALESFORCE_CLIENT_SECRET}).
 * {@link #from} reports every wrong setting at once, each naming its property. Secrets (client secret, password,
 * keystore password) are never part of {@link #toString()} nor of any message.
 */
public final class SalesforceConfig {
    /** The OAuth 2.0 flow camel-salesforce logs in with. */
    public enum Auth {
        /** Client credentials: the connected app's "run as" user is the integration user. */
        CLIENT_CREDENTIALS,
        /** JWT bearer: a certificate's private key (in a keystore) signs an assertion for {@code username}. */
        JWT,
        /** Username and password (with the client secret): only when configured explicitly or by a password. */
        USERNAME_PASSWORD
    }

    /** Where escalation comments go. */
    public enum CommentObject {
        /** A {@code CaseComment}; internal ones with {@code IsPublished=false}. */
        CASE_COMMENT,
        /** A Chatter {@code FeedItem} on the Case; internal ones with {@code Visibility=InternalUsers}. */
        FEED_ITEM
    }

    /** An API name, or a dotted path through lookups ({@code Account.Tier__c}): nothing else goes into SOQL. */
    static final Pattern FIELD_PATH = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)*");
    private static final Pattern API_VERSION = Pattern.compile("[1-9][0-9]\\.0");
    public static final String DEFAULT_LOGIN_URL = "https://login.salesforce.com";
    public static final String DEFAULT_API_VERSION = "62.0";

    private final String loginUrl;
    private final String instanceUrl;
    private final Auth auth;
    private final String clientId;
    private final String clientSecret;
    private final String username;
    private final String password;
    private final Path keystore;
    private final String keystorePassword;
    private final String jwtAudience;
    private final String apiVersion;
    private final Duration pollInterval;
    private final Duration pollOverlap;
    private final Duration pollLookback;
    private final int pageSize;
    private final String caseFilter;
    private final String integrationUser;
    private final Set<String> agentUserTypes;
    private final Set<String> autoReplyAddresses;
    private final String statusField;
    private final String nextDueField;
    private final Map<Metric, String> dueFields;
    private final String tierField;
    private final String accountField;
    private final Map<String, TicketStatus> statusByName;
    private final Map<String, Priority> priorityByName;
    private final Map<Priority, String> salesforcePriorityNames;
    private final Priority defaultPriority;
    private final CommentObject commentObject;
    private final Duration requestTimeout;
    private final Duration limitRetryAfter;

    private SalesforceConfig(Builder b) {
        this.loginUrl = b.loginUrl;
        this.instanceUrl = b.instanceUrl;
        this.auth = b.auth;
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.username = b.username;
        this.password = b.password;
        this.keystore = b.keystore;
        this.keystorePassword = b.keystorePassword;
        this.jwtAudience = b.jwtAudience;
        this.apiVersion = b.apiVersion;
        this.pollInterval = b.pollInterval;
        this.pollOverlap = b.pollOverlap;
        this.pollLookback = b.pollLookback;
        this.pageSize = b.pageSize;
        this.caseFilter = b.caseFilter;
        this.integrationUser = b.integrationUser;
        this.agentUserTypes = Collections.unmodifiableSet(new LinkedHashSet<>(b.agentUserTypes));
        this.autoReplyAddresses = Collections.unmodifiableSet(new LinkedHashSet<>(b.autoReplyAddresses));
        this.statusField = b.statusField;
        this.nextDueField = b.nextDueField;
        this.dueFields = Collections.unmodifiableMap(new EnumMap<>(b.dueFields));
        this.tierField = b.tierField;
        this.accountField = b.accountField;
        this.statusByName = Collections.unmodifiableMap(new LinkedHashMap<>(b.statusByName));
        this.priorityByName = Collections.unmodifiableMap(new LinkedHashMap<>(b.priorityByName));
        this.salesforcePriorityNames = Collections.unmodifiableMap(new EnumMap<>(b.salesforcePriorityNames));
        this.defaultPriority = b.defaultPriority;
        this.commentObject = b.commentObject;
        this.requestTimeout = b.requestTimeout;
        this.limitRetryAfter = b.limitRetryAfter;
    }

    /** The login host, e.g. {@code https://login.salesforce.com} or {@code https://acme.my.salesforce.com}. */
    public String loginUrl() {
        return loginUrl;
    }

    /** The instance to call instead of the one the token response names; null: the token's. */
    public String instanceUrl() {
        return instanceUrl;
    }

    public Auth auth() {
        return auth;
    }

    public String clientId() {
        return clientId;
    }

    /** A secret: never log it. */
    String clientSecret() {
        return clientSecret;
    }

    public String username() {
        return username;
    }

    /** A secret: never log it. */
    String password() {
        return password;
    }

    public Path keystore() {
        return keystore;
    }

    /** A secret: never log it. */
    String keystorePassword() {
        return keystorePassword;
    }

    public String jwtAudience() {
        return jwtAudience;
    }

    /** The REST API version, e.g. {@code 62.0}. */
    public String apiVersion() {
        return apiVersion;
    }

    /** {@code /services/data/v62.0}. */
    public String dataPath() {
        return "/services/data/v" + apiVersion;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    /** How far before each stream's cursor a poll starts again (commits that land late in Salesforce). */
    public Duration pollOverlap() {
        return pollOverlap;
    }

    /** How far back the very first poll reads. */
    public Duration pollLookback() {
        return pollLookback;
    }

    /** Records per query page ({@code Sforce-Query-Options: batchSize}); Salesforce may return fewer. */
    public int pageSize() {
        return pageSize;
    }

    /** An extra SOQL condition on Case (e.g. {@code RecordType.DeveloperName = 'Support'}), or null. */
    public String caseFilter() {
        return caseFilter;
    }

    /** The integration user's id; null: the user the OAuth token belongs to (its identity URL). */
    public String integrationUser() {
        return integrationUser;
    }

    /** {@code User.UserType} values of agents; authors of any other type (portal, community, guest) are customers. */
    public Set<String> agentUserTypes() {
        return agentUserTypes;
    }

    /** Outgoing e-mails from these addresses (auto-responses, lower case) are no agent reply. */
    public Set<String> autoReplyAddresses() {
        return autoReplyAddresses;
    }

    public String statusField() {
        return statusField;
    }

    public String nextDueField() {
        return nextDueField;
    }

    public Map<Metric, String> dueFields() {
        return dueFields;
    }

    /** A Case field or a path through a lookup ({@code Account.Tier__c}) read as the ticket's tier; null: none. */
    public String tierField() {
        return tierField;
    }

    public String accountField() {
        return accountField;
    }

    /** Status names (lower case, single spaces) and what they mean; with the defaults of Salesforce's picklist. */
    public Map<String, TicketStatus> statusByName() {
        return statusByName;
    }

    public Map<String, Priority> priorityByName() {
        return priorityByName;
    }

    /** The Case priority value an escalation's {@code set_priority} writes. */
    public Map<Priority, String> salesforcePriorityNames() {
        return salesforcePriorityNames;
    }

    public Priority defaultPriority() {
        return defaultPriority;
    }

    public CommentObject commentObject() {
        return commentObject;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** How long write-backs wait after {@code REQUEST_LIMIT_EXCEEDED} (the org's API limit is a rolling 24 h). */
    public Duration limitRetryAfter() {
        return limitRetryAfter;
    }

    /** Every Case field the connector writes. */
    public List<String> slaFields() {
        List<String> fields = new ArrayList<>();
        if (statusField != null) {
            fields.add(statusField);
        }
        if (nextDueField != null) {
            fields.add(nextDueField);
        }
        fields.addAll(dueFields.values());
        return fields;
    }

    @Override
    public String toString() {
        return "SalesforceConfig[loginUrl=" + loginUrl + ", auth=" + auth + ", clientId=" + clientId
                + (username == null ? "" : ", username=" + username) + ", secrets=****, apiVersion=" + apiVersion
                + ", pollInterval=" + pollInterval + ", fields=" + slaFields() + ", comments=" + commentObject + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads {@code sla.salesforce.*} from {@code properties}, falling back to {@code environment}.
     *
     * @throws SalesforceConfigException listing every wrong or missing setting
     */
    public static SalesforceConfig from(Properties properties, Map<String, String> environment) {
        Settings s = new Settings(properties, environment);
        List<String> problems = new ArrayList<>();
        Builder b = builder();
        String login = s.get("sla.salesforce.login-url");
        if (login != null) {
            if (!isHttpUrl(login)) {
                problems.add("sla.salesforce.login-url: '" + login + "' is not an http(s) URL; expected e.g. "
                        + DEFAULT_LOGIN_URL + " or https://test.salesforce.com");
            } else {
                b.loginUrl(login);
            }
        }
        String instance = s.get("sla.salesforce.instance-url");
        if (instance != null) {
            if (!isHttpUrl(instance)) {
                problems.add("sla.salesforce.instance-url: '" + instance + "' is not an http(s) URL");
            } else {
                b.instanceUrl(instance);
            }
        }
        String clientId = s.get("sla.salesforce.client-id");
        if (clientId == null) {
            problems.add("sla.salesforce.client-id: missing; expected the connected app's consumer key");
        }
        b.clientId(clientId);
        String secret = s.get("sla.salesforce.client-secret");
        String username = s.get("sla.salesforce.username");
        String password = s.get("sla.salesforce.password");
        String keystore = s.get("sla.salesforce.keystore");
        String keystorePassword = s.get("sla.salesforce.keystore-password");
        b.username(username);
        String authText = s.get("sla.salesforce.auth");
        Auth auth = null;
        if (authText != null) {
            switch (authText.strip().toLowerCase(Locale.ROOT)) {
                case "client-credentials", "client_credentials" -> auth = Auth.CLIENT_CREDENTIALS;
                case "jwt", "jwt-bearer" -> auth = Auth.JWT;
                case "username-password", "password" -> auth = Auth.USERNAME_PASSWORD;
                default -> problems.add("sla.salesforce.auth: '" + authText
                        + "'; expected client-credentials, jwt or username-password");
            }
        } else if (keystore != null) {
            auth = Auth.JWT;
        } else if (password != null) {
            auth = Auth.USERNAME_PASSWORD;
        } else {
            auth = Auth.CLIENT_CREDENTIALS;
        }
        if (auth != null) {
            b.auth(auth);
            switch (auth) {
                case CLIENT_CREDENTIALS -> {
                    if (secret == null) {
                        problems.add("sla.salesforce.client-secret: missing; the client credentials flow needs the "
                                + "connected app's consumer secret (or set sla.salesforce.keystore for the JWT flow)");
                    }
                }
                case JWT -> {
                    if (keystore == null) {
                        problems.add("sla.salesforce.keystore: missing; the JWT flow needs a PKCS12 or JKS keystore "
                                + "holding the private key of the connected app's certificate");
                    } else if (!Files.isReadable(Path.of(keystore))) {
                        problems.add("sla.salesforce.keystore: '" + keystore + "' is not a readable file");
                    } else {
                        b.keystore(Path.of(keystore));
                    }
                    if (keystorePassword == null) {
                        problems.add("sla.salesforce.keystore-password: missing; the JWT flow needs the keystore's "
                                + "password");
                    }
                    if (username == null) {
                        problems.add("sla.salesforce.username: missing; the JWT flow logs in as this user");
                    }
                }
                case USERNAME_PASSWORD -> {
                    if (secret == null) {
                        problems.add("sla.salesforce.client-secret: missing; the username-password flow needs the "
                                + "connected app's consumer secret");
                    }
                    if (username == null) {
                        problems.add("sla.salesforce.username: missing; the username-password flow needs it");
                    }
                    if (password == null) {
                        problems.add("sla.salesforce.password: missing; the username-password flow needs it "
                                + "(the password followed by the security token, if the org asks for one)");
                    }
                }
            }
        }
        b.clientSecret(secret);
        b.password(password);
        b.keystorePassword(keystorePassword);
        b.jwtAudience(s.get("sla.salesforce.jwt-audience"));
        String version = s.get("sla.salesforce.api-version");
        if (version != null) {
            String v = version.startsWith("v") ? version.substring(1) : version;
            if (!API_VERSION.matcher(v).matches()) {
                problems.add("sla.salesforce.api-version: '" + version + "'; expected a REST API version such as "
                        + DEFAULT_API_VERSION);
            } else {
                b.apiVersion(v);
            }
        }
        b.pollInterval(s.duration("sla.salesforce.poll-interval", Duration.ofSeconds(60), problems));
        b.pollOverlap(s.duration("sla.salesforce.poll-overlap", Duration.ofMinutes(2), problems));
        b.pollLookback(s.duration("sla.salesforce.poll-lookback", Duration.ofDays(1), problems));
        b.pageSize(s.integer("sla.salesforce.page-size", 200, 200, 2000, problems));
        b.caseFilter(s.get("sla.salesforce.case-filter"));
        String user = s.get("sla.salesforce.integration-user");
        if (user != null && !user.matches("[A-Za-z0-9]{15}|[A-Za-z0-9]{18}")) {
            problems.add("sla.salesforce.integration-user: '" + user + "'; expected a User id (005...)");
        }
        b.integrationUser(user);
        List<String> types = s.list("sla.salesforce.agent-user-types");
        if (!types.isEmpty()) {
            b.agentUserTypes(types);
        }
        b.autoReplyAddresses(s.list("sla.salesforce.auto-reply-addresses"));
        b.statusField(field(s, "sla.salesforce.field.status", problems));
        b.nextDueField(field(s, "sla.salesforce.field.next-due", problems));
        for (Metric m : Metric.values()) {
            String property = "sla.salesforce.field.due." + m.wireName().replace('_', '-');
            String field = field(s, property, problems);
            if (field != null) {
                b.dueField(m, field);
            }
        }
        b.tierField(field(s, "sla.salesforce.field.tier", problems));
        b.accountField(field(s, "sla.salesforce.field.account", problems));
        for (Map.Entry<String, String> e : s.entries("sla.salesforce.status.", "SLA_SALESFORCE_STATUS_MAP").entrySet()) {
            TicketStatus status = TicketStatus.fromWire(e.getValue().strip());
            if (status == null) {
                problems.add("sla.salesforce.status." + e.getKey() + ": '" + e.getValue() + "'; expected one of "
                        + TicketStatus.wireChoices());
            } else {
                b.status(e.getKey(), status);
            }
        }
        for (Map.Entry<String, String> e : s.entries("sla.salesforce.priority.", "SLA_SALESFORCE_PRIORITY_MAP").entrySet()) {
            Priority priority = Priority.fromWire(e.getValue().strip());
            if (priority == null) {
                problems.add("sla.salesforce.priority." + e.getKey() + ": '" + e.getValue() + "'; expected one of "
                        + Priority.wireChoices());
            } else {
                b.priority(e.getKey(), priority);
            }
        }
        String defaultPriority = s.get("sla.salesforce.default-priority");
        if (defaultPriority != null) {
            Priority p = Priority.fromWire(defaultPriority);
            if (p == null) {
                problems.add("sla.salesforce.default-priority: '" + defaultPriority + "'; expected one of "
                        + Priority.wireChoices());
            } else {
                b.defaultPriority(p);
            }
        }
        String comments = s.get("sla.salesforce.comment-object");
        if (comments != null) {
            switch (comments.strip().toLowerCase(Locale.ROOT)) {
                case "casecomment", "case-comment" -> b.commentObject(CommentObject.CASE_COMMENT);
                case "feeditem", "feed-item", "chatter" -> b.commentObject(CommentObject.FEED_ITEM);
                default -> problems.add("sla.salesforce.comment-object: '" + comments
                        + "'; expected CaseComment or FeedItem");
            }
        }
        b.requestTimeout(s.duration("sla.salesforce.request-timeout", Duration.ofSeconds(60), problems));
        b.limitRetryAfter(s.duration("sla.salesforce.limit-retry-after", Duration.ofMinutes(15), problems));
        if (!problems.isEmpty()) {
            throw new SalesforceConfigException(problems);
        }
        return b.build();
    }

    private static boolean isHttpUrl(String text) {
        try {
            URI uri = URI.create(text);
            return uri.getHost() != null && ("https".equalsIgnoreCase(uri.getScheme())
                    || "http".equalsIgnoreCase(uri.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A status or priority name as a map key: lower case, {@code -} and {@code _} read as spaces. */
    static String nameKey(String name) {
        return name.strip().toLowerCase(Locale.ROOT).replace('-', ' ').replace('_', ' ').replaceAll("\\s+", " ");
    }

    /** Builds a configuration in code (tests, the demo); defaults as in {@link #from}. */
    public static final class Builder {
        private String loginUrl = DEFAULT_LOGIN_URL;
        private String instanceUrl;
        private Auth auth = Auth.CLIENT_CREDENTIALS;
        private String clientId;
        private String clientSecret;
        private String username;
        private String password;
        private Path keystore;
        private String keystorePassword;
        private String jwtAudience;
        private String apiVersion = DEFAULT_API_VERSION;
        private Duration pollInterval = Duration.ofSeconds(60);
        private Duration pollOverlap = Duration.ofMinutes(2);
        private Duration pollLookback = Duration.ofDays(1);
        private int pageSize = 200;
        private String caseFilter;
        private String integrationUser;
        private List<String> agentUserTypes = List.of("Standard");
        private final List<String> autoReplyAddresses = new ArrayList<>();
        private String statusField;
        private String nextDueField;
        private final Map<Metric, String> dueFields = new EnumMap<>(Metric.class);
        private String tierField;
        private String accountField;
        private final Map<String, TicketStatus> statusByName = new LinkedHashMap<>();
        private final Map<String, Priority> priorityByName = new LinkedHashMap<>();
        private final Map<Priority, String> salesforcePriorityNames = new EnumMap<>(Priority.class);
        private boolean customPriorities;
        private Priority defaultPriority = Priority.NORMAL;
        private CommentObject commentObject = CommentObject.CASE_COMMENT;
        private Duration requestTimeout = Duration.ofSeconds(60);
        private Duration limitRetryAfter = Duration.ofMinutes(15);

        private Builder() {
            // Salesforce's default Case Status picklist, and the values Service Cloud set-ups commonly add.
            statusByName.put("new", TicketStatus.OPEN);
            statusByName.put("open", TicketStatus.OPEN);
            statusByName.put("reopened", TicketStatus.OPEN);
            statusByName.put("working", TicketStatus.IN_PROGRESS);
            statusByName.put("in progress", TicketStatus.IN_PROGRESS);
            statusByName.put("escalated", TicketStatus.IN_PROGRESS);
            statusByName.put("on hold", TicketStatus.ON_HOLD);
            statusByName.put("waiting on customer", TicketStatus.WAITING_ON_CUSTOMER);
            statusByName.put("waiting for customer", TicketStatus.WAITING_ON_CUSTOMER);
            statusByName.put("resolved", TicketStatus.RESOLVED);
            statusByName.put("closed", TicketStatus.CLOSED);
            // Salesforce's default Case Priority picklist is High, Medium, Low.
            priorityByName.put("critical", Priority.URGENT);
            priorityByName.put("urgent", Priority.URGENT);
            priorityByName.put("high", Priority.HIGH);
            priorityByName.put("medium", Priority.NORMAL);
            priorityByName.put("normal", Priority.NORMAL);
            priorityByName.put("low", Priority.LOW);
            salesforcePriorityNames.put(Priority.URGENT, "Critical");
            salesforcePriorityNames.put(Priority.HIGH, "High");
            salesforcePriorityNames.put(Priority.NORMAL, "Medium");
            salesforcePriorityNames.put(Priority.LOW, "Low");
        }

        public Builder loginUrl(String value) {
            this.loginUrl = stripSlash(value);
            return this;
        }

        public Builder instanceUrl(String value) {
            this.instanceUrl = value == null ? null : stripSlash(value);
            return this;
        }

        private static String stripSlash(String value) {
            return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        }

        public Builder auth(Auth value) {
            this.auth = Objects.requireNonNull(value);
            return this;
        }

        public Builder clientId(String value) {
            this.clientId = value;
            return this;
        }

        public Builder clientSecret(String value) {
            this.clientSecret = value;
            return this;
        }

        /** Client credentials: the connected app's consumer key and secret. */
        public Builder clientCredentials(String id, String secret) {
            this.auth = Auth.CLIENT_CREDENTIALS;
            this.clientId = id;
            this.clientSecret = secret;
            return this;
        }

        public Builder username(String value) {
            this.username = value;
            return this;
        }

        public Builder password(String value) {
            this.password = value;
            return this;
        }

        public Builder keystore(Path value) {
            this.keystore = value;
            return this;
        }

        public Builder keystorePassword(String value) {
            this.keystorePassword = value;
            return this;
        }

        public Builder jwtAudience(String value) {
            this.jwtAudience = value;
            return this;
        }

        public Builder apiVersion(String value) {
            this.apiVersion = value;
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

        public Builder pollLookback(Duration value) {
            this.pollLookback = value;
            return this;
        }

        public Builder pageSize(int value) {
            this.pageSize = value;
            return this;
        }

        public Builder caseFilter(String value) {
            this.caseFilter = value;
            return this;
        }

        public Builder integrationUser(String value) {
            this.integrationUser = value;
            return this;
        }

        public Builder agentUserTypes(List<String> value) {
            this.agentUserTypes = List.copyOf(value);
            return this;
        }

        public Builder autoReplyAddresses(List<String> value) {
            value.forEach(a -> autoReplyAddresses.add(a.strip().toLowerCase(Locale.ROOT)));
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

        /** Maps a Case Status value (any case; {@code -} or {@code _} for spaces) to a ticket status. */
        public Builder status(String name, TicketStatus status) {
            this.statusByName.put(nameKey(name), status);
            return this;
        }

        /** Maps a Case Priority value; the first value mapped to a priority is the one {@code set_priority} writes. */
        public Builder priority(String name, Priority priority) {
            if (!customPriorities) {
                // A custom picklist replaces the default one rather than mixing with it.
                customPriorities = true;
                priorityByName.clear();
                salesforcePriorityNames.clear();
            }
            this.priorityByName.put(nameKey(name), priority);
            this.salesforcePriorityNames.putIfAbsent(priority, name.strip());
            return this;
        }

        public Builder defaultPriority(Priority value) {
            this.defaultPriority = Objects.requireNonNull(value);
            return this;
        }

        public Builder commentObject(CommentObject value) {
            this.commentObject = Objects.requireNonNull(value);
            return this;
        }

        public Builder requestTimeout(Duration value) {
            this.requestTimeout = value;
            return this;
        }

        public Builder limitRetryAfter(Duration value) {
            this.limitRetryAfter = value;
            return this;
        }

        public SalesforceConfig build() {
            Objects.requireNonNull(loginUrl, "loginUrl");
            Objects.requireNonNull(clientId, "clientId");
            for (String f : new String[] {statusField, nextDueField, tierField, accountField}) {
                if (f != null && !FIELD_PATH.matcher(f).matches()) {
                    throw new IllegalArgumentException("'" + f + "' is not a Salesforce field API name");
                }
            }
            return new SalesforceConfig(this);
        }
    }

    /** A field API name setting ({@code SLA_Status__c}, or {@code Account.Tier__c} through a lookup), or null. */
    private static String field(Settings s, String property, List<String> problems) {
        String value = s.get(property);
        if (value != null && !FIELD_PATH.matcher(value).matches()) {
            problems.add(property + ": '" + value + "' is not a field API name (e.g. SLA_Status__c, or "
                    + "Account.Tier__c through a lookup)");
            return null;
        }
        return value;
    }
}
