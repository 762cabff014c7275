package io.slabridge.core.config;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
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

    private Setting(String name, String kind, Function<String, T> parser, T defaultValue, String defaultText,
            boolean secret, String description) {
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

    /** How an enum constant is written in settings: {@code DATA_CENTER} → {@code data-center}. */
    public static String spelling(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The same setting with a default, used when it is not set; {@code text} is how the reference shows it. */
    public Setting<T> withDefault(T value, String text) {
        return new Setting<>(name, kind, parser, value, text, secret, description);
    }

    /** The same setting with a default shown as {@code String.valueOf(value)}. */
    public Setting<T> withDefault(T value) {
        return withDefault(value, value instanceof Enum<?> e ? spelling(e) : String.valueOf(value));
    }

    /** The same setting, marked secret: its value is never shown (logs, errors, metrics, {@code toString}). */
    public Setting<T> secret() {
        return new Setting<>(name, kind, parser, defaultValue, defaultText, true, description);
    }

    /** The same setting with its one-line description. */
    public Setting<T> describedAs(String text) {
        return new Setting<>(name, kind, parser, defaultValue, defaultText, secret, text);
    }

    /**
     * The value: the set one parsed, else the default (null when there is none). A value that does not parse adds
     * {@code "<name>: '<value>'; expected <what>"} to {@code problems} (the value hidden for a secret) and yields
     * the default.
     */
    public T read(Settings settings, List<String> problems) {
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
        return settings.get(name) != null;
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
        return Settings.variable(name);
    }

    /** {@code value} as it may be shown: {@code ****} for a secret. */
    public String shown(Object value) {
        return secret && value != null ? "****" : String.valueOf(value);
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
