package io.slabridge.core.io;

import io.slabridge.core.model.TicketEvent;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What {@link EventLinesReader} read: each ticket's events in arrival order, and counts and problems. */
public final class TicketHistories {
    private final Map<String, List<TicketEvent>> byTicket;
    private final int events;
    private final int duplicates;
    private final int badLines;
    private final long latestAt;
    private final List<String> problems;

    TicketHistories(Map<String, List<TicketEvent>> byTicket, int events, int duplicates, int badLines, long latestAt,
            List<String> problems) {
        this.byTicket = Collections.unmodifiableMap(byTicket);
        this.events = events;
        this.duplicates = duplicates;
        this.badLines = badLines;
        this.latestAt = latestAt;
        this.problems = List.copyOf(problems);
    }

    /** Ticket key to its events in arrival order, duplicates removed. */
    public Map<String, List<TicketEvent>> byTicket() {
        return byTicket;
    }

    public int events() {
        return events;
    }

    public int duplicates() {
        return duplicates;
    }

    public int badLines() {
        return badLines;
    }

    /** The latest {@code at} of any event read: replay's evaluation instant when none is given. */
    public Optional<Instant> latestAt() {
        return latestAt == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochSecond(latestAt));
    }

    /** "line N: what is wrong", for the first {@link EventLinesReader#MAX_REPORTED_PROBLEMS} bad lines. */
    public List<String> problems() {
        return problems;
    }
}
