package io.slabridge.connector.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * that is gone clearing its field) and priorities ({@code set_priority});</li>
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

    public SalesforceWriter(SalesforceApi api) {
        this.api = Objects.requireNonNull(api, "api");
        this.config = api.config();
        this.mapping = SalesforceMapping.of(config);
        this.fieldValues = new SlaFieldValues(config.statusField(), SlaFieldValues.StatusShape.TEXT,
                config.nextDueField(), config.dueFields(), DATE_TIME);
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
        for (int i = 0; i < commands.size(); i++) {
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
            } else if (payload instanceof WriteBack.Comment) {
                comments.add(i);
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
