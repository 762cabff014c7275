package io.slabridge.store;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The store's connections when it is SQLite (the embedded default). Two things differ from PostgreSQL:
 *
 * <ul>
 * <li>SQLite has one writer at a time, and a transaction that read first and then wants to write fails at once
 * (SQLITE_BUSY) when another wrote meanwhile, whatever the busy timeout. Only this process uses an embedded store,
 * so its transactions simply take turns: a connection is held by one thread from {@code getConnection} to
 * {@code close}, and others wait for it (a re-entrant lock: a thread may take a second connection, as Flyway does).
 * Another process that opens the same file (an admin command) waits for the busy timeout.</li>
 * <li>The statements are written for PostgreSQL: {@code FOR UPDATE [SKIP LOCKED]} (row locks between instances,
 * which an embedded store never has) is dropped, and {@code GREATEST(...)} is SQLite's many-argument
 * {@code MAX(...)}.</li>
 * </ul>
 */
final class SqliteAccess implements DataSource {
    private final DataSource pool;
    private final ReentrantLock turn = new ReentrantLock(true);

    SqliteAccess(DataSource pool) {
        this.pool = pool;
    }

    /** A PostgreSQL statement as SQLite runs it. */
    static String dialect(String sql) {
        return sql.replace(" FOR UPDATE SKIP LOCKED", "").replace(" FOR UPDATE", "").replace("GREATEST(", "MAX(");
    }

    @Override
    public Connection getConnection() throws SQLException {
        turn.lock();
        try {
            Connection c = pool.getConnection();
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    new Handler(c, true));
        } catch (SQLException | RuntimeException e) {
            turn.unlock();
            throw e;
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the store's pool has its own credentials");
    }

    /** Rewrites the SQL a connection or statement is given; closing the connection gives the turn back. */
    private final class Handler implements InvocationHandler {
        private final Object target;
        private final boolean connection;
        private boolean closed;

        Handler(Object target, boolean connection) {
            this.target = target;
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (connection && name.equals("close")) {
                if (closed) {
                    return null;
                }
                closed = true;
                try {
                    return call(method, args);
                } finally {
                    turn.unlock();
                }
            }
            if (args != null && args.length > 0 && args[0] instanceof String sql && (name.startsWith("prepare")
                    || name.startsWith("execute") || name.equals("addBatch") || name.equals("nativeSQL"))) {
                args[0] = dialect(sql);
            }
            Object result = call(method, args);
            if (connection && result instanceof Statement s && method.getReturnType() == Statement.class) {
                return Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
                        new Handler(s, false));
            }
            return result;
        }

        private Object call(Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return pool.isWrapperFor(iface);
    }
}
