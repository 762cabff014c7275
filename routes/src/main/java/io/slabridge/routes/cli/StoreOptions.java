package io.slabridge.routes.cli;

import static io.slabridge.core.config.ApplicationSettings.STORE_PASSWORD;
import static io.slabridge.core.config.ApplicationSettings.STORE_URL;
import static io.slabridge.core.config.ApplicationSettings.STORE_USER;

import io.slabridge.core.config.ApplicationSettings;
import io.slabridge.core.config.Setting;
import io.slabridge.core.config.Settings;
import io.slabridge.core.store.StoreException;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
 * that has it: the command-line option, the Java system property ({@code -Dsla.store.url=...}), then the one
 * precedence of every command ({@link Settings}): the environment variable, the {@code --config} file,
 * {@code application.properties} in the working directory. The password has no command-line option, since it would
 * show in {@code ps} and in shell history; nothing printed ever contains it.
 */
final class StoreOptions {
    /** An administrative command does one thing at a time: it needs no more connections than this. */
    private static final int POOL_SIZE = 2;

    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)(password)=([^&;]*)");

    @Spec(Spec.Target.MIXEE)
    private CommandSpec mixee;

    @Option(names = "--config", paramLabel = "FILE",
            description = "a properties file with store settings, named as below, over application.properties in the "
                    + "working directory: the options, Java system properties (-D) and environment variables override "
                    + "it. With SLA_STORE_PASSWORD, the place for the password.")
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

    /** Every setting from the environment and the config files, as resolved with the store's. */
    private Settings resolved;

    /** The settings from the command line, {@code system} properties, the {@code environment} and the config file. */
    StoreSettings settings(Properties system, Map<String, String> environment) throws UnusableStore {
        if (passwordOption != null) {
            throw new ParameterException(mixee.commandLine(), "the store password is not taken on the command line, "
                    + "where ps and the shell history would show it: set SLA_STORE_PASSWORD, or sla.store.password in a "
                    + "--config file");
        }
        Properties files = readConfig(config);
        // The option and the system property go over the environment: as variables, read by the one precedence.
        Map<String, String> over = new HashMap<>(environment);
        // sla.policy too: report folds the linked tickets with the service's OLAs (servicePolicy()).
        List<Setting<?>> layered = new ArrayList<>(ApplicationSettings.STORE);
        layered.add(ApplicationSettings.POLICY);
        for (Setting<?> setting : layered) {
            String value = commandLine(setting);
            if (value == null) {
                value = system.getProperty(setting.name());
            }
            if (value != null) {
                over.put(setting.variable(), value);
            }
        }
        Settings resolved = new Settings(files, over);
        this.resolved = resolved;
        StoreSettings s;
        try {
            s = StoreSettings.from(files, over);
        } catch (IllegalArgumentException e) {
            String message = scrub(e.getMessage(), STORE_URL.raw(resolved), STORE_PASSWORD.raw(resolved));
            if (url != null && message.startsWith(STORE_URL.name())) {
                throw new ParameterException(mixee.commandLine(), "--store-url: " + message);
            }
            throw new UnusableStore(message);
        }
        settings = new StoreSettings(s.url(), s.user(), s.password(), Math.min(s.poolSize(), POOL_SIZE));
        return settings;
    }

    /**
     * The service's policy file ({@code sla.policy}) from the places the store settings came from (a Java system
     * property, the environment, the {@code --config} file, application.properties), or null when none sets it.
     * Known once the store settings were read.
     */
    String servicePolicy() {
        return resolved == null ? null : ApplicationSettings.POLICY.raw(resolved);
    }

    private String commandLine(Setting<?> setting) {
        return setting == STORE_URL ? url : setting == STORE_USER ? user : null;
    }

    /** {@code application.properties} and the {@code --config} file, layered ({@link Settings#files}). */
    private static Properties readConfig(Path file) throws UnusableStore {
        Properties p;
        try {
            p = Settings.files(file);
        } catch (NoSuchFileException e) {
            throw new UnusableStore(e.getFile() + ": no such file");
        } catch (IOException e) {
            throw new UnusableStore((file == null ? Settings.APPLICATION_PROPERTIES : file) + ": cannot read: "
                    + e.getMessage());
        }
        TreeSet<String> known = new TreeSet<>();
        ApplicationSettings.STORE.forEach(s -> known.add(s.name()));
        TreeSet<String> unknown = new TreeSet<>();
        String prefix = STORE_URL.name().substring(0, STORE_URL.name().lastIndexOf('.') + 1); // sla.store.
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith(prefix) && !known.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            // A misspelt sla.store.url would otherwise quietly mean the embedded store.
            String where = file == null ? Settings.APPLICATION_PROPERTIES.toString()
                    : Files.isRegularFile(Settings.APPLICATION_PROPERTIES) ? file + " or " + Settings.APPLICATION_PROPERTIES
                    : file.toString();
            throw new UnusableStore(where + ": unknown store setting "
                    + String.join(", ", unknown) + " (known: " + String.join(", ", known) + ")");
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
