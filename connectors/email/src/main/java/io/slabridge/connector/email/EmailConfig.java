package io.slabridge.connector.email;

import io.slabridge.core.config.Settings;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketStatus;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The email connector's settings ({@code sla.email.*}), read from properties first and then from environment
 * variables ({@code sla.email.imap.password} → {@code SLA_EMAIL_IMAP_PASSWORD}). {@link #from} reports every wrong
 * setting at once, each naming its property. The IMAP and SMTP passwords are never part of {@link #toString()}.
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

    private final String imapProtocol;
    private final String imapHost;
    private final int imapPort;
    private final String imapUser;
    private final String imapPassword;
    private final String inboxFolder;
    private final String sentFolder;
    private final Duration pollInterval;
    private final Duration lookback;
    private final long maxMessageBytes;
    private final String smtpHost;
    private final int smtpPort;
    private final SmtpSecurity smtpSecurity;
    private final String smtpUser;
    private final String smtpPassword;
    private final String fromAddress;
    private final String fromName;
    private final List<String> supportDomains;
    private final List<String> supportAddresses;
    private final InternalRule internalRule;
    private final String internalTag;
    private final Map<String, TicketStatus> statusTags;
    private final Duration autoResolveAfter;
    private final Duration subjectMatchWindow;
    private final Duration threadWait;
    private final boolean ackEnabled;
    private final String ackSubject;
    private final String ackText;
    private final String ackTextNoDue;
    private final ZoneId ackZone;
    private final Locale locale;
    private final int ackPerSenderPerDay;
    private final Map<String, String> accountByDomain;
    private final Map<String, String> tierByDomain;
    private final Map<Priority, List<String>> priorityKeywords;
    private final Map<String, List<String>> categoryKeywords;
    private final Priority defaultPriority;
    private final List<String> ignoreSenders;
    private final Map<String, String> ticketLinks;

    private EmailConfig(Builder b) {
        this.imapProtocol = b.imapProtocol;
        this.imapHost = b.imapHost;
        this.imapPort = b.imapPort > 0 ? b.imapPort : (b.imapProtocol.equals("imaps") ? 993 : 143);
        this.imapUser = b.imapUser;
        this.imapPassword = b.imapPassword;
        this.inboxFolder = b.inboxFolder;
        this.sentFolder = b.sentFolder;
        this.pollInterval = b.pollInterval;
        this.lookback = b.lookback;
        this.maxMessageBytes = b.maxMessageBytes;
        this.smtpHost = b.smtpHost;
        this.smtpSecurity = b.smtpSecurity;
        this.smtpPort = b.smtpPort > 0 ? b.smtpPort : switch (b.smtpSecurity) {
            case TLS -> 465;
            case STARTTLS -> 587;
            case NONE -> 25;
        };
        this.smtpUser = b.smtpUser != null ? b.smtpUser : b.imapUser;
        this.smtpPassword = b.smtpPassword != null ? b.smtpPassword : b.imapPassword;
        this.fromAddress = b.fromAddress.toLowerCase(Locale.ROOT);
        this.fromName = b.fromName;
        this.supportDomains = b.supportDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
        List<String> addresses = new ArrayList<>(b.supportAddresses.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList());
        if (!addresses.contains(fromAddress)) {
            addresses.add(fromAddress);
        }
        this.supportAddresses = List.copyOf(addresses);
        this.internalRule = b.internalRule;
        this.internalTag = b.internalTag;
        this.statusTags = Collections.unmodifiableMap(new LinkedHashMap<>(b.statusTags));
        this.autoResolveAfter = b.autoResolveAfter;
        this.subjectMatchWindow = b.subjectMatchWindow;
        this.threadWait = b.threadWait;
        this.ackEnabled = b.ackEnabled;
        this.ackSubject = b.ackSubject;
        this.ackText = b.ackText;
        this.ackTextNoDue = b.ackTextNoDue;
        this.ackZone = b.ackZone;
        this.locale = b.locale;
        this.ackPerSenderPerDay = b.ackPerSenderPerDay;
        this.accountByDomain = Collections.unmodifiableMap(new LinkedHashMap<>(b.accountByDomain));
        this.tierByDomain = Collections.unmodifiableMap(new LinkedHashMap<>(b.tierByDomain));
        this.priorityKeywords = Collections.unmodifiableMap(new LinkedHashMap<>(b.priorityKeywords));
        this.categoryKeywords = Collections.unmodifiableMap(new LinkedHashMap<>(b.categoryKeywords));
        this.defaultPriority = b.defaultPriority;
        this.ignoreSenders = List.copyOf(b.ignoreSenders);
        this.ticketLinks = Collections.unmodifiableMap(new LinkedHashMap<>(b.ticketLinks));
    }

    public String imapProtocol() {
        return imapProtocol;
    }

    public String imapHost() {
        return imapHost;
    }

    public int imapPort() {
        return imapPort;
    }

    public String imapUser() {
        return imapUser;
    }

    /** A secret: never log it. */
    String imapPassword() {
        return imapPassword;
    }

    public String inboxFolder() {
        return inboxFolder;
    }

    /** The folder agents' replies land in; null: not polled (agents Bcc or Cc the support address instead). */
    public String sentFolder() {
        return sentFolder;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    /** How far back (by the mail's date) each poll searches; older mail is never read. */
    public Duration lookback() {
        return lookback;
    }

    public long maxMessageBytes() {
        return maxMessageBytes;
    }

    /** The SMTP host; null: nothing is sent (acknowledgements and notices are parked with a reason). */
    public String smtpHost() {
        return smtpHost;
    }

    public int smtpPort() {
        return smtpPort;
    }

    public SmtpSecurity smtpSecurity() {
        return smtpSecurity;
    }

    public String smtpUser() {
        return smtpUser;
    }

    /** A secret: never log it. */
    String smtpPassword() {
        return smtpPassword;
    }

    /** The support address: what acknowledgements and notices come from; always counted as an agent address. */
    public String fromAddress() {
        return fromAddress;
    }

    public String fromName() {
        return fromName;
    }

    /** The domain of the support address: the right-hand side of the Message-IDs we make. */
    public String fromDomain() {
        return fromAddress.substring(fromAddress.indexOf('@') + 1);
    }

    public List<String> supportDomains() {
        return supportDomains;
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
        for (String d : supportDomains) {
            if (domain.equals(d) || domain.endsWith("." + d)) {
                return true;
            }
        }
        return false;
    }

    public InternalRule internalRule() {
        return internalRule;
    }

    public String internalTag() {
        return internalTag;
    }

    /** Tags (lower case, e.g. {@code [resolved]}) an agent puts in a subject or body to set the status. */
    public Map<String, TicketStatus> statusTags() {
        return statusTags;
    }

    /** After this long without customer mail following an agent's reply, the ticket is resolved; null: never. */
    public Duration autoResolveAfter() {
        return autoResolveAfter;
    }

    public Duration subjectMatchWindow() {
        return subjectMatchWindow;
    }

    /** How long an agent's reply whose thread is not known yet waits for it before it is ignored. */
    public Duration threadWait() {
        return threadWait;
    }

    public boolean ackEnabled() {
        return ackEnabled;
    }

    public String ackSubject() {
        return ackSubject;
    }

    public String ackText() {
        return ackText;
    }

    public String ackTextNoDue() {
        return ackTextNoDue;
    }

    /** The zone of due times when the ticket's calendar cannot be found. */
    public ZoneId ackZone() {
        return ackZone;
    }

    public Locale locale() {
        return locale;
    }

    public int ackPerSenderPerDay() {
        return ackPerSenderPerDay;
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
        return defaultPriority;
    }

    /** Sender local parts (or whole addresses) never read: mailer-daemon, postmaster, noreply... */
    public List<String> ignoreSenders() {
        return ignoreSenders;
    }

    /** Per source ({@code jira}, {@code email}...), a link template with {@code {key}} and {@code {ticket}}. */
    public Map<String, String> ticketLinks() {
        return ticketLinks;
    }

    @Override
    public String toString() {
        return "EmailConfig[imap=" + imapProtocol + "://" + imapHost + ":" + imapPort + " as " + imapUser
                + " (password ****), folders=" + inboxFolder + (sentFolder == null ? "" : "+" + sentFolder) + ", smtp="
                + (smtpHost == null ? "off" : smtpSecurity + " " + smtpHost + ":" + smtpPort + " as " + smtpUser
                        + " (password ****)") + ", from=" + fromAddress + ", supportDomains=" + supportDomains
                + ", ack=" + ackEnabled + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads {@code sla.email.*} from {@code properties}, falling back to {@code environment}.
     *
     * @throws EmailConfigException listing every wrong or missing setting
     */
    public static EmailConfig from(Properties properties, Map<String, String> environment) {
        Settings s = new Settings(properties, environment);
        List<String> problems = new ArrayList<>();
        Builder b = builder();
        String imap = s.get("sla.email.imap.url");
        if (imap == null) {
            problems.add("sla.email.imap.url: missing; expected e.g. imaps://imap.example.com (or imaps://host:993)");
        } else {
            try {
                URI u = URI.create(imap);
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("imap") && !scheme.equals("imaps") || u.getHost() == null) {
                    problems.add("sla.email.imap.url: '" + imap + "'; expected imaps://host[:port] (or imap:// for a "
                            + "server on the same host)");
                } else {
                    b.imap(scheme, u.getHost(), u.getPort());
                }
            } catch (IllegalArgumentException e) {
                problems.add("sla.email.imap.url: '" + imap + "' is not a URL (" + e.getMessage() + ")");
            }
        }
        String user = s.get("sla.email.imap.user");
        String password = s.get("sla.email.imap.password");
        if (user == null) {
            problems.add("sla.email.imap.user: missing; expected the support mailbox's login, e.g. support@example.com");
        }
        if (password == null) {
            problems.add("sla.email.imap.password: missing; expected the mailbox's password or app password "
                    + "(environment SLA_EMAIL_IMAP_PASSWORD)");
        }
        b.imapLogin(user, password);
        b.inboxFolder(s.getOrDefault("sla.email.folder.inbox", "INBOX"));
        String sent = s.getOrDefault("sla.email.folder.sent", "Sent");
        b.sentFolder(sent.equalsIgnoreCase("none") ? null : sent);
        b.pollInterval(s.duration("sla.email.poll-interval", Duration.ofSeconds(60), problems));
        b.lookback(s.duration("sla.email.lookback", Duration.ofDays(7), problems));
        b.maxMessageBytes(s.bytes("sla.email.max-message-size", 25L << 20, problems));
        String smtp = s.get("sla.email.smtp.url");
        if (smtp != null) {
            try {
                URI u = URI.create(smtp);
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("smtp") && !scheme.equals("smtps") || u.getHost() == null) {
                    problems.add("sla.email.smtp.url: '" + smtp + "'; expected smtps://host[:465] or smtp://host[:587]");
                } else {
                    SmtpSecurity security = scheme.equals("smtps") ? SmtpSecurity.TLS : SmtpSecurity.STARTTLS;
                    String starttls = s.get("sla.email.smtp.starttls");
                    if (scheme.equals("smtp") && starttls != null) {
                        switch (starttls.toLowerCase(Locale.ROOT)) {
                            case "required", "true" -> security = SmtpSecurity.STARTTLS;
                            case "off", "false" -> security = SmtpSecurity.NONE;
                            default -> problems.add("sla.email.smtp.starttls: '" + starttls + "'; expected required or off");
                        }
                    }
                    b.smtp(u.getHost(), u.getPort(), security);
                }
            } catch (IllegalArgumentException e) {
                problems.add("sla.email.smtp.url: '" + smtp + "' is not a URL (" + e.getMessage() + ")");
            }
        }
        b.smtpLogin(s.get("sla.email.smtp.user"), s.get("sla.email.smtp.password"));
        String from = s.get("sla.email.from");
        if (from == null && user != null && user.contains("@")) {
            from = user;
        }
        if (from == null || !isAddress(from)) {
            problems.add("sla.email.from: " + (from == null ? "missing" : "'" + from + "' is not an e-mail address")
                    + "; expected the support address, e.g. support@example.com");
        } else {
            b.from(from, s.getOrDefault("sla.email.from-name", null));
        }
        b.supportDomains(s.list("sla.email.support-domains"));
        List<String> addresses = s.list("sla.email.support-addresses");
        for (String a : addresses) {
            if (!isAddress(a)) {
                problems.add("sla.email.support-addresses: '" + a + "' is not an e-mail address");
            }
        }
        b.supportAddresses(addresses);
        String rule = s.get("sla.email.internal-rule");
        if (rule != null) {
            switch (rule.toLowerCase(Locale.ROOT)) {
                case "internal-recipients" -> b.internalRule(InternalRule.INTERNAL_RECIPIENTS);
                case "tag-only" -> b.internalRule(InternalRule.TAG_ONLY);
                default -> problems.add("sla.email.internal-rule: '" + rule + "'; expected internal-recipients or tag-only");
            }
        }
        b.internalTag(s.getOrDefault("sla.email.internal-tag", "[internal]"));
        Map<String, String> tags = s.entries("sla.email.status-tag.", "SLA_EMAIL_STATUS_TAGS");
        if (!tags.isEmpty()) {
            b.statusTags.clear();
        }
        for (Map.Entry<String, String> e : tags.entrySet()) {
            TicketStatus status = TicketStatus.fromWire(e.getValue().strip());
            if (status == null) {
                problems.add("sla.email.status-tag." + e.getKey() + ": '" + e.getValue() + "'; expected one of "
                        + TicketStatus.wireChoices());
            } else {
                b.statusTag(e.getKey(), status);
            }
        }
        b.autoResolveAfter(s.get("sla.email.auto-resolve-after") == null ? null
                : s.duration("sla.email.auto-resolve-after", null, problems));
        b.subjectMatchWindow(s.duration("sla.email.subject-match-window", Duration.ofDays(14), problems));
        b.threadWait(s.duration("sla.email.thread-wait", Duration.ofMinutes(15), problems));
        b.ackEnabled(s.bool("sla.email.ack.enabled", false, problems));
        String ackSubject = s.get("sla.email.ack.subject");
        if (ackSubject != null) {
            b.ackSubject(ackSubject);
        }
        String ackText = s.get("sla.email.ack.text");
        if (ackText != null) {
            b.ackText(ackText.replace("\\n", "\n"));
        }
        String ackTextNoDue = s.get("sla.email.ack.text-no-due");
        if (ackTextNoDue != null) {
            b.ackTextNoDue(ackTextNoDue.replace("\\n", "\n"));
        }
        String zone = s.get("sla.email.ack.zone");
        if (zone != null) {
            try {
                b.ackZone(ZoneId.of(zone));
            } catch (RuntimeException e) {
                problems.add("sla.email.ack.zone: '" + zone + "' is not a time zone; expected e.g. Europe/Berlin");
            }
        }
        String locale = s.get("sla.email.locale");
        if (locale != null) {
            b.locale(Locale.forLanguageTag(locale));
        }
        b.ackPerSenderPerDay(s.integer("sla.email.ack.per-sender-per-day", 5, 1, 1000, problems));
        for (Map.Entry<String, String> e : s.entries("sla.email.account.", "SLA_EMAIL_ACCOUNT_MAP").entrySet()) {
            b.account(e.getKey(), e.getValue().strip());
        }
        for (Map.Entry<String, String> e : s.entries("sla.email.tier.", "SLA_EMAIL_TIER_MAP").entrySet()) {
            b.tier(e.getKey(), e.getValue().strip());
        }
        Map<String, String> priorities = s.entries("sla.email.priority-keywords.", "SLA_EMAIL_PRIORITY_KEYWORDS");
        if (!priorities.isEmpty()) {
            b.priorityKeywords.clear();
        }
        for (Map.Entry<String, String> e : priorities.entrySet()) {
            Priority p = Priority.fromWire(e.getKey().strip().toLowerCase(Locale.ROOT));
            if (p == null) {
                problems.add("sla.email.priority-keywords." + e.getKey() + ": not a priority; expected one of "
                        + Priority.wireChoices());
            } else {
                b.priorityKeywords(p, Settings.split(e.getValue()));
            }
        }
        Map<String, String> categories = s.entries("sla.email.category-keywords.", "SLA_EMAIL_CATEGORY_KEYWORDS");
        if (!categories.isEmpty()) {
            b.categoryKeywords.clear();
        }
        for (Map.Entry<String, String> e : categories.entrySet()) {
            b.categoryKeywords(e.getKey().strip(), Settings.split(e.getValue()));
        }
        String defaultPriority = s.get("sla.email.default-priority");
        if (defaultPriority != null) {
            Priority p = Priority.fromWire(defaultPriority);
            if (p == null) {
                problems.add("sla.email.default-priority: '" + defaultPriority + "'; expected one of "
                        + Priority.wireChoices());
            } else {
                b.defaultPriority(p);
            }
        }
        List<String> ignore = s.list("sla.email.ignore-senders");
        if (!ignore.isEmpty()) {
            b.ignoreSenders(ignore);
        }
        for (Map.Entry<String, String> e : s.entries("sla.email.ticket-link.", "SLA_EMAIL_TICKET_LINKS").entrySet()) {
            b.ticketLink(e.getKey(), e.getValue().strip());
        }
        if (!problems.isEmpty()) {
            throw new EmailConfigException(problems);
        }
        return b.build();
    }

    static boolean isAddress(String text) {
        return text != null && text.matches("[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+");
    }

    /** Builds a configuration in code (tests, the demo); defaults as in {@link #from}. */
    public static final class Builder {
        private String imapProtocol = "imaps";
        private String imapHost;
        private int imapPort = -1;
        private String imapUser;
        private String imapPassword;
        private String inboxFolder = "INBOX";
        private String sentFolder = "Sent";
        private Duration pollInterval = Duration.ofSeconds(60);
        private Duration lookback = Duration.ofDays(7);
        private long maxMessageBytes = 25L << 20;
        private String smtpHost;
        private int smtpPort = -1;
        private SmtpSecurity smtpSecurity = SmtpSecurity.TLS;
        private String smtpUser;
        private String smtpPassword;
        private String fromAddress;
        private String fromName;
        private List<String> supportDomains = List.of();
        private List<String> supportAddresses = List.of();
        private InternalRule internalRule = InternalRule.INTERNAL_RECIPIENTS;
        private String internalTag = "[internal]";
        private final Map<String, TicketStatus> statusTags = new LinkedHashMap<>();
        private Duration autoResolveAfter;
        private Duration subjectMatchWindow = Duration.ofDays(14);
        private Duration threadWait = Duration.ofMinutes(15);
        private boolean ackEnabled;
        private String ackSubject = "Re: {subject}";
        private String ackText = """
                Hello,

                we received your request "{subject}". You can expect a first answer by {due}.

                Simply reply to this e-mail if you want to add anything.

                {from_name}""";
        private String ackTextNoDue = """
                Hello,

                we received your request "{subject}" and will answer as soon as we can.

                Simply reply to this e-mail if you want to add anything.

                {from_name}""";
        private ZoneId ackZone = ZoneOffset.UTC;
        private Locale locale = Locale.ENGLISH;
        private int ackPerSenderPerDay = 5;
        private final Map<String, String> accountByDomain = new LinkedHashMap<>();
        private final Map<String, String> tierByDomain = new LinkedHashMap<>();
        private final Map<Priority, List<String>> priorityKeywords = new LinkedHashMap<>();
        private final Map<String, List<String>> categoryKeywords = new LinkedHashMap<>();
        private Priority defaultPriority = Priority.NORMAL;
        private List<String> ignoreSenders = List.of("mailer-daemon", "postmaster", "noreply", "no-reply",
                "donotreply", "do-not-reply", "bounce", "bounces");
        private final Map<String, String> ticketLinks = new LinkedHashMap<>();

        private Builder() {
            statusTags.put("[open]", TicketStatus.OPEN);
            statusTags.put("[pending]", TicketStatus.WAITING_ON_CUSTOMER);
            statusTags.put("[on hold]", TicketStatus.ON_HOLD);
            statusTags.put("[resolved]", TicketStatus.RESOLVED);
            statusTags.put("[closed]", TicketStatus.CLOSED);
            priorityKeywords.put(Priority.URGENT, List.of("urgent", "down", "outage", "security"));
            priorityKeywords.put(Priority.HIGH, List.of("asap", "critical"));
            categoryKeywords.put("security", List.of("security", "vulnerability", "breach"));
        }

        public Builder imap(String protocol, String host, int port) {
            this.imapProtocol = protocol.toLowerCase(Locale.ROOT);
            this.imapHost = host;
            this.imapPort = port;
            return this;
        }

        public Builder imapLogin(String user, String password) {
            this.imapUser = user;
            this.imapPassword = password;
            return this;
        }

        public Builder inboxFolder(String value) {
            this.inboxFolder = value;
            return this;
        }

        public Builder sentFolder(String value) {
            this.sentFolder = value == null || value.isBlank() ? null : value;
            return this;
        }

        public Builder pollInterval(Duration value) {
            this.pollInterval = value;
            return this;
        }

        public Builder lookback(Duration value) {
            this.lookback = value;
            return this;
        }

        public Builder maxMessageBytes(long value) {
            this.maxMessageBytes = value;
            return this;
        }

        public Builder smtp(String host, int port, SmtpSecurity security) {
            this.smtpHost = host;
            this.smtpPort = port;
            this.smtpSecurity = Objects.requireNonNull(security);
            return this;
        }

        public Builder smtpLogin(String user, String password) {
            this.smtpUser = user;
            this.smtpPassword = password;
            return this;
        }

        public Builder from(String address, String name) {
            this.fromAddress = address;
            this.fromName = name;
            return this;
        }

        public Builder supportDomains(List<String> value) {
            this.supportDomains = List.copyOf(value);
            return this;
        }

        public Builder supportAddresses(List<String> value) {
            this.supportAddresses = List.copyOf(value);
            return this;
        }

        public Builder internalRule(InternalRule value) {
            this.internalRule = Objects.requireNonNull(value);
            return this;
        }

        public Builder internalTag(String value) {
            this.internalTag = value == null || value.isBlank() ? null : value.strip().toLowerCase(Locale.ROOT);
            return this;
        }

        public Builder statusTag(String tag, TicketStatus status) {
            this.statusTags.put(tag.strip().toLowerCase(Locale.ROOT), status);
            return this;
        }

        public Builder autoResolveAfter(Duration value) {
            this.autoResolveAfter = value;
            return this;
        }

        public Builder subjectMatchWindow(Duration value) {
            this.subjectMatchWindow = value;
            return this;
        }

        public Builder threadWait(Duration value) {
            this.threadWait = value;
            return this;
        }

        public Builder ackEnabled(boolean value) {
            this.ackEnabled = value;
            return this;
        }

        public Builder ackSubject(String value) {
            this.ackSubject = value;
            return this;
        }

        public Builder ackText(String value) {
            this.ackText = value;
            return this;
        }

        public Builder ackTextNoDue(String value) {
            this.ackTextNoDue = value;
            return this;
        }

        public Builder ackZone(ZoneId value) {
            this.ackZone = Objects.requireNonNull(value);
            return this;
        }

        public Builder locale(Locale value) {
            this.locale = Objects.requireNonNull(value);
            return this;
        }

        public Builder ackPerSenderPerDay(int value) {
            this.ackPerSenderPerDay = value;
            return this;
        }

        /** Mail from this domain (or a subdomain) belongs to this account. */
        public Builder account(String domain, String account) {
            this.accountByDomain.put(domain.strip().toLowerCase(Locale.ROOT), account);
            return this;
        }

        public Builder tier(String domain, String tier) {
            this.tierByDomain.put(domain.strip().toLowerCase(Locale.ROOT), tier);
            return this;
        }

        /** Words that make a new ticket this priority; the highest priority whose word appears wins. */
        public Builder priorityKeywords(Priority priority, List<String> words) {
            this.priorityKeywords.put(priority, words.stream().map(w -> w.toLowerCase(Locale.ROOT)).toList());
            return this;
        }

        public Builder categoryKeywords(String category, List<String> words) {
            this.categoryKeywords.put(category, words.stream().map(w -> w.toLowerCase(Locale.ROOT)).toList());
            return this;
        }

        public Builder defaultPriority(Priority value) {
            this.defaultPriority = Objects.requireNonNull(value);
            return this;
        }

        public Builder ignoreSenders(List<String> value) {
            this.ignoreSenders = value.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
            return this;
        }

        public Builder ticketLink(String source, String template) {
            this.ticketLinks.put(source.strip().toLowerCase(Locale.ROOT), template);
            return this;
        }

        public EmailConfig build() {
            Objects.requireNonNull(imapHost, "IMAP host");
            Objects.requireNonNull(imapUser, "IMAP user");
            Objects.requireNonNull(imapPassword, "IMAP password");
            if (!isAddress(fromAddress)) {
                throw new IllegalStateException("the from address '" + fromAddress + "' is not an e-mail address");
            }
            return new EmailConfig(this);
        }
    }
}
