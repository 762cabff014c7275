package io.slabridge.connector.email;

import io.slabridge.core.config.Setting;
import io.slabridge.core.config.Settings;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketStatus;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import static io.slabridge.connector.email.EmailSettings.*;

/**
 * The email connector's settings as the connector uses them: a typed view over the declarations in
 * {@link EmailSettings}, read with the one precedence of {@link Settings}. {@link #from} reports every wrong setting
 * at once, each naming its property. Secrets (their mark in the declarations) are never part of {@link #toString()}.
 */
public final class EmailConfig {
    /** How an agent's mail is told to be an internal note rather than a public reply. */
    public enum InternalRule {
        /** Internal when every recipient (To, Cc) is a support address or in a support domain. */
        INTERNAL_RECIPIENTS,
        /** Only the internal tag makes a note. */
        TAG_ONLY
    }

    /** An SMTP connection's security. */
    public enum SmtpSecurity {
        /** {@code smtps}: TLS from the first byte (port 465). */
        TLS,
        /** {@code smtp} with STARTTLS required (port 587). */
        STARTTLS,
        /** Plain {@code smtp}: only for a relay on the same host or in tests. */
        NONE
    }

    /** The settings read, by declaration: the getters below are views of them. */
    private final Map<Setting<?>, Object> values;
    private final String fromAddress;
    private final List<String> supportAddresses;
    private final Map<String, TicketStatus> statusTags;
    private final Map<String, String> accountByDomain;
    private final Map<String, String> tierByDomain;
    private final Map<Priority, List<String>> priorityKeywords;
    private final Map<String, List<String>> categoryKeywords;
    private final Map<String, String> ticketLinks;

    private EmailConfig(Map<Setting<?>, Object> values, String fromAddress, Map<String, TicketStatus> statusTags,
            Map<Priority, List<String>> priorityKeywords) {
        this.values = values;
        this.fromAddress = fromAddress.toLowerCase(Locale.ROOT);
        List<String> addresses = new ArrayList<>(lowerCase(get(SUPPORT_ADDRESSES)));
        if (!addresses.contains(this.fromAddress)) {
            addresses.add(this.fromAddress);
        }
        this.supportAddresses = List.copyOf(addresses);
        this.statusTags = Collections.unmodifiableMap(statusTags);
        this.accountByDomain = byLowerCaseKey(get(ACCOUNT));
        this.tierByDomain = byLowerCaseKey(get(TIER));
        this.priorityKeywords = Collections.unmodifiableMap(priorityKeywords);
        Map<String, List<String>> categories = new LinkedHashMap<>();
        get(CATEGORY_KEYWORDS).forEach((category, words) -> categories.put(category.strip(),
                lowerCase(Settings.split(words))));
        this.categoryKeywords = Collections.unmodifiableMap(categories);
        this.ticketLinks = byLowerCaseKey(get(TICKET_LINKS));
    }

    @SuppressWarnings("unchecked")
    private <T> T get(Setting<T> setting) {
        return (T) values.get(setting);
    }

    private static List<String> lowerCase(List<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
    }

    private static Map<String, String> byLowerCaseKey(Map<String, String> entries) {
        Map<String, String> out = new LinkedHashMap<>();
        entries.forEach((k, v) -> out.put(k.strip().toLowerCase(Locale.ROOT), v.strip()));
        return Collections.unmodifiableMap(out);
    }

    public String imapProtocol() {
        return get(IMAP_URL).getScheme().toLowerCase(Locale.ROOT);
    }

    public String imapHost() {
        return get(IMAP_URL).getHost();
    }

    public int imapPort() {
        int port = get(IMAP_URL).getPort();
        return port > 0 ? port : imapProtocol().equals("imaps") ? 993 : 143;
    }

    public String imapUser() {
        return get(IMAP_USER);
    }

    /** A secret: never log it. */
    String imapPassword() {
        return get(IMAP_PASSWORD);
    }

    public String inboxFolder() {
        return get(INBOX_FOLDER);
    }

    /** The folder agents' replies land in; null: not polled (agents Bcc or Cc the support address instead). */
    public String sentFolder() {
        String sent = get(SENT_FOLDER);
        return sent.equalsIgnoreCase("none") ? null : sent;
    }

    public Duration pollInterval() {
        return get(POLL_INTERVAL);
    }

    /** How far back (by the mail's date) each poll searches; older mail is never read. */
    public Duration lookback() {
        return get(LOOKBACK);
    }

    public long maxMessageBytes() {
        return get(MAX_MESSAGE_SIZE);
    }

    /** The SMTP host; null: nothing is sent (acknowledgements and notices are parked with a reason). */
    public String smtpHost() {
        return get(SMTP_URL) == null ? null : get(SMTP_URL).getHost();
    }

    public int smtpPort() {
        int port = get(SMTP_URL) == null ? -1 : get(SMTP_URL).getPort();
        return port > 0 ? port : switch (smtpSecurity()) {
            case TLS -> 465;
            case STARTTLS -> 587;
            case NONE -> 25;
        };
    }

    public SmtpSecurity smtpSecurity() {
        if (get(SMTP_URL) == null || get(SMTP_URL).getScheme().equalsIgnoreCase("smtps")) {
            return SmtpSecurity.TLS;
        }
        return get(SMTP_STARTTLS) ? SmtpSecurity.STARTTLS : SmtpSecurity.NONE;
    }

    public String smtpUser() {
        return get(SMTP_USER) != null ? get(SMTP_USER) : imapUser();
    }

    /** A secret: never log it. */
    String smtpPassword() {
        return get(SMTP_PASSWORD) != null ? get(SMTP_PASSWORD) : imapPassword();
    }

    /** The support address: what acknowledgements and notices come from; always counted as an agent address. */
    public String fromAddress() {
        return fromAddress;
    }

    public String fromName() {
        return get(FROM_NAME);
    }

    /** The domain of the support address: the right-hand side of the Message-IDs we make. */
    public String fromDomain() {
        return fromAddress.substring(fromAddress.indexOf('@') + 1);
    }

    public List<String> supportDomains() {
        return lowerCase(get(SUPPORT_DOMAINS));
    }

    public List<String> supportAddresses() {
        return supportAddresses;
    }

    /** Whether an address is the support side's: a support address, or in a support domain (or a subdomain). */
    public boolean isAgent(String address) {
        if (address == null) {
            return false;
        }
        String a = address.toLowerCase(Locale.ROOT);
        if (supportAddresses.contains(a)) {
            return true;
        }
        int at = a.lastIndexOf('@');
        String domain = at < 0 ? a : a.substring(at + 1);
        for (String d : supportDomains()) {
            if (domain.equals(d) || domain.endsWith("." + d)) {
                return true;
            }
        }
        return false;
    }

    public InternalRule internalRule() {
        return get(INTERNAL_RULE);
    }

    /** What names a Jira issue in an agent's mail ({@code sla.email.link-pattern}); null: links are not read. */
    public java.util.regex.Pattern linkPattern() {
        return get(LINK_PATTERN);
    }

    public String internalTag() {
        return get(INTERNAL_TAG).toLowerCase(Locale.ROOT);
    }

    /** Tags (lower case, e.g. {@code [resolved]}) an agent puts in a subject or body to set the status. */
    public Map<String, TicketStatus> statusTags() {
        return statusTags;
    }

    /** After this long without customer mail following an agent's reply, the ticket is resolved; null: never. */
    public Duration autoResolveAfter() {
        return get(AUTO_RESOLVE_AFTER);
    }

    public Duration subjectMatchWindow() {
        return get(SUBJECT_MATCH_WINDOW);
    }

    /** How long an agent's reply whose thread is not known yet waits for it before it is ignored. */
    public Duration threadWait() {
        return get(THREAD_WAIT);
    }

    public boolean ackEnabled() {
        return get(ACK_ENABLED);
    }

    public String ackSubject() {
        return get(ACK_SUBJECT);
    }

    public String ackText() {
        return get(ACK_TEXT);
    }

    public String ackTextNoDue() {
        return get(ACK_TEXT_NO_DUE);
    }

    /** The zone of due times when the ticket's calendar cannot be found. */
    public ZoneId ackZone() {
        return get(ACK_ZONE);
    }

    public Locale locale() {
        return get(LOCALE);
    }

    public int ackPerSenderPerDay() {
        return get(ACK_PER_SENDER_PER_DAY);
    }

    public Map<String, String> accountByDomain() {
        return accountByDomain;
    }

    public Map<String, String> tierByDomain() {
        return tierByDomain;
    }

    public Map<Priority, List<String>> priorityKeywords() {
        return priorityKeywords;
    }

    public Map<String, List<String>> categoryKeywords() {
        return categoryKeywords;
    }

    public Priority defaultPriority() {
        return get(DEFAULT_PRIORITY);
    }

    /** Sender local parts (or whole addresses) never read: mailer-daemon, postmaster, noreply... */
    public List<String> ignoreSenders() {
        return lowerCase(get(IGNORE_SENDERS));
    }

    /** Per source ({@code jira}, {@code email}...), a link template with {@code {key}} and {@code {ticket}}. */
    public Map<String, String> ticketLinks() {
        return ticketLinks;
    }

    /** Every setting read, secrets shown as {@code ****} (their mark in {@link EmailSettings}). */
    @Override
    public String toString() {
        return "EmailConfig" + Setting.shownAll(EmailSettings.ALL, values);
    }

    /** A configuration built in code (tests): the settings given, then {@link #from}, so the same defaults and checks. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads {@code sla.email.*}: each environment variable over its property ({@link Settings#get}).
     *
     * @throws EmailConfigException listing every wrong or missing setting
     */
    public static EmailConfig from(Properties properties, Map<String, String> environment) {
        Settings s = new Settings(properties, environment);
        List<String> problems = new ArrayList<>();
        Map<Setting<?>, Object> values = Setting.readAll(EmailSettings.ALL, s, problems);
        if (!IMAP_URL.isSet(s)) {
            problems.add(IMAP_URL.missing("e.g. imaps://imap.example.com (or imaps://host:993)"));
        }
        String user = IMAP_USER.raw(s);
        if (user == null) {
            problems.add(IMAP_USER.missing("the support mailbox's login, e.g. support@example.com"));
        }
        if (!IMAP_PASSWORD.isSet(s)) {
            problems.add(IMAP_PASSWORD.missing("the mailbox's password or app password (environment "
                    + IMAP_PASSWORD.variable() + ")"));
        }
        String from = FROM.raw(s);
        if (from == null && user != null && user.contains("@")) {
            from = user;
        }
        if (from == null || !isAddress(from)) {
            problems.add(FROM.problem((from == null ? "missing" : "'" + from + "' is not an e-mail address")
                    + "; expected the support address, e.g. support@example.com"));
        }
        for (String a : SUPPORT_ADDRESSES.read(s, problems)) {
            if (!isAddress(a)) {
                problems.add(SUPPORT_ADDRESSES.problem("'" + a + "' is not an e-mail address"));
            }
        }
        Map<String, TicketStatus> tags = new LinkedHashMap<>();
        STATUS_TAGS.read(s, problems).forEach((tag, value) -> {
            TicketStatus status = TicketStatus.fromWire(value.strip());
            if (status == null) {
                problems.add(STATUS_TAGS.entry(tag) + ": '" + value + "'; expected one of " + TicketStatus.wireChoices());
            } else {
                tags.put(tag.strip().toLowerCase(Locale.ROOT), status);
            }
        });
        Map<Priority, List<String>> priorities = new LinkedHashMap<>();
        PRIORITY_KEYWORDS.read(s, problems).forEach((priority, words) -> {
            Priority p = Priority.fromWire(priority.strip().toLowerCase(Locale.ROOT));
            if (p == null) {
                problems.add(PRIORITY_KEYWORDS.entry(priority) + ": not a priority; expected one of "
                        + Priority.wireChoices());
            } else {
                priorities.put(p, lowerCase(Settings.split(words)));
            }
        });
        if (!problems.isEmpty()) {
            throw new EmailConfigException(problems);
        }
        return new EmailConfig(values, from, tags, priorities);
    }

    static boolean isAddress(String text) {
        return text != null && text.matches("[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+");
    }

    /**
     * Builds a configuration in code (tests): each call sets a property, and {@link #build} reads them with
     * {@link #from}, so defaults and checks are the declarations'.
     */
    public static final class Builder {
        private final Properties properties = new Properties();

        private Builder() {
        }

        /** Sets a setting as its property would ({@code "2m"}, {@code "true"}, {@code "acme.example, acme.test"}). */
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

        public Builder imap(String protocol, String host, int port) {
            return set(IMAP_URL, protocol + "://" + host + (port > 0 ? ":" + port : ""));
        }

        public Builder imapLogin(String user, String password) {
            return set(IMAP_USER, user).set(IMAP_PASSWORD, password);
        }

        public Builder smtp(String host, int port, SmtpSecurity security) {
            return set(SMTP_URL, (security == SmtpSecurity.TLS ? "smtps" : "smtp") + "://" + host
                    + (port > 0 ? ":" + port : "")).set(SMTP_STARTTLS, security == SmtpSecurity.NONE ? "off" : "required");
        }

        public Builder from(String address, String name) {
            return set(FROM, address).set(FROM_NAME, name);
        }

        public Builder supportDomains(List<String> value) {
            return set(SUPPORT_DOMAINS, String.join(",", value));
        }

        public Builder pollInterval(Duration value) {
            return set(POLL_INTERVAL, value.toString());
        }

        public Builder ackEnabled(boolean value) {
            return set(ACK_ENABLED, Boolean.toString(value));
        }

        public Builder linkPattern(String regex) {
            return set(LINK_PATTERN, regex);
        }

        public Builder statusTag(String tag, TicketStatus status) {
            return put(STATUS_TAGS.entry(tag), status.wireName());
        }

        /** Mail from this domain (or a subdomain) belongs to this account. */
        public Builder account(String domain, String account) {
            return put(ACCOUNT.entry(domain), account);
        }

        public Builder tier(String domain, String tier) {
            return put(TIER.entry(domain), tier);
        }

        /** Per source ({@code jira}, {@code email}...), a link template with {@code {key}} and {@code {ticket}}. */
        public Builder ticketLink(String source, String template) {
            return put(TICKET_LINKS.entry(source), template);
        }

        /** @throws EmailConfigException as {@link #from} does */
        public EmailConfig build() {
            return EmailConfig.from(properties, Map.of());
        }
    }
}
