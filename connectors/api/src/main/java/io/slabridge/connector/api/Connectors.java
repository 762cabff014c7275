package io.slabridge.connector.api;

import io.slabridge.core.config.Setting;
import io.slabridge.core.config.Settings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

/** Finds the connectors on the classpath and tells which are enabled. */
public final class Connectors {
    /** A name fit for settings, route ids and ticket keys. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{0,30}");

    private Connectors() {
    }

    /**
     * Every connector listed in {@code META-INF/services/io.slabridge.connector.api.Connector} on the class path,
     * by name.
     *
     * @throws IllegalStateException when one cannot be loaded, or its name is unusable or taken by another
     */
    public static List<Connector> discover() {
        return discover(Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : Connectors.class.getClassLoader());
    }

    static List<Connector> discover(ClassLoader loader) {
        Map<String, Connector> byName = new LinkedHashMap<>();
        try {
            for (Connector c : ServiceLoader.load(Connector.class, loader)) {
                String name = c.name();
                if (name == null || !NAME.matcher(name).matches()) {
                    throw new IllegalStateException("connector " + c.getClass().getName() + ": name '" + name
                            + "' must be lower-case letters and digits, starting with a letter (it prefixes settings)");
                }
                Connector other = byName.putIfAbsent(name, c);
                if (other != null && other.getClass() != c.getClass()) {
                    throw new IllegalStateException("two connectors are named '" + name + "': "
                            + other.getClass().getName() + " and " + c.getClass().getName());
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("a connector could not be loaded: " + e.getMessage(), e);
        }
        List<Connector> out = new ArrayList<>(byName.values());
        out.sort(Comparator.comparing(Connector::name));
        return List.copyOf(out);
    }

    /** The setting that turns a connector on. */
    public static String enabledProperty(Connector connector) {
        return "sla." + connector.name() + ".enabled";
    }

    /** Whether {@code sla.<name>.enabled} (or its default) turns the connector on; a wrong value is a problem. */
    public static boolean enabled(Connector connector, Settings settings, List<String> problems) {
        return enabledSetting(connector).read(settings, problems);
    }

    /** {@code sla.<name>.enabled} as the connector declares it, else a switch off (or on) by default. */
    public static Setting<Boolean> enabledSetting(Connector connector) {
        return declared(connector, enabledProperty(connector), Boolean.class).orElseGet(() -> Setting
                .bool(enabledProperty(connector)).withDefault(connector.enabledByDefault())
                .describedAs("Runs the " + connector.name() + " connector"));
    }

    /**
     * {@code sla.<name>.write-concurrency} as the connector declares it, else one from its {@link WriteLimits}: how many
     * of its write-back calls (different tickets) may be out at once.
     */
    public static Setting<Integer> writeConcurrencySetting(Connector connector) {
        String name = "sla." + connector.name() + ".write-concurrency";
        WriteLimits limits = connector.writeLimits();
        return declared(connector, name, Integer.class).orElseGet(() -> Setting
                .integer(name, 1, limits.maxConcurrency()).withDefault(limits.defaultConcurrency())
                .describedAs("Write-back calls of " + connector.name() + " out at once, different tickets"));
    }

    @SuppressWarnings("unchecked")
    private static <T> java.util.Optional<Setting<T>> declared(Connector connector, String name, Class<T> type) {
        return connector.settings().stream().filter(s -> s.name().equals(name)).findFirst()
                .map(s -> (Setting<T>) s);
    }
}
