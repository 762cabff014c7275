package io.slabridge.connector.slack;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Where each ticket's alert thread is, per conversation: the first message's channel id and {@code ts}, so that the
 * later steps of the same ticket, metric and cycle reply in its thread. Kept in the store's database, in a table of
 * the connector's own ({@code classpath:db/slack}, migrated with its own history table, {@code slack_schema_history}).
 */
final class SlackThreads {
    static final String LOCATION = "classpath:db/slack";

    /** The first message of a thread. */
    record Thread(String channelId, String ts) {
    }

    private final DataSource dataSource;
    private final Clock clock;

    SlackThreads(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** Creates the table when it is not there yet. */
    static SlackThreads migrate(DataSource dataSource, Clock clock) {
        // The store's own tables are already there: the baseline below version 1 lets this history start empty.
        Flyway.configure().dataSource(dataSource).locations(LOCATION).table("slack_schema_history")
                .baselineOnMigrate(true).baselineVersion("0").load().migrate();
        return new SlackThreads(dataSource, clock);
    }

    Optional<Thread> find(String conversation, String threadKey) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT channel_id, ts FROM slack_thread WHERE conversation = ? AND thread_key = ?")) {
            s.setString(1, conversation);
            s.setString(2, threadKey);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new Thread(r.getString(1), r.getString(2))) : Optional.empty();
            }
        }
    }

    /** Keeps the thread's first message; a thread already kept stays as it was. */
    void remember(String conversation, String threadKey, Thread thread) throws SQLException {
        if (find(conversation, threadKey).isPresent()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("INSERT INTO slack_thread (conversation, thread_key, "
                        + "channel_id, ts, created_at) VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, conversation);
            s.setString(2, threadKey);
            s.setString(3, thread.channelId());
            s.setString(4, thread.ts());
            s.setLong(5, clock.instant().getEpochSecond());
            s.executeUpdate();
            if (!c.getAutoCommit()) { // the store's pool hands out connections in a transaction
                c.commit();
            }
        } catch (SQLException e) {
            if (find(conversation, threadKey).isEmpty()) {
                throw e;
            } // else another writer kept it first: the same thread
        }
    }
}
