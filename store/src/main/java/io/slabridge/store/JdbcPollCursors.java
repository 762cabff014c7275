package io.slabridge.store;

import io.slabridge.core.store.PollCursors;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** The pollers' cursors on JDBC ({@code source_cursor}): each call is a transaction of its own. */
final class JdbcPollCursors implements PollCursors {
    private final JdbcTransactions transactions;

    JdbcPollCursors(JdbcTransactions transactions) {
        this.transactions = transactions;
    }

    @Override
    public Optional<String> cursor(String name) {
        return transactions.autonomous(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT cursor_value FROM source_cursor WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    @Override
    public void saveCursor(String name, String value, Instant now) {
        transactions.autonomous(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE source_cursor SET cursor_value = ?, updated_at = ? "
                    + "WHERE name = ?")) {
                ps.setString(1, value);
                ps.setLong(2, now.getEpochSecond());
                ps.setString(3, name);
                if (ps.executeUpdate() == 1) {
                    return null;
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO source_cursor (name, cursor_value, updated_at) VALUES (?, ?, ?)")) {
                ps.setString(1, name);
                ps.setString(2, value);
                ps.setLong(3, now.getEpochSecond());
                ps.executeUpdate();
            }
            return null;
        });
    }
}
