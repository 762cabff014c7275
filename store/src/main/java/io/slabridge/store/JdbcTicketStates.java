package io.slabridge.store;

import static io.slabridge.store.JdbcTransactions.sql;
import static io.slabridge.store.SqlRows.nullableLong;
import static io.slabridge.store.SqlRows.setNullableLong;
import static io.slabridge.store.SqlRows.strings;

import io.slabridge.core.store.TicketRecord;
import io.slabridge.core.store.TicketStates;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/** Ticket state and the wake index on JDBC ({@code ticket_state}), on one transaction's connection. */
final class JdbcTicketStates implements TicketStates {
    private final Connection c;
    private final SqlRows rows;

    JdbcTicketStates(Connection c, SqlRows rows) {
        this.c = c;
        this.rows = rows;
    }

    @Override
    public Map<String, TicketRecord> lockTickets(Collection<String> tickets, Function<String, String> sourceOfNewTicket) {
        Map<String, TicketRecord> locked = new HashMap<>();
        if (tickets.isEmpty()) {
            return locked;
        }
        return sql(() -> {
            // Most tickets are already stored: lock first, and create only those there is no row for.
            SortedSet<String> wanted = new TreeSet<>(tickets);
            selectForUpdate(wanted, locked);
            if (locked.size() < wanted.size()) {
                SortedSet<String> missing = new TreeSet<>(wanted);
                missing.removeAll(locked.keySet());
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO ticket_state (ticket, source, summary, "
                        + "is_open, cycles, version, updated_at) VALUES (?, ?, 'NONE', FALSE, '', 0, 0) "
                        + "ON CONFLICT DO NOTHING")) {
                    for (String ticket : missing) {
                        ps.setString(1, ticket);
                        ps.setString(2, sourceOfNewTicket.apply(ticket));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                // Created here, or by a concurrent transaction since the first select: lock them either way.
                selectForUpdate(missing, locked);
                if (locked.size() < wanted.size()) {
                    wanted.removeAll(locked.keySet());
                    throw new IllegalStateException("tickets " + wanted + " could not be locked");
                }
            }
            return locked;
        });
    }

    /** Locks the rows of those of {@code tickets} that exist, in key order, and puts them into {@code into}. */
    private void selectForUpdate(Collection<String> tickets, Map<String, TicketRecord> into) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT ticket, source, summary, next_due_at, next_wake_at, "
                + "is_open, sla_fields, cycles, version, ola_cycles FROM ticket_state WHERE " + rows.byTicket(tickets)
                + " ORDER BY ticket FOR UPDATE")) {
            rows.bindTickets(c, ps, tickets);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TicketRecord r = new TicketRecord(rs.getString(1), rs.getString(2), rs.getString(3), nullableLong(rs, 4),
                            nullableLong(rs, 5), rs.getBoolean(6), rs.getString(7), rs.getString(8), rs.getLong(9),
                            rs.getString(10));
                    into.put(r.ticket(), r);
                }
            }
        }
    }

    @Override
    public void saveTickets(List<TicketRecord> records, Instant now) {
        if (records.isEmpty()) {
            return;
        }
        int[] counts = sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE ticket_state SET source = ?, summary = ?, "
                    + "next_due_at = ?, next_wake_at = ?, is_open = ?, sla_fields = ?, cycles = ?, version = ?, "
                    + "ola_cycles = ?, updated_at = ? WHERE ticket = ?")) {
                for (TicketRecord r : records) {
                    ps.setString(1, r.source());
                    ps.setString(2, r.summary());
                    setNullableLong(ps, 3, r.nextDueAt());
                    setNullableLong(ps, 4, r.nextWakeAt());
                    ps.setBoolean(5, r.open());
                    ps.setString(6, r.slaFields());
                    ps.setString(7, r.cycles());
                    ps.setLong(8, r.version());
                    ps.setString(9, r.olaCycles());
                    ps.setLong(10, now.getEpochSecond());
                    ps.setString(11, r.ticket());
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                throw new IllegalStateException("ticket " + records.get(i).ticket() + " was not locked before saving");
            }
        }
    }

    @Override
    public List<String> lockDueTickets(Instant now, int limit) {
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT ticket FROM ticket_state WHERE next_wake_at <= ? "
                    + "ORDER BY next_wake_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
                ps.setLong(1, now.getEpochSecond());
                ps.setInt(2, limit);
                return strings(ps);
            }
        });
    }

    @Override
    public List<String> openTickets(String afterTicket, int limit) {
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT ticket FROM ticket_state WHERE is_open "
                    + "AND ticket > ? ORDER BY ticket LIMIT ?")) {
                ps.setString(1, afterTicket == null ? "" : afterTicket);
                ps.setInt(2, limit);
                return strings(ps);
            }
        });
    }

    @Override
    public Optional<Instant> earliestWake() {
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MIN(next_wake_at) FROM ticket_state");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? Optional.<Instant>empty() : Optional.of(Instant.ofEpochSecond(v));
            }
        });
    }

    /** The stored cycles of up to {@code limit} tickets after {@code afterTicket} (null: from the first), in key order. */
    Map<String, String> cyclesAfter(String afterTicket, int limit) {
        Map<String, String> cycles = new LinkedHashMap<>();
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT ticket, cycles FROM "
                    + "ticket_state" + (afterTicket == null ? "" : " WHERE ticket > ?") + " ORDER BY ticket LIMIT ?")) {
                int i = 1;
                if (afterTicket != null) {
                    ps.setString(i++, afterTicket);
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        cycles.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return cycles;
        });
    }
}
