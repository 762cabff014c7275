package io.slabridge.connector.salesforce;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slabridge.connector.api.CursorPoll;
import io.slabridge.connector.api.LinkMemory;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.store.PollCursors;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what changed in Salesforce since the last poll, as three SOQL streams, each ordered by
 * {@code SystemModstamp} from its own durable cursor less an overlap, page by page ({@code nextRecordsUrl}):
 * <ol>
 * <li>{@code Case}, with its Status and Priority history ({@code CaseHistory} through the {@code Histories}
 * subquery), so every change is an event at its own time; with {@code sla.salesforce.field.linked-jira}, the Jira
 * issue the Case is escalated to, compared with the last read ({@link LinkMemory}) into {@code linked} and
 * {@code unlinked} events dated at the Case's {@code SystemModstamp};</li>
 * <li>{@code CaseComment};</li>
 * <li>{@code EmailMessage} on Cases.</li>
 * </ol>
 * Comments and e-mails are read on their own rather than as subqueries of Case, so that one is read whether or
 * not it touched its Case's {@code SystemModstamp}. Each stream is read by {@link CursorPoll}: a page's events are
 * stored before that stream's cursor moves past them. A quiet poll costs three API calls.
 */
public final class SalesforcePoller {
    private static final Logger LOG = LoggerFactory.getLogger(SalesforcePoller.class);
    /** The durable cursors: the latest {@code SystemModstamp} read of each stream, as ISO-8601. */
    public static final String CASE_CURSOR = "salesforce:case";
    public static final String COMMENT_CURSOR = "salesforce:comment";
    public static final String EMAIL_CURSOR = "salesforce:email";
    /** Cases seen stopped ({@code IsStopped}), with the stop's instant: their resume is an event too. */
    public static final String STOPPED = "salesforce:stopped";

    private final SalesforceApi api;
    private final SalesforceEvents events;
    private final PollCursors store;
    private final Clock clock;
    private final CursorPoll loop;
    private final LinkMemory links;

    public SalesforcePoller(SalesforceApi api, SalesforceEvents events, PollCursors store, Consumer<List<TicketEvent>> sink,
            Clock clock) {
        this.api = api;
        this.events = events;
        this.store = store;
        this.clock = clock;
        this.loop = new CursorPoll(store, sink, clock);
        this.links = new LinkMemory(store, clock);
    }

    /** What one poll did. */
    public record Result(int pages, int records, int events, int skipped, Instant caseCursor) {
    }

    /** Counts of one poll, across its streams. */
    private static final class Counts {
        int pages;
        int records;
        int events;
        int skipped;
    }

    /**
     * One poll of the three streams, each to its last page.
     *
     * @throws SalesforceCallException when Salesforce answers with an error or cannot be reached
     */
    public Result pollOnce() {
        SalesforceConfig config = api.config();
        Counts counts = new Counts();
        CaseSchema schema = api.caseSchema();
        Instant caseCursor = stream(CASE_CURSOR, since -> caseQuery(config, schema, since), this::caseEvents, counts);
        stream(COMMENT_CURSOR, since -> "SELECT Id, ParentId, IsPublished, CreatedById, CreatedBy.Name, CreatedBy.UserType, "
                + "CreatedDate, SystemModstamp FROM CaseComment WHERE SystemModstamp >= " + soqlTime(since)
                + parentFilter(config) + " ORDER BY SystemModstamp ASC, Id ASC", this::commentEvents, counts);
        stream(EMAIL_CURSOR, since -> "SELECT Id, ParentId, Incoming, Status, FromAddress, MessageDate, CreatedById, "
                + "CreatedDate, SystemModstamp FROM EmailMessage WHERE SystemModstamp >= " + soqlTime(since)
                + " AND ParentId != null" + parentFilter(config) + " ORDER BY SystemModstamp ASC, Id ASC",
                this::emailEvents, counts);
        return new Result(counts.pages, counts.records, counts.events, counts.skipped, caseCursor);
    }

    /** The SOQL of the Case stream: the stop fields only where the org has them (Entitlement Management). */
    static String caseQuery(SalesforceConfig config, CaseSchema schema, Instant since) {
        StringBuilder q = new StringBuilder("SELECT Id, CaseNumber, Subject, Status, Priority, Origin, "
                + (schema.hasEntitlementStops() ? "IsStopped, StopStartDate, " : "")
                + "CreatedDate, CreatedBy.Name, SystemModstamp");
        for (String f : new String[] {config.tierField(), config.accountField(), config.linkedJiraField()}) {
            if (f != null && !q.toString().contains(", " + f + ",") && !q.toString().endsWith(", " + f)) {
                q.append(", ").append(f);
            }
        }
        q.append(", (SELECT Id, Field, OldValue, NewValue, CreatedDate, CreatedById, CreatedBy.Name FROM Histories "
                + "WHERE Field IN ('Status', 'Priority') ORDER BY CreatedDate ASC, Id ASC)");
        q.append(" FROM Case WHERE SystemModstamp >= ").append(soqlTime(since));
        if (config.caseFilter() != null) {
            q.append(" AND (").append(config.caseFilter()).append(')');
        }
        q.append(" ORDER BY SystemModstamp ASC, Id ASC");
        return q.toString();
    }

    private static String parentFilter(SalesforceConfig config) {
        return config.caseFilter() == null ? "" : " AND ParentId IN (SELECT Id FROM Case WHERE " + config.caseFilter() + ")";
    }

    /** A SOQL date-time literal (UTC, whole seconds, unquoted). */
    static String soqlTime(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Reads one stream from its cursor to its last page ({@code nextRecordsUrl}); returns where its cursor stands. */
    private Instant stream(String cursorName, Function<Instant, String> soql, PageReader reader, Counts counts) {
        SalesforceConfig config = api.config();
        CursorPoll.Result r = loop.read(cursorName, config.pollLookback(), config.pollOverlap(), since -> new CursorPoll.Pages() {
            private JsonNode page;
            private boolean last;

            @Override
            public CursorPoll.Page next() {
                if (last) {
                    return null;
                }
                page = page == null ? api.query(soql.apply(since)) : api.queryMore(page.path("nextRecordsUrl").asText());
                List<JsonNode> records = new ArrayList<>();
                page.path("records").forEach(records::add);
                last = page.path("done").asBoolean(true) || page.path("nextRecordsUrl").asText(null) == null
                        || records.isEmpty();
                List<TicketEvent> pageEvents = new ArrayList<>();
                Runnable afterSend = reader.read(records, since, pageEvents, counts);
                return new CursorPoll.Page(records.size(), pageEvents, latest(records), afterSend);
            }
        });
        counts.pages += r.pages();
        counts.records += r.records();
        counts.events += r.events();
        return r.cursor();
    }

    /** The latest {@code SystemModstamp} among a page's records; null when none is readable. */
    private static Instant latest(List<JsonNode> records) {
        Instant latest = null;
        for (JsonNode r : records) {
            String stamp = r.path("SystemModstamp").asText(null);
            if (stamp != null) {
                try {
                    Instant at = Instant.ofEpochSecond(SalesforceEvents.parseTime(stamp));
                    latest = latest == null || at.isAfter(latest) ? at : latest;
                } catch (java.time.format.DateTimeParseException e) {
                    LOG.warn("Salesforce record {}: SystemModstamp '{}' is not a date-time", r.path("Id").asText(), stamp);
                }
            }
        }
        return latest;
    }

    /** Turns a page's records into events; returns what to do once they are sent (state to save). */
    @FunctionalInterface
    private interface PageReader {
        Runnable read(List<JsonNode> records, Instant since, List<TicketEvent> out, Counts counts);
    }

    private Runnable caseEvents(List<JsonNode> cases, Instant since, List<TicketEvent> out, Counts counts) {
        Map<String, Long> stopped = stoppedCases();
        boolean changed = false;
        List<Runnable> remember = new ArrayList<>();
        for (JsonNode c : cases) {
            try {
                // Every event of the Case first; the stop bookkeeping only once all of them are read, so that a
                // Case skipped half way changes nothing.
                List<TicketEvent> caseEvents = new ArrayList<>(events.fromCase(c, histories(c)));
                String id = c.path("Id").asText();
                TicketEvent stop = events.stopped(c);
                boolean resumed = false;
                if (stop != null) {
                    caseEvents.add(stop);
                } else if (stopped.containsKey(id) && !c.path("IsStopped").asBoolean(false)) {
                    caseEvents.add(events.resumed(c, stopped.get(id)));
                    resumed = true;
                }
                String created = c.path("CreatedDate").asText("");
                if (!created.isEmpty() && Instant.ofEpochSecond(SalesforceEvents.parseTime(created)).isBefore(since)) {
                    TicketEvent attributes = events.attributes(c);
                    if (attributes != null) {
                        caseEvents.add(attributes);
                    }
                }
                if (api.config().linkedJiraField() != null) {
                    // The field holds the link as it is now: compared with what the last read of the Case showed.
                    LinkMemory.Change link = links.read(SalesforceEvents.SOURCE + ":" + id, events.modstamp(c),
                            events.linkedJira(c), SalesforceEvents.SOURCE);
                    caseEvents.addAll(link.events());
                    remember.add(link.remember());
                }
                out.addAll(caseEvents);
                if (stop != null && !Long.valueOf(stop.atEpochSecond()).equals(stopped.get(id))) {
                    stopped.put(id, stop.atEpochSecond());
                    changed = true;
                } else if (resumed) {
                    stopped.remove(id);
                    changed = true;
                }
            } catch (SalesforcePayloadException | java.time.format.DateTimeParseException e) {
                counts.skipped++;
                LOG.warn("Salesforce Case skipped, nothing else is affected: {}", e.getMessage());
            }
        }
        boolean stopsChanged = changed;
        return () -> {
            remember.forEach(Runnable::run);
            if (stopsChanged) {
                saveStopped(stopped);
            }
        };
    }

    /** A Case's Status and Priority history: the subquery's records, and its further pages if it has any. */
    private List<JsonNode> histories(JsonNode c) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode sub = c.path("Histories");
        while (sub.isObject()) {
            sub.path("records").forEach(out::add);
            String next = sub.path("nextRecordsUrl").asText(null);
            if (sub.path("done").asBoolean(true) || next == null) {
                break;
            }
            sub = api.queryMore(next);
        }
        return out;
    }

    private Runnable commentEvents(List<JsonNode> comments, Instant since, List<TicketEvent> out, Counts counts) {
        for (JsonNode comment : comments) {
            add(out, counts, () -> events.fromComment(comment), "CaseComment");
        }
        return () -> { };
    }

    private Runnable emailEvents(List<JsonNode> emails, Instant since, List<TicketEvent> out, Counts counts) {
        for (JsonNode email : emails) {
            add(out, counts, () -> events.fromEmail(email), "EmailMessage");
        }
        return () -> { };
    }

    private static void add(List<TicketEvent> out, Counts counts, java.util.function.Supplier<TicketEvent> event, String type) {
        try {
            TicketEvent e = event.get();
            if (e != null) {
                out.add(e);
            }
        } catch (SalesforcePayloadException e) {
            counts.skipped++;
            LOG.warn("Salesforce {} skipped, nothing else is affected: {}", type, e.getMessage());
        }
    }

    private Map<String, Long> stoppedCases() {
        Map<String, Long> out = new LinkedHashMap<>();
        Optional<String> text = store.cursor(STOPPED);
        if (text.isPresent() && !text.get().isBlank()) {
            try {
                JsonNode o = SalesforceApi.JSON.readTree(text.get());
                for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    out.put(e.getKey(), e.getValue().asLong());
                }
            } catch (JsonProcessingException e) {
                LOG.warn("the stored list of stopped Salesforce Cases is unreadable; starting a new one");
            }
        }
        return out;
    }

    private void saveStopped(Map<String, Long> stopped) {
        ObjectNode o = SalesforceApi.JSON.createObjectNode();
        stopped.forEach(o::put);
        store.saveCursor(STOPPED, o.toString(), clock.instant());
    }
}
