package io.slabridge.connector.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slabridge.connector.api.AssigneeCache;
import io.slabridge.connector.api.SlaFieldValues;
import io.slabridge.connector.api.TicketMapping;
import io.slabridge.core.escalation.EscalationAction.Visibility;
import io.slabridge.core.outbox.BatchOutboxWriter;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the outbox's commands to Salesforce in batches: the dispatcher hands over up to 200 commands of
 * different Cases, and they go out in at most two sObject Collections calls, each with {@code allOrNone=false}:
 * <ul>
 * <li>one {@code PATCH /composite/sobjects} updating the Cases: SLA fields (the mapped fields, a due instant
 * that is gone clearing its field), priorities ({@code set_priority}) and owners ({@code assign}: the {@code OwnerId}
 * of the one active user whose e-mail address, user name or name it is, or of the queue of that name or API name,
 * found by SOQL and remembered for an hour);</li>
 * <li>one {@code POST /composite/sobjects} creating the escalation comments: a {@code CaseComment}
 * ({@code IsPublished=false} when internal) or a Chatter {@code FeedItem} ({@code Visibility=InternalUsers}).</li>
 * </ul>
 * Salesforce answers each record on its own: a record it refuses (a deleted Case, a value its picklist lacks,
 * a validation rule) parks that command with Salesforce's words while the others are done; a locked row waits
 * a little. A failure of a whole call: {@code REQUEST_LIMIT_EXCEEDED} waits {@code sla.salesforce.limit-retry-after}
 * (every command of the batch); credentials refused after camel-salesforce's own re-login wait five minutes;
 * after a 5xx or no answer the commands of that call are retried with backoff (every write here is safe to
 * repeat), while those of the batch's other call keep their results.
 *
 * <p>A comment is the one write that is not idempotent by itself. A command tried before (its delivery may have
 * landed with the answer lost) first looks for its comment among the integration user's comments on its Case since
 * it was enqueued (one query for all such commands of the batch); a first attempt costs nothing extra. An internal
 * comment ends with a marker line holding the command's idempotency key, which only agents see. A public one has no
 * marker (customers read it: Experience Cloud, e-mail-to-case): it is found by its exact text, each comment found
 * standing for one command.
 *
 * <p>A new owner is idempotent by itself; a retried {@code assign} still reads the Case's owner first (one query for
 * all such commands of the batch) and leaves a Case that is already theirs as it is.
 */
public final class SalesforceWriter implements BatchOutboxWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SalesforceWriter.class);
    /** sObject Collections take up to 200 records a call. */
    public static final int MAX_BATCH = 200;
    /** Rejected credentials: someone has to fix them; until then every command waits, none is parked. */
    static final Duration CREDENTIALS_RETRY_AFTER = Duration.ofMinutes(5);
    /** A record another transaction held locked ({@code UNABLE_TO_LOCK_ROW}). */
    static final Duration LOCKED_RETRY_AFTER = Duration.ofSeconds(30);
    /** CaseComment.CommentBody holds at most 4,000 bytes; FeedItem.Body 10,000 characters. */
    static final int COMMENT_BYTES = 4000;
    static final int FEED_ITEM_CHARS = 10000;
    /** How far Salesforce's clock may run behind ours when a retried comment looks for itself. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    /** Salesforce date-time, written in UTC. */
    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern CASE_ID = Pattern.compile("[A-Za-z0-9]{15}|[A-Za-z0-9]{18}");
    private static final String TICKET_PREFIX = SalesforceEvents.SOURCE + ":";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final SalesforceApi api;
    private final SalesforceConfig config;
    private final TicketMapping mapping;
    private final SlaFieldValues fieldValues;
    private final AssigneeCache owners;

    public SalesforceWriter(SalesforceApi api) {
        this.api = Objects.requireNonNull(api, "api");
        this.config = api.config();
        this.owners = new AssigneeCache(api.clock());
        this.mapping = SalesforceMapping.of(config);
        this.fieldValues = new SlaFieldValues(config.statusField(), SlaFieldValues.StatusShape.TEXT,
                config.nextDueField(), config.dueFields(), DATE_TIME).withLinked(config.linkedFields());
    }

    @Override
    public int maxBatch() {
        return MAX_BATCH;
    }

    /** Salesforce API calls made so far (all of this client's; for the API-calls benchmark and metrics). */
    public long calls() {
        return api.calls();
    }

    /** The marker line that ends a comment posted for {@code idempotencyKey}. */
    static String marker(String idempotencyKey) {
        return "[sla-bridge " + idempotencyKey + "]";
    }

    @Override
    public List<WriteResult> writeAll(List<OutboxCommand> commands) {
        if (commands.size() > MAX_BATCH) {
            throw new IllegalArgumentException(commands.size() + " commands in one batch; at most " + MAX_BATCH);
        }
        WriteResult[] results = new WriteResult[commands.size()];
        List<Integer> updates = new ArrayList<>();
        ArrayNode updateRecords = JSON.arrayNode();
        List<Integer> comments = new ArrayList<>();
        List<Integer> assigns = new ArrayList<>();
        Map<Integer, String> ownerOf = new HashMap<>();
        if (!ownersOf(commands, ownerOf, results)) {
            return Arrays.asList(results);
        }
        for (int i = 0; i < commands.size(); i++) {
            if (results[i] != null) {
                continue; // an assign settled by its look-up
            }
            OutboxCommand command = commands.get(i);
            String caseId = caseId(command.ticket());
            if (caseId == null) {
                results[i] = WriteResult.failed("'" + command.ticket() + "' is not a Salesforce ticket key (expected "
                        + "salesforce:<Case Id>, e.g. salesforce:500Qy00000AbCdEIAV)");
                continue;
            }
            WriteBack payload = command.payload();
            if (payload instanceof WriteBack.SlaFields f) {
                ObjectNode record = slaFieldValues(f);
                if (record.isEmpty()) {
                    results[i] = WriteResult.done(); // no SLA field configured: nothing to show agents
                    continue;
                }
                updates.add(i);
                updateRecords.add(caseRecord(caseId, record));
            } else if (payload instanceof WriteBack.SetPriority p) {
                String name = mapping.nameOf(p.priority()).orElse(null);
                if (name == null) {
                    results[i] = WriteResult.failed("set_priority " + p.priority().wireName() + " on Case " + caseId
                            + ": no Case Priority value is mapped to it (sla.salesforce.priority.<value>="
                            + p.priority().wireName() + ")");
                    continue;
                }
                ObjectNode record = JSON.objectNode();
                record.put("Priority", name);
                updates.add(i);
                updateRecords.add(caseRecord(caseId, record));
            } else if (payload instanceof WriteBack.Assign) {
                ObjectNode record = JSON.objectNode();
                record.put("OwnerId", ownerOf.get(i));
                updates.add(i);
                assigns.add(i);
                updateRecords.add(caseRecord(caseId, record));
            } else if (payload instanceof WriteBack.Comment) {
                comments.add(i);
            } else if (!(payload instanceof WriteBack.Notify)) {
                results[i] = WriteResult.failed(payload.kind() + " is not written to Salesforce (command for "
                        + command.ticket() + ")");
            } else {
                WriteBack.Notify n = (WriteBack.Notify) payload;
                results[i] = WriteResult.failed("notify needs the email connector: Salesforce does not send "
                        + "sla-bridge's e-mail (to " + String.join(", ", n.to()) + ", subject '" + n.subject() + "')");
            }
        }
        // The update and the comments are separate calls: one failing leaves the other's results as they are (a
        // comment is not retried because another Case's update timed out, an update that went through is not
        // sent again because a comment create failed). Only a limit or refused credentials stop the batch.
        if (!updates.isEmpty()) {
            try {
                api.caseSchema(); // the configured fields exist and take what is written (read once)
                ObjectNode body = JSON.objectNode();
                body.put("allOrNone", false);
                body.set("records", updateRecords);
                apply(api.updateCollection(body), updates, commands, results, "Case update");
                for (int i : assigns) {
                    if (results[i] instanceof WriteResult.Failed) {
                        // An owner Salesforce refused (a user deactivated, a queue that does not take Cases): the
                        // look-up is made again when the command is put back in line.
                        owners.forget(((WriteBack.Assign) commands.get(i).payload()).to());
                    }
                }
            } catch (SalesforceCallException e) {
                if (settle(e, updates, results)) {
                    settle(e, comments, results);
                    return Arrays.asList(results);
                }
            } catch (SalesforceConfigException e) {
                // A field the org lacks: someone has to fix the settings or the org; the updates wait, none is parked.
                for (int i : updates) {
                    results[i] = WriteResult.retryAfter(CREDENTIALS_RETRY_AFTER, "Case fields: " + e.getMessage());
                }
            }
        }
        try {
            comments = alreadyPosted(comments, commands, results);
            if (!comments.isEmpty()) {
                ObjectNode body = JSON.objectNode();
                body.put("allOrNone", false);
                ArrayNode records = body.putArray("records");
                for (int i : comments) {
                    OutboxCommand command = commands.get(i);
                    records.add(commentRecord(caseId(command.ticket()), (WriteBack.Comment) command.payload(),
                            command.idempotencyKey()));
                }
                apply(api.createCollection(body), comments, commands, results, commentType() + " create");
            }
        } catch (SalesforceCallException e) {
            settle(e, comments, results);
        }
        return Arrays.asList(results);
    }

    /**
     * The new owner of each {@code assign} command, into {@code ownerOf}; a command whose owner cannot be found (no
     * one, several) gets its parked result, a look-up that failed its retry or wait, and a retried one whose Case is
     * already theirs is done. False when the whole batch must wait (the org's limit, refused credentials), every
     * result set.
     */
    private boolean ownersOf(List<OutboxCommand> commands, Map<Integer, String> ownerOf, WriteResult[] results) {
        List<Integer> retried = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            if (!(commands.get(i).payload() instanceof WriteBack.Assign a) || caseId(commands.get(i).ticket()) == null) {
                continue;
            }
            String owner = owners.get(a.to()).orElse(null);
            if (owner == null) {
                OwnerFound found;
                try {
                    found = findOwner(a.to(), commands.get(i).ticket());
                } catch (SalesforceCallException e) {
                    if (settle(e, List.of(i), results)) {
                        return stopAll(e, commands, results);
                    }
                    continue;
                }
                if (found.reason() != null) {
                    LOG.info("Salesforce assign parked: {}", found.reason());
                    results[i] = WriteResult.failed(found.reason());
                    continue;
                }
                owner = found.id();
                owners.put(a.to(), owner);
            }
            ownerOf.put(i, owner);
            if (commands.get(i).attempts() > 0) {
                retried.add(i);
            }
        }
        if (!retried.isEmpty()) {
            // An earlier attempt may have landed with its answer lost: a Case already theirs is left as it is.
            Set<String> cases = new LinkedHashSet<>();
            retried.forEach(i -> cases.add(caseId(commands.get(i).ticket())));
            JsonNode page;
            try {
                page = api.query("SELECT Id, OwnerId FROM Case WHERE Id IN ("
                        + cases.stream().map(c -> "'" + c + "'").collect(Collectors.joining(", ")) + ")");
            } catch (SalesforceCallException e) {
                return !settle(e, retried, results) || stopAll(e, commands, results);
            }
            Map<String, String> current = new HashMap<>();
            for (JsonNode r : page.path("records")) {
                current.put(SalesforceApi.shortId(r.path("Id").asText()), SalesforceApi.shortId(r.path("OwnerId").asText()));
            }
            for (int i : retried) {
                String owner = SalesforceApi.shortId(ownerOf.get(i));
                if (owner.equals(current.get(SalesforceApi.shortId(caseId(commands.get(i).ticket()))))) {
                    results[i] = WriteResult.done();
                }
            }
        }
        return true;
    }

    /** Settles every command still without a result as {@code e} says, for a failure that holds back the batch. */
    private boolean stopAll(SalesforceCallException e, List<OutboxCommand> commands, WriteResult[] results) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            all.add(i);
        }
        settle(e, all, results);
        return false;
    }

    /** The owner an {@code assign} names: its id, or why none can be told. */
    private record OwnerFound(String id, String reason) {
    }

    /**
     * The one active user whose e-mail address, user name or full name is {@code to}, or the one queue whose name,
     * API name or e-mail address it is: two queries. Several users may share an address in Salesforce: then none is
     * taken.
     */
    private OwnerFound findOwner(String to, String ticket) {
        String literal = soqlString(to);
        JsonNode users = api.query("SELECT Id, Name, Username FROM User WHERE IsActive = true AND (Email = " + literal
                + " OR Username = " + literal + " OR Name = " + literal + ") LIMIT 10");
        JsonNode queues = api.query("SELECT Id, Name, DeveloperName FROM Group WHERE Type = 'Queue' AND (Name = "
                + literal + " OR DeveloperName = " + literal + " OR Email = " + literal + ") LIMIT 10");
        List<String> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (JsonNode u : users.path("records")) {
            ids.add(u.path("Id").asText());
            names.add("user " + u.path("Name").asText("?") + " (" + u.path("Username").asText("?") + ", "
                    + u.path("Id").asText() + ")");
        }
        for (JsonNode q : queues.path("records")) {
            ids.add(q.path("Id").asText());
            names.add("queue " + q.path("Name").asText("?") + " (" + q.path("DeveloperName").asText("?") + ", "
                    + q.path("Id").asText() + ")");
        }
        String what = "assign " + ticket + " to " + to;
        if (ids.size() == 1 && !ids.get(0).isEmpty()) {
            return new OwnerFound(ids.get(0), null);
        }
        if (ids.isEmpty()) {
            return new OwnerFound(null, what + ": no active Salesforce user has that e-mail address, user name or name, "
                    + "and no queue that name or API name; check the policy's assign.to, and that the integration "
                    + "user may read users and queues");
        }
        return new OwnerFound(null, what + ": " + ids.size() + " owners match: " + String.join(", ", names)
                + "; give a user name or a queue's API name that names one");
    }

    /** A SOQL string literal: quotes and backslashes escaped, so that a name cannot change the query. */
    static String soqlString(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 2).append('\'');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\'', '\\', '"' -> sb.append('\\').append(c);
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }

    /**
     * Gives the commands at {@code indexes} that have no result yet the result a failed call means for them, and
     * says whether the rest of the batch should wait too (the org's limit, refused credentials).
     */
    private boolean settle(SalesforceCallException e, List<Integer> indexes, WriteResult[] results) {
        WriteResult result;
        boolean stop = false;
        if (e.limitExceeded()) {
            // The org's limit holds every call of this client until its wait is over: the commands wait as long.
            Duration wait = api.limitWait();
            result = WriteResult.retryAfter(wait.isZero() ? config.limitRetryAfter() : wait,
                    "the org's API request limit is used up: " + e.getMessage());
            stop = true;
        } else if (e.credentialsRefused()) {
            result = WriteResult.retryAfter(CREDENTIALS_RETRY_AFTER, "Salesforce refused the credentials: "
                    + e.getMessage() + "; check sla.salesforce.client-id and the secret or keystore, and the "
                    + "connected app's policies");
            stop = true;
        } else if (e.transientFailure()) {
            result = WriteResult.failedForNow(e.getMessage()); // again with backoff: every write here is safe to repeat
        } else {
            // A request Salesforce refuses as a whole (a field that does not exist, no access to it): the same
            // request would be refused again.
            LOG.info("Salesforce refused a write call, its commands parked: {}", e.getMessage());
            result = WriteResult.failed(e.getMessage());
        }
        for (int i : indexes) {
            if (results[i] == null) {
                results[i] = result;
            }
        }
        return stop;
    }

    private static ObjectNode caseRecord(String caseId, ObjectNode fields) {
        ObjectNode record = JSON.objectNode();
        record.putObject("attributes").put("type", "Case");
        record.put("id", caseId);
        record.setAll(fields);
        return record;
    }

    /** The configured SLA fields and their values; a due instant that is absent clears its field. */
    ObjectNode slaFieldValues(WriteBack.SlaFields sla) {
        return fieldValues.of(sla);
    }

    private String commentType() {
        return config.commentObject() == SalesforceConfig.CommentObject.FEED_ITEM ? "FeedItem" : "CaseComment";
    }

    /** A new comment: its body and its visibility. */
    ObjectNode commentRecord(String caseId, WriteBack.Comment comment, String idempotencyKey) {
        boolean internal = comment.visibility() == Visibility.INTERNAL;
        ObjectNode record = JSON.objectNode();
        record.putObject("attributes").put("type", commentType());
        record.put("ParentId", caseId);
        if (config.commentObject() == SalesforceConfig.CommentObject.FEED_ITEM) {
            record.put("Body", commentBody(comment, idempotencyKey));
            record.put("Type", "TextPost");
            // Plain text, said outright: with rich text on, HTML in a ticket's text would be rendered.
            record.put("IsRichText", false);
            record.put("Visibility", internal ? "InternalUsers" : "AllUsers");
        } else {
            record.put("CommentBody", commentBody(comment, idempotencyKey));
            record.put("IsPublished", !internal);
        }
        return record;
    }

    /**
     * The text a comment is posted with, cut to what the object holds: an internal one ends with the marker line;
     * a public one is the text alone, as the customer reads it.
     */
    String commentBody(WriteBack.Comment comment, String idempotencyKey) {
        String tail = comment.visibility() == Visibility.INTERNAL ? "\n\n" + marker(idempotencyKey) : "";
        return config.commentObject() == SalesforceConfig.CommentObject.FEED_ITEM
                ? fit(comment.text(), tail, FEED_ITEM_CHARS, false)
                : fit(comment.text(), tail, COMMENT_BYTES, true);
    }

    /** The text cut short (with an ellipsis) so that text and tail fit in {@code limit} bytes or characters. */
    static String fit(String text, String tail, int limit, boolean bytes) {
        String whole = text + tail;
        if (size(whole, bytes) <= limit) {
            return whole;
        }
        String ellipsis = "…";
        int end = text.length();
        while (end > 0 && size(text.substring(0, end) + ellipsis + tail, bytes) > limit) {
            end -= Math.max(1, (size(text.substring(0, end) + ellipsis + tail, bytes) - limit) / 4);
            if (end > 0 && Character.isLowSurrogate(text.charAt(end))) {
                end--;
            }
        }
        return text.substring(0, Math.max(0, end)) + ellipsis + tail;
    }

    private static int size(String s, boolean bytes) {
        return bytes ? s.getBytes(StandardCharsets.UTF_8).length : s.length();
    }

    /**
     * Of the comment commands, those still to post: a command tried before whose comment is found on its Case is
     * done. One query for all retried comment commands of the batch. An internal comment is found by its marker; a
     * public one by its text, among comments created since its command was enqueued (less {@link #CLOCK_SKEW}),
     * each comment found counting for one command only.
     */
    private List<Integer> alreadyPosted(List<Integer> comments, List<OutboxCommand> commands, WriteResult[] results) {
        List<Integer> retried = comments.stream().filter(i -> commands.get(i).attempts() > 0).toList();
        if (retried.isEmpty()) {
            return comments;
        }
        Set<String> cases = new LinkedHashSet<>();
        Instant since = Instant.MAX;
        for (int i : retried) {
            cases.add(caseId(commands.get(i).ticket()));
            Instant created = commands.get(i).createdAt();
            since = created.isBefore(since) ? created : since;
        }
        boolean feed = config.commentObject() == SalesforceConfig.CommentObject.FEED_ITEM;
        String body = feed ? "Body" : "CommentBody";
        String soql = "SELECT ParentId, " + body + ", CreatedDate FROM " + commentType() + " WHERE ParentId IN ("
                + cases.stream().map(c -> "'" + c + "'").collect(Collectors.joining(", ")) + ") AND CreatedDate >= "
                + SalesforcePoller.soqlTime(since.minus(CLOCK_SKEW)) + " AND CreatedById = '"
                + api.integrationUser() + "'";
        Set<String> markers = new HashSet<>();
        // Public comments by Case and text: when each was created, oldest first; a command takes the first it may.
        Map<String, List<Instant>> texts = new HashMap<>();
        JsonNode page = api.query(soql);
        while (true) {
            for (JsonNode r : page.path("records")) {
                String text = r.path(body).asText("");
                String parent = SalesforceApi.shortId(r.path("ParentId").asText());
                int at = text.lastIndexOf("[sla-bridge ");
                if (at >= 0 && text.endsWith("]")) {
                    markers.add(parent + " " + text.substring(at));
                }
                texts.computeIfAbsent(parent + " " + sameText(text), k -> new ArrayList<>()).add(created(r));
            }
            String next = page.path("nextRecordsUrl").asText(null);
            if (page.path("done").asBoolean(true) || next == null) {
                break;
            }
            page = api.queryMore(next);
        }
        texts.values().forEach(times -> times.sort(null));
        List<Integer> toPost = new ArrayList<>();
        for (int i : comments) {
            OutboxCommand command = commands.get(i);
            WriteBack.Comment comment = (WriteBack.Comment) command.payload();
            String parent = SalesforceApi.shortId(caseId(command.ticket()));
            boolean found = false;
            if (command.attempts() > 0 && comment.visibility() == Visibility.INTERNAL) {
                found = markers.contains(parent + " " + marker(command.idempotencyKey()));
            } else if (command.attempts() > 0) {
                List<Instant> times = texts.getOrDefault(parent + " " + sameText(commentBody(comment,
                        command.idempotencyKey())), new ArrayList<>());
                Instant earliest = command.createdAt().minus(CLOCK_SKEW);
                for (java.util.Iterator<Instant> it = times.iterator(); it.hasNext() && !found;) {
                    if (!it.next().isBefore(earliest)) {
                        it.remove(); // this comment is this command's: no other command counts it
                        found = true;
                    }
                }
            }
            if (found) {
                results[i] = WriteResult.done();
            } else {
                toPost.add(i);
            }
        }
        return toPost;
    }

    /** Text compared as Salesforce may give it back: line ends and surrounding blanks aside. */
    private static String sameText(String text) {
        return text.replace("\r\n", "\n").strip();
    }

    /** A comment's CreatedDate; one that cannot be read counts as recent (better not to post twice). */
    private static Instant created(JsonNode comment) {
        try {
            return Instant.ofEpochSecond(SalesforceEvents.parseTime(comment.path("CreatedDate").asText("")));
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.MAX;
        }
    }

    /** Salesforce's per-record answers (in the order of the records sent) as the commands' results. */
    private static void apply(JsonNode answer, List<Integer> indexes, List<OutboxCommand> commands, WriteResult[] results,
            String what) {
        if (answer == null || !answer.isArray() || answer.size() != indexes.size()) {
            throw new SalesforceCallException(what + ": expected " + indexes.size() + " results, Salesforce answered "
                    + (answer == null ? "nothing" : SalesforceApi.abbreviate(answer.toString())), 0, List.of(), false, null);
        }
        for (int k = 0; k < indexes.size(); k++) {
            JsonNode r = answer.get(k);
            int i = indexes.get(k);
            if (r.path("success").asBoolean(false)) {
                results[i] = WriteResult.done();
                continue;
            }
            List<String> codes = new ArrayList<>();
            List<String> parts = new ArrayList<>();
            for (JsonNode e : r.path("errors")) {
                String code = e.path("statusCode").asText(e.path("errorCode").asText("ERROR"));
                codes.add(code);
                String fields = e.path("fields").isArray() && !e.path("fields").isEmpty()
                        ? " " + e.path("fields").toString() : "";
                parts.add(code + ": " + e.path("message").asText("") + fields);
            }
            String reason = what + " of " + commands.get(i).ticket() + ": " + (parts.isEmpty() ? "refused without a reason"
                    : String.join("; ", parts));
            if (codes.contains("UNABLE_TO_LOCK_ROW")) {
                results[i] = WriteResult.retryAfter(LOCKED_RETRY_AFTER, reason);
            } else if (codes.contains("REQUEST_LIMIT_EXCEEDED") || codes.contains("SERVER_UNAVAILABLE")) {
                results[i] = WriteResult.retryAfter(Duration.ofMinutes(1), reason);
            } else {
                LOG.info("Salesforce refused a write, parked: {}", reason);
                results[i] = WriteResult.failed(reason);
            }
        }
    }

    /** The Case id of a ticket key, or null when the key is not one. */
    static String caseId(String ticket) {
        if (!ticket.startsWith(TICKET_PREFIX)) {
            return null;
        }
        String id = ticket.substring(TICKET_PREFIX.length());
        return CASE_ID.matcher(id).matches() ? id : null;
    }
}
