package io.slabridge.connector.salesforce;

import io.slabridge.core.config.Setting;
import io.slabridge.core.config.Settings;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketStatus;
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
import java.util.Properties;
import java.util.Set;

import static io.slabridge.connector.salesforce.SalesforceSettings.*;

/**
 * The Salesforce connector's settings as the connector uses them: a typed view over the declarations in
 * {@link SalesforceSettings}, read with the one precedence of {@link Settings}. {@link #from} reports every wrong setting
 * at once, each naming its property. Secrets (their mark in the declarations) are never part of {@link #toString()}.
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

    /** The settings read, by declaration: the getters below are views of them. */
    private final Map<Setting<?>, Object> values;
    private final Auth auth;
    private final Set<String> autoReplyAddresses;
    private final Map<Metric, String> dueFields;
    private final Map<String, TicketStatus> statusByName;
    private final Map<String, Priority> priorityByName;
    private final Map<Priority, String> salesforcePriorityNames;

    private SalesforceConfig(Map<Setting<?>, Object> values, Auth auth, Map<Metric, String> dueFields,
            Map<String, TicketStatus> statusByName, Map<String, Priority> priorityByName,
            Map<Priority, String> salesforcePriorityNames) {
        this.values = values;
        this.auth = auth;
        Set<String> addresses = new LinkedHashSet<>();
        get(AUTO_REPLY_ADDRESSES).forEach(a -> addresses.add(a.strip().toLowerCase(Locale.ROOT)));
        this.autoReplyAddresses = Collections.unmodifiableSet(addresses);
        this.dueFields = Collections.unmodifiableMap(dueFields);
        this.statusByName = Collections.unmodifiableMap(statusByName);
        this.priorityByName = Collections.unmodifiableMap(priorityByName);
        this.salesforcePriorityNames = Collections.unmodifiableMap(salesforcePriorityNames);
    }

    @SuppressWarnings("unchecked")
    private <T> T get(Setting<T> setting) {
        return (T) values.get(setting);
    }

    /** The login host, e.g. {@code https://login.salesforce.com} or {@code https://acme.my.salesforce.com}. */
    public String loginUrl() {
        return get(LOGIN_URL);
    }

    /** The instance to call instead of the one the token response names; null: the token's. */
    public String instanceUrl() {
        return get(INSTANCE_URL);
    }

    public Auth auth() {
        return auth;
    }

    public String clientId() {
        return get(CLIENT_ID);
    }

    /** A secret: never log it. */
    String clientSecret() {
        return get(CLIENT_SECRET);
    }

    public String username() {
        return get(USERNAME);
    }

    /** A secret: never log it. */
    String password() {
        return get(PASSWORD);
    }

    /** The JWT flow's keystore; null for the other flows. */
    public Path keystore() {
        return auth == Auth.JWT ? Path.of(get(KEYSTORE)) : null;
    }

    /** A secret: never log it. */
    String keystorePassword() {
        return get(KEYSTORE_PASSWORD);
    }

    public String jwtAudience() {
        return get(JWT_AUDIENCE);
    }

    /** The REST API version, e.g. {@code 62.0}. */
    public String apiVersion() {
        return get(API_VERSION);
    }

    /** {@code /services/data/v62.0}. */
    public String dataPath() {
        return "/services/data/v" + apiVersion();
    }

    public Duration pollInterval() {
        return get(POLL_INTERVAL);
    }

    /** How far before each stream's cursor a poll starts again (commits that land late in Salesforce). */
    public Duration pollOverlap() {
        return get(POLL_OVERLAP);
    }

    /** How far back the very first poll reads. */
    public Duration pollLookback() {
        return get(POLL_LOOKBACK);
    }

    /** Records per query page ({@code Sforce-Query-Options: batchSize}); Salesforce may return fewer. */
    public int pageSize() {
        return get(PAGE_SIZE);
    }

    /** An extra SOQL condition on Case (e.g. {@code RecordType.DeveloperName = 'Support'}), or null. */
    public String caseFilter() {
        return get(CASE_FILTER);
    }

    /** The integration user's id; null: the user the OAuth token belongs to (its identity URL). */
    public String integrationUser() {
        return get(INTEGRATION_USER);
    }

    /** {@code User.UserType} values of agents; authors of any other type (portal, community, guest) are customers. */
    public Set<String> agentUserTypes() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(get(AGENT_USER_TYPES)));
    }

    /** Outgoing e-mails from these addresses (auto-responses, lower case) are no agent reply. */
    public Set<String> autoReplyAddresses() {
        return autoReplyAddresses;
    }

    public String statusField() {
        return get(STATUS_FIELD);
    }

    public String nextDueField() {
        return get(NEXT_DUE_FIELD);
    }

    public Map<Metric, String> dueFields() {
        return dueFields;
    }

    /** A Case field or a path through a lookup ({@code Account.Tier__c}) read as the ticket's tier; null: none. */
    public String tierField() {
        return get(TIER_FIELD);
    }

    public String accountField() {
        return get(ACCOUNT_FIELD);
    }

    /** A Case field holding the key of the Jira issue the Case is linked to; null: links are not read. */
    public String linkedJiraField() {
        return get(LINKED_JIRA_FIELD);
    }

    /** The Case fields showing the linked engineering issues' OLA (issue 16); each null when not written. */
    public io.slabridge.connector.api.SlaFieldValues.LinkedFieldIds linkedFields() {
        return new io.slabridge.connector.api.SlaFieldValues.LinkedFieldIds(get(SalesforceSettings.LINKED_STATUS_FIELD),
                get(SalesforceSettings.LINKED_DUE_FIELD), null, null, null, null);
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
        return get(DEFAULT_PRIORITY);
    }

    public CommentObject commentObject() {
        return get(COMMENT_OBJECT);
    }

    public Duration requestTimeout() {
        return get(REQUEST_TIMEOUT);
    }

    /** How long write-backs wait after {@code REQUEST_LIMIT_EXCEEDED} (the org's API limit is a rolling 24 h). */
    public Duration limitRetryAfter() {
        return get(LIMIT_RETRY_AFTER);
    }

    /** Every Case field the connector writes. */
    public List<String> slaFields() {
        List<String> fields = new ArrayList<>();
        if (statusField() != null) {
            fields.add(statusField());
        }
        if (nextDueField() != null) {
            fields.add(nextDueField());
        }
        fields.addAll(dueFields.values());
        if (get(SalesforceSettings.LINKED_STATUS_FIELD) != null) {
            fields.add(get(SalesforceSettings.LINKED_STATUS_FIELD));
        }
        if (get(SalesforceSettings.LINKED_DUE_FIELD) != null) {
            fields.add(get(SalesforceSettings.LINKED_DUE_FIELD));
        }
        return fields;
    }

    /** Every setting read, secrets shown as {@code ****} (their mark in {@link SalesforceSettings}). */
    @Override
    public String toString() {
        return "SalesforceConfig" + Setting.shownAll(SalesforceSettings.ALL, values) + "[auth=" + auth + "]";
    }

    /** A configuration built in code (tests): the settings given, then {@link #from}, so the same defaults and checks. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads {@code sla.salesforce.*}: each environment variable over its property ({@link Settings#get}).
     *
     * @throws SalesforceConfigException listing every wrong or missing setting
     */
    public static SalesforceConfig from(Properties properties, Map<String, String> environment) {
        Settings s = new Settings(properties, environment);
        List<String> problems = new ArrayList<>();
        Map<Setting<?>, Object> values = Setting.readAll(SalesforceSettings.ALL, s, problems);
        if (!CLIENT_ID.isSet(s)) {
            problems.add(CLIENT_ID.missing("the connected app's consumer key"));
        }
        String keystore = KEYSTORE.raw(s);
        Auth auth = AUTH.isSet(s) ? (Auth) values.get(AUTH)
                : keystore != null ? Auth.JWT : PASSWORD.isSet(s) ? Auth.USERNAME_PASSWORD : Auth.CLIENT_CREDENTIALS;
        if (auth != null) {
            switch (auth) {
                case CLIENT_CREDENTIALS -> {
                    if (!CLIENT_SECRET.isSet(s)) {
                        problems.add(CLIENT_SECRET.problem("missing; the client credentials flow needs the connected "
                                + "app's consumer secret (or set " + KEYSTORE.name() + " for the JWT flow)"));
                    }
                }
                case JWT -> {
                    if (keystore == null) {
                        problems.add(KEYSTORE.problem("missing; the JWT flow needs a PKCS12 or JKS keystore holding the "
                                + "private key of the connected app's certificate"));
                    } else if (!Files.isReadable(Path.of(keystore))) {
                        problems.add(KEYSTORE.problem("'" + keystore + "' is not a readable file"));
                    }
                    if (!KEYSTORE_PASSWORD.isSet(s)) {
                        problems.add(KEYSTORE_PASSWORD.problem("missing; the JWT flow needs the keystore's password"));
                    }
                    if (!USERNAME.isSet(s)) {
                        problems.add(USERNAME.problem("missing; the JWT flow logs in as this user"));
                    }
                }
                case USERNAME_PASSWORD -> {
                    if (!CLIENT_SECRET.isSet(s)) {
                        problems.add(CLIENT_SECRET.problem("missing; the username-password flow needs the connected "
                                + "app's consumer secret"));
                    }
                    if (!USERNAME.isSet(s)) {
                        problems.add(USERNAME.problem("missing; the username-password flow needs it"));
                    }
                    if (!PASSWORD.isSet(s)) {
                        problems.add(PASSWORD.problem("missing; the username-password flow needs it (the password "
                                + "followed by the security token, if the org asks for one)"));
                    }
                }
            }
        }
        Map<Metric, String> dueFields = new EnumMap<>(Metric.class);
        SalesforceSettings.DUE_FIELDS.forEach((metric, setting) -> {
            if (values.get(setting) != null) {
                dueFields.put(metric, (String) values.get(setting));
            }
        });
        Map<String, TicketStatus> statusByName = new LinkedHashMap<>();
        Map<String, String> statuses = new LinkedHashMap<>(STATUS.defaultValue());
        statuses.putAll(STATUS.read(s, problems)); // the defaults stay for the values not set
        statuses.forEach((name, value) -> {
            TicketStatus status = TicketStatus.fromWire(value.strip());
            if (status == null) {
                problems.add(STATUS.entry(name) + ": '" + value + "'; expected one of " + TicketStatus.wireChoices());
            } else {
                statusByName.put(nameKey(name), status);
            }
        });
        Map<String, Priority> priorityByName = new LinkedHashMap<>();
        Map<Priority, String> salesforcePriorityNames = new EnumMap<>(Priority.class);
        PRIORITY.read(s, problems).forEach((name, value) -> {
            Priority priority = Priority.fromWire(value.strip());
            if (priority == null) {
                problems.add(PRIORITY.entry(name) + ": '" + value + "'; expected one of " + Priority.wireChoices());
            } else {
                priorityByName.put(nameKey(name), priority);
                salesforcePriorityNames.putIfAbsent(priority, name.strip());
            }
        });
        if (!problems.isEmpty()) {
            throw new SalesforceConfigException(problems);
        }
        return new SalesforceConfig(values, auth, dueFields, statusByName, priorityByName, salesforcePriorityNames);
    }

    /** A status or priority name as a map key: lower case, {@code -} and {@code _} read as spaces. */
    static String nameKey(String name) {
        return name.strip().toLowerCase(Locale.ROOT).replace('-', ' ').replace('_', ' ').replaceAll("\\s+", " ");
    }

    /**
     * Builds a configuration in code (tests): each call sets a property, and {@link #build} reads them with
     * {@link #from}, so defaults and checks are the declarations'.
     */
    public static final class Builder {
        private final Properties properties = new Properties();

        private Builder() {
        }

        /** Sets a setting as its property would ({@code "2m"}, {@code "Account.Tier__c"}). */
        public Builder set(Setting<?> setting, String value) {
            return put(setting.name(), value);
        }

        private Builder put(String property, String value) {
            if (value == null) {
                properties.remove(property);
            } else {
                properties.setProperty(property, value);
            }
            return this;
        }

        public Builder loginUrl(String value) {
            return set(LOGIN_URL, value);
        }

        /** Client credentials: the connected app's consumer key and secret. */
        public Builder clientCredentials(String id, String secret) {
            return set(AUTH, "client-credentials").set(CLIENT_ID, id).set(CLIENT_SECRET, secret);
        }

        public Builder autoReplyAddresses(List<String> value) {
            return set(AUTO_REPLY_ADDRESSES, String.join(",", value));
        }

        public Builder statusField(String value) {
            return set(STATUS_FIELD, value);
        }

        public Builder nextDueField(String value) {
            return set(NEXT_DUE_FIELD, value);
        }

        public Builder dueField(Metric metric, String field) {
            return set(SalesforceSettings.DUE_FIELDS.get(metric), field);
        }

        public Builder tierField(String value) {
            return set(TIER_FIELD, value);
        }

        public Builder accountField(String value) {
            return set(ACCOUNT_FIELD, value);
        }

        public Builder linkedJiraField(String value) {
            return set(LINKED_JIRA_FIELD, value);
        }

        /** Maps a Case Status value (any case; {@code -} or {@code _} for spaces) to a ticket status. */
        public Builder status(String name, TicketStatus status) {
            return put(STATUS.entry(name), status.wireName());
        }

        /** Maps a Case Priority value; the first value mapped to a priority is the one {@code set_priority} writes. */
        public Builder priority(String name, Priority priority) {
            return put(PRIORITY.entry(name), priority.wireName());
        }

        /** @throws SalesforceConfigException as {@link #from} does */
        public SalesforceConfig build() {
            return from(properties, Map.of());
        }
    }
}
