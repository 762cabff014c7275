package io.slabridge.connector.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.slabridge.connector.api.TicketMapping;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Salesforce records into ticket events: a {@code Case} (with its {@code CaseHistory} of Status and Priority
 * changes) into its creation and every change at its own time, a {@code CaseComment} and an {@code EmailMessage}
 * into a message. Ticket keys are {@code salesforce:<Case Id>}; event ids are made of record ids
 * ({@code salesforce:<case>:created}, {@code :h<CaseHistory Id>}, {@code :c<CaseComment Id>},
 * {@code :e<EmailMessage Id>}), so reading a record again gives the same event, a harmless duplicate.
 *
 * <p>Our own writes are not activity: history rows, comments and e-mails made by the integration user produce
 * no events, and the SLA fields are never read. One change of ours is read: a Priority change (an escalation's
 * {@code set_priority}), so that the ticket's targets follow its new priority as they would a person's change.
 */
public final class SalesforceEvents {
    private static final Logger LOG = LoggerFactory.getLogger(SalesforceEvents.class);
    static final String SOURCE = "salesforce";
    private static final DateTimeFormatter SF_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX][XX]",
            Locale.ROOT);
    /** Record ids: 15 case-sensitive letters and digits, or 18 with their checksum. */
    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9]{15}|[a-zA-Z0-9]{18}");
    /** The key prefix of Case ids: e-mails and comments on other records are not read. */
    static final String CASE_PREFIX = "500";
    /** {@code EmailMessage.Status} of a draft: not sent, no reply yet. */
    private static final String EMAIL_DRAFT = "5";

    private final SalesforceConfig config;
    private final Supplier<String> integrationUser;
    private final TicketMapping mapping;

    /**
     * @param integrationUser the integration user's id (15 characters); asked when first needed
     */
    public SalesforceEvents(SalesforceConfig config, Supplier<String> integrationUser) {
        this.config = config;
        this.integrationUser = integrationUser;
        this.mapping = SalesforceMapping.of(config);
    }

    private boolean ours(JsonNode record) {
        String by = SalesforceApi.shortId(record.path("CreatedById").asText(null));
        return by != null && by.equals(integrationUser.get());
    }

    // ---- Case -------------------------------------------------------------------------------------------------

    /**
     * A Case's creation (with the Status and Priority it was created with, read back through its history) and
     * every Status and Priority change in its {@code Histories}.
     *
     * @param histories the Case's CaseHistory rows for Status and Priority, oldest first (all of them: the
     *                  subquery's further pages included)
     */
    public List<TicketEvent> fromCase(JsonNode c, List<JsonNode> histories) {
        CaseRef ref = CaseRef.of(c);
        List<TicketEvent> events = new ArrayList<>();
        events.add(created(ref, c, histories));
        for (JsonNode h : histories) {
            TicketEvent e = fromHistory(ref, h);
            if (e != null) {
                events.add(e);
            }
        }
        return events;
    }

    private TicketEvent created(CaseRef ref, JsonNode c, List<JsonNode> histories) {
        long at = time(c.path("CreatedDate"), ref, "CreatedDate");
        String status = c.path("Status").asText(null);
        String priority = c.path("Priority").asText(null);
        boolean statusSeen = false;
        boolean prioritySeen = false;
        for (JsonNode h : histories) {
            String field = h.path("Field").asText("");
            if (!statusSeen && field.equals("Status")) {
                statusSeen = true;
                status = text(h.path("OldValue"), status);
            } else if (!prioritySeen && field.equals("Priority")) {
                prioritySeen = true;
                priority = text(h.path("OldValue"), priority);
            }
        }
        Priority p = priority(priority);
        String number = c.path("CaseNumber").asText(null);
        String subject = c.path("Subject").asText(null);
        String title = number == null ? subject : (subject == null ? number : number + ": " + subject);
        return build(ref, TicketEvent.builder(ref.eventId("created"), ref.ticket(), at, EventType.CREATED)
                .status(status(status)).priority(p == null ? mapping.defaultPriority() : p)
                .channel(channel(c)).tier(tier(c)).account(account(c)).source(SOURCE).title(title)
                .author(c.path("CreatedBy").path("Name").asText(null)));
    }

    /** A CaseHistory row as an event, or null when it is none of ours to read. */
    TicketEvent fromHistory(CaseRef ref, JsonNode h) {
        String field = h.path("Field").asText("");
        String id = requireId(h.path("Id"), ref, "CaseHistory Id");
        if (ours(h) && !field.equals("Priority")) {
            return null;
        }
        long at = time(h.path("CreatedDate"), ref, "CaseHistory " + id + " CreatedDate");
        String who = h.path("CreatedBy").path("Name").asText(null);
        String value = text(h.path("NewValue"), null);
        if (field.equals("Status")) {
            if (value == null) {
                return null;
            }
            return build(ref, TicketEvent.builder(ref.eventId("h" + id), ref.ticket(), at, EventType.STATUS_CHANGED)
                    .status(status(value)).source(SOURCE).author(who));
        }
        if (field.equals("Priority")) {
            Priority p = priority(value);
            if (p == null) {
                return null;
            }
            return build(ref, TicketEvent.builder(ref.eventId("h" + id), ref.ticket(), at, EventType.PRIORITY_CHANGED)
                    .priority(p).source(SOURCE).author(who));
        }
        return null;
    }

    /**
     * A stopped Case ({@code IsStopped}: its entitlement milestones are paused) as a pause: {@code on_hold} from
     * {@code StopStartDate}. Null when the Case runs, or has no stop time.
     */
    public TicketEvent stopped(JsonNode c) {
        CaseRef ref = CaseRef.of(c);
        if (!c.path("IsStopped").asBoolean(false) || !c.path("StopStartDate").isTextual()) {
            return null;
        }
        long at = time(c.path("StopStartDate"), ref, "StopStartDate");
        return build(ref, TicketEvent.builder(ref.eventId("stop:" + at), ref.ticket(), at, EventType.STATUS_CHANGED)
                .status(TicketStatus.ON_HOLD).source(SOURCE));
    }

    /**
     * The end of a stop sla-bridge saw begin at {@code stoppedAt}: the Case's Status again, at the
     * {@code SystemModstamp} of the first read that finds it running (Salesforce keeps no time of the resume).
     */
    public TicketEvent resumed(JsonNode c, long stoppedAt) {
        CaseRef ref = CaseRef.of(c);
        long at = time(c.path("SystemModstamp"), ref, "SystemModstamp");
        return build(ref, TicketEvent.builder(ref.eventId("resume:" + stoppedAt), ref.ticket(), Math.max(at, stoppedAt),
                EventType.STATUS_CHANGED).status(status(c.path("Status").asText(null))).source(SOURCE));
    }

    /**
     * The Case's tier and account as they are now, for a Case created before this read: an
     * {@code attributes_changed} at its {@code SystemModstamp}, one per distinct pair of values. Null when neither
     * field is configured or has a value.
     */
    public TicketEvent attributes(JsonNode c) {
        String tier = tier(c);
        String account = account(c);
        if (tier == null && account == null) {
            return null;
        }
        CaseRef ref = CaseRef.of(c);
        long at = time(c.path("SystemModstamp"), ref, "SystemModstamp");
        String values = (tier == null ? "" : tier) + "|" + (account == null ? "" : account);
        // Long values (a pasted paragraph in a tier field) would make an id the store cannot hold: their hash, then.
        String key = values.length() <= 200 ? values : "sha256:" + sha256(values);
        return build(ref, TicketEvent.builder(ref.eventId("attrs:" + key), ref.ticket(), at, EventType.ATTRIBUTES_CHANGED)
                .tier(tier).account(account).source(SOURCE));
    }

    // ---- links ------------------------------------------------------------------------------------------------

    /** A Jira issue key as it is written in the field: a project key, a hyphen, the number. */
    private static final Pattern JIRA_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_]*-[0-9]{1,18}");

    /**
     * The Jira issues the Case is escalated to ({@code sla.salesforce.field.linked-jira}): each key the field holds,
     * alone ({@code ENG-42}, any case) or as a {@code /browse/} URL, several separated by commas, semicolons or
     * spaces; as ticket keys ({@code jira:ENG-42}). Empty when the field is not configured or holds none; what is no
     * key is logged and left out.
     */
    public Set<String> linkedJira(JsonNode c) {
        String field = config.linkedJiraField();
        String value = field == null ? null : value(c, field);
        if (value == null) {
            return Set.of();
        }
        Set<String> keys = new TreeSet<>();
        for (String token : value.strip().split("[\\s,;]+")) {
            int browse = token.indexOf("/browse/");
            String key = browse < 0 ? token : token.substring(browse + "/browse/".length()).split("[/?#]", 2)[0];
            if (JIRA_KEY.matcher(key).matches()) {
                keys.add("jira:" + key.toUpperCase(Locale.ROOT));
            } else if (!token.isEmpty()) {
                LOG.warn("Salesforce Case {}: {} holds '{}', which is no Jira issue key (ENG-42) nor /browse/ URL: "
                        + "not read as a link", c.path("Id").asText(), field, cut(token));
            }
        }
        return keys;
    }

    /** When the Case was last changed ({@code SystemModstamp}): the instant a link read from it is dated. */
    long modstamp(JsonNode c) {
        return time(c.path("SystemModstamp"), CaseRef.of(c), "SystemModstamp");
    }

    // ---- CaseComment and EmailMessage -------------------------------------------------------------------------

    /**
     * A CaseComment: by a customer (an author whose {@code UserType} is not an agent's: portal, community,
     * guest) a customer message; by an agent a reply when published, else an internal note; by the integration
     * user nothing.
     */
    public TicketEvent fromComment(JsonNode comment) {
        if (ours(comment)) {
            return null;
        }
        CaseRef ref = CaseRef.parent(comment, "CaseComment");
        String id = requireId(comment.path("Id"), ref, "CaseComment Id");
        long at = time(comment.path("CreatedDate"), ref, "CaseComment " + id + " CreatedDate");
        String userType = comment.path("CreatedBy").path("UserType").asText("Standard");
        EventType type;
        if (!config.agentUserTypes().contains(userType)) {
            type = EventType.CUSTOMER_MESSAGE;
        } else {
            type = comment.path("IsPublished").asBoolean(false) ? EventType.AGENT_REPLY : EventType.INTERNAL_NOTE;
        }
        return build(ref, TicketEvent.builder(ref.eventId("c" + id), ref.ticket(), at, type).source(SOURCE)
                .author(comment.path("CreatedBy").path("Name").asText(null)));
    }

    /**
     * An EmailMessage on a Case: incoming a customer message, outgoing an agent reply; drafts, e-mails sent by the
     * integration user and auto-responses (from {@code sla.salesforce.auto-reply-addresses}) nothing.
     */
    public TicketEvent fromEmail(JsonNode email) {
        String parent = email.path("ParentId").asText("");
        if (!parent.startsWith(CASE_PREFIX)) {
            return null;
        }
        CaseRef ref = CaseRef.parent(email, "EmailMessage");
        String id = requireId(email.path("Id"), ref, "EmailMessage Id");
        if (EMAIL_DRAFT.equals(email.path("Status").asText(null))) {
            return null;
        }
        boolean incoming = email.path("Incoming").asBoolean(false);
        if (!incoming) {
            String from = email.path("FromAddress").asText("").strip().toLowerCase(Locale.ROOT);
            if (ours(email) || config.autoReplyAddresses().contains(from)) {
                return null;
            }
        }
        JsonNode when = email.path("MessageDate").isTextual() ? email.path("MessageDate") : email.path("CreatedDate");
        long at = time(when, ref, "EmailMessage " + id + " MessageDate");
        return build(ref, TicketEvent.builder(ref.eventId("e" + id), ref.ticket(), at,
                incoming ? EventType.CUSTOMER_MESSAGE : EventType.AGENT_REPLY).source(SOURCE)
                .author(email.path("FromAddress").asText(null)));
    }

    // ---- mappings ---------------------------------------------------------------------------------------------

    /** A Case Status value as a ticket status; unmapped values are read as open, with a warning. */
    TicketStatus status(String value) {
        if (value == null) {
            return TicketStatus.OPEN;
        }
        TicketStatus s = mapping.status(value).orElse(null);
        if (s == null) {
            LOG.warn("Salesforce Case Status '{}' is not mapped: read as open (map it with sla.salesforce.status.<name>)",
                    value);
            return TicketStatus.OPEN;
        }
        return s;
    }

    /** A Case Priority value as a ticket priority, or null when it is not mapped. */
    Priority priority(String value) {
        if (value == null) {
            return null;
        }
        Priority p = mapping.priority(value).orElse(null);
        if (p == null) {
            LOG.warn("Salesforce Case Priority '{}' is not mapped (sla.salesforce.priority.<name>): ignored", value);
        }
        return p;
    }

    /** {@code Origin} (Email, Phone, Web...) as the channel, lower case. */
    static String channel(JsonNode c) {
        String origin = c.path("Origin").asText(null);
        return origin == null || origin.isBlank() ? null : origin.strip().toLowerCase(Locale.ROOT);
    }

    String tier(JsonNode c) {
        return config.tierField() == null ? null : value(c, config.tierField());
    }

    String account(JsonNode c) {
        return config.accountField() == null ? null : value(c, config.accountField());
    }

    /** A field's value along a dotted path through lookups ({@code Account.Tier__c}); null when empty. */
    static String value(JsonNode record, String path) {
        JsonNode node = record;
        for (String part : path.split("\\.")) {
            node = node.path(part);
        }
        return text(node, null);
    }

    private static String text(JsonNode node, String fallback) {
        if (node == null || node.isMissingNode() || node.isNull() || node.isContainerNode()) {
            return fallback;
        }
        String t = node.asText();
        return t.isBlank() ? fallback : t;
    }

    static long parseTime(String text) {
        return OffsetDateTime.parse(text, SF_TIME).toEpochSecond();
    }

    private static long time(JsonNode node, CaseRef ref, String what) {
        if (!node.isTextual()) {
            throw new SalesforcePayloadException("Case " + ref.id() + ": " + what + " is missing");
        }
        try {
            return parseTime(node.asText());
        } catch (DateTimeParseException e) {
            throw new SalesforcePayloadException("Case " + ref.id() + ": " + what + " '" + node.asText()
                    + "' is not a Salesforce date-time");
        }
    }

    private static String requireText(JsonNode node, CaseRef ref, String what) {
        String t = text(node, null);
        if (t == null) {
            throw new SalesforcePayloadException("Case " + ref.id() + ": " + what + " is missing");
        }
        return t;
    }

    /** A record id: 15 or 18 letters and digits, as Salesforce makes them. */
    private static String requireId(JsonNode node, CaseRef ref, String what) {
        String t = requireText(node, ref, what);
        if (!ID.matcher(t).matches()) {
            throw new SalesforcePayloadException("Case " + ref.id() + ": " + what + " '" + cut(t)
                    + "' is not a Salesforce id (15 or 18 letters and digits)");
        }
        return t;
    }

    /** Builds an event; a value TicketEvent refuses (an instant beyond the year 9999, say) is a record error. */
    private static TicketEvent build(CaseRef ref, TicketEvent.Builder builder) {
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new SalesforcePayloadException("Case " + ref.id() + ": not a valid event: " + e.getMessage());
        }
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cut(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "... (" + text.length() + " characters)";
    }

    /** A Case by its 18-character id: the ticket key and the event ids. */
    record CaseRef(String id) {
        static CaseRef of(JsonNode c) {
            String id = c.path("Id").isTextual() ? c.path("Id").asText() : "";
            if (id.isEmpty()) {
                throw new SalesforcePayloadException("a Case record has no Id");
            }
            if (!ID.matcher(id).matches()) {
                throw new SalesforcePayloadException("a Case record's Id '" + cut(id) + "' is not a Salesforce id (15 or "
                        + "18 letters and digits)");
            }
            return new CaseRef(id);
        }

        static CaseRef parent(JsonNode record, String type) {
            String id = record.path("ParentId").isTextual() ? record.path("ParentId").asText() : "";
            String named = record.path("Id").isTextual() ? cut(record.path("Id").asText()) : "no Id";
            if (id.isEmpty()) {
                throw new SalesforcePayloadException("a " + type + " record (" + named + ") has no ParentId");
            }
            if (!ID.matcher(id).matches()) {
                throw new SalesforcePayloadException("a " + type + " record (" + named + "): ParentId '" + cut(id)
                        + "' is not a Salesforce id (15 or 18 letters and digits)");
            }
            return new CaseRef(id);
        }

        String ticket() {
            return SOURCE + ":" + id;
        }

        String eventId(String suffix) {
            return SOURCE + ":" + id + ":" + suffix;
        }
    }
}
