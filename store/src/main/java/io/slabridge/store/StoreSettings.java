package io.slabridge.store;

import static io.slabridge.core.config.ApplicationSettings.STORE_PASSWORD;
import static io.slabridge.core.config.ApplicationSettings.STORE_POOL_SIZE;
import static io.slabridge.core.config.ApplicationSettings.STORE_URL;
import static io.slabridge.core.config.ApplicationSettings.STORE_USER;

import io.slabridge.core.config.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Where the store lives. Unset, it is a SQLite database file under {@code ./data/} (nothing to set up); with
 * several instances, a PostgreSQL URL. The settings are declared in {@link io.slabridge.core.config.ApplicationSettings}
 * ({@code sla.store.*}). The password never appears in {@link #toString()} or in messages.
 *
 * @param url      a JDBC URL: {@code jdbc:postgresql://...}, {@code jdbc:sqlite:...} or {@code jdbc:h2:...}
 * @param poolSize connections kept open
 */
public record StoreSettings(String url, String user, String password, int poolSize) {
    /**
     * H2's options, for tests in memory and for an {@code jdbc:h2:} URL someone names: PostgreSQL mode, so that one
     * schema and one set of statements serve both; and no write delay. H2 was the embedded default until issue 13,
     * when a {@code kill -9} was found to lose commits made seconds before even so; it is no longer offered for data
     * that must survive a crash.
     */
    static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";

    /**
     * The embedded default's options. Write-ahead log, synced at each commit ({@code synchronous=FULL}): a commit
     * that returned survives a {@code kill -9} and a power cut, which H2's MVStore could not promise (issue 13: a
     * killed process lost commits made seconds before; docs/explanation/reliability.md has the figures). A connection that
     * finds the file locked by another process (an admin command) waits up to 10 s.
     */
    static final String SQLITE_OPTIONS = "?journal_mode=WAL&synchronous=FULL&busy_timeout=10000";

    public StoreSettings {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException(STORE_URL.name() + " must be a jdbc:postgresql:, jdbc:sqlite: or jdbc:h2: URL, not '"
                    + withoutCredentials(url) + "'");
        }
        if (url.startsWith("jdbc:h2:") && !h2Present()) {
            throw new IllegalArgumentException(STORE_URL.name() + ": jdbc:h2: is for tests only, and sla-bridge.jar does not "
                    + "carry H2 (it lost commits on kill -9); use the embedded default (unset, or jdbc:sqlite:FILE) or "
                    + "jdbc:postgresql:");
        }
        if (poolSize < 2) {
            // Flyway holds its lock on one connection while it migrates on another: with one, opening times out.
            throw new IllegalArgumentException(STORE_POOL_SIZE.name() + " must be at least 2 (opening the store migrates its "
                    + "schema, which takes two connections), got " + poolSize);
        }
    }

    /** The embedded database in {@code dataDirectory}, e.g. {@code ./data}: the SQLite file {@code sla-bridge.db}. */
    public static StoreSettings embedded(Path dataDirectory) {
        return sqliteFile(dataDirectory.resolve("sla-bridge.db"));
    }

    /** A SQLite database file with the embedded default's options; its directory is created when missing. */
    public static StoreSettings sqliteFile(Path file) {
        return new StoreSettings("jdbc:sqlite:" + file.toAbsolutePath() + SQLITE_OPTIONS, null, null, 4);
    }

    /** An H2 file database at {@code file} (without extension), with the embedded default's options. */
    /** Whether H2's driver is on the class path: in tests, not in sla-bridge.jar. */
    private static boolean h2Present() {
        try {
            Class.forName("org.h2.Driver", false, StoreSettings.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    public static StoreSettings h2File(Path file) {
        return new StoreSettings("jdbc:h2:file:" + file.toAbsolutePath() + H2_OPTIONS, "sa", "", 4);
    }

    /** An in-memory H2 database, for tests: kept until the JVM exits. */
    public static StoreSettings inMemory(String name) {
        return new StoreSettings("jdbc:h2:mem:" + name + H2_OPTIONS + ";DB_CLOSE_DELAY=-1", "sa", "", 4);
    }

    /**
     * The declared store settings ({@link ApplicationSettings#STORE}), each environment variable over its property
     * ({@link Settings#get}); the embedded default when no URL is set.
     */
    public static StoreSettings from(Properties properties, Map<String, String> environment) {
        Settings settings = new Settings(properties, environment);
        String url = STORE_URL.raw(settings);
        String pool = STORE_POOL_SIZE.raw(settings);
        if (url == null) {
            return embedded(Path.of("data"));
        }
        int poolSize;
        try {
            poolSize = pool == null ? STORE_POOL_SIZE.defaultValue() : Integer.parseInt(pool);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(STORE_POOL_SIZE.name() + " must be a number, got '" + pool + "'");
        }
        return new StoreSettings(url, STORE_USER.raw(settings), STORE_PASSWORD.raw(settings), poolSize);
    }

    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    public boolean isSqlite() {
        return url.startsWith("jdbc:sqlite:");
    }

    /** The database file of a SQLite URL ({@code jdbc:sqlite:PATH?options}), or null for any other URL or memory. */
    public Path sqliteFile() {
        if (!isSqlite()) {
            return null;
        }
        String path = url.substring("jdbc:sqlite:".length());
        int options = path.indexOf('?');
        path = options >= 0 ? path.substring(0, options) : path;
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        }
        return path.isEmpty() || path.startsWith(":memory:") ? null : Path.of(path);
    }

    /** The URL without credentials, for logs and messages. */
    public String safeUrl() {
        return withoutCredentials(url);
    }

    private static String withoutCredentials(String url) {
        return url.replaceAll("(?i)(password|user)=[^&;]*", "$1=***");
    }

    @Override
    public String toString() {
        return "StoreSettings[url=" + safeUrl() + ", user=" + user + ", password=" + (password == null ? "unset" : STORE_PASSWORD.shown(password))
                + ", poolSize=" + poolSize + "]";
    }
}
