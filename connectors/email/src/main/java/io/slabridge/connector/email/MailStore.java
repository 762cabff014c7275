package io.slabridge.connector.email;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The email connector's durable state, in the runtime's store ({@code db/email}, under a Flyway history of its
 * own: {@value #HISTORY}): which message belongs to
 * which ticket, each email ticket's customer, subject and mail-derived status, the messages already read, and the
 * mail already sent. Plain JDBC on the store's pool; every method is its own short transaction. Statements run on
 * PostgreSQL and on H2 in PostgreSQL mode.
 */
public final class MailStore {
    /** The Flyway history of the email connector's tables, beside the store's own. */
    static final String HISTORY = "flyway_history_email";

    private final DataSource dataSource;

    /**
     * Opens the connector's tables on the store's pool, creating or migrating them first.
     *
     * @throws MailStoreException when they cannot be migrated
     */
    public MailStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        migrate(dataSource);
    }

    /**
     * Migrates the tables. The store's schema is never empty here (the store migrated its own first), so Flyway is
     * told to start this history at version 0 rather than refuse a schema it did not make; V1 then runs, and
     * creates only what a store made before issue 14 does not have already.
     */
    private static void migrate(DataSource dataSource) {
        try {
            Flyway.configure().dataSource(dataSource).table(HISTORY).locations("classpath:db/email")
                    .baselineOnMigrate(true).baselineVersion("0")
                    .load().migrate();
        } catch (FlywayException e) {
            throw new MailStoreException("email connector store: cannot migrate its tables: " + e.getMessage(), e);
        }
    }

    /** What the connector knows of one email ticket. */
    public record MailTicket(String ticket, String rootMessageId, String customer, String replyTo, String subjectKey,
            String subject, String status, long createdAt, Long lastCustomerAt, Long lastAgentAt, String lastAgentMessage,
            boolean ackWanted, Long acknowledgedAt) {
        public MailTicket {
            Objects.requireNonNull(ticket, "ticket");
            Objects.requireNonNull(rootMessageId, "rootMessageId");
            Objects.requireNonNull(customer, "customer");
            Objects.requireNonNull(replyTo, "replyTo");
            Objects.requireNonNull(subjectKey, "subjectKey");
            Objects.requireNonNull(status, "status");
        }
    }

    /** A message we know: its ticket and who wrote it. */
    public record KnownMessage(String messageId, String ticket, String role) {
    }

    // ---- threads ----------------------------------------------------------------------------------------------

    /** The first of {@code messageIds} that we know, in the order given. */
    public Optional<KnownMessage> firstKnown(List<String> messageIds) {
        for (String id : messageIds) {
            Optional<KnownMessage> m = message(id);
            if (m.isPresent()) {
                return m;
            }
        }
        return Optional.empty();
    }

    public Optional<KnownMessage> message(String messageId) {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT ticket, role FROM mail_message WHERE message_id = ?")) {
                ps.setString(1, messageId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new KnownMessage(messageId, rs.getString(1), rs.getString(2)))
                            : Optional.<KnownMessage>empty();
                }
            }
        });
    }

    /** Records a message as part of a ticket; a message already recorded keeps its ticket and role. */
    public void recordMessage(String messageId, String ticket, String role, long atEpochSecond) {
        run(c -> {
            insertMessage(c, messageId, ticket, role, atEpochSecond);
            return null;
        });
    }

    private static void insertMessage(Connection c, String messageId, String ticket, String role, long at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO mail_message (message_id, ticket, role, at_epoch) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, messageId);
            ps.setString(2, ticket);
            ps.setString(3, role);
            ps.setLong(4, at);
            ps.executeUpdate();
        }
    }

    /** Records a new ticket and its first message; a ticket already recorded is left as it is. */
    public void recordTicket(MailTicket t) {
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mail_ticket (ticket, root_message_id, customer, "
                    + "reply_to, subject_key, subject, status, created_at, last_customer_at, last_agent_at, "
                    + "last_agent_message, ack_wanted, acknowledged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT DO NOTHING")) {
                ps.setString(1, t.ticket());
                ps.setString(2, t.rootMessageId());
                ps.setString(3, t.customer());
                ps.setString(4, t.replyTo());
                ps.setString(5, t.subjectKey());
                ps.setString(6, t.subject());
                ps.setString(7, t.status());
                ps.setLong(8, t.createdAt());
                setLong(ps, 9, t.lastCustomerAt());
                setLong(ps, 10, t.lastAgentAt());
                ps.setString(11, t.lastAgentMessage());
                ps.setBoolean(12, t.ackWanted());
                setLong(ps, 13, t.acknowledgedAt());
                ps.executeUpdate();
            }
            insertMessage(c, t.rootMessageId(), t.ticket(), "customer", t.createdAt());
            return null;
        });
    }

    public Optional<MailTicket> ticket(String ticket) {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT_TICKET + " WHERE ticket = ?")) {
                ps.setString(1, ticket);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(readTicket(rs)) : Optional.<MailTicket>empty();
                }
            }
        });
    }

    /**
     * The newest ticket of {@code customer} with this normalized subject, not closed, with activity at or after
     * {@code sinceEpochSecond}: where a reply without threading headers goes.
     */
    public Optional<MailTicket> ticketBySubject(String customer, String subjectKey, long sinceEpochSecond) {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT_TICKET + " WHERE customer = ? AND subject_key = ? "
                    + "AND status <> 'closed' AND GREATEST(created_at, COALESCE(last_customer_at, 0), "
                    + "COALESCE(last_agent_at, 0)) >= ? ORDER BY created_at DESC, ticket LIMIT 1")) {
                ps.setString(1, customer);
                ps.setString(2, subjectKey);
                ps.setLong(3, sinceEpochSecond);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(readTicket(rs)) : Optional.<MailTicket>empty();
                }
            }
        });
    }

    /** A customer wrote at {@code at}: keeps the latest instant; sets the status when one is given. */
    public void customerWrote(String ticket, long at, String status) {
        update(ticket, "last_customer_at = GREATEST(COALESCE(last_customer_at, ?), ?)", at, at, status);
    }

    /** An agent replied publicly at {@code at} with {@code messageId}; sets the status when one is given. */
    public void agentReplied(String ticket, long at, String messageId, String status) {
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mail_ticket SET last_agent_at = ?, last_agent_message = ? "
                    + "WHERE ticket = ? AND (last_agent_at IS NULL OR last_agent_at <= ?)")) {
                ps.setLong(1, at);
                ps.setString(2, messageId);
                ps.setString(3, ticket);
                ps.setLong(4, at);
                ps.executeUpdate();
            }
            return null;
        });
        if (status != null) {
            setStatus(ticket, status);
        }
    }

    public void setStatus(String ticket, String status) {
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mail_ticket SET status = ? WHERE ticket = ?")) {
                ps.setString(1, status);
                ps.setString(2, ticket);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private void update(String ticket, String assignment, long a, long b, String status) {
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mail_ticket SET " + assignment + " WHERE ticket = ?")) {
                ps.setLong(1, a);
                ps.setLong(2, b);
                ps.setString(3, ticket);
                ps.executeUpdate();
            }
            return null;
        });
        if (status != null) {
            setStatus(ticket, status);
        }
    }

    /**
     * Tickets not resolved or closed whose last public agent reply came at or before {@code cutoff} with no customer
     * mail after it: candidates for auto-resolve.
     */
    public List<MailTicket> waitingSince(long cutoffEpochSecond, int limit) {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT_TICKET + " WHERE last_agent_at IS NOT NULL "
                    + "AND last_agent_at <= ? AND status NOT IN ('resolved', 'closed') "
                    + "AND (last_customer_at IS NULL OR last_customer_at < last_agent_at) ORDER BY last_agent_at LIMIT ?")) {
                ps.setLong(1, cutoffEpochSecond);
                ps.setInt(2, limit);
                List<MailTicket> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(readTicket(rs));
                    }
                }
                return out;
            }
        });
    }

    public void markAcknowledged(String ticket, long at) {
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE mail_ticket SET acknowledged_at = ? WHERE ticket = ? AND acknowledged_at IS NULL")) {
                ps.setLong(1, at);
                ps.setString(2, ticket);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static final String SELECT_TICKET = "SELECT ticket, root_message_id, customer, reply_to, subject_key, subject, "
            + "status, created_at, last_customer_at, last_agent_at, last_agent_message, ack_wanted, acknowledged_at "
            + "FROM mail_ticket";

    private static MailTicket readTicket(ResultSet rs) throws SQLException {
        return new MailTicket(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getLong(8), getLong(rs, 9), getLong(rs, 10), rs.getString(11),
                rs.getBoolean(12), getLong(rs, 13));
    }

    // ---- the idempotent repository's rows ----------------------------------------------------------------------

    /** Takes a message for processing: false when it was processed before (a confirmed row). */
    boolean take(String repository, String key, long now) {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT confirmed FROM mail_processed WHERE repository = ? AND message_key = ?")) {
                ps.setString(1, repository);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        // Unconfirmed: taken by a poll that never finished (a crash); take it again.
                        return !rs.getBoolean(1);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mail_processed (repository, message_key, confirmed, "
                    + "added_at) VALUES (?, ?, FALSE, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, repository);
                ps.setString(2, key);
                ps.setLong(3, now);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** When a poll first took the message (epoch seconds), if it is taken. */
    Optional<Long> firstTaken(String repository, String key) {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT added_at FROM mail_processed WHERE repository = ? AND message_key = ?")) {
                ps.setString(1, repository);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getLong(1)) : Optional.<Long>empty();
                }
            }
        });
    }

    boolean processed(String repository, String key) {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT 1 FROM mail_processed WHERE repository = ? AND message_key = ? AND confirmed")) {
                ps.setString(1, repository);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    boolean confirm(String repository, String key) {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE mail_processed SET confirmed = TRUE WHERE repository = ? AND message_key = ?")) {
                ps.setString(1, repository);
                ps.setString(2, key);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Forgets an unconfirmed row (a failed or deferred message); a confirmed one stays. */
    boolean release(String repository, String key) {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM mail_processed WHERE repository = ? AND message_key = ? AND NOT confirmed")) {
                ps.setString(1, repository);
                ps.setString(2, key);
                return ps.executeUpdate() == 1;
            }
        });
    }

    void clear(String repository) {
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM mail_processed WHERE repository = ?")) {
                ps.setString(1, repository);
                ps.executeUpdate();
            }
            return null;
        });
    }

    // ---- mail we sent ------------------------------------------------------------------------------------------

    public boolean wasSent(String messageId) {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM mail_sent WHERE message_id = ?")) {
                ps.setString(1, messageId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Records a mail we sent; for mail into a ticket's thread, also its Message-ID as one of the thread's. */
    public void recordSent(String messageId, String ticket, String kind, String recipient, String idempotencyKey,
            long now, boolean inThread) {
        run(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mail_sent (message_id, ticket, kind, recipient, "
                    + "idempotency_key, sent_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, messageId);
                ps.setString(2, ticket);
                ps.setString(3, kind);
                ps.setString(4, recipient);
                ps.setString(5, idempotencyKey);
                ps.setLong(6, now);
                ps.executeUpdate();
            }
            if (inThread) {
                insertMessage(c, messageId, ticket, "ours", now);
            }
            return null;
        });
    }

    /** How many mails of {@code kind} went to {@code recipient} at or after {@code since}. */
    public int sentTo(String recipient, String kind, long sinceEpochSecond) {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM mail_sent WHERE recipient = ? AND kind = ? AND sent_at >= ?")) {
                ps.setString(1, recipient);
                ps.setString(2, kind);
                ps.setLong(3, sinceEpochSecond);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    // ---- the runtime's view of a ticket ------------------------------------------------------------------------

    /** The ticket's cycles as the runtime last stored them (JSON lines, as replay prints them), if it has any. */
    public Optional<String> cycles(String ticket) {
        return run(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT cycles FROM ticket_state WHERE ticket = ?")) {
                ps.setString(1, ticket);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    // ---- plumbing ----------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T run(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            try {
                c.setAutoCommit(false);
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new MailStoreException("email connector store: " + e.getMessage(), e);
        }
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    private static Long getLong(ResultSet rs, int index) throws SQLException {
        long v = rs.getLong(index);
        return rs.wasNull() ? null : v;
    }

    /** The store could not be read or written: transient for the routes (the message is read again). */
    public static final class MailStoreException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MailStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
