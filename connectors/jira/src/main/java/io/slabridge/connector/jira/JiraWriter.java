package io.slabridge.connector.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slabridge.connector.api.AssigneeCache;
import io.slabridge.connector.api.SlaFieldValues;
import io.slabridge.connector.api.TicketMapping;
import io.slabridge.core.escalation.EscalationAction.Visibility;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.OutboxWriter;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the outbox's commands to Jira: SLA fields and priority with one {@code PUT} of the issue, escalation
 * comments with one {@code POST}, reassignments ({@code assign}) with one {@code PUT} of the issue's assignee, the
 * user found by the user search and remembered for an hour ({@link AssigneeCache}). Jira's answer becomes the dispatcher's: 2xx done; 429 (or 503 with
 * {@code Retry-After}) and 401 wait; 400, 403, 404 park the command with Jira's words; other 5xx and
 * connection failures throw, to be retried with backoff.
 *
 * <p>A comment is the one write that is not idempotent by itself. Each carries a comment property holding the
 * command's idempotency key, and a command that was tried before first looks for it among the issue's newest
 * comments. A first attempt costs one call.
 *
 * <p>An assignment is idempotent by itself; a retried one still reads the issue's assignee first and leaves an
 * issue that is already the user's as it is, so that it gets no second history entry or notice.
 */
public final class JiraWriter implements OutboxWriter {
    private static final Logger LOG = LoggerFactory.getLogger(JiraWriter.class);
    /** The key of the comment property that ties a comment to the command that posted it. */
    static final String COMMAND_PROPERTY = "sla-bridge";
    /** Jira Service Management's own property: internal (agents only) when {@code {"internal": true}}. */
    static final String JSM_PUBLIC_COMMENT_PROPERTY = "sd.public.comment";
    /** How many of the newest comments a retried comment command looks through for its own. */
    static final int RECENT_COMMENTS = 50;
    /** The wait when Jira rate-limits without saying for how long. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(60);
    /** Jira's Retry-After can be 0: waiting at least this long keeps a throttled writer from spinning. */
    static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(1);
    /** Rejected credentials: someone has to fix them; until then every command waits, none is parked. */
    static final Duration CREDENTIALS_RETRY_AFTER = Duration.ofMinutes(5);

    /** Jira's date-time picker format; written in UTC, so always {@code +0000}. */
    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
            .withZone(ZoneOffset.UTC);
    /** An issue key ({@code SUP-12}) or a numeric issue id: nothing else goes into a request path. */
    private static final Pattern ISSUE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*-[0-9]+|[0-9]+");
    private static final String TICKET_PREFIX = "jira:";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** The edit-issue query that keeps watchers from hearing of an SLA write. */
    static final Map<String, String> QUIET = Map.of("notifyUsers", "false");

    private final JiraHttp http;
    private final JiraConfig config;
    private final TicketMapping mapping;
    private final SlaFieldValues fieldValues;
    /**
     * Set once Jira refused {@code notifyUsers=false} (403: it needs Administer Jira or Administer Projects) and
     * the same write went through without it: from then on SLA writes go without the parameter.
     */
    private volatile boolean quietRefused;
    private final AssigneeCache assignees;

    public JiraWriter(JiraHttp http) {
        this.http = Objects.requireNonNull(http, "http");
        this.config = http.config();
        this.assignees = new AssigneeCache(http.clock());
        this.mapping = JiraMapping.of(config);
        this.fieldValues = new SlaFieldValues(config.statusField(), SlaFieldValues.StatusShape.OPTION,
                config.nextDueField(), config.dueFields(), DATE_TIME).withLinked(config.linkedFields());
    }

    /** Jira API calls made so far (all of this client's, for the API-calls benchmark and metrics). */
    public long calls() {
        return http.calls();
    }

    @Override
    public WriteResult write(OutboxCommand command) {
        String ticket = command.ticket();
        if (!ticket.startsWith(TICKET_PREFIX) || !ISSUE.matcher(ticket.substring(TICKET_PREFIX.length())).matches()) {
            return WriteResult.failed("'" + ticket + "' is not a Jira ticket key (expected jira:<issue key>, "
                    + "e.g. jira:SUP-12)");
        }
        String issue = ticket.substring(TICKET_PREFIX.length());
        WriteBack payload = command.payload();
        if (payload instanceof WriteBack.SlaFields f) {
            return writeFields(issue, f);
        } else if (payload instanceof WriteBack.Comment c) {
            return writeComment(issue, c, command);
        } else if (payload instanceof WriteBack.SetPriority p) {
            return writePriority(issue, p);
        } else if (payload instanceof WriteBack.Assign a) {
            return writeAssignee(issue, a, command);
        } else if (!(payload instanceof WriteBack.Notify)) {
            return WriteResult.failed(payload.kind() + " is not written to Jira (command for " + ticket + ")");
        } else {
            WriteBack.Notify n = (WriteBack.Notify) payload;
            return WriteResult.failed("notify needs the email connector: Jira does not send sla-bridge's e-mail (to "
                    + String.join(", ", n.to()) + ", subject '" + n.subject() + "')");
        }
    }

    private WriteResult writeFields(String issue, WriteBack.SlaFields sla) {
        ObjectNode fields = slaFieldValues(sla);
        if (fields.isEmpty()) {
            return WriteResult.done(); // no SLA field configured: nothing to show agents in Jira
        }
        ObjectNode body = JSON.objectNode();
        body.set("fields", fields);
        String what = "SLA fields of " + issue;
        if (config.notifyWatchers() || quietRefused) {
            return outcome(http.put(issuePath(issue), Map.of(), body), what);
        }
        JiraHttp.Response quiet = http.put(issuePath(issue), QUIET, body);
        if (quiet.status() != 403) {
            return outcome(quiet, what);
        }
        // Jira Data Center answers 403 when the user may edit the issue but not silence the edit (Cloud ignores
        // the parameter instead). The same write without it tells that apart from a missing Edit Issues permission.
        JiraHttp.Response notifying = http.put(issuePath(issue), Map.of(), body);
        if (notifying.ok() && !quietRefused) {
            quietRefused = true;
            LOG.warn("Jira refused to write SLA fields without notifying watchers ({}): the integration user lacks the "
                    + "Administer Jira or Administer Projects permission that notifyUsers=false needs. SLA field writes "
                    + "now notify the issue's watchers; grant the permission and restart, or set "
                    + JiraSettings.NOTIFY_WATCHERS.name() + "=true to choose this", quiet.error());
        }
        return outcome(notifying, what);
    }

    /** The configured SLA fields and their values; a due instant that is absent clears its field. */
    ObjectNode slaFieldValues(WriteBack.SlaFields sla) {
        return fieldValues.of(sla);
    }

    private WriteResult writePriority(String issue, WriteBack.SetPriority p) {
        String name = mapping.nameOf(p.priority()).orElse(null);
        if (name == null) {
            return WriteResult.failed("set_priority " + p.priority().wireName() + " on " + issue
                    + ": no Jira priority is mapped to it (sla.jira.priority.<name>=" + p.priority().wireName() + ")");
        }
        ObjectNode body = JSON.objectNode();
        body.putObject("fields").putObject("priority").put("name", name);
        return outcome(http.put(issuePath(issue), Map.of(), body), "priority " + name + " of " + issue);
    }

    private WriteResult writeAssignee(String issue, WriteBack.Assign assign, OutboxCommand command) {
        String what = "assign " + issue + " to " + assign.to();
        String user = assignees.get(assign.to()).orElse(null);
        if (user == null) {
            UserFound found = findUser(assign.to(), what);
            if (found.result() != null) {
                return found.result();
            }
            user = found.id();
            assignees.put(assign.to(), user);
        }
        if (command.attempts() > 0) {
            // An earlier attempt may have landed with its answer lost: an issue already theirs is left as it is.
            JiraHttp.Response current = http.get(issuePath(issue), Map.of("fields", "assignee"));
            if (!current.ok()) {
                return outcome(current, what);
            }
            if (current.json() != null
                    && user.equals(JiraDirectory.userId(current.json().path("fields").path("assignee")))) {
                return WriteResult.done();
            }
        }
        ObjectNode body = JSON.objectNode();
        // Cloud names users by account id only; Data Center by user name.
        body.put(config.deployment() == JiraConfig.Deployment.CLOUD ? "accountId" : "name", user);
        JiraHttp.Response r = http.put(issuePath(issue) + "/assignee", Map.of(), body);
        if (r.status() == 400 || r.status() == 404) {
            assignees.forget(assign.to()); // a user who may no longer be assigned: look again when put back in line
        }
        return outcome(r, what);
    }

    /** The user an {@code assign} names, or the result that parks (or delays) its command. */
    private record UserFound(String id, WriteResult result) {
    }

    /**
     * The one active user whose e-mail address (or display name, or Data Center user name) is {@code to}, by Jira's
     * user search. Jira Cloud may hide e-mail addresses (the user's profile visibility): then the search still
     * matches the address, and a single active user found for an address is taken as the one.
     */
    private UserFound findUser(String to, String what) {
        boolean cloud = config.deployment() == JiraConfig.Deployment.CLOUD;
        Map<String, String> query = new LinkedHashMap<>();
        query.put(cloud ? "query" : "username", to);
        query.put("maxResults", "50");
        JiraHttp.Response r = http.get(config.apiBase() + "/user/search", query);
        if (!r.ok()) {
            return new UserFound(null, outcome(r, what + ": user search"));
        }
        if (r.json() == null || !r.json().isArray()) {
            throw new JiraUnavailableException(what + ": GET " + r.path() + " answered HTTP " + r.status()
                    + " without a list of users");
        }
        List<JsonNode> active = new ArrayList<>();
        List<JsonNode> exact = new ArrayList<>();
        for (JsonNode u : r.json()) {
            boolean person = !cloud || u.path("accountType").asText("atlassian").equals("atlassian");
            if (!person || !u.path("active").asBoolean(true) || JiraDirectory.userId(u) == null) {
                continue; // an app, a deactivated account: never an assignee
            }
            active.add(u);
            if (sameName(to, u.path("emailAddress")) || sameName(to, u.path("displayName"))
                    || (!cloud && sameName(to, u.path("name")))) {
                exact.add(u);
            }
        }
        if (exact.size() == 1) {
            return new UserFound(JiraDirectory.userId(exact.get(0)), null);
        }
        boolean address = to.contains("@");
        if (exact.isEmpty() && address && active.size() == 1 && !active.get(0).hasNonNull("emailAddress")) {
            return new UserFound(JiraDirectory.userId(active.get(0)), null); // its address hidden, matched by Jira
        }
        if (exact.isEmpty() && active.isEmpty()) {
            return new UserFound(null, WriteResult.failed(what + ": no active Jira user found for '" + to + "' (GET "
                    + r.path() + "); check the address, and that the integration user has the Browse users and "
                    + "groups permission"));
        }
        List<JsonNode> several = exact.isEmpty() ? active : exact;
        List<String> names = new ArrayList<>();
        boolean hidden = false;
        for (JsonNode u : several) {
            String email = u.path("emailAddress").asText(null);
            hidden |= email == null;
            names.add(u.path("displayName").asText("?") + " (" + (email == null ? "" : email + ", ")
                    + JiraDirectory.userId(u) + ")");
        }
        if (exact.isEmpty() && !hidden) {
            // The search matches prefixes: lead@acme.example also finds lead@acme.example.org.
            return new UserFound(null, WriteResult.failed(what + ": no active Jira user has the address or name '" + to
                    + "'; the user search found only " + String.join(", ", names)));
        }
        return new UserFound(null, WriteResult.failed(what + ": " + several.size() + " Jira users match '" + to + "': "
                + String.join(", ", names) + (hidden ? "; Jira hides their e-mail addresses, so none can be told for "
                        + "the one" : "") + "; give an address that names one user"));
    }

    private static boolean sameName(String to, JsonNode value) {
        return value.isTextual() && value.asText().strip().toLowerCase(Locale.ROOT).equals(to.toLowerCase(Locale.ROOT));
    }

    private WriteResult writeComment(String issue, WriteBack.Comment comment, OutboxCommand command) {
        String what = "comment on " + issue;
        if (command.attempts() > 0) {
            // An earlier attempt may have landed with its answer lost (a timeout, a crash): look before posting.
            Map<String, String> query = new LinkedHashMap<>();
            query.put("expand", "properties");
            query.put("orderBy", "-created");
            query.put("maxResults", Integer.toString(RECENT_COMMENTS));
            JiraHttp.Response recent = http.get(issuePath(issue) + "/comment", query);
            if (!recent.ok()) {
                return outcome(recent, what);
            }
            if (recent.json() == null || !recent.json().path("comments").isArray()) {
                // Without the list we cannot tell whether it was posted: better later than twice.
                throw new JiraUnavailableException(what + ": GET " + recent.path() + " answered HTTP " + recent.status()
                        + " without a comment list");
            }
            if (hasCommentOf(recent.json(), command.idempotencyKey())) {
                return WriteResult.done();
            }
        }
        return outcome(http.post(issuePath(issue) + "/comment", Map.of(),
                commentBody(comment, command.idempotencyKey())), what);
    }

    private static boolean hasCommentOf(JsonNode page, String idempotencyKey) {
        for (JsonNode c : page.path("comments")) {
            for (JsonNode p : c.path("properties")) {
                if (COMMAND_PROPERTY.equals(p.path("key").asText())
                        && idempotencyKey.equals(p.path("value").path("command").asText(null))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The body of a new comment: the text in the deployment's format, its visibility, and our property. */
    ObjectNode commentBody(WriteBack.Comment comment, String idempotencyKey) {
        ObjectNode body = JSON.objectNode();
        if (config.deployment() == JiraConfig.Deployment.CLOUD) {
            body.set("body", adf(comment.text()));
        } else {
            body.put("body", escapeWiki(comment.text()));
        }
        boolean internal = comment.visibility() == Visibility.INTERNAL;
        if (internal && !config.serviceManagement() && config.internalVisibility() != null) {
            String restriction = config.internalVisibility();
            int colon = restriction.indexOf(':');
            ObjectNode visibility = body.putObject("visibility");
            visibility.put("type", colon > 0 ? restriction.substring(0, colon) : "role");
            visibility.put("value", restriction.substring(colon + 1));
        }
        ArrayNode properties = body.putArray("properties");
        if (internal && config.serviceManagement()) {
            properties.addObject().put("key", JSM_PUBLIC_COMMENT_PROPERTY).putObject("value").put("internal", true);
        }
        properties.addObject().put("key", COMMAND_PROPERTY).putObject("value").put("command", idempotencyKey);
        return body;
    }

    /**
     * Atlassian Document Format: one paragraph per line. Text nodes are plain text, so nothing is escaped and
     * nothing in a rendered template can become markup. An empty line is an empty paragraph (ADF forbids
     * empty text nodes).
     */
    static ObjectNode adf(String text) {
        ObjectNode doc = JSON.objectNode();
        doc.put("type", "doc");
        doc.put("version", 1);
        ArrayNode content = doc.putArray("content");
        for (String line : text.split("\r?\n", -1)) {
            ObjectNode paragraph = content.addObject();
            paragraph.put("type", "paragraph");
            ArrayNode inline = paragraph.putArray("content");
            if (!line.isEmpty()) {
                inline.addObject().put("type", "text").put("text", line);
            }
        }
        return doc;
    }

    /**
     * Plain text as Jira wiki markup (REST v2 bodies are rendered as wiki): characters that open links,
     * macros, tables, images, mentions or text effects are escaped with a backslash, list markers at
     * a line's start too. A backslash itself becomes an HTML entity (a doubled one would be a line break), and so
     * do an ampersand (so that text which looks like an entity shows as written), a dot that would make a line a
     * heading ({@code h1.}) or a quote ({@code bq.}), and a question mark next to another ({@code ??citation??}).
     */
    static String escapeWiki(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        boolean lineStart = true;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (lineStart && blockMarkerAt(text, i)) {
                // "h1. " or "bq. ": the letters as they are, the dot as an entity.
                int dot = text.indexOf('.', i);
                out.append(text, i, dot).append("&#46;");
                i = dot;
                lineStart = false;
                continue;
            }
            switch (ch) {
                case '\\' -> out.append("&#92;");
                case '&' -> out.append("&amp;");
                case '{', '}', '[', ']', '|', '!', '*', '_', '+', '^', '~' -> out.append('\\').append(ch);
                case '-' -> {
                    // "-text-" strikes through and "- " or "----" at a line's start is a list or a rule; a hyphen
                    // inside a word or a date is plain.
                    boolean inWord = i > 0 && Character.isLetterOrDigit(text.charAt(i - 1)) && i + 1 < text.length()
                            && Character.isLetterOrDigit(text.charAt(i + 1));
                    out.append(lineStart || !inWord ? "\\-" : "-");
                }
                case '#' -> out.append(lineStart ? "\\#" : "#"); // a numbered list at a line's start
                case '?' -> {
                    boolean paired = (i > 0 && text.charAt(i - 1) == '?')
                            || (i + 1 < text.length() && text.charAt(i + 1) == '?');
                    out.append(paired ? "&#63;" : "?"); // "??text??" is a citation
                }
                default -> out.append(ch);
            }
            lineStart = ch == '\n' || (lineStart && (ch == ' ' || ch == '\t' || ch == '\r'));
        }
        return out.toString();
    }

    /** A heading ({@code h1.} to {@code h6.}) or block quote ({@code bq.}) marker at {@code i}. */
    private static boolean blockMarkerAt(String text, int i) {
        if (text.startsWith("bq.", i)) {
            return true;
        }
        return i + 2 < text.length() && text.charAt(i) == 'h' && text.charAt(i + 1) >= '1' && text.charAt(i + 1) <= '6'
                && text.charAt(i + 2) == '.';
    }

    private String issuePath(String issue) {
        return config.apiBase() + "/issue/" + issue;
    }

    /**
     * Jira's answer as the dispatcher's result; throws for what may pass by itself (5xx, an unexpected status).
     * Messages carry Jira's own words and never a credential.
     */
    private static WriteResult outcome(JiraHttp.Response r, String what) {
        int status = r.status();
        if (r.ok()) {
            return WriteResult.done();
        }
        Duration asked = r.retryAfter();
        if (status == 429 || (status == 503 && asked != null)) {
            Duration wait = asked == null ? DEFAULT_RETRY_AFTER : max(asked, MIN_RETRY_AFTER);
            return WriteResult.retryAfter(wait, what + ": Jira asked to wait (" + r.error() + ")");
        }
        if (status == 401) {
            return WriteResult.retryAfter(CREDENTIALS_RETRY_AFTER, what + ": Jira rejected the credentials ("
                    + r.error() + "); check sla.jira.email and sla.jira.api-token (Cloud) or sla.jira.pat (Data Center)");
        }
        if (status >= 400 && status < 500 && status != 408) {
            // A missing permission, a deleted issue, a wrong field id or option: trying again cannot help.
            LOG.info("Jira refused the {}; parked, not retried: {}", what, r.error());
            return WriteResult.failed(what + ": " + r.error());
        }
        throw new JiraUnavailableException(what + ": " + r.error());
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
