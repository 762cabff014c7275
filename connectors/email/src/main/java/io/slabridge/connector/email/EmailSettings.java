package io.slabridge.connector.email;

import io.slabridge.core.config.Setting;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketStatus;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The email connector's settings ({@code sla.email.*}), each declared once: name, kind, default, secret mark and
 * what it is for. {@link EmailConfig} reads them; docs/reference/settings.md is generated from {@link #ALL}.
 */
public final class EmailSettings {
    private EmailSettings() {
    }

    public static final Setting<Boolean> ENABLED = Setting.bool("sla.email.enabled").withDefault(false)
            .describedAs("Turns the email connector (a support mailbox) on.");
    public static final Setting<URI> IMAP_URL = Setting.of("sla.email.imap.url", "imaps://host[:port]",
            v -> mailUrl(v, "imap", "imaps://host[:port] (or imap:// for a server on the same host)"))
            .describedAs("The support mailbox's IMAP server, e.g. imaps://imap.example.com (required).");
    public static final Setting<String> IMAP_USER = Setting.text("sla.email.imap.user")
            .describedAs("The mailbox's login, e.g. support@example.com (required).");
    public static final Setting<String> IMAP_PASSWORD = Setting.text("sla.email.imap.password").secret()
            .describedAs("The mailbox's password or app password (required).");
    public static final Setting<String> INBOX_FOLDER = Setting.text("sla.email.folder.inbox").withDefault("INBOX")
            .describedAs("The folder customers' mail lands in.");
    public static final Setting<String> SENT_FOLDER = Setting.text("sla.email.folder.sent").withDefault("Sent")
            .describedAs("The folder agents' replies land in; none: not polled (agents Cc or Bcc the support address).");
    public static final Setting<Duration> POLL_INTERVAL = Setting.duration("sla.email.poll-interval")
            .withDefault(Duration.ofSeconds(60)).describedAs("How often the folders are read.");
    public static final Setting<Duration> LOOKBACK = Setting.duration("sla.email.lookback")
            .withDefault(Duration.ofDays(7)).describedAs("How far back (by the mail's date) each poll searches.");
    public static final Setting<Long> MAX_MESSAGE_SIZE = Setting.bytes("sla.email.max-message-size", 1,
            Long.MAX_VALUE >> 1, "1 byte up").withDefault(25L << 20, "25MB")
            .describedAs("Larger messages are skipped (logged and counted).");
    public static final Setting<URI> SMTP_URL = Setting.of("sla.email.smtp.url", "smtps://host[:port]",
            v -> mailUrl(v, "smtp", "smtps://host[:465] or smtp://host[:587]"))
            .describedAs("The SMTP server acknowledgements and notices are sent through; unset: nothing is sent "
                    + "(such write-backs are parked with the reason).");
    public static final Setting<Boolean> SMTP_STARTTLS = Setting.of("sla.email.smtp.starttls", "required or off",
            v -> switch (v.toLowerCase(Locale.ROOT)) {
                case "required", "true" -> Boolean.TRUE;
                case "off", "false" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException("required or off");
            }).withDefault(true, "required")
            .describedAs("With an smtp:// URL: STARTTLS required, or off (only for a relay on the same host).");
    public static final Setting<String> SMTP_USER = Setting.text("sla.email.smtp.user")
            .withDefault(null, IMAP_USER.name()).describedAs("The SMTP login.");
    public static final Setting<String> SMTP_PASSWORD = Setting.text("sla.email.smtp.password").secret()
            .withDefault(null, IMAP_PASSWORD.name()).describedAs("The SMTP password.");
    public static final Setting<String> FROM = Setting.text("sla.email.from")
            .withDefault(null, IMAP_USER.name() + ", when it is an address")
            .describedAs("The support address acknowledgements and notices come from; always an agent address.");
    public static final Setting<String> FROM_NAME = Setting.text("sla.email.from-name")
            .describedAs("The name shown with the support address.");
    public static final Setting<List<String>> SUPPORT_DOMAINS = Setting.list("sla.email.support-domains")
            .withDefault(List.of(), "").describedAs("Mail from these domains (and subdomains) is the support side's.");
    public static final Setting<List<String>> SUPPORT_ADDRESSES = Setting.list("sla.email.support-addresses")
            .withDefault(List.of(), "").describedAs("Further addresses that are the support side's.");
    public static final Setting<EmailConfig.InternalRule> INTERNAL_RULE = Setting.choice("sla.email.internal-rule",
            EmailConfig.InternalRule.class).withDefault(EmailConfig.InternalRule.INTERNAL_RECIPIENTS)
            .describedAs("How an agent's mail is an internal note: every recipient internal, or only by the tag.");
    public static final Setting<String> INTERNAL_TAG = Setting.text("sla.email.internal-tag").withDefault("[internal]")
            .describedAs("The tag in a subject or body that makes an agent's mail an internal note.");
    public static final Setting<Map<String, String>> STATUS_TAGS = Setting.entries("sla.email.status-tag.", "tag",
            "SLA_EMAIL_STATUS_TAGS", "one of " + TicketStatus.wireChoices())
            .withDefault(Setting.pairs("[open]", "open", "[pending]", "waiting_on_customer", "[on hold]", "on_hold",
                    "[resolved]", "resolved", "[closed]", "closed"))
            .describedAs("Tags an agent puts in a subject or body to set the status; any one set replaces these.");
    public static final Setting<java.util.regex.Pattern> LINK_PATTERN = Setting.of("sla.email.link-pattern",
            "regular expression", v -> {
                try {
                    return java.util.regex.Pattern.compile(v);
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw new IllegalArgumentException("a regular expression matching Jira keys, e.g. "
                            + "\\b(ENG|PLAT)-\\d+\\b (" + e.getDescription() + " at index " + e.getIndex() + ")");
                }
            }).describedAs("Jira keys an agent's reply or note names (e.g. \\b(ENG|PLAT)-\\d+\\b) link the thread to "
                    + "them; 'unlink ENG-42' ends one; unset: off.");
    public static final Setting<Duration> AUTO_RESOLVE_AFTER = Setting.duration("sla.email.auto-resolve-after")
            .describedAs("After this long without customer mail following an agent's reply, resolved; unset: never.");
    public static final Setting<Duration> SUBJECT_MATCH_WINDOW = Setting.duration("sla.email.subject-match-window")
            .withDefault(Duration.ofDays(14))
            .describedAs("How recent a ticket with the same subject must be for mail without references to join it.");
    public static final Setting<Duration> THREAD_WAIT = Setting.duration("sla.email.thread-wait")
            .withDefault(Duration.ofMinutes(15))
            .describedAs("How long an agent's reply whose thread is not known yet waits for it.");
    public static final Setting<Boolean> ACK_ENABLED = Setting.bool("sla.email.ack.enabled").withDefault(false)
            .describedAs("Acknowledge each new request by mail, with its first response due time.");
    public static final Setting<String> ACK_SUBJECT = Setting.text("sla.email.ack.subject")
            .withDefault("Re: {subject}").describedAs("The acknowledgement's subject.");
    public static final Setting<String> ACK_TEXT = Setting.of("sla.email.ack.text", "text, \\n for a new line",
            EmailSettings::lines).withDefault("""
                    Hello,

                    we received your request "{subject}". You can expect a first answer by {due}.

                    Simply reply to this e-mail if you want to add anything.

                    {from_name}""", "a short note naming {subject}, {due} and {from_name}")
            .describedAs("The acknowledgement's text, with {subject}, {due}, {ticket} and {from_name}.");
    public static final Setting<String> ACK_TEXT_NO_DUE = Setting.of("sla.email.ack.text-no-due",
            "text, \\n for a new line", EmailSettings::lines).withDefault("""
                    Hello,

                    we received your request "{subject}" and will answer as soon as we can.

                    Simply reply to this e-mail if you want to add anything.

                    {from_name}""", "a short note naming {subject} and {from_name}")
            .describedAs("The acknowledgement's text when no first response is due.");
    public static final Setting<ZoneId> ACK_ZONE = Setting.of("sla.email.ack.zone", "time zone", v -> {
        try {
            return ZoneId.of(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("a time zone such as Europe/Berlin");
        }
    }).withDefault(ZoneOffset.UTC, "UTC").describedAs("The zone of due times when the ticket's calendar is not found.");
    public static final Setting<Locale> LOCALE = Setting.of("sla.email.locale", "language tag", Locale::forLanguageTag)
            .withDefault(Locale.ENGLISH, "en").describedAs("The language dates are written in.");
    public static final Setting<Integer> ACK_PER_SENDER_PER_DAY = Setting
            .integer("sla.email.ack.per-sender-per-day", 1, 1000).withDefault(5)
            .describedAs("At most this many acknowledgements to one sender a day (mail loops).");
    public static final Setting<Map<String, String>> ACCOUNT = Setting.entries("sla.email.account.", "domain",
            "SLA_EMAIL_ACCOUNT_MAP", "text").describedAs("Mail from this domain (or a subdomain) is this account's.");
    public static final Setting<Map<String, String>> TIER = Setting.entries("sla.email.tier.", "domain",
            "SLA_EMAIL_TIER_MAP", "text").describedAs("Mail from this domain (or a subdomain) is this tier's.");
    public static final Setting<Map<String, String>> PRIORITY_KEYWORDS = Setting.entries(
            "sla.email.priority-keywords.", "priority", "SLA_EMAIL_PRIORITY_KEYWORDS", "comma-separated words")
            .withDefault(Setting.pairs("urgent", "urgent, down, outage, security", "high", "asap, critical"))
            .describedAs("Words that make a new ticket this priority (the highest found wins); any set replaces these.");
    public static final Setting<Map<String, String>> CATEGORY_KEYWORDS = Setting.entries(
            "sla.email.category-keywords.", "category", "SLA_EMAIL_CATEGORY_KEYWORDS", "comma-separated words")
            .withDefault(Setting.pairs("security", "security, vulnerability, breach"))
            .describedAs("Words that give a new ticket this category; any set replaces these.");
    public static final Setting<Priority> DEFAULT_PRIORITY = Setting.priority("sla.email.default-priority")
            .withDefault(Priority.NORMAL).describedAs("The priority of a new ticket no keyword matched.");
    public static final Setting<List<String>> IGNORE_SENDERS = Setting.list("sla.email.ignore-senders")
            .withDefault(List.of("mailer-daemon", "postmaster", "noreply", "no-reply", "donotreply", "do-not-reply",
                    "bounce", "bounces"))
            .describedAs("Sender local parts (or whole addresses) never read.");
    public static final Setting<Map<String, String>> TICKET_LINKS = Setting.entries("sla.email.ticket-link.", "source",
            "SLA_EMAIL_TICKET_LINKS", "URL template with {key} and {ticket}")
            .describedAs("Per source (jira, email...), a link to a ticket shown in notices.");
    public static final Setting<Integer> WRITE_CONCURRENCY = Setting.integer("sla.email.write-concurrency", 1, 16)
            .withDefault(2).describedAs("How many mails may be being sent at once.");

    /** Every email setting, in the order the reference lists them. */
    public static final List<Setting<?>> ALL = List.of(ENABLED, IMAP_URL, IMAP_USER, IMAP_PASSWORD, INBOX_FOLDER,
            SENT_FOLDER, POLL_INTERVAL, LOOKBACK, MAX_MESSAGE_SIZE, SMTP_URL, SMTP_STARTTLS, SMTP_USER, SMTP_PASSWORD,
            FROM, FROM_NAME, SUPPORT_DOMAINS, SUPPORT_ADDRESSES, INTERNAL_RULE, INTERNAL_TAG, STATUS_TAGS,
            LINK_PATTERN, AUTO_RESOLVE_AFTER, SUBJECT_MATCH_WINDOW, THREAD_WAIT, ACK_ENABLED, ACK_SUBJECT, ACK_TEXT,
            ACK_TEXT_NO_DUE, ACK_ZONE, LOCALE, ACK_PER_SENDER_PER_DAY, ACCOUNT, TIER, PRIORITY_KEYWORDS, CATEGORY_KEYWORDS,
            DEFAULT_PRIORITY, IGNORE_SENDERS, TICKET_LINKS, WRITE_CONCURRENCY);

    static {
        Setting.byName(ALL); // a name declared twice fails here, at class load
    }

    /** A mail server URL whose scheme is {@code protocol} or {@code protocol + "s"}, with a host. */
    private static URI mailUrl(String v, String protocol, String expected) {
        try {
            URI u = URI.create(v);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals(protocol) || scheme.equals(protocol + "s")) && u.getHost() != null) {
                return u;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException(expected);
    }

    /** A text whose {@code \n} (written in a properties file or a variable) are line breaks. */
    private static String lines(String v) {
        return v.replace("\\n", "\n");
    }
}
