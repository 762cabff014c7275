package io.slabridge.store;

import static io.slabridge.store.JdbcTransactions.sql;

import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteBackJson;
import io.slabridge.core.store.OutboxBacklog;
import io.slabridge.core.store.OutboxDelivery;
import io.slabridge.core.store.OutboxEnqueue.NewCommand;
import io.slabridge.core.store.OutboxParking;
import io.slabridge.core.store.ParkedCommand;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The outbox on JDBC ({@code outbox}): commands enter inside ticket transactions ({@link #enqueue}); claiming,
 * recording outcomes and the operator's reads are each a transaction of their own.
 */
final class JdbcOutbox implements OutboxDelivery, OutboxBacklog, OutboxParking {
    private final JdbcTransactions transactions;
    /** One process per embedded store: every lease left there is a dead predecessor's. */
    private final boolean sqlite;
    /**
     * Whom this process's outbox claims are recorded for: a name of its own until {@link #takeBackLeases} gives it
     * the instance's.
     */
    private volatile String claimant = "process-" + java.util.UUID.randomUUID();

    JdbcOutbox(JdbcTransactions transactions, boolean sqlite) {
        this.transactions = transactions;
        this.sqlite = sqlite;
    }

    /** {@link io.slabridge.core.store.OutboxEnqueue#enqueue}, on the connection of a ticket transaction. */
    static void enqueue(Connection c, List<NewCommand> commands, Instant now) {
        if (commands.isEmpty()) {
            return;
        }
        sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (ticket, source, kind, payload, "
                    + "idempotency_key, status, attempts, next_attempt_at, created_at) "
                    + "VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT DO NOTHING")) {
                // In the given order: the outbox's identity column is what keeps a ticket's commands in order.
                for (NewCommand command : commands) {
                    ps.setString(1, command.ticket());
                    ps.setString(2, command.source());
                    ps.setString(3, command.payload().kind());
                    ps.setString(4, WriteBackJson.write(command.payload()));
                    ps.setString(5, command.idempotencyKey());
                    ps.setLong(6, now.getEpochSecond());
                    ps.setLong(7, now.getEpochSecond());
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
    }

    @Override
    public Optional<Instant> oldestPendingCommand() {
        return transactions.autonomous(c -> {
            // outbox_ready (status, next_attempt_at) narrows this to the pending rows.
            try (PreparedStatement ps = c.prepareStatement("SELECT MIN(created_at) FROM outbox WHERE status = 'pending'");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? Optional.<Instant>empty() : Optional.of(Instant.ofEpochSecond(v));
            }
        });
    }

    @Override
    public List<OutboxCommand> claimOutbox(Instant now, Duration lease, int limit, Set<String> skipSources) {
        return transactions.autonomous(c -> {
            // SLA fields are state, not news: of a ticket's pending field writes only the newest matters. The
            // older ones that are not out right now (a leased one is) are done without a call: after a burst
            // of events, or an outage, a ticket's fields are written once.
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET status = 'done', done_at = ?, "
                    + "last_error = 'superseded by a newer sla_fields command' WHERE status = 'pending' "
                    + "AND kind = 'sla_fields' AND next_attempt_at <= ? AND EXISTS (SELECT 1 FROM outbox n "
                    + "WHERE n.ticket = outbox.ticket AND n.kind = 'sla_fields' AND n.status = 'pending' "
                    + "AND n.id > outbox.id)")) {
                ps.setLong(1, now.getEpochSecond());
                ps.setLong(2, now.getEpochSecond());
                ps.executeUpdate();
            }
            List<OutboxCommand> claimed = new ArrayList<>();
            // Only a ticket's oldest pending command for each writer is eligible: its commands to one system go
            // out in order. A leased one is still pending, so it holds back the ticket's later ones to the same
            // writer until it is done or parked; a Slack alert waiting out a 429 does not hold back the ticket's
            // Jira fields.
            try (PreparedStatement ps = c.prepareStatement("SELECT o.id, o.ticket, o.source, o.kind, o.payload, "
                    + "o.idempotency_key, o.created_at, o.attempts FROM outbox o WHERE o.status = 'pending' "
                    + "AND o.next_attempt_at <= ? AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.ticket = o.ticket "
                    + "AND e.source = o.source AND e.status = 'pending' AND e.id < o.id)"
                    + (skipSources.isEmpty() ? "" : " AND o.source NOT IN ("
                            + String.join(", ", Collections.nCopies(skipSources.size(), "?")) + ")")
                    + " ORDER BY o.id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                int i = 1;
                ps.setLong(i++, now.getEpochSecond());
                for (String source : skipSources) {
                    ps.setString(i++, source);
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        claimed.add(new OutboxCommand(rs.getLong(1), rs.getString(2), rs.getString(3),
                                WriteBackJson.read(rs.getString(4), rs.getString(5)), rs.getString(6),
                                Instant.ofEpochSecond(rs.getLong(7)), rs.getInt(8)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE outbox SET next_attempt_at = ?, attempts = attempts + 1, claimed_by = ? WHERE id = ?")) {
                for (OutboxCommand cmd : claimed) {
                    ps.setLong(1, now.plus(lease).getEpochSecond());
                    ps.setString(2, claimant);
                    ps.setLong(3, cmd.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return claimed;
        });
    }

    /**
     * {@code at} in the whole seconds the outbox keeps, rounded up: a command must not go out before the instant it
     * was given (a {@code Retry-After} of 6 s received at 12.5 s means not before 18.5 s; 18 would be early).
     */
    private static long notBefore(Instant at) {
        return at.getNano() == 0 ? at.getEpochSecond() : at.getEpochSecond() + 1;
    }

    /**
     * Names this process's claims from now on and takes back the leases its predecessor left, so that a restarted
     * process does not wait them out (the commands were out when it died: their attempts are counted, and writers
     * look before repeating what may have been done). On the embedded store only one process can run (see
     * {@link JdbcSlaStore#open}), so every lease left is a dead predecessor's; on a shared store only those claimed under the
     * same {@code name}, which must then be this instance's alone.
     *
     * @param name this instance's name, or null for one of its own: then nothing is taken back
     * @return how many commands can go out now that could not before
     */
    public int takeBackLeases(String name, Instant now) {
        if (name != null) {
            claimant = name;
        }
        if (name == null && !sqlite) {
            return 0;
        }
        return transactions.autonomous(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET next_attempt_at = ?, claimed_by = NULL "
                    + "WHERE status = 'pending' AND next_attempt_at > ? AND "
                    + (sqlite ? "claimed_by IS NOT NULL" : "claimed_by = ?"))) {
                ps.setLong(1, now.getEpochSecond());
                ps.setLong(2, now.getEpochSecond());
                if (!sqlite) {
                    ps.setString(3, name);
                }
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void markDone(long commandId, Instant now) {
        transactions.autonomous(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE outbox SET status = 'done', done_at = ?, last_error = NULL, claimed_by = NULL WHERE id = ?")) {
                ps.setLong(1, now.getEpochSecond());
                ps.setLong(2, commandId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void reschedule(long commandId, Instant nextAttempt, String error) {
        transactions.autonomous(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE outbox SET next_attempt_at = ?, last_error = ?, claimed_by = NULL WHERE id = ? "
                    + "AND status = 'pending'")) {
                ps.setLong(1, notBefore(nextAttempt));
                ps.setString(2, error);
                ps.setLong(3, commandId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void postpone(long commandId, Instant nextAttempt, String reason) {
        transactions.autonomous(c -> {
            // The claim counted this delivery (so that a crash during it counts); a wait is not an attempt.
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET next_attempt_at = ?, last_error = ?, "
                    + "claimed_by = NULL, attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END "
                    + "WHERE id = ? AND status = 'pending'")) {
                ps.setLong(1, notBefore(nextAttempt));
                ps.setString(2, reason);
                ps.setLong(3, commandId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean renewLease(OutboxCommand claimed, Instant leasedUntil, Instant newUntil) {
        return transactions.autonomous(c -> {
            // Another claim changes attempts and next_attempt_at, finishing or superseding changes status: together
            // they say whether the lease is still ours.
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET next_attempt_at = ? WHERE id = ? "
                    + "AND status = 'pending' AND attempts = ? AND next_attempt_at = ?")) {
                ps.setLong(1, newUntil.getEpochSecond());
                ps.setLong(2, claimed.id());
                ps.setInt(3, claimed.attempts() + 1);
                ps.setLong(4, leasedUntil.getEpochSecond());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void park(long commandId, String error, Instant now) {
        transactions.autonomous(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE outbox SET status = 'parked', last_error = ?, done_at = ?, claimed_by = NULL WHERE id = ?")) {
                ps.setString(1, error);
                ps.setLong(2, now.getEpochSecond());
                ps.setLong(3, commandId);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<ParkedCommand> parked(int limit) {
        return transactions.autonomous(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, ticket, source, kind, payload, idempotency_key, "
                    + "created_at, attempts, last_error, done_at FROM outbox WHERE status = 'parked' ORDER BY id LIMIT ?")) {
                ps.setInt(1, limit);
                List<ParkedCommand> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ParkedCommand(new OutboxCommand(rs.getLong(1), rs.getString(2), rs.getString(3),
                                WriteBackJson.read(rs.getString(4), rs.getString(5)), rs.getString(6),
                                Instant.ofEpochSecond(rs.getLong(7)), rs.getInt(8)), rs.getString(9),
                                Instant.ofEpochSecond(rs.getLong(10))));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public boolean requeue(long commandId, Instant now) {
        return transactions.autonomous(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET status = 'pending', attempts = 0, "
                    + "next_attempt_at = ?, done_at = NULL WHERE id = ? AND status = 'parked'")) {
                ps.setLong(1, now.getEpochSecond());
                ps.setLong(2, commandId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Map<String, Long> outboxCounts() {
        return transactions.autonomous(c -> {
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("pending", 0L);
            counts.put("done", 0L);
            counts.put("parked", 0L);
            try (PreparedStatement ps = c.prepareStatement("SELECT status, COUNT(*) FROM outbox GROUP BY status");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
            return counts;
        });
    }
}
