package io.slabridge.routes.cli;

import io.slabridge.core.store.StoreException;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the store is, for the commands that use it (a picocli mixin). Each setting is taken from the first place
 * that has it: the command-line option, the Java system property ({@code -Dsla.store.url=...}), the environment
 * variable, the {@code --config} file. The password has no command-line option, since it would show in
 * {@code ps} and in shell history; nothing printed ever contains it.
 */
final class StoreOptions {
    /** An administrative command does one thing at a time: it needs no more connections than this. */
    private static final int POOL_SIZE = 2;

    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)(password)=([^&;]*)");

    /** The store's settings, each with its environment variable, as {@link StoreSettings#from} reads them. */
    static final Map<String, String> VARIABLES = variables();

    private static Map<String, String> variables() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sla.store.url", "SLA_STORE_URL");
        m.put("sla.store.user", "SLA_STORE_USER");
        m.put("sla.store.password", "SLA_STORE_PASSWORD");
        m.put("sla.store.pool-size", "SLA_STORE_POOL_SIZE");
        return Collections.unmodifiableMap(m);
    }

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--config", paramLabel = "FILE",
            description = "a properties file with store settings, named as below. It is read first: the options, "
                    + "Java system properties (-D) and environment variables override it. With "
                    + "SLA_STORE_PASSWORD, the place for the password.")
    private Path config;

    @Option(names = "--store-url", paramLabel = "URL",
            description = "the store's JDBC URL, jdbc:postgresql://HOST:PORT/DB, jdbc:sqlite:FILE or jdbc:h2:...; else from "
                    + "SLA_STORE_URL or the property sla.store.url. Unset everywhere: the embedded H2 store in "
                    + "./data/ of the working directory.")
    private String url;

    @Option(names = "--store-user", paramLabel = "USER",
            description = "the database user; else from SLA_STORE_USER or the property sla.store.user. There is "
                    + "no password option, since ps would show it: set SLA_STORE_PASSWORD, or sla.store.password in "
                    + "the --config file.")
    private String user;

    /** Only to refuse it, without echoing the value (picocli would print an unknown option's argument). */
    @Option(names = {"--store-password", "--password"}, hidden = true, arity = "0..1", fallbackValue = "")
    private String passwordOption;

    /** The settings as resolved, kept to scrub the password from messages. */
    private StoreSettings settings;

    /** The settings from the command line, {@code system} properties, the {@code environment} and the config file. */
    StoreSettings settings(Properties system, Map<String, String> environment) throws UnusableStore {
        if (passwordOption != null) {
            throw new ParameterException(mixee.commandLine(), "the store password is not taken on the command line, "
                    + "where ps and the shell history would show it: set SLA_STORE_PASSWORD, or sla.store.password in a "
                    + "--config file");
        }
        Properties file = config == null ? new Properties() : readConfig(config);
        Properties resolved = new Properties();
        for (Map.Entry<String, String> setting : VARIABLES.entrySet()) {
            String property = setting.getKey();
            String value = commandLine(property);
            if (value == null) {
                value = system.getProperty(property);
            }
            if (value == null) {
                value = environment.get(setting.getValue());
            }
            if (value == null) {
                value = file.getProperty(property);
            }
            if (value != null) {
                resolved.setProperty(property, value);
            }
        }
        StoreSettings s;
        try {
            s = StoreSettings.from(resolved, Map.of());
        } catch (IllegalArgumentException e) {
            String message = scrub(e.getMessage(), resolved.getProperty("sla.store.url"),
                    resolved.getProperty("sla.store.password"));
            if (url != null && message.startsWith("sla.store.url")) {
                throw new ParameterException(mixee.commandLine(), "--store-url: " + message);
            }
            throw new UnusableStore(message);
        }
        settings = new StoreSettings(s.url(), s.user(), s.password(), Math.min(s.poolSize(), POOL_SIZE));
        return settings;
    }

    private String commandLine(String property) {
        switch (property) {
            case "sla.store.url":
                return url;
            case "sla.store.user":
                return user;
            default:
                return null;
        }
    }

    private static Properties readConfig(Path file) throws UnusableStore {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new UnusableStore(file + ": no such file");
        } catch (IOException | IllegalArgumentException e) {
            throw new UnusableStore(file + ": cannot read: " + e.getMessage());
        }
        TreeSet<String> unknown = new TreeSet<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("sla.store.") && !VARIABLES.containsKey(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            // A misspelt sla.store.url would otherwise quietly mean the embedded store.
            throw new UnusableStore(file + ": unknown store setting " + String.join(", ", unknown) + " (known: "
                    + String.join(", ", new TreeSet<>(VARIABLES.keySet())) + ")");
        }
        return p;
    }

    /** Opens the store these options name, from the process's system properties and environment. */
    JdbcSlaStore open() throws UnusableStore {
        return open(System.getProperties(), System.getenv());
    }

    JdbcSlaStore open(Properties system, Map<String, String> environment) throws UnusableStore {
        return open(system, environment, false);
    }

    /**
     * Opens the store these options name for reading only: read-only connections and no schema migration
     * (for {@code report}).
     */
    JdbcSlaStore openForReading() throws UnusableStore {
        return open(System.getProperties(), System.getenv(), true);
    }

    private JdbcSlaStore open(Properties system, Map<String, String> environment, boolean readOnly)
            throws UnusableStore {
        StoreSettings s = settings(system, environment);
        Path file = s.isSqlite() ? s.sqliteFile() : h2File(s.url());
        if (file != null && !Files.exists(file)) {
            // Opening would create an empty store, and the command would report on it as if all were well.
            throw new UnusableStore("no store at " + s.safeUrl() + ": " + file + " does not exist (nothing was created). "
                    + "The embedded store is in ./data/ under the service's working directory: run this there, or name "
                    + "the store with --store-url or SLA_STORE_URL.");
        }
        try {
            return readOnly ? JdbcSlaStore.openForReading(s) : JdbcSlaStore.open(s);
        } catch (StoreException e) {
            throw new UnusableStore(scrub(e.getMessage()));
        }
    }

    /** The file of an H2 file database ({@code jdbc:h2:file:PATH;...}), or null for any other URL. */
    static Path h2File(String jdbcUrl) {
        String prefix = "jdbc:h2:file:";
        if (!jdbcUrl.startsWith(prefix)) {
            return null;
        }
        String path = jdbcUrl.substring(prefix.length());
        int options = path.indexOf(';');
        if (options >= 0) {
            path = path.substring(0, options);
        }
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        return Path.of(path + ".mv.db");
    }

    /**
     * The message with the password replaced, wherever it came from (settings or URL): store messages are
     * written without it, and this makes sure of it for what the drivers add.
     */
    String scrub(String message) {
        return settings == null ? message : scrub(message, settings.url(), settings.password());
    }

    private static String scrub(String message, String url, String password) {
        if (message == null) {
            return null;
        }
        String out = message;
        if (password != null && !password.isEmpty()) {
            out = out.replace(password, "***");
        }
        if (url != null) {
            Matcher m = PASSWORD_IN_URL.matcher(url);
            while (m.find()) {
                if (!m.group(2).isEmpty()) {
                    out = out.replace(m.group(2), "***");
                }
            }
        }
        return PASSWORD_IN_URL.matcher(out).replaceAll("$1=***");
    }

    /** The store cannot be used: the message says why, names it by its safe URL, and never holds the password. */
    static final class UnusableStore extends Exception {
        private static final long serialVersionUID = 1L;

        UnusableStore(String message) {
            super(message);
        }
    }
}
