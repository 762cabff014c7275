package io.slabridge.store;

import static io.slabridge.store.JdbcTransactions.sql;
import static io.slabridge.store.SqlRows.nullableLong;

import io.slabridge.core.model.TicketEvent;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the SLA board reads, and nothing it could write: tickets' stored state and their events. Each call is one
 * short transaction (on the embedded store, readers take turns with the runtime's writers).
 */
public final class JdbcBoardReads {
    private final JdbcTransactions transactions;
    private final SqlRows rows;

    JdbcBoardReads(JdbcTransactions transactions, SqlRows rows) {
        this.transactions = transactions;
        this.rows = rows;
    }

    /**
     * A ticket's stored state.
     *
     * @param updatedAt when it was last saved, in the store's clock (epoch seconds)
     * @param olaCycles the OLA cycles of its linked pairs and its link summary (JSON lines), or null when none is live
     */
    public record StateRow(String ticket, String source, String summary, Long nextDueAt, boolean open, String cycles,
            long version, long updatedAt, String olaCycles) {
    }

    private static final String COLUMNS = "ticket, source, summary, next_due_at, is_open, cycles, version, updated_at, "
            + "ola_cycles";

    /** Each ticket saved at or after {@code since} (epoch seconds) with its version: through the update index. */
    public Map<String, Long> versionsSince(long since) {
        return transactions.inTransaction(c -> sql(() -> {
            Map<String, Long> versions = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT ticket, version FROM ticket_state WHERE updated_at >= ?")) {
                ps.setLong(1, since);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        versions.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            return versions;
        }));
    }

    /**
     * Up to {@code limit} tickets after {@code after} (null: from the first) in key order that are open, have a live
     * OLA clock or link, or were saved at or after {@code since}: what the board loads when it starts, page by page.
     */
    public List<StateRow> openOrSavedSince(long since, String after, int limit) {
        return transactions.inTransaction(c -> sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ticket_state WHERE "
                    + "(is_open OR ola_cycles IS NOT NULL OR updated_at >= ?) AND ticket > ? ORDER BY ticket LIMIT ?")) {
                ps.setLong(1, since);
                ps.setString(2, after == null ? "" : after);
                ps.setInt(3, limit);
                return states(ps);
            }
        }));
    }

    /** The stored state of {@code tickets} and, in the same transaction, their events in the order they were accepted. */
    public Tickets tickets(Collection<String> tickets) {
        if (tickets.isEmpty()) {
            return new Tickets(List.of(), Map.of());
        }
        return transactions.inTransaction(c -> {
            List<StateRow> states = sql(() -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ticket_state WHERE "
                        + rows.byTicket(tickets))) {
                    rows.bindTickets(c, ps, tickets);
                    return states(ps);
                }
            });
            return new Tickets(states, new JdbcEventLog(c, rows).events(tickets));
        });
    }

    /** Tickets' state and their events, read together. */
    public record Tickets(List<StateRow> states, Map<String, List<TicketEvent>> events) {
    }

    private static List<StateRow> states(PreparedStatement ps) throws java.sql.SQLException {
        List<StateRow> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new StateRow(rs.getString(1), rs.getString(2), rs.getString(3), nullableLong(rs, 4),
                        rs.getBoolean(5), rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getString(9)));
            }
        }
        return out;
    }
}
