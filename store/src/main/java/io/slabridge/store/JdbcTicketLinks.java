package io.slabridge.store;

import static io.slabridge.store.JdbcTransactions.sql;

import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.store.TicketLinks;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The link index on JDBC ({@code ticket_link}), on one transaction's connection. */
final class JdbcTicketLinks implements TicketLinks {
    private final Connection c;
    private final SqlRows rows;

    JdbcTicketLinks(Connection c, SqlRows rows) {
        this.c = c;
        this.rows = rows;
    }

    @Override
    public void indexLinks(List<TicketEvent> linkEvents) {
        // Both directions, deduplicated and in key order: two transactions indexing one pair insert alike.
        Set<String> pairs = new TreeSet<>();
        for (TicketEvent e : linkEvents) {
            if (e.type().namesOther() && e.other() != null && !e.other().equals(e.ticket())) {
                pairs.add(e.ticket() + "\n" + e.other());
                pairs.add(e.other() + "\n" + e.ticket());
            }
        }
        if (pairs.isEmpty()) {
            return;
        }
        sql(() -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO ticket_link (ticket, linked_ticket) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                for (String pair : pairs) {
                    int nl = pair.indexOf('\n');
                    ps.setString(1, pair.substring(0, nl));
                    ps.setString(2, pair.substring(nl + 1));
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
    }

    @Override
    public Map<String, Set<String>> linkedTickets(Collection<String> tickets) {
        Map<String, Set<String>> out = new HashMap<>();
        if (tickets.isEmpty()) {
            return out;
        }
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT ticket, linked_ticket FROM ticket_link WHERE " + rows.byTicket(tickets))) {
                rows.bindTickets(c, ps, tickets);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getString(1), t -> new TreeSet<>()).add(rs.getString(2));
                    }
                }
                return out;
            }
        });
    }

    /**
     * Every ticket in the index (each side of every pair ever linked), in key order: for a report. None in a store
     * from before the index (V6): a report opens the store without migrating it, and must still read it.
     */
    java.util.SortedSet<String> allTickets() {
        return sql(() -> {
            if (!hasIndex()) {
                return new TreeSet<>();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT ticket FROM ticket_link")) {
                return new TreeSet<>(SqlRows.strings(ps));
            }
        });
    }

    private boolean hasIndex() throws java.sql.SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                if (rs.getString("TABLE_NAME").equalsIgnoreCase("ticket_link")) {
                    return true;
                }
            }
        }
        return false;
    }
}
