package io.slabridge.connector.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
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
import java.util.regex.Pattern;
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
    /** An issue key: a project key (a letter, then letters, digits or _) and the issue's number. */
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,99}-[0-9]{1,18}");
    /** Issue, changelog and comment ids are numbers. */
    private static final Pattern ID = Pattern.compile("[0-9]{1,19}");
    private static final DateTimeFormatter JIRA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX][XX]",
            Locale.ROOT);


    private final JiraConfig config;
    private final JiraDirectory directory;
    private final TicketMapping mapping;

    public JiraEvents(JiraConfig config, JiraDirectory directory) {
        this.config = config;
        this.directory = directory;
        this.mapping = JiraMapping.of(config);
    }

    // ---- the poller's view: an issue with its whole changelog and comments ----------------------------------

    /**
     * All events of one issue: its creation (with the field values it was created with, read back through the
     * changelog), every status, priority, tier and account change, and every comment.
     */
    public List<TicketEvent> fromIssue(JsonNode issue, List<JsonNode> histories, List<JsonNode> comments) {
        if (!issue.isObject()) {
            throw new JiraPayloadException("an issue in the search result is not a JSON object but " + describe(issue));
        }
        IssueRef ref = IssueRef.of(issue);
        JsonNode fields = object(issue, "fields", ref, "fields");
        for (JsonNode history : histories) {
            if (!history.isObject()) {
                throw new JiraPayloadException("issue " + ref.key() + ": a changelog history is " + describe(history)
                        + ", not an object");
            }
        }
        List<TicketEvent> events = new ArrayList<>();
        events.add(created(ref, fields, histories));
        String us = directory.integrationUser();
        for (JsonNode history : histories) {
            String historyId = id(history.path("id"), ref, "changelog id");
            JsonNode author = object(history, "author", ref, "changelog " + historyId + " author");
            boolean ours = us != null && us.equals(JiraDirectory.userId(author));
            long at = time(history.path("created"), ref, "changelog " + historyId + " created");
            for (JsonNode item : items(history, ref, "changelog " + historyId)) {
                if (ours && !isOwnPriorityChange(item, ref)) {
                    continue;
                }
                TicketEvent e = fromItem(ref, historyId, at, item, null, author);
                if (e != null) {
                    events.add(e);
                }
            }
        }
        JsonNode reporter = object(fields, "reporter", ref, "fields.reporter");
        for (JsonNode comment : comments) {
            if (!comment.isObject()) {
                throw new JiraPayloadException("issue " + ref.key() + ": a comment is " + describe(comment)
                        + ", not an object");
            }
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
        JsonNode status = object(fields, "status", ref, "fields.status");
        String statusName = optionalText(status.path("name"), ref, "fields.status.name");
        String statusCategory = optionalText(object(status, "statusCategory", ref, "fields.status.statusCategory")
                .path("key"), ref, "fields.status.statusCategory.key");
        String priorityName = optionalText(object(fields, "priority", ref, "fields.priority").path("name"), ref,
                "fields.priority.name");
        String tier = fieldValue(fields.path(nullToEmpty(config.tierField())));
        String account = fieldValue(fields.path(nullToEmpty(config.accountField())));
        boolean statusSeen = false;
        boolean prioritySeen = false;
        boolean tierSeen = false;
        boolean accountSeen = false;
        for (JsonNode history : sortedByTime(histories)) {
            for (JsonNode item : items(history, ref, "changelog " + history.path("id").asText())) {
                String field = nullToEmpty(optionalText(item.path("field"), ref, "changelog item field"));
                String fieldId = nullToEmpty(optionalText(item.path("fieldId"), ref, "changelog item fieldId"));
                String from = optionalText(item.path("fromString"), ref, "changelog item fromString");
                if (!statusSeen && field.equals("status")) {
                    statusSeen = true;
                    statusName = from == null ? statusName : from;
                    statusCategory = null;
                } else if (!prioritySeen && field.equals("priority")) {
                    prioritySeen = true;
                    priorityName = from == null ? priorityName : from;
                } else if (!tierSeen && isField(config.tierField(), field, fieldId)) {
                    tierSeen = true;
                    tier = from;
                } else if (!accountSeen && isField(config.accountField(), field, fieldId)) {
                    accountSeen = true;
                    account = from;
                }
            }
        }
        return createdEvent(ref, at, fields, statusName, statusCategory, priorityName, tier, account);
    }

    private TicketEvent createdEvent(IssueRef ref, long at, JsonNode fields, String statusName, String statusCategory,
            String priorityName, String tier, String account) {
        Priority priority = priority(priorityName);
        return build(ref, TicketEvent.builder(ref.eventId("created"), ref.ticket(), at, EventType.CREATED)
                .status(status(statusName, statusCategory))
                .priority(priority == null ? mapping.defaultPriority() : priority)
                .tier(tier).account(account).source(SOURCE).channel(SOURCE)
                .title(optionalText(fields.path("summary"), ref, "fields.summary"))
                .author(optionalText(object(fields, "reporter", ref, "fields.reporter").path("displayName"), ref,
                        "fields.reporter.displayName")));
    }

    private static List<JsonNode> sortedByTime(List<JsonNode> histories) {
        List<JsonNode> sorted = new ArrayList<>(histories);
        sorted.sort((a, b) -> a.path("created").asText("").compareTo(b.path("created").asText("")));
        return sorted;
    }

    /** A changelog item as an event, or null when it is none of ours to read (SLA fields, descriptions...). */
    private TicketEvent fromItem(IssueRef ref, String historyId, long at, JsonNode item, JsonNode currentStatus,
            JsonNode author) {
        if (!item.isObject()) {
            throw new JiraPayloadException("issue " + ref.key() + ": changelog " + historyId + " has an item that is "
                    + describe(item) + ", not an object");
        }
        String field = nullToEmpty(optionalText(item.path("field"), ref, "changelog item field"));
        String fieldId = nullToEmpty(optionalText(item.path("fieldId"), ref, "changelog item fieldId"));
        String to = optionalText(item.path("toString"), ref, "changelog item toString");
        String who = optionalText(author.path("displayName"), ref, "the author's displayName");
        if (field.equals("status")) {
            String category = null;
            if (currentStatus != null && to != null && to.equals(currentStatus.path("name").asText())) {
                category = optionalText(currentStatus.path("statusCategory").path("key"), ref,
                        "fields.status.statusCategory.key");
            }
            return build(ref, TicketEvent.builder(ref.eventId("h" + historyId + ":status"), ref.ticket(), at,
                    EventType.STATUS_CHANGED).status(status(to, category)).source(SOURCE).author(who));
        }
        if (field.equals("priority")) {
            Priority priority = priority(to);
            if (priority == null) {
                return null;
            }
            return build(ref, TicketEvent.builder(ref.eventId("h" + historyId + ":priority"), ref.ticket(), at,
                    EventType.PRIORITY_CHANGED).priority(priority).source(SOURCE).author(who));
        }
        boolean tier = isField(config.tierField(), field, fieldId);
        boolean account = isField(config.accountField(), field, fieldId);
        if (tier || account) {
            // An emptied field has no value to carry; the attribute then keeps its last one.
            if (to == null || to.isBlank()) {
                return null;
            }
            TicketEvent.Builder b = TicketEvent.builder(ref.eventId("h" + historyId + ":" + (tier ? "tier" : "account")),
                    ref.ticket(), at, EventType.ATTRIBUTES_CHANGED).source(SOURCE).author(who);
            return build(ref, tier ? b.tier(to) : b.account(to));
        }
        return null;
    }

    /**
     * The one change of ours that is read: an escalation's {@code set_priority}. It is no activity (no reply, no
     * status), but the ticket's priority did change, and its targets must follow, as they would for a person's
     * change.
     */
    private static boolean isOwnPriorityChange(JsonNode item, IssueRef ref) {
        return "priority".equals(optionalText(item.path("field"), ref, "changelog item field"));
    }

    private static boolean isField(String configured, String field, String fieldId) {
        if (configured == null) {
            return false;
        }
        // Cloud changelog items carry the field id; Data Center's only the field's name.
        return configured.equals(fieldId) || configured.equalsIgnoreCase(field);
    }

    /** A comment as an event; null for our own comments. */
    private TicketEvent fromComment(IssueRef ref, JsonNode comment, JsonNode reporter) {
        String commentId = id(comment.path("id"), ref, "comment id");
        JsonNode author = object(comment, "author", ref, "comment " + commentId + " author");
        String authorId = JiraDirectory.userId(author);
        String us = directory.integrationUser();
        if (us != null && us.equals(authorId)) {
            return null;
        }
        long at = time(comment.path("created"), ref, "comment " + commentId + " created");
        EventType type;
        if (isCustomer(author, authorId, reporter)) {
            type = EventType.CUSTOMER_MESSAGE;
        } else {
            type = isInternal(comment) ? EventType.INTERNAL_NOTE : EventType.AGENT_REPLY;
        }
        return build(ref, TicketEvent.builder(ref.eventId("c" + commentId), ref.ticket(), at, type).source(SOURCE)
                .author(optionalText(author.path("displayName"), ref, "comment " + commentId + " author displayName")));
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
                String email = author.path("emailAddress").isTextual() ? author.path("emailAddress").asText() : "";
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
            throw new JiraPayloadException("the body is not a JSON object but " + describe(payload));
        }
        String kind = optionalText(payload.path("webhookEvent"), null, "field 'webhookEvent'");
        if (kind == null || kind.isEmpty()) {
            throw new JiraPayloadException("field 'webhookEvent' is missing");
        }
        switch (kind) {
            case "jira:issue_created", "jira:issue_updated", "comment_created", "jira:issue_deleted":
                break;
            case "comment_updated", "comment_deleted":
                return new WebhookEvents(kind, null, List.of(), "an edited or deleted comment does not change when it "
                        + "was written");
            default:
                // Jira sends what the webhook subscribes to (worklogs, sprints, projects...): not an error, not ours.
                return new WebhookEvents(kind, null, List.of(), "not an event sla-bridge reads (" + cut(kind) + ")");
        }
        JsonNode issue = payload.path("issue");
        if (issue.isMissingNode() || issue.isNull()) {
            throw new JiraPayloadException("field 'issue' is missing (webhookEvent " + kind + ")");
        }
        if (!issue.isObject()) {
            throw new JiraPayloadException("field 'issue' must be an object, found " + describe(issue) + " (webhookEvent "
                    + kind + ")");
        }
        IssueRef ref = IssueRef.of(issue);
        JsonNode fields = object(issue, "fields", ref, "issue.fields");
        JsonNode user = object(payload, "user", ref, "user");
        String us = directory.integrationUser();
        String userId = JiraDirectory.userId(user);
        switch (kind) {
            case "jira:issue_created": {
                long at = time(fields.path("created"), ref, "issue.fields.created");
                JsonNode status = object(fields, "status", ref, "issue.fields.status");
                TicketEvent e = createdEvent(ref, at, fields, optionalText(status.path("name"), ref,
                        "issue.fields.status.name"), optionalText(object(status, "statusCategory", ref,
                        "issue.fields.status.statusCategory").path("key"), ref, "issue.fields.status.statusCategory.key"),
                        optionalText(object(fields, "priority", ref, "issue.fields.priority").path("name"), ref,
                                "issue.fields.priority.name"),
                        fieldValue(fields.path(nullToEmpty(config.tierField()))),
                        fieldValue(fields.path(nullToEmpty(config.accountField()))));
                return new WebhookEvents(kind, ref.key(), List.of(e), null);
            }
            case "jira:issue_updated": {
                List<TicketEvent> events = new ArrayList<>();
                JsonNode changelog = object(payload, "changelog", ref, "changelog");
                boolean ours = us != null && us.equals(userId);
                JsonNode currentStatus = object(fields, "status", ref, "issue.fields.status");
                if (!changelog.isMissingNode()) {
                    String historyId = id(changelog.path("id"), ref, "changelog.id");
                    long at = webhookTime(payload, ref);
                    for (JsonNode item : items(changelog, ref, "changelog")) {
                        if (ours && !isOwnPriorityChange(item, ref)) {
                            continue;
                        }
                        TicketEvent e = fromItem(ref, historyId, at, item, currentStatus, user);
                        if (e != null) {
                            events.add(e);
                        }
                    }
                }
                // A transition screen's comment arrives inside issue_updated.
                JsonNode comment = object(payload, "comment", ref, "comment");
                if (!comment.isMissingNode()) {
                    TicketEvent e = fromComment(ref, comment, reporter(ref, fields));
                    if (e != null) {
                        events.add(e);
                    }
                }
                String why = events.isEmpty() ? (ours ? "made by the integration user" : "no status, priority, tier, "
                        + "account or comment change") : null;
                return new WebhookEvents(kind, ref.key(), events, why);
            }
            case "comment_created": {
                JsonNode comment = object(payload, "comment", ref, "comment");
                if (comment.isMissingNode()) {
                    throw new JiraPayloadException("issue " + ref.key() + ": field 'comment' is missing (webhookEvent "
                            + "comment_created)");
                }
                TicketEvent e = fromComment(ref, comment, reporter(ref, fields));
                return e == null ? new WebhookEvents(kind, ref.key(), List.of(), "made by the integration user")
                        : new WebhookEvents(kind, ref.key(), List.of(e), null);
            }
            default: {
                // jira:issue_deleted. A deleted issue needs no SLA: closing it stops its clocks and its escalations.
                TicketEvent e = build(ref, TicketEvent.builder(ref.eventId("deleted"), ref.ticket(),
                        webhookTime(payload, ref), EventType.STATUS_CHANGED).status(TicketStatus.CLOSED).source(SOURCE));
                return new WebhookEvents(kind, ref.key(), List.of(e), null);
            }
        }
    }

    private JsonNode reporter(IssueRef ref, JsonNode fields) {
        JsonNode reporter = object(fields, "reporter", ref, "issue.fields.reporter");
        if (reporter.isObject()) {
            return reporter;
        }
        // Comment webhooks carry a reduced issue, without its reporter.
        return directory.reporterOf(ref.key());
    }

    private static long webhookTime(JsonNode payload, IssueRef ref) {
        JsonNode ts = payload.path("timestamp");
        if (ts.isMissingNode() || ts.isNull()) {
            throw new JiraPayloadException("issue " + ref.key() + ": field 'timestamp' is missing");
        }
        if (!ts.isIntegralNumber() || !ts.canConvertToLong()) {
            throw new JiraPayloadException("issue " + ref.key() + ": field 'timestamp' must be milliseconds since 1970 "
                    + "(a whole number), found " + describe(ts));
        }
        return Math.floorDiv(ts.asLong(), 1000L);
    }

    // ---- mappings -----------------------------------------------------------------------------------------

    /** A Jira status as a ticket status: configured names first, then the defaults, then its category. */
    TicketStatus status(String name, String category) {
        if (name != null) {
            java.util.Optional<TicketStatus> s = mapping.status(name);
            if (s.isPresent()) {
                return s.get();
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
                + JiraSettings.STATUS.name() + ")", name);
        return TicketStatus.OPEN;
    }

    /** A Jira priority as a ticket priority, or null when it is not mapped. */
    Priority priority(String name) {
        if (name == null) {
            return null;
        }
        Priority p = mapping.priority(name).orElse(null);
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
        if (node.isMissingNode() || node.isNull()) {
            throw new JiraPayloadException("issue " + ref.key() + ": " + what + " is missing");
        }
        if (!node.isTextual()) {
            throw new JiraPayloadException("issue " + ref.key() + ": " + what + " must be a Jira time "
                    + "(yyyy-MM-dd'T'HH:mm:ss.SSSZ), found " + describe(node));
        }
        try {
            return parseTime(node.asText());
        } catch (DateTimeParseException e) {
            throw new JiraPayloadException("issue " + ref.key() + ": " + what + " '" + node.asText()
                    + "' is not a Jira time (yyyy-MM-dd'T'HH:mm:ss.SSSZ)");
        }
    }

    /** A Jira id: digits, as text or as a whole number. */
    private static String id(JsonNode node, IssueRef ref, String what) {
        if (node.isMissingNode() || node.isNull() || (node.isTextual() && node.asText().isEmpty())) {
            throw new JiraPayloadException("issue " + ref.key() + ": " + what + " is missing");
        }
        String text = node.isIntegralNumber() && node.canConvertToLong() ? Long.toString(node.asLong())
                : node.isTextual() ? node.asText() : null;
        if (text == null || !ID.matcher(text).matches()) {
            throw new JiraPayloadException("issue " + ref.key() + ": " + what + " must be a Jira id (digits), found "
                    + describe(node));
        }
        return text;
    }

    /** A text field, or null when it is absent or null; any other type is an error naming the field. */
    private static String optionalText(JsonNode node, IssueRef ref, String what) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new JiraPayloadException((ref == null ? "" : "issue " + ref.key() + ": ") + what + " must be text, found "
                    + describe(node));
        }
        return node.asText();
    }

    /** An object field; a missing node when it is absent or null; any other type is an error naming the field. */
    private static JsonNode object(JsonNode parent, String field, IssueRef ref, String what) {
        JsonNode node = parent.path(field);
        if (node.isNull()) {
            return MissingNode.getInstance();
        }
        if (!node.isMissingNode() && !node.isObject()) {
            throw new JiraPayloadException("issue " + ref.key() + ": " + what + " must be an object, found "
                    + describe(node));
        }
        return node;
    }

    /** The {@code items} list of a changelog (history), which every changelog has. */
    private static JsonNode items(JsonNode changelog, IssueRef ref, String what) {
        JsonNode items = changelog.path("items");
        if (!items.isArray()) {
            throw new JiraPayloadException("issue " + ref.key() + ": " + what + ".items must be a list, found "
                    + describe(items));
        }
        return items;
    }

    /** Builds an event; a value TicketEvent refuses (an instant beyond the year 9999, say) is a payload error. */
    private static TicketEvent build(IssueRef ref, TicketEvent.Builder builder) {
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new JiraPayloadException("issue " + ref.key() + ": not a valid event: " + e.getMessage());
        }
    }

    /** What a node is, for messages: an object, a list, the number 12, the text 'abc' (cut at 40 characters). */
    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isNumber()) {
            return "the number " + cut(node.asText());
        }
        if (node.isBoolean()) {
            return "the boolean " + node.asText();
        }
        return "the text '" + cut(node.asText()) + "'";
    }

    private static String cut(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "... (" + text.length() + " characters)";
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** The two names of an issue: the stable id for event ids, the key for ticket keys. */
    record IssueRef(String id, String key) {
        static IssueRef of(JsonNode issue) {
            JsonNode keyNode = issue.path("key");
            JsonNode idNode = issue.path("id");
            String idText = idNode.isTextual() || idNode.isIntegralNumber() ? idNode.asText() : "";
            String named = idText.isEmpty() ? "(no id)" : cut(idText);
            if (keyNode.isMissingNode() || keyNode.isNull() || keyNode.isTextual() && keyNode.asText().isEmpty()) {
                throw new JiraPayloadException("issue " + named + ": field 'key' is missing");
            }
            if (!keyNode.isTextual() || !KEY.matcher(keyNode.asText()).matches()) {
                throw new JiraPayloadException("issue " + named + ": field 'key' must be an issue key such as SUP-12, found "
                        + describe(keyNode));
            }
            String key = keyNode.asText();
            if (idNode.isMissingNode() || idNode.isNull() || idNode.isTextual() && idText.isEmpty()) {
                throw new JiraPayloadException("issue " + key + ": field 'id' is missing");
            }
            if (!ID.matcher(idText).matches()) {
                throw new JiraPayloadException("issue " + key + ": field 'id' must be a Jira id (digits), found "
                        + describe(idNode));
            }
            return new IssueRef(idText, key);
        }

        String ticket() {
            return "jira:" + key;
        }

        String eventId(String suffix) {
            return "jira:" + id + ":" + suffix;
        }
    }
}
