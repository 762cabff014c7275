package io.slabridge.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.slabridge.core.model.EscalationDue;
import io.slabridge.core.model.OlaEscalationDue;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.store.ParkedCommand;
import io.slabridge.core.store.SlaStore;
import io.slabridge.core.store.StoreException;
import io.slabridge.core.store.StoredTickets;
import io.slabridge.core.store.TicketRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The store on JDBC: PostgreSQL in production, SQLite embedded (the default), H2 in PostgreSQL mode for tests.
 * Opening it migrates the schema with Flyway ({@code db/migration}; SQLite's own spelling of the same tables in
 * {@code db/sqlite}; the migrations both spell alike in {@code db/common}; {@link V8__Ticket_link_backfill} in Java). Statements are plain SQL written for
 * PostgreSQL, which H2 runs as they are and SQLite through {@link SqliteAccess}.
 *
 * <p>This class opens and closes the store and composes its repositories, one per table or two:
 * {@link JdbcEventLog}, {@link JdbcTicketStates}, {@link JdbcEscalationRecord}, {@link JdbcTicketLinks} (inside ticket transactions),
 * {@link JdbcOutbox} and {@link JdbcPollCursors}, all on the same {@link JdbcTransactions}.
 */
public final class JdbcSlaStore implements SlaStore, StoredTickets {
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

    /** SQLite's {@code SQLITE_OPEN_READONLY} flag. */
    private static final int SQLITE_OPEN_READONLY = 0x1;

    private final HikariDataSource pool;
    /** On the embedded store, the lock that keeps a second process off it; null elsewhere. */
    private final java.nio.channels.FileChannel soleUser;
    private final String description;
    private final JdbcTransactions transactions;
    private final SqlRows rows;
    private final JdbcOutbox outbox;
    private final JdbcPollCursors cursors;

    private JdbcSlaStore(HikariDataSource pool, StoreSettings settings, java.nio.channels.FileChannel soleUser) {
        this.pool = pool;
        this.soleUser = soleUser;
        this.description = settings.safeUrl();
        this.transactions = new JdbcTransactions(pool, settings.isSqlite() ? new SqliteAccess(pool) : pool, description);
        this.rows = new SqlRows(settings.isSqlite());
        this.outbox = new JdbcOutbox(transactions, settings.isSqlite());
        this.cursors = new JdbcPollCursors(transactions);
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
                    .javaMigrations(new V8__Ticket_link_backfill())
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

    // ---- ticket transactions: the event log, ticket state and escalation record, and the outbox's way in ----------

    @Override
    public <T> T inTransaction(Work<T> work) {
        return transactions.inTransaction(c -> work.run(new JdbcTransaction(c, rows)));
    }

    /** One ticket transaction: the repositories that work inside it, on its connection. */
    private static final class JdbcTransaction implements Transaction {
        private final Connection c;
        private final JdbcEventLog events;
        private final JdbcTicketStates tickets;
        private final JdbcEscalationRecord steps;
        private final JdbcTicketLinks links;

        JdbcTransaction(Connection c, SqlRows rows) {
            this.c = c;
            this.events = new JdbcEventLog(c, rows);
            this.tickets = new JdbcTicketStates(c, rows);
            this.steps = new JdbcEscalationRecord(c, rows);
            this.links = new JdbcTicketLinks(c, rows);
        }

        @Override
        public List<TicketEvent> appendEvents(List<TicketEvent> page, Instant receivedAt) {
            return events.appendEvents(page, receivedAt);
        }

        @Override
        public Map<String, List<TicketEvent>> events(Collection<String> ticketKeys) {
            return events.events(ticketKeys);
        }

        @Override
        public Map<String, TicketRecord> lockTickets(Collection<String> ticketKeys, Function<String, String> sourceOfNewTicket) {
            return tickets.lockTickets(ticketKeys, sourceOfNewTicket);
        }

        @Override
        public void saveTickets(List<TicketRecord> records, Instant now) {
            tickets.saveTickets(records, now);
        }

        @Override
        public List<String> lockDueTickets(Instant now, int limit) {
            return tickets.lockDueTickets(now, limit);
        }

        @Override
        public List<String> openTickets(String afterTicket, int limit) {
            return tickets.openTickets(afterTicket, limit);
        }

        @Override
        public Optional<Instant> earliestWake() {
            return tickets.earliestWake();
        }

        @Override
        public Map<String, Set<String>> stepsDone(Collection<String> ticketKeys) {
            return steps.stepsDone(ticketKeys);
        }

        @Override
        public void markStepsDone(List<EscalationDue> done, Instant now) {
            steps.markStepsDone(done, now);
        }

        @Override
        public Set<String> olaStepsDone(Collection<String> engineeringTickets) {
            return steps.olaStepsDone(engineeringTickets);
        }

        @Override
        public void markOlaStepsDone(List<OlaEscalationDue> done, Instant now) {
            steps.markOlaStepsDone(done, now);
        }

        @Override
        public void indexLinks(List<TicketEvent> linkEvents) {
            links.indexLinks(linkEvents);
        }

        @Override
        public Map<String, Set<String>> linkedTickets(Collection<String> ticketKeys) {
            return links.linkedTickets(ticketKeys);
        }

        @Override
        public void enqueue(List<NewCommand> commands, Instant now) {
            JdbcOutbox.enqueue(c, commands, now);
        }
    }

    // ---- the outbox, each call a transaction of its own ----------------------------------------------------------

    @Override
    public List<OutboxCommand> claimOutbox(Instant now, Duration lease, int limit, Set<String> skipSources) {
        return outbox.claimOutbox(now, lease, limit, skipSources);
    }

    @Override
    public void markDone(long commandId, Instant now) {
        outbox.markDone(commandId, now);
    }

    @Override
    public void reschedule(long commandId, Instant nextAttempt, String error) {
        outbox.reschedule(commandId, nextAttempt, error);
    }

    @Override
    public void postpone(long commandId, Instant nextAttempt, String reason) {
        outbox.postpone(commandId, nextAttempt, reason);
    }

    @Override
    public boolean renewLease(OutboxCommand claimed, Instant leasedUntil, Instant newUntil) {
        return outbox.renewLease(claimed, leasedUntil, newUntil);
    }

    @Override
    public void park(long commandId, String error, Instant now) {
        outbox.park(commandId, error, now);
    }

    @Override
    public List<ParkedCommand> parked(int limit) {
        return outbox.parked(limit);
    }

    @Override
    public boolean requeue(long commandId, Instant now) {
        return outbox.requeue(commandId, now);
    }

    @Override
    public Optional<Instant> oldestPendingCommand() {
        return outbox.oldestPendingCommand();
    }

    @Override
    public Map<String, Long> outboxCounts() {
        return outbox.outboxCounts();
    }

    /** {@link JdbcOutbox#takeBackLeases}: run once at start, before the outbox is worked. */
    public int takeBackLeases(String name, Instant now) {
        return outbox.takeBackLeases(name, now);
    }

    // ---- cursors ----------------------------------------------------------------------------------------------------

    @Override
    public Optional<String> cursor(String name) {
        return cursors.cursor(name);
    }

    @Override
    public void saveCursor(String name, String value, Instant now) {
        cursors.saveCursor(name, value, now);
    }

    // ---- reading, and the pool for a connector's own tables --------------------------------------------------------

    /**
     * The store's connection pool, for a connector's own tables (the email connector's, which it migrates itself).
     * Its connections do not auto-commit: whoever takes one commits or rolls back, and closes it.
     */
    public DataSource dataSource() {
        return transactions.connections();
    }

    /** What the SLA board reads: tickets' state, found by when it changed, and their events. */
    public JdbcBoardReads boardReads() {
        return new JdbcBoardReads(transactions, rows);
    }

    @Override
    public void forEachTicket(int pageSize, Consumer<StoredTicket> each) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be positive, got " + pageSize);
        }
        String after = null;
        while (true) {
            String from = after;
            List<StoredTicket> page = transactions.inTransaction(c -> {
                Map<String, String> cycles = new JdbcTicketStates(c, rows).cyclesAfter(from, pageSize);
                Map<String, List<TicketEvent>> events = new JdbcEventLog(c, rows).events(cycles.keySet());
                List<StoredTicket> out = new ArrayList<>(cycles.size());
                cycles.forEach((t, cy) -> out.add(new StoredTicket(t, cy, events.getOrDefault(t, List.of()))));
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
    public java.util.SortedSet<String> ticketsEverLinked() {
        return transactions.inTransaction(c -> new JdbcTicketLinks(c, rows).allTickets());
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
