package io.slabridge.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.slabridge.core.io.InvalidEventException;
import io.slabridge.core.io.TicketEventJson;
import io.slabridge.core.model.EscalationDue;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteBackJson;
import io.slabridge.core.store.ParkedCommand;
import io.slabridge.core.store.SlaStore;
import io.slabridge.core.store.StoreException;
import io.slabridge.core.store.StoredTickets;
import io.slabridge.core.store.TicketRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The store on JDBC: PostgreSQL in production, SQLite embedded (the default), H2 in PostgreSQL mode for tests.
 * Opening it migrates the schema with Flyway ({@code db/migration}; SQLite's own spelling of the same tables in
 * {@code db/sqlite}; the migrations both spell alike in {@code db/common}). Statements are plain SQL written for PostgreSQL, which H2 runs as they are and SQLite
 * through {@link SqliteAccess}.
 */
public final class JdbcSlaStore implements SlaStore, StoredTickets {
    private static final int MAX_TRIES = 3;
    /**
     * How long a caller waits for a connection before the store counts as unavailable. HikariCP's 30 s default held
     * a webhook that long before its 503 (Jira gives up sooner), and readiness checks too; 5 s is ample for a pool
     * that is merely busy. StoreOutageTest measures it.
     */
    static final long CONNECTION_TIMEOUT_MS = 5_000;
    /** How long a pooled connection gets to prove it is alive before use (below the connection timeout). */
    static final long VALIDATION_TIMEOUT_MS = 2_000;
    /**
     * PostgreSQL's read timeout, unless the URL sets {@code socketTimeout}: the driver has none by default, so a
     * network that drops packets silently (a NAT or firewall forgetting the connection) would hold the scheduler or
     * the outbox in a read for good. Far longer than any statement of ours, which are small and batched.
     */
    static final int POSTGRES_SOCKET_TIMEOUT_S = 300;

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON_ARRAYS =
            new com.fasterxml.jackson.databind.ObjectMapper();
    /** SQLite's {@code SQLITE_OPEN_READONLY} flag. */
    private static final int SQLITE_OPEN_READONLY = 0x1;

    private final HikariDataSource pool;
    private final boolean sqlite;
    /**
     * Whom this process's outbox claims are recorded for: a name of its own until {@link #takeBackLeases} gives it
     * the instance's.
     */
    private volatile String claimant = "process-" + java.util.UUID.randomUUID();
    /** On the embedded store, the lock that keeps a second process off it; null elsewhere. */
    private final java.nio.channels.FileChannel soleUser;
    /** Where transactions get their connection: the pool, or on SQLite the pool taken in turns. */
    private final DataSource connections;
    private final String description;

    private JdbcSlaStore(HikariDataSource pool, StoreSettings settings, java.nio.channels.FileChannel soleUser) {
        this.pool = pool;
        this.soleUser = soleUser;
        this.sqlite = settings.isSqlite();
        this.connections = sqlite ? new SqliteAccess(pool) : pool;
        this.description = settings.safeUrl();
    }

    /**
     * Connects, migrates the schema, and returns the store.
     *
     * @throws StoreException naming the database (without credentials) when it cannot be reached or migrated
     */
    public static JdbcSlaStore open(StoreSettings settings) {
        java.nio.channels.FileChannel soleUser = settings.sqliteFile() == null ? null : soleUser(settings);
        HikariDataSource pool;
        try {
            pool = pool(settings, false);
        } catch (StoreException e) {
            release(soleUser);
            throw e;
        }
        try {
            Flyway.configure().dataSource(pool)
                    .locations(settings.isSqlite() ? "classpath:db/sqlite" : "classpath:db/migration", "classpath:db/common")
                    // A migration applied but not found here is V3__mail.sql: a store made before issue 14 has it in
                    // this history, and the email connector now keeps its tables under a history of its own.
                    // Future migrations stay ignored too (Flyway's default), so that an older version still opens.
                    .ignoreMigrationPatterns("*:future", "*:missing")
                    .load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            release(soleUser);
            throw new StoreException("cannot migrate the store at " + settings.safeUrl() + ": " + rootMessage(e), e);
        }
        return new JdbcSlaStore(pool, settings, soleUser);
    }

    /**
     * Makes this process the embedded store's only user, creating its directory if need be: a lock on
     * {@code FILE.lock} beside the database, held until {@link #close}. Two processes running on one SQLite file
     * would each think they alone claim the outbox, and could write a command twice.
     */
    private static java.nio.channels.FileChannel soleUser(StoreSettings settings) {
        Path lock = Path.of(settings.sqliteFile().toAbsolutePath() + ".lock");
        java.nio.channels.FileChannel channel = null;
        try {
            Files.createDirectories(lock.getParent());
            channel = java.nio.channels.FileChannel.open(lock, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE);
            java.nio.channels.FileLock held;
            try {
                held = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException thisProcess) {
                held = null; // this process has it open already
            }
            if (held == null) {
                channel.close();
                throw new StoreException("the store at " + settings.safeUrl() + " is in use by another sla-bridge "
                        + "process (it holds " + lock + "): stop it first; several instances need a PostgreSQL store", null);
            }
            return channel;
        } catch (IOException e) {
            release(channel);
            throw new StoreException("cannot lock the store at " + settings.safeUrl() + " (" + lock + "): " + e, e);
        }
    }

    private static void release(java.nio.channels.FileChannel channel) {
        if (channel != null) {
            try {
                channel.close(); // closing releases the lock
            } catch (IOException e) {
                // nothing more to do: the process is letting the store go
            }
        }
    }

    /**
     * Connects for reading only, for commands that look and change nothing ({@code report}): read-only
     * connections, and no migration, so that even a store whose schema is newer than this version can be read.
     *
     * @throws StoreException naming the database (without credentials) when it cannot be reached
     */
    public static JdbcSlaStore openForReading(StoreSettings settings) {
        return new JdbcSlaStore(pool(settings, true), settings, null);
    }

    private static HikariDataSource pool(StoreSettings settings, boolean readOnly) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        if (settings.user() != null) {
            config.setUsername(settings.user());
        }
        if (settings.password() != null) {
            config.setPassword(settings.password());
        }
        config.setMaximumPoolSize(settings.poolSize());
        config.setAutoCommit(false);
        config.setReadOnly(readOnly);
        if (settings.isSqlite() && readOnly) {
            // sqlite-jdbc refuses to change the flag of an open connection: it is opened read-only as well.
            config.addDataSourceProperty("open_mode", Integer.toString(SQLITE_OPEN_READONLY));
        }
        config.setPoolName("sla-store");
        config.setInitializationFailTimeout(10_000);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        config.setValidationTimeout(VALIDATION_TIMEOUT_MS);
        if (settings.url().startsWith("jdbc:postgresql:")) {
            // Defaults only: parameters in the URL win over these properties in the driver.
            config.addDataSourceProperty("socketTimeout", Integer.toString(POSTGRES_SOCKET_TIMEOUT_S));
            config.addDataSourceProperty("tcpKeepAlive", "true");
        }
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to the store at " + settings.safeUrl() + ": " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    @Override
    public <T> T inTransaction(Work<T> work) {
        SQLException last = null;
        for (int attempt = 1; attempt <= MAX_TRIES; attempt++) {
            try (Connection c = connections.getConnection()) {
                try {
                    T result = work.run(new JdbcTransaction(c, sqlite));
                    c.commit();
                    return result;
                } catch (SqlFailure e) {
                    rollbackQuietly(c);
                    if (!retryable(e.getCause()) || attempt == MAX_TRIES) {
                        throw new StoreException("store transaction failed on " + description + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                    last = e.getCause();
                    forgetDeadConnections(last);
                } catch (RuntimeException | Error e) {
                    rollbackQuietly(c);
                    throw e;
                }
            } catch (SQLException e) {
                if (!retryable(e) || attempt == MAX_TRIES) {
                    throw new StoreException("store transaction failed on " + description + ": " + e.getMessage(), e);
                }
                last = e;
                forgetDeadConnections(last);
            }
        }
        throw new StoreException("store transaction failed on " + description, last);
    }

    /**
     * Rolls back; on a connection that died, that fails too, and must not hide why the work failed (the pool drops
     * the connection anyway).
     */
    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            // the connection is gone: nothing to roll back
        }
    }

    /**
     * After a dead connection, the pool's other idle ones are most likely dead too (the server restarted, failed
     * over, or killed them all): they are closed rather than tried one by one, so that the next try gets a new one.
     */
    private void forgetDeadConnections(SQLException e) {
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P0")) && pool.getHikariPoolMXBean() != null) {
            pool.getHikariPoolMXBean().softEvictConnections();
        }
    }

    /**
     * Serialisation failures, deadlocks and a unique key taken by a concurrent insert are worth one more go:
     * the transaction starts afresh and sees the other's work. So is a pooled connection that turns out to be dead
     * (SQLState class 08, or the server's 57P01-57P03: killed, restarted, failed over): the pool drops it and the
     * next try gets a new one. A transaction cut during its commit may have committed; running it again is safe,
     * since every unit of work here is written to be repeated (events and commands are keyed, state is refolded).
     * No connection to be had (the pool timed out) is not retried: the store is down.
     */
    private static boolean retryable(SQLException e) {
        String state = e.getSQLState();
        if (state == null || e instanceof java.sql.SQLTransientConnectionException) {
            return false;
        }
        return state.equals("40001") || state.equals("40P01") || state.equals("23505") || state.startsWith("08")
                || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
    }

    /** Carries an SQLException out of the lambda-friendly Transaction methods. */
    private static final class SqlFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SqlFailure(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    @FunctionalInterface
    private interface SqlCall<T> {
        T call() throws SQLException;
    }

    private static <T> T sql(SqlCall<T> call) {
        try {
            return call.call();
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }

    private static final class JdbcTransaction implements Transaction {
        private final Connection c;
        private final TicketEventJson json = new TicketEventJson();
        /** SQLite has no arrays: a set of tickets is bound as a JSON array. */
        private final boolean sqlite;

        JdbcTransaction(Connection c, boolean sqlite) {
            this.sqlite = sqlite;
            this.c = c;
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
                        "SELECT ticket, event_id, body FROM ticket_event WHERE " + byTicket(tickets) + " ORDER BY ticket, seq")) {
                    bindTickets(ps, tickets);
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

        /**
         * The condition for a read of {@code tickets}: {@code ticket = ANY(?)}, or for one ticket (the single-event
         * path) the plain {@code ticket = ?} it always had. On PostgreSQL an ANY of many tickets needs table
         * statistics (autovacuum) to be planned as index scans. SQLite, without arrays, reads a JSON array.
         */
        private String byTicket(Collection<String> tickets) {
            return tickets.size() == 1 ? "ticket = ?" : sqlite ? "ticket IN (SELECT value FROM json_each(?))"
                    : "ticket = ANY(?)";
        }

        private void bindTickets(PreparedStatement ps, Collection<String> tickets) throws SQLException {
            if (tickets.size() == 1) {
                ps.setString(1, tickets.iterator().next());
            } else if (sqlite) {
                try {
                    ps.setString(1, JSON_ARRAYS.writeValueAsString(tickets));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException("tickets as a JSON array", e); // strings always are
                }
            } else {
                ps.setArray(1, c.createArrayOf("VARCHAR", tickets.toArray()));
            }
        }

        /** Locks the rows of those of {@code tickets} that exist, in key order, and puts them into {@code into}. */
        private void selectForUpdate(Collection<String> tickets, Map<String, TicketRecord> into) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT ticket, source, summary, next_due_at, next_wake_at, "
                    + "is_open, sla_fields, cycles, version FROM ticket_state WHERE " + byTicket(tickets)
                    + " ORDER BY ticket FOR UPDATE")) {
                bindTickets(ps, tickets);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        TicketRecord r = new TicketRecord(rs.getString(1), rs.getString(2), rs.getString(3), nullableLong(rs, 4),
                                nullableLong(rs, 5), rs.getBoolean(6), rs.getString(7), rs.getString(8), rs.getLong(9));
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
                        + "updated_at = ? WHERE ticket = ?")) {
                    for (TicketRecord r : records) {
                        ps.setString(1, r.source());
                        ps.setString(2, r.summary());
                        setNullableLong(ps, 3, r.nextDueAt());
                        setNullableLong(ps, 4, r.nextWakeAt());
                        ps.setBoolean(5, r.open());
                        ps.setString(6, r.slaFields());
                        ps.setString(7, r.cycles());
                        ps.setLong(8, r.version());
                        ps.setLong(9, now.getEpochSecond());
                        ps.setString(10, r.ticket());
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
        public Map<String, Set<String>> stepsDone(Collection<String> tickets) {
            Map<String, Set<String>> keys = new HashMap<>();
            if (tickets.isEmpty()) {
                return keys;
            }
            return sql(() -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT ticket, metric, cycle, step FROM escalation_done WHERE " + byTicket(tickets))) {
                    bindTickets(ps, tickets);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String ticket = rs.getString(1);
                            keys.computeIfAbsent(ticket, t -> new HashSet<>())
                                    .add(ticket + "/" + rs.getString(2) + "/" + rs.getInt(3) + "/" + rs.getString(4));
                        }
                    }
                    return keys;
                }
            });
        }

        @Override
        public void markStepsDone(List<EscalationDue> steps, Instant now) {
            if (steps.isEmpty()) {
                return;
            }
            sql(() -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO escalation_done (ticket, metric, cycle, step, "
                        + "done_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                    for (EscalationDue step : steps) {
                        ps.setString(1, step.ticket());
                        ps.setString(2, step.metric().wireName());
                        ps.setInt(3, step.cycle());
                        ps.setString(4, step.step());
                        ps.setLong(5, now.getEpochSecond());
                        ps.addBatch();
                    }
                    return ps.executeBatch();
                }
            });
        }

        @Override
        public void enqueue(List<NewCommand> commands, Instant now) {
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
    }

    private static List<String> strings(PreparedStatement ps) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    // ---- outside ticket transactions: each call is its own transaction -------------------------------------

    private <T> T autonomous(SqlWork<T> work) {
        return inTransaction(tx -> sql(() -> work.run(((JdbcTransaction) tx).c)));
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    @Override
    public Optional<Instant> oldestPendingCommand() {
        return autonomous(c -> {
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
        return autonomous(c -> {
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
            // Only a ticket's oldest pending command is eligible: its commands go out in order. A leased one
            // is still pending, so it holds back the ticket's later ones until it is done or parked.
            try (PreparedStatement ps = c.prepareStatement("SELECT o.id, o.ticket, o.source, o.kind, o.payload, "
                    + "o.idempotency_key, o.created_at, o.attempts FROM outbox o WHERE o.status = 'pending' "
                    + "AND o.next_attempt_at <= ? AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.ticket = o.ticket "
                    + "AND e.status = 'pending' AND e.id < o.id)"
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
     * {@link #open}), so every lease left is a dead predecessor's; on a shared store only those claimed under the
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
        return autonomous(c -> {
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
        autonomous(c -> {
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
        autonomous(c -> {
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
        autonomous(c -> {
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
        return autonomous(c -> {
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
        autonomous(c -> {
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
        return autonomous(c -> {
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
        return autonomous(c -> {
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
        return autonomous(c -> {
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

    @Override
    public Optional<String> cursor(String name) {
        return autonomous(c -> {
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
        autonomous(c -> {
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

    /**
     * The store's connection pool, for a connector's own tables (the email connector's, which it migrates itself).
     * Its connections do not auto-commit: whoever takes one commits or rolls back, and closes it.
     */
    public DataSource dataSource() {
        return connections;
    }

    @Override
    public void forEachTicket(int pageSize, java.util.function.Consumer<StoredTicket> each) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be positive, got " + pageSize);
        }
        String after = null;
        while (true) {
            String from = after;
            List<StoredTicket> page = inTransaction(tx -> {
                Map<String, String> cycles = new LinkedHashMap<>();
                sql(() -> {
                    try (PreparedStatement ps = ((JdbcTransaction) tx).c.prepareStatement("SELECT ticket, cycles FROM "
                            + "ticket_state" + (from == null ? "" : " WHERE ticket > ?") + " ORDER BY ticket LIMIT ?")) {
                        int i = 1;
                        if (from != null) {
                            ps.setString(i++, from);
                        }
                        ps.setInt(i, pageSize);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                cycles.put(rs.getString(1), rs.getString(2));
                            }
                        }
                    }
                    return null;
                });
                Map<String, List<TicketEvent>> events = tx.events(cycles.keySet());
                List<StoredTicket> out = new ArrayList<>(cycles.size());
                cycles.forEach((t, c) -> out.add(new StoredTicket(t, c, events.getOrDefault(t, List.of()))));
                return out;
            });
            for (StoredTicket t : page) {
                each.accept(t);
            }
            if (page.size() < pageSize) {
                return;
            }
            after = page.get(page.size() - 1).ticket();
        }
    }

    @Override
    public void close() {
        pool.close();
        release(soleUser);
    }

    @Override
    public String toString() {
        return "store at " + description;
    }
}
