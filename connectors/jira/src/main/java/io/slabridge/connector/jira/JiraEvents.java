package io.slabridge.connector.jira;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Jira issues, changelog histories, comments and webhook payloads into ticket events. The webhook and the
 * poller describe the same change with the same event id ({@code jira:<issue id>:created},
 * {@code jira:<issue id>:h<history id>:status}, {@code jira:<issue id>:c<comment id>}), so whichever arrives
 * second is a harmless duplicate. Ticket keys are {@code jira:<issue key>}.
 *
 * <p>Our own activity is not activity: histories and comments by the integration user produce no events, and
 * changes to the SLA fields never do (only status, priority, tier and account changes are read).
 */
public final class JiraEvents {
    private static final Logger LOG = LoggerFactory.getLogger(JiraEvents.class);
    private static final String SOURCE = "jira";
    private static final DateTimeFormatter JIRA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX][XX]",
            Locale.ROOT);

    /** Status names of Jira Service Management's and Jira's default workflows, used when config names none. */
    private static final Map<String, TicketStatus> DEFAULT_STATUSES = Map.ofEntries(
            Map.entry("open", TicketStatus.OPEN), Map.entry("to do", TicketStatus.OPEN),
            Map.entry("waiting for support", TicketStatus.OPEN), Map.entry("reopened", TicketStatus.OPEN),
            Map.entry("in progress", TicketStatus.IN_PROGRESS), Map.entry("work in progress", TicketStatus.IN_PROGRESS),
            Map.entry("escalated", TicketStatus.IN_PROGRESS),
            Map.entry("waiting for customer", TicketStatus.WAITING_ON_CUSTOMER),
            Map.entry("pending", TicketStatus.ON_HOLD), Map.entry("on hold", TicketStatus.ON_HOLD),
            Map.entry("resolved", TicketStatus.RESOLVED), Map.entry("done", TicketStatus.RESOLVED),
            Map.entry("closed", TicketStatus.CLOSED), Map.entry("canceled", TicketStatus.CLOSED),
            Map.entry("cancelled", TicketStatus.CLOSED), Map.entry("declined", TicketStatus.CLOSED));

    private final JiraConfig config;
    private final JiraDirectory directory;

    public JiraEvents(JiraConfig config, JiraDirectory directory) {
        this.config = config;
        this.directory = directory;
    }

    // ---- the poller's view: an issue with its whole changelog and comments ----------------------------------

    /**
     * All events of one issue: its creation (with the field values it was created with, read back through the
     * changelog), every status, priority, tier and account change, and every comment.
     */
    public List<TicketEvent> fromIssue(JsonNode issue, List<JsonNode> histories, List<JsonNode> comments) {
        IssueRef ref = IssueRef.of(issue);
        JsonNode fields = issue.path("fields");
        List<TicketEvent> events = new ArrayList<>();
        events.add(created(ref, fields, histories));
        String us = directory.integrationUser();
        for (JsonNode history : histories) {
            boolean ours = us != null && us.equals(JiraDirectory.userId(history.path("author")));
            long at = time(history.path("created"), ref, "changelog " + history.path("id").asText() + " created");
            String historyId = text(history.path("id"), ref, "changelog id");
            for (JsonNode item : history.path("items")) {
                if (ours && !isOwnPriorityChange(item)) {
                    continue;
                }
                TicketEvent e = fromItem(ref, historyId, at, item, null, history.path("author"));
                if (e != null) {
                    events.add(e);
                }
            }
        }
        JsonNode reporter = fields.path("reporter");
        for (JsonNode comment : comments) {
            TicketEvent e = fromComment(ref, comment, reporter);
            if (e != null) {
                events.add(e);
            }
        }
        return events;
    }

    private TicketEvent created(IssueRef ref, JsonNode fields, List<JsonNode> histories) {
        long at = time(fields.path("created"), ref, "fields.created");
        // The issue as it is now; each field's value at creation is the "from" of its first change, if any.
        String statusName = fields.path("status").path("name").asText(null);
        String statusCategory = fields.path("status").path("statusCategory").path("key").asText(null);
        String priorityName = fields.path("priority").path("name").asText(null);
        String tier = fieldValue(fields.path(nullToEmpty(config.tierField())));
        String account = fieldValue(fields.path(nullToEmpty(config.accountField())));
        boolean statusSeen = false;
        boolean prioritySeen = false;
        boolean tierSeen = false;
        boolean accountSeen = false;
        for (JsonNode history : sortedByTime(histories)) {
            for (JsonNode item : history.path("items")) {
                String field = item.path("field").asText("");
                String fieldId = item.path("fieldId").asText("");
                if (!statusSeen && field.equals("status")) {
                    statusSeen = true;
                    statusName = item.path("fromString").asText(statusName);
                    statusCategory = null;
                } else if (!prioritySeen && field.equals("priority")) {
                    prioritySeen = true;
                    priorityName = item.path("fromString").asText(priorityName);
                } else if (!tierSeen && isField(item, config.tierField(), field, fieldId)) {
                    tierSeen = true;
                    tier = item.path("fromString").isTextual() ? item.path("fromString").asText() : null;
                } else if (!accountSeen && isField(item, config.accountField(), field, fieldId)) {
                    accountSeen = true;
                    account = item.path("fromString").isTextual() ? item.path("fromString").asText() : null;
                }
            }
        }
        return createdEvent(ref, at, fields, statusName, statusCategory, priorityName, tier, account);
    }

    private TicketEvent createdEvent(IssueRef ref, long at, JsonNode fields, String statusName, String statusCategory,
            String priorityName, String tier, String account) {
        Priority priority = priority(priorityName);
        return TicketEvent.builder(ref.eventId("created"), ref.ticket(), at, EventType.CREATED)
                .status(status(statusName, statusCategory))
                .priority(priority == null ? config.defaultPriority() : priority)
                .tier(tier).account(account).source(SOURCE).channel(SOURCE)
                .title(fields.path("summary").asText(null))
                .author(fields.path("reporter").path("displayName").asText(null))
                .build();
    }

    private static List<JsonNode> sortedByTime(List<JsonNode> histories) {
        List<JsonNode> sorted = new ArrayList<>(histories);
        sorted.sort((a, b) -> a.path("created").asText("").compareTo(b.path("created").asText("")));
        return sorted;
    }

    /** A changelog item as an event, or null when it is none of ours to read (SLA fields, descriptions...). */
    private TicketEvent fromItem(IssueRef ref, String historyId, long at, JsonNode item, JsonNode currentStatus,
            JsonNode author) {
        String field = item.path("field").asText("");
        String fieldId = item.path("fieldId").asText("");
        String who = author.path("displayName").asText(null);
        if (field.equals("status")) {
            String name = item.path("toString").asText(null);
            String category = currentStatus != null && name != null && name.equals(currentStatus.path("name").asText())
                    ? currentStatus.path("statusCategory").path("key").asText(null) : null;
            return TicketEvent.builder(ref.eventId("h" + historyId + ":status"), ref.ticket(), at, EventType.STATUS_CHANGED)
                    .status(status(name, category)).source(SOURCE).author(who).build();
        }
        if (field.equals("priority")) {
            Priority priority = priority(item.path("toString").asText(null));
            if (priority == null) {
                return null;
            }
            return TicketEvent.builder(ref.eventId("h" + historyId + ":priority"), ref.ticket(), at,
                    EventType.PRIORITY_CHANGED).priority(priority).source(SOURCE).author(who).build();
        }
        boolean tier = isField(item, config.tierField(), field, fieldId);
        boolean account = isField(item, config.accountField(), field, fieldId);
        if (tier || account) {
            String value = item.path("toString").isTextual() && !item.path("toString").asText().isEmpty()
                    ? item.path("toString").asText() : null;
            TicketEvent.Builder b = TicketEvent.builder(ref.eventId("h" + historyId + ":" + (tier ? "tier" : "account")),
                    ref.ticket(), at, EventType.ATTRIBUTES_CHANGED).source(SOURCE).author(who);
            // An emptied field has no value to carry; the attribute then keeps its last one.
            if (value == null) {
                return null;
            }
            return tier ? b.tier(value).build() : b.account(value).build();
        }
        return null;
    }

    /**
     * The one change of ours that is read: an escalation's {@code set_priority}. It is no activity (no reply, no
     * status), but the ticket's priority did change, and its targets must follow, as they would for a person's
     * change.
     */
    private static boolean isOwnPriorityChange(JsonNode item) {
        return item.path("field").asText("").equals("priority");
    }

    private static boolean isField(JsonNode item, String configured, String field, String fieldId) {
        if (configured == null) {
            return false;
        }
        // Cloud changelog items carry the field id; Data Center's only the field's name.
        return configured.equals(fieldId) || configured.equalsIgnoreCase(field);
    }

    /** A comment as an event; null for our own comments. */
    private TicketEvent fromComment(IssueRef ref, JsonNode comment, JsonNode reporter) {
        JsonNode author = comment.path("author");
        String authorId = JiraDirectory.userId(author);
        String us = directory.integrationUser();
        if (us != null && us.equals(authorId)) {
            return null;
        }
        String commentId = text(comment.path("id"), ref, "comment id");
        long at = time(comment.path("created"), ref, "comment " + commentId + " created");
        EventType type;
        if (isCustomer(author, authorId, reporter)) {
            type = EventType.CUSTOMER_MESSAGE;
        } else {
            type = isInternal(comment) ? EventType.INTERNAL_NOTE : EventType.AGENT_REPLY;
        }
        return TicketEvent.builder(ref.eventId("c" + commentId), ref.ticket(), at, type).source(SOURCE)
                .author(author.path("displayName").asText(null)).build();
    }

    private boolean isCustomer(JsonNode author, String authorId, JsonNode reporter) {
        if (config.serviceManagement()) {
            String accountType = author.path("accountType").asText("");
            if (accountType.equals("customer")) {
                return true; // a JSM portal-only customer account (Cloud)
            }
            if (accountType.equals("atlassian") && config.customerRule().kind() == JiraConfig.CustomerRule.Kind.REPORTER) {
                // Licensed users are agents, unless they raised the request themselves.
                return authorId != null && authorId.equals(JiraDirectory.userId(reporter));
            }
        }
        JiraConfig.CustomerRule rule = config.customerRule();
        return switch (rule.kind()) {
            case REPORTER -> authorId != null && authorId.equals(JiraDirectory.userId(reporter));
            case AGENT_GROUP -> authorId == null
                    || directory.groupsOf(authorId).stream().noneMatch(g -> rule.values().contains(g));
            case AGENT_DOMAIN -> {
                String email = author.path("emailAddress").asText("");
                int at = email.lastIndexOf('@');
                if (at < 0) {
                    // Cloud hides e-mail addresses by default: fall back to "the reporter is the customer".
                    yield authorId != null && authorId.equals(JiraDirectory.userId(reporter));
                }
                yield !rule.values().contains(email.substring(at + 1).toLowerCase(Locale.ROOT));
            }
        };
    }

    /** JSM's internal flag (Cloud's {@code jsdPublic}, or the {@code sd.public.comment} property) or a visibility restriction. */
    private static boolean isInternal(JsonNode comment) {
        if (comment.path("jsdPublic").isBoolean() && !comment.path("jsdPublic").asBoolean()) {
            return true;
        }
        for (JsonNode p : comment.path("properties")) {
            if (p.path("key").asText().equals("sd.public.comment") && p.path("value").path("internal").asBoolean(false)) {
                return true;
            }
        }
        return comment.path("visibility").isObject() && comment.path("visibility").has("value");
    }

    // ---- the webhook's view -----------------------------------------------------------------------------

    /** What a webhook delivery amounts to: its events, or why it has none. */
    public record WebhookEvents(String webhookEvent, String issueKey, List<TicketEvent> events, String ignoredBecause) {
        public WebhookEvents {
            events = List.copyOf(events);
        }
    }

    /**
     * The events of one webhook delivery.
     *
     * @throws JiraPayloadException when the payload lacks what its event type needs, naming the field
     */
    public WebhookEvents fromWebhook(JsonNode payload) {
        if (!payload.isObject()) {
            throw new JiraPayloadException("the body is not a JSON object");
        }
        String kind = payload.path("webhookEvent").asText("");
        if (kind.isEmpty()) {
            throw new JiraPayloadException("field 'webhookEvent' is missing");
        }
        JsonNode issue = payload.path("issue");
        if (!issue.isObject()) {
            throw new JiraPayloadException("field 'issue' is missing (webhookEvent " + kind + ")");
        }
        IssueRef ref = IssueRef.of(issue);
        JsonNode fields = issue.path("fields");
        String us = directory.integrationUser();
        String userId = JiraDirectory.userId(payload.path("user"));
        switch (kind) {
            case "jira:issue_created": {
                long at = time(fields.path("created"), ref, "issue.fields.created");
                TicketEvent e = createdEvent(ref, at, fields, fields.path("status").path("name").asText(null),
                        fields.path("status").path("statusCategory").path("key").asText(null),
                        fields.path("priority").path("name").asText(null),
                        fieldValue(fields.path(nullToEmpty(config.tierField()))),
                        fieldValue(fields.path(nullToEmpty(config.accountField()))));
                return new WebhookEvents(kind, ref.key(), List.of(e), null);
            }
            case "jira:issue_updated": {
                List<TicketEvent> events = new ArrayList<>();
                JsonNode changelog = payload.path("changelog");
                boolean ours = us != null && us.equals(userId);
                if (changelog.isObject()) {
                    String historyId = text(changelog.path("id"), ref, "changelog.id");
                    long at = webhookTime(payload, ref);
                    for (JsonNode item : changelog.path("items")) {
                        if (ours && !isOwnPriorityChange(item)) {
                            continue;
                        }
                        TicketEvent e = fromItem(ref, historyId, at, item, fields.path("status"), payload.path("user"));
                        if (e != null) {
                            events.add(e);
                        }
                    }
                }
                // A transition screen's comment arrives inside issue_updated.
                if (payload.path("comment").isObject()) {
                    TicketEvent e = fromComment(ref, payload.path("comment"), reporter(ref, fields));
                    if (e != null) {
                        events.add(e);
                    }
                }
                String why = events.isEmpty() ? (ours ? "made by the integration user" : "no status, priority, tier, "
                        + "account or comment change") : null;
                return new WebhookEvents(kind, ref.key(), events, why);
            }
            case "comment_created": {
                JsonNode comment = payload.path("comment");
                if (!comment.isObject()) {
                    throw new JiraPayloadException("field 'comment' is missing (webhookEvent comment_created)");
                }
                TicketEvent e = fromComment(ref, comment, reporter(ref, fields));
                return e == null ? new WebhookEvents(kind, ref.key(), List.of(), "made by the integration user")
                        : new WebhookEvents(kind, ref.key(), List.of(e), null);
            }
            case "jira:issue_deleted": {
                // A deleted issue needs no SLA: closing it stops its clocks and its escalations.
                TicketEvent e = TicketEvent.builder(ref.eventId("deleted"), ref.ticket(), webhookTime(payload, ref),
                        EventType.STATUS_CHANGED).status(TicketStatus.CLOSED).source(SOURCE).build();
                return new WebhookEvents(kind, ref.key(), List.of(e), null);
            }
            case "comment_updated", "comment_deleted":
                return new WebhookEvents(kind, ref.key(), List.of(), "an edited or deleted comment does not change "
                        + "when it was written");
            default:
                return new WebhookEvents(kind, ref.key(), List.of(), "not an event sla-bridge reads");
        }
    }

    private JsonNode reporter(IssueRef ref, JsonNode fields) {
        JsonNode reporter = fields.path("reporter");
        if (reporter.isObject()) {
            return reporter;
        }
        // Comment webhooks carry a reduced issue, without its reporter.
        return directory.reporterOf(ref.key());
    }

    private static long webhookTime(JsonNode payload, IssueRef ref) {
        JsonNode ts = payload.path("timestamp");
        if (!ts.canConvertToLong()) {
            throw new JiraPayloadException("issue " + ref.key() + ": field 'timestamp' is missing or not a number");
        }
        return Math.floorDiv(ts.asLong(), 1000L);
    }

    // ---- mappings -----------------------------------------------------------------------------------------

    /** A Jira status as a ticket status: configured names first, then the defaults, then its category. */
    TicketStatus status(String name, String category) {
        if (name != null) {
            String key = name.strip().toLowerCase(Locale.ROOT);
            TicketStatus s = config.statusByName().get(key);
            if (s == null) {
                s = DEFAULT_STATUSES.get(key);
            }
            if (s != null) {
                return s;
            }
            if (category == null) {
                category = directory.statusCategory(name);
            }
        }
        if (category != null) {
            switch (category) {
                case "new":
                    return TicketStatus.OPEN;
                case "indeterminate":
                    return TicketStatus.IN_PROGRESS;
                case "done":
                    return TicketStatus.RESOLVED;
                default:
                    break;
            }
        }
        LOG.warn("Jira status '{}' is not mapped and has no known category: read as open (map it with "
                + "sla.jira.status.<name>)", name);
        return TicketStatus.OPEN;
    }

    /** A Jira priority as a ticket priority, or null when it is not mapped. */
    Priority priority(String name) {
        if (name == null) {
            return null;
        }
        Priority p = config.priorityByName().get(name.strip().toLowerCase(Locale.ROOT));
        if (p == null) {
            LOG.warn("Jira priority '{}' is not mapped (sla.jira.priority.<name>): ignored", name);
        }
        return p;
    }

    /** A field's value as text: a string, an option's {@code value}, an object's {@code name}, or the first of a list. */
    static String fieldValue(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isArray()) {
            return node.isEmpty() ? null : fieldValue(node.get(0));
        }
        if (node.isObject()) {
            for (String f : new String[] {"value", "name", "displayName"}) {
                if (node.path(f).isTextual()) {
                    return node.path(f).asText();
                }
            }
            return null;
        }
        String text = node.asText();
        return text.isEmpty() ? null : text;
    }

    static long parseTime(String text) {
        return OffsetDateTime.parse(text, JIRA_TIME).toEpochSecond();
    }

    private static long time(JsonNode node, IssueRef ref, String what) {
        if (!node.isTextual()) {
            throw new JiraPayloadException("issue " + ref.key() + ": " + what + " is missing");
        }
        try {
            return parseTime(node.asText());
        } catch (DateTimeParseException e) {
            throw new JiraPayloadException("issue " + ref.key() + ": " + what + " '" + node.asText()
                    + "' is not a Jira time (yyyy-MM-dd'T'HH:mm:ss.SSSZ)");
        }
    }

    private static String text(JsonNode node, IssueRef ref, String what) {
        if (node.isMissingNode() || node.isNull() || node.asText().isEmpty()) {
            throw new JiraPayloadException("issue " + ref.key() + ": " + what + " is missing");
        }
        return node.asText();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The two names of an issue: the stable id for event ids, the key for ticket keys. */
    record IssueRef(String id, String key) {
        static IssueRef of(JsonNode issue) {
            String key = issue.path("key").asText("");
            String id = issue.path("id").asText("");
            if (key.isEmpty()) {
                throw new JiraPayloadException("issue " + (id.isEmpty() ? "(no id)" : id) + ": field 'key' is missing");
            }
            if (id.isEmpty()) {
                throw new JiraPayloadException("issue " + key + ": field 'id' is missing");
            }
            return new IssueRef(id, key);
        }

        String ticket() {
            return "jira:" + key;
        }

        String eventId(String suffix) {
            return "jira:" + id + ":" + suffix;
        }
    }
}
