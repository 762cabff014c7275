package io.slabridge.store;

import com.zaxxer.hikari.HikariDataSource;
import io.slabridge.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * How every repository of the JDBC store talks to the database: one transaction per unit of work, retried when the
 * failure is worth another go, and SQL failures turned into {@link StoreException}s naming the database. Written
 * once here; the repositories only write their statements.
 */
final class JdbcTransactions {
    private static final int MAX_TRIES = 3;

    private final HikariDataSource pool;
    /** Where transactions get their connection: the pool, or on SQLite the pool taken in turns. */
    private final DataSource connections;
    private final String description;

    JdbcTransactions(HikariDataSource pool, DataSource connections, String description) {
        this.pool = pool;
        this.connections = connections;
        this.description = description;
    }

    /** The connections transactions use (their auto-commit is off). */
    DataSource connections() {
        return connections;
    }

    /**
     * Runs {@code work} on one connection in one transaction, committed when it returns. An {@link SQLException}
     * raised inside it through {@link #sql} rolls it back, and a retryable one runs it again.
     */
    <T> T inTransaction(Function<Connection, T> work) {
        SQLException last = null;
        for (int attempt = 1; attempt <= MAX_TRIES; attempt++) {
            try (Connection c = connections.getConnection()) {
                try {
                    T result = work.apply(c);
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

    /** Runs {@code work} as a transaction of its own: for what is done outside ticket transactions. */
    <T> T autonomous(SqlWork<T> work) {
        return inTransaction(c -> sql(() -> work.run(c)));
    }

    /** Work on a connection that may throw {@link SQLException}. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** A call that may throw {@link SQLException}. */
    @FunctionalInterface
    interface SqlCall<T> {
        T call() throws SQLException;
    }

    /** Runs {@code call} inside a transaction's work, carrying its {@link SQLException} out to the retry above. */
    static <T> T sql(SqlCall<T> call) {
        try {
            return call.call();
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
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

    /** Carries an SQLException out of the lambda-friendly repository methods. */
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
}
