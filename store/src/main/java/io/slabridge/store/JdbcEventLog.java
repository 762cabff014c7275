package io.slabridge.store;

import static io.slabridge.store.JdbcTransactions.sql;

import io.slabridge.core.io.InvalidEventException;
import io.slabridge.core.io.TicketEventJson;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.store.EventLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The event log on JDBC ({@code ticket_event}), on one transaction's connection. */
final class JdbcEventLog implements EventLog {
    private final Connection c;
    private final SqlRows rows;
    private final TicketEventJson json = new TicketEventJson();

    JdbcEventLog(Connection c, SqlRows rows) {
        this.c = c;
        this.rows = rows;
    }

    @Override
    public List<TicketEvent> appendEvents(List<TicketEvent> events, Instant receivedAt) {
        // A repeated id inside the page is the same event: the first one counts.
        Map<String, TicketEvent> byId = new LinkedHashMap<>();
        for (TicketEvent e : events) {
            byId.putIfAbsent(Objects.requireNonNull(e, "event").id(), e);
        }
        // Inserted grouped by ticket, in key order: two pages holding the same events then take the id's index
        // entries in the same order and cannot deadlock. Within a ticket the page's order is kept, and with it
        // the arrival order (seq) the fold relies on.
        List<TicketEvent> inserted = new ArrayList<>(byId.values());
        inserted.sort(Comparator.comparing(TicketEvent::ticket));
        int[] counts = sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ticket_event (event_id, ticket, at_epoch, body, "
                    + "received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (TicketEvent e : inserted) {
                    ps.setString(1, e.id());
                    ps.setString(2, e.ticket());
                    ps.setLong(3, e.atEpochSecond());
                    ps.setString(4, TicketEventJson.write(e));
                    ps.setLong(5, receivedAt.getEpochSecond());
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
        Set<TicketEvent> added = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == Statement.SUCCESS_NO_INFO) {
                throw new IllegalStateException("the JDBC driver does not report which events were new "
                        + "(reWriteBatchedInserts?): the store needs per-row update counts");
            }
            if (counts[i] == 1) {
                added.add(inserted.get(i));
            }
        }
        List<TicketEvent> appended = new ArrayList<>(added.size());
        for (TicketEvent e : byId.values()) {
            if (added.contains(e)) {
                appended.add(e);
            }
        }
        return appended;
    }

    @Override
    public Map<String, List<TicketEvent>> events(Collection<String> tickets) {
        Map<String, List<TicketEvent>> events = new HashMap<>();
        if (tickets.isEmpty()) {
            return events;
        }
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT ticket, event_id, body FROM ticket_event WHERE " + rows.byTicket(tickets) + " ORDER BY ticket, seq")) {
                rows.bindTickets(c, ps, tickets);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        try {
                            events.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(json.read(rs.getString(3)));
                        } catch (InvalidEventException e) {
                            throw new IllegalStateException("stored event " + rs.getString(2) + " does not read back: "
                                    + e.getMessage(), e);
                        }
                    }
                }
                return events;
            }
        });
    }
}
