package io.slabridge.connector.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.store.PollCursors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a source last saw of each ticket's links (a Case field holding a Jira key, a Jira issue's links), so that a
 * read showing another set becomes {@code linked} and {@code unlinked} events (SLA-SPEC 7.1). Sources whose records
 * carry the links as a current value, not as a history, need it: a cleared field or a removed link leaves nothing
 * to read but its absence.
 *
 * <p>Each ticket that has or had links keeps one row in the pollers' cursors, {@code links:<ticket>}: the set and
 * the instant of the version it was read from (Jira's {@code updated}, Salesforce's {@code SystemModstamp}). A read
 * of the same version, or of an older one (a webhook delivered again after later changes, a poll's overlap), gives
 * nothing. Events are dated at the version's instant, with ids {@code <ticket>:link:<other>:<instant>} and
 * {@code <ticket>:unlink:<other>:<instant>}: reading that version again after a crash, before the set was
 * remembered, gives the same ids, dropped as duplicates.
 */
public final class LinkMemory {
    private static final Logger LOG = LoggerFactory.getLogger(LinkMemory.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The cursors' name column holds 200 characters: longer ticket keys are named by their hash. */
    private static final int MAX_NAME = 200;
    static final String PREFIX = "links:";

    private final PollCursors cursors;
    private final Clock clock;

    public LinkMemory(PollCursors cursors, Clock clock) {
        this.cursors = Objects.requireNonNull(cursors, "cursors");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The events of one read, and what to remember once they are stored.
     *
     * @param remember saves the set read; run it only after the events are stored, so that a crash reads again
     */
    public record Change(List<TicketEvent> events, Runnable remember) {
        public Change {
            events = List.copyOf(events);
            Objects.requireNonNull(remember, "remember");
        }

        static final Change NONE = new Change(List.of(), () -> { });
    }

    /**
     * Compares what a read shows with what was last seen.
     *
     * @param ticket the ticket read ({@code salesforce:500...})
     * @param seenAt the instant of the version read, in seconds: the events' {@code at}
     * @param others the tickets it is linked to in that version (never itself)
     * @param source the events' {@code source}
     */
    public Change read(String ticket, long seenAt, Set<String> others, String source) {
        String name = cursorName(ticket);
        Optional<Seen> last = load(name, ticket);
        if (last.isEmpty() && others.isEmpty()) {
            return Change.NONE;
        }
        if (last.isPresent() && last.get().at() > seenAt) {
            LOG.debug("{}: links of a version older than the one last read: ignored", ticket);
            return Change.NONE;
        }
        Set<String> before = last.map(Seen::others).orElse(Set.of());
        Set<String> now = new TreeSet<>(others);
        if (before.equals(now)) {
            return Change.NONE;
        }
        String when = Instant.ofEpochSecond(seenAt).toString();
        List<TicketEvent> events = new ArrayList<>();
        for (String other : before) {
            if (!now.contains(other)) {
                events.add(TicketEvent.builder(ticket + ":unlink:" + other + ":" + when, ticket, seenAt,
                        EventType.UNLINKED).other(other).source(source).build());
            }
        }
        for (String other : now) {
            if (!before.contains(other)) {
                events.add(TicketEvent.builder(ticket + ":link:" + other + ":" + when, ticket, seenAt,
                        EventType.LINKED).other(other).source(source).build());
            }
        }
        return new Change(events, () -> remember(name, ticket, new Seen(seenAt, now)));
    }

    private void remember(String name, String ticket, Seen seen) {
        // A newer version remembered meanwhile (a webhook beside a poll) stays: its set is the newer truth.
        Optional<Seen> current = load(name, ticket);
        if (current.isPresent() && current.get().at() > seen.at()) {
            return;
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("ticket", ticket);
        o.put("at", seen.at());
        seen.others().forEach(o.putArray("others")::add);
        cursors.saveCursor(name, o.toString(), clock.instant());
    }

    private Optional<Seen> load(String name, String ticket) {
        Optional<String> text = cursors.cursor(name);
        if (text.isEmpty() || text.get().isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode o = JSON.readTree(text.get());
            Set<String> others = new TreeSet<>();
            o.path("others").forEach(n -> others.add(n.asText()));
            return Optional.of(new Seen(o.path("at").asLong(), others));
        } catch (JsonProcessingException e) {
            LOG.warn("{}: the links last seen ({}) are unreadable; its links are read as new", ticket, name);
            return Optional.empty();
        }
    }

    /** The cursor row of a ticket's links. */
    static String cursorName(String ticket) {
        String name = PREFIX + ticket;
        if (name.length() <= MAX_NAME) {
            return name;
        }
        try {
            return PREFIX + "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(ticket.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Seen(long at, Set<String> others) {
    }
}
