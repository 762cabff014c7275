package io.slabridge.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Small pieces of SQL the repositories share: reading and binding nullable numbers, and sets of tickets. */
final class SqlRows {
    private static final ObjectMapper JSON_ARRAYS = new ObjectMapper();

    /** SQLite has no arrays: a set of tickets is bound as a JSON array. */
    private final boolean sqlite;

    SqlRows(boolean sqlite) {
        this.sqlite = sqlite;
    }

    /**
     * The condition for a read of {@code tickets}: {@code ticket = ANY(?)}, or for one ticket (the single-event
     * path) the plain {@code ticket = ?} it always had. On PostgreSQL an ANY of many tickets needs table
     * statistics (autovacuum) to be planned as index scans. SQLite, without arrays, reads a JSON array.
     */
    String byTicket(Collection<String> tickets) {
        return tickets.size() == 1 ? "ticket = ?" : sqlite ? "ticket IN (SELECT value FROM json_each(?))"
                : "ticket = ANY(?)";
    }

    /** Binds {@code tickets} as the first parameter of a statement whose condition is {@link #byTicket}. */
    void bindTickets(Connection c, PreparedStatement ps, Collection<String> tickets) throws SQLException {
        if (tickets.size() == 1) {
            ps.setString(1, tickets.iterator().next());
        } else if (sqlite) {
            try {
                ps.setString(1, JSON_ARRAYS.writeValueAsString(tickets));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("tickets as a JSON array", e); // strings always are
            }
        } else {
            ps.setArray(1, c.createArrayOf("VARCHAR", tickets.toArray()));
        }
    }

    /** The first column of every row. */
    static List<String> strings(PreparedStatement ps) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }
}
