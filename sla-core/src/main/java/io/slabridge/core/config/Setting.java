package io.slabridge.core.config;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One setting, declared once: its property name, what it holds, its default, whether it is a secret, and one line
 * saying what it is for. Everything else (the typed view a connector reads, the settings reference in
 * {@code docs/reference/}, masking in logs and errors) is derived from the declaration.
 *
 * <p>A declaration is an immutable value; the {@code with…} methods return a changed copy. A value is read with
 * {@link #read}, which adds a problem naming the property to the caller's list instead of throwing, so that every
 * wrong setting is reported at once.
 *
 * @param <T> the type a read value has
 */
public final class Setting<T> {
    private final String name;
    private final String kind;
    private final Function<String, T> parser;
    private final T defaultValue;
    private final String defaultText;
    private final boolean secret;
    private final String description;
    /** For a map-shaped setting: the common start of its properties ({@code sla.jira.status.}); else null. */
    private final String prefix;
    /** The environment variable, when it is not the one named after the property (map-shaped settings). */
    private final String variable;

    private Setting(String name, String kind, Function<String, T> parser, T defaultValue, String defaultText,
            boolean secret, String description) {
        this(name, kind, parser, defaultValue, defaultText, secret, description, null, null);
    }

    private Setting(String name, String kind, Function<String, T> parser, T defaultValue, String defaultText,
            boolean secret, String description, String prefix, String variable) {
        this.prefix = prefix;
        this.variable = variable;
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.secret = secret;
        this.description = description == null ? "" : description;
    }

    /**
     * A setting whose value is parsed by {@code parser}; the parser throws {@link IllegalArgumentException} whose
     * message says what was expected (it follows "expected" in the problem: {@code "a whole number from 1 to 8"}).
     */
    public static <T> Setting<T> of(String name, String kind, Function<String, T> parser) {
        return new Setting<>(name, kind, parser, null, null, false, "");
    }

    /** Free text, stripped. */
    public static Setting<String> text(String name) {
        return of(name, "text", v -> v);
    }

    /** An absolute {@code http} or {@code https} URL. */
    public static Setting<URI> url(String name) {
        return of(name, "URL", Setting::parseUrl);
    }

    /** {@code true} or {@code false}, any case. */
    public static Setting<Boolean> bool(String name) {
        return of(name, "true or false", v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("true or false");
        });
    }

    /** A whole number from {@code min} to {@code max}. */
    public static Setting<Integer> integer(String name, int min, int max) {
        String expected = "a whole number from " + min + " to " + max;
        return of(name, "whole number, " + min + "–" + max, v -> {
            try {
                int n = Integer.parseInt(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(expected);
        });
    }

    /** A positive duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}, ISO-8601 {@code PT30S}. */
    public static Setting<Duration> duration(String name) {
        return of(name, "duration", v -> {
            try {
                return Settings.parseDuration(v);
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new IllegalArgumentException("a duration such as 30s, 5m, 1h, 2d or PT30S");
            }
        });
    }

    /** A comma-separated list; blank parts are dropped. */
    public static Setting<List<String>> list(String name) {
        return of(name, "comma-separated list", Settings::split);
    }

    /** A positive size in bytes from {@code min} to {@code max}: {@code 1048576}, {@code 512KB}, {@code 25MB}. */
    public static Setting<Long> bytes(String name, long min, long max, String range) {
        return of(name, "size, " + range, v -> {
            long n;
            try {
                n = Settings.parseBytes(v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a size such as 25MB, 512KB or 1048576");
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException("a size from " + range);
            }
            return n;
        });
    }

    /**
     * A map: one property per key ({@code sla.jira.status.<key>=value}), or one environment variable holding
     * {@code key=value;key=value} (keys may hold spaces there). Read, it is the map of the raw values, each variable
     * entry over the property of the same key; the caller checks the values (naming {@link #entry}). Unset: the
     * default ({@link #pairs}), else empty; any key set replaces the whole default.
     *
     * @param prefix   the properties' common start, {@code sla.jira.status.}
     * @param key      what a key is, as the reference shows it: {@code Name} gives {@code sla.jira.status.<Name>}
     * @param variable the environment variable, e.g. {@code SLA_JIRA_STATUS_MAP}
     */
    public static Setting<Map<String, String>> entries(String prefix, String key, String variable, String kind) {
        return new Setting<>(prefix + "<" + key + ">", kind, v -> {
            throw new IllegalStateException("read through Settings.entries");
        }, Map.of(), "", false, "", prefix, variable);
    }

    /** An ordered map of {@code key, value, key, value...}: the default of a map-shaped setting. */
    public static Map<String, String> pairs(String... keysAndValues) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** One of an enum's constants, written in lower case with {@code -} for {@code _} ({@code data-center}). */
    public static <E extends Enum<E>> Setting<E> choice(String name, Class<E> type) {
        StringBuilder names = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            names.append(names.length() == 0 ? "" : ", ").append(spelling(e));
        }
        String expected = "one of " + names;
        return of(name, expected, v -> {
            for (E e : type.getEnumConstants()) {
                if (spelling(e).equalsIgnoreCase(v.replace('_', '-'))) {
                    return e;
                }
            }
            throw new IllegalArgumentException(expected);
        });
    }

    /** A ticket priority as events and policy files write it: {@code urgent}, {@code high}, {@code normal}, {@code low}. */
    public static Setting<io.slabridge.core.model.Priority> priority(String name) {
        String expected = "one of " + io.slabridge.core.model.Priority.wireChoices();
        return of(name, expected, v -> {
            io.slabridge.core.model.Priority p = io.slabridge.core.model.Priority.fromWire(v);
            if (p == null) {
                throw new IllegalArgumentException(expected);
            }
            return p;
        });
    }

    /** How an enum constant is written in settings: {@code DATA_CENTER} → {@code data-center}. */
    public static String spelling(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The same setting with a default, used when it is not set; {@code text} is how the reference shows it. */
    public Setting<T> withDefault(T value, String text) {
        return new Setting<>(name, kind, parser, value, text, secret, description, prefix, variable);
    }

    /** The same setting with a default shown as {@code String.valueOf(value)}. */
    public Setting<T> withDefault(T value) {
        return withDefault(value, shownDefault(value));
    }

    /** A duration as a setting is written: the largest unit it is a whole number of ({@code 2m}, {@code 500ms}). */
    static String durationText(Duration d) {
        long ms = d.toMillis();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                return ms / sizes[i] + units[i];
            }
        }
        return ms + "ms";
    }

    private static String shownDefault(Object value) {
        if (value instanceof io.slabridge.core.model.Priority p) {
            return p.wireName();
        }
        if (value instanceof Enum<?> e) {
            return spelling(e);
        }
        if (value instanceof Duration d) {
            return durationText(d);
        }
        if (value instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder();
            m.forEach((k, v) -> b.append(b.length() == 0 ? "" : "; ").append(k).append('=').append(v));
            return b.toString();
        }
        if (value instanceof List<?> l) {
            return String.join(", ", l.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    /** The same setting, marked secret: its value is never shown (logs, errors, metrics, {@code toString}). */
    public Setting<T> secret() {
        return new Setting<>(name, kind, parser, defaultValue, defaultText, true, description, prefix, variable);
    }

    /** The same setting with its one-line description. */
    public Setting<T> describedAs(String text) {
        return new Setting<>(name, kind, parser, defaultValue, defaultText, secret, text, prefix, variable);
    }

    /**
     * The value: the set one parsed, else the default (null when there is none). A value that does not parse adds
     * {@code "<name>: '<value>'; expected <what>"} to {@code problems} (the value hidden for a secret) and yields
     * the default.
     */
    @SuppressWarnings("unchecked")
    public T read(Settings settings, List<String> problems) {
        if (prefix != null) {
            Map<String, String> set = settings.entries(prefix, variable);
            return (T) (set.isEmpty() ? defaultValue : set);
        }
        String raw = settings.get(name);
        if (raw == null) {
            return defaultValue;
        }
        try {
            return parser.apply(raw);
        } catch (IllegalArgumentException e) {
            problems.add(name + ": " + (secret ? "the value set" : "'" + raw + "'") + "; expected " + e.getMessage());
            return defaultValue;
        }
    }

    /** Whether the setting is given a value (by a property or the environment). */
    public boolean isSet(Settings settings) {
        return prefix != null ? !settings.entries(prefix, variable).isEmpty() : settings.get(name) != null;
    }

    /** The value as set, stripped, without parsing; null when unset (for a map-shaped setting, always null). */
    public String raw(Settings settings) {
        return prefix != null ? null : settings.get(name);
    }

    /** A problem with this setting: {@code "<name>: <text>"}. */
    public String problem(String text) {
        return name + ": " + text;
    }

    /** The problem of a required setting left unset: {@code "<name>: missing; expected <expected>"}. */
    public String missing(String expected) {
        return problem("missing; expected " + expected);
    }

    /** The property of one key of a map-shaped setting: {@code sla.jira.status.} + {@code Done}. */
    public String entry(String key) {
        return prefix + key;
    }

    /** The common start of a map-shaped setting's properties; null for any other setting. */
    public String prefix() {
        return prefix;
    }

    public String name() {
        return name;
    }

    /** What the value is, for the reference: {@code duration}, {@code URL}, {@code whole number, 1–64}. */
    public String kind() {
        return kind;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** The default as the reference shows it; empty when there is none. */
    public String defaultText() {
        return defaultText == null ? "" : defaultText;
    }

    public boolean isSecret() {
        return secret;
    }

    public String description() {
        return description;
    }

    /** The environment variable that also sets it: {@code sla.jira.api-token} → {@code SLA_JIRA_API_TOKEN}. */
    public String variable() {
        return variable != null ? variable : Settings.variable(name);
    }

    /** {@code value} as it may be shown: {@code ****} for a secret. */
    public String shown(Object value) {
        return secret && value != null ? "****" : String.valueOf(value);
    }

    /**
     * The values read that differ from their defaults, in declaration order, each secret one as {@code ****}:
     * {@code [sla.jira.url=https://acme.atlassian.net, sla.jira.api-token=****]}. For {@code toString()}, logs and
     * messages: the secret mark is the only thing that decides what is hidden.
     */
    public static String shownAll(List<Setting<?>> declared, Map<Setting<?>, Object> values) {
        StringBuilder b = new StringBuilder("[");
        for (Setting<?> s : declared) {
            Object value = values.get(s);
            if (value != null && !value.equals(s.defaultValue()) && !(value instanceof Map<?, ?> m && m.isEmpty())) {
                b.append(b.length() == 1 ? "" : ", ").append(s.name()).append('=').append(s.shown(value));
            }
        }
        return b.append(']').toString();
    }

    /**
     * The settings given a value (by a property or the environment), as set, each secret one as {@code ****}:
     * {@code sla.jira.url=https://acme.atlassian.net, sla.jira.api-token=****}; for the log at start.
     */
    public static String shownSet(List<Setting<?>> declared, Settings settings) {
        StringBuilder b = new StringBuilder();
        for (Setting<?> s : declared) {
            Object value = s.prefix != null ? settings.entries(s.prefix, s.variable()) : settings.get(s.name);
            if (value != null && !(value instanceof Map<?, ?> m && m.isEmpty())) {
                // A URL may carry credentials though its setting is no secret (jdbc:...?password=, https://u:p@).
                String shown = s.shown(value).replaceAll("(?i)(password|pwd|user)=[^&;,\\s]*", "$1=***")
                        .replaceAll("//[^/@\\s]+@", "//***@");
                b.append(b.length() == 0 ? "" : ", ").append(s.name).append('=').append(shown);
            }
        }
        return b.toString();
    }

    /**
     * {@code text} with the value of every secret setting that is set replaced by {@code ****}: for messages that
     * carry what a library said (a driver's error may quote a password).
     */
    public static String hideSecrets(String text, List<Setting<?>> declared, Settings settings) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (Setting<?> s : declared) {
            if (!s.secret) {
                continue;
            }
            // A name with a placeholder (sla.teams.webhook.<name>) stands for every property and variable it covers.
            int placeholder = s.name.indexOf('<');
            List<String> values = placeholder >= 0 ? settings.valuesStartingWith(s.name.substring(0, placeholder))
                    : Optional.ofNullable(settings.get(s.name)).stream().toList();
            for (String value : values) {
                out = out.replace(value, "****");
            }
        }
        return out;
    }

    /**
     * Every declared setting read from {@code settings}: its value (the default where unset), each problem added to
     * {@code problems} with the setting's name. A setting that could not be read has no entry.
     */
    public static Map<Setting<?>, Object> readAll(List<Setting<?>> declared, Settings settings, List<String> problems) {
        Map<Setting<?>, Object> values = new java.util.HashMap<>();
        for (Setting<?> setting : declared) {
            Object value = setting.read(settings, problems);
            if (value != null) {
                values.put(setting, value);
            }
        }
        return values;
    }

    /** The declarations by name, in the given order; a name declared twice is a programming error. */
    public static Map<String, Setting<?>> byName(List<Setting<?>> settings) {
        Map<String, Setting<?>> out = new java.util.LinkedHashMap<>();
        for (Setting<?> s : settings) {
            if (out.put(s.name(), s) != null) {
                throw new IllegalStateException("setting declared twice: " + s.name());
            }
        }
        return out;
    }

    private static URI parseUrl(String v) {
        try {
            URI uri = URI.create(v);
            String scheme = uri.getScheme();
            if (uri.getHost() != null && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("an absolute http or https URL such as https://acme.atlassian.net");
    }

    @Override
    public String toString() {
        return name;
    }
}
