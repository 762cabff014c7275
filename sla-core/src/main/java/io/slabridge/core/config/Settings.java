package io.slabridge.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the settings of sla-bridge and its connectors, with the one precedence every command uses (the Camel Main
 * and twelve-factor one): the environment variable named after a property ({@code sla.jira.api-token} →
 * {@code SLA_JIRA_API_TOKEN}), then the {@code --config} file, then {@code application.properties} in the working
 * directory, then the setting's declared default. {@link #files} layers the two files; {@link #get} puts the
 * environment over them. Typed values are read through a setting's declaration ({@link Setting#read}).
 */
public final class Settings {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)?");
    private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*(b|kb|mb|gb)?");

    private final Properties properties;
    private final Map<String, String> environment;

    public Settings(Properties properties, Map<String, String> environment) {
        this.properties = properties;
        this.environment = environment;
    }

    /** The environment variable of a property: upper case, {@code .} and {@code -} as {@code _}. */
    public static String variable(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * The value, stripped: the environment variable's when it is set and not blank, else the property's; null when
     * neither has one (a blank property is unset).
     */
    public String get(String property) {
        String value = environment.get(variable(property));
        if (value == null || value.isBlank()) {
            value = properties.getProperty(property);
        }
        return value == null || value.isBlank() ? null : value.strip();
    }

    /**
     * The values of every property whose name starts with {@code prefix} and of every environment variable whose name
     * starts with {@code prefix}'s variable ({@code sla.teams.webhook.} → {@code SLA_TEAMS_WEBHOOK_}), blank ones
     * left out: what a setting named {@code prefix<name>} holds, for hiding its secrets.
     */
    public List<String> valuesStartingWith(String prefix) {
        List<String> out = new ArrayList<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(prefix)) {
                out.add(properties.getProperty(name));
            }
        }
        String variablePrefix = variable(prefix);
        environment.forEach((name, value) -> {
            if (name.startsWith(variablePrefix)) {
                out.add(value);
            }
        });
        out.removeIf(v -> v == null || v.isBlank());
        return out.stream().map(String::strip).toList();
    }

    /** The file every command reads first, in the working directory; the {@code --config} file overrides it. */
    public static final Path APPLICATION_PROPERTIES = Path.of("application.properties");

    /**
     * The settings files, layered: {@code application.properties} in the working directory (when there is one), and
     * over it {@code config} (when given). The environment goes over both when the result is read through
     * {@link #get}.
     *
     * @throws NoSuchFileException when {@code config} does not exist
     * @throws IOException when a file cannot be read (a malformed escape included, with its file named)
     */
    public static Properties files(Path config) throws IOException {
        Properties out = new Properties();
        if (Files.isRegularFile(APPLICATION_PROPERTIES)) {
            load(APPLICATION_PROPERTIES, out);
        }
        if (config != null) {
            load(config, out);
        }
        return out;
    }

    private static void load(Path file, Properties into) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            into.load(reader);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** A comma-separated list: its parts stripped, blank ones dropped. */
    public static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    /**
     * @throws IllegalArgumentException when {@code value} is not a positive duration (a plain number is milliseconds)
     */
    public static Duration parseDuration(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.startsWith("p")) {
            Duration d = Duration.parse(v.toUpperCase(Locale.ROOT));
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(value);
            }
            return d;
        }
        Matcher m = DURATION.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException(value);
        }
        long n = Long.parseLong(m.group(1)); // too many digits: NumberFormatException, an IllegalArgumentException
        String unit = m.group(2) == null ? "ms" : m.group(2);
        Duration d;
        try {
            d = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(value + " is longer than any duration", e);
        }
        if (d.isZero()) {
            throw new IllegalArgumentException(value);
        }
        return d;
    }

    /** @throws IllegalArgumentException when {@code value} is not a positive size of at most 2^62 bytes */
    public static long parseBytes(String value) {
        Matcher m = BYTES.matcher(value.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "b" : m.group(2);
                int shift = switch (unit) {
                    case "kb" -> 10;
                    case "mb" -> 20;
                    case "gb" -> 30;
                    default -> 0;
                };
                // Too many digits, or a size that does not fit in a long once the unit is applied, is no size.
                if (n > 0 && n <= (Long.MAX_VALUE >> 1) >> shift) {
                    return n << shift;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException(value);
    }

    /**
     * Map-shaped settings: {@code prefix<key>=value} properties, or one environment variable holding
     * {@code key=value;key=value} (keys may hold spaces there: {@code Waiting on Customer=waiting_on_customer}).
     * The variable wins over a property for the same key, as for every other setting.
     */
    public Map<String, String> entries(String prefix, String variable) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames().stream().sorted().toList()) {
            if (name.startsWith(prefix)) {
                out.put(name.substring(prefix.length()), properties.getProperty(name));
            }
        }
        String env = environment.get(variable);
        if (env != null) {
            for (String pair : env.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
                }
            }
        }
        return out;
    }
}
