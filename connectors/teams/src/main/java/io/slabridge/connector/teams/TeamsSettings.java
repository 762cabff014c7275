package io.slabridge.connector.teams;

import io.slabridge.core.config.Setting;
import io.slabridge.core.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** The Teams channel's settings ({@code sla.teams.*}), declared once. */
public final class TeamsSettings {
    /** {@code sla.teams.webhook.<name>}: one per webhook a policy names; {@code <name>} stands for any name. */
    public static final String WEBHOOK_PREFIX = "sla.teams.webhook.";
    public static final Setting<URI> WEBHOOK = Setting.url(WEBHOOK_PREFIX + "<name>").secret()
            .describedAs("the URL of a Teams Workflows (\"Send webhook alerts to a channel\") or incoming webhook, "
                    + "named <name> in the policy's teams steps; a secret (whoever has it can post). Environment: "
                    + "SLA_TEAMS_WEBHOOK_<NAME>");
    public static final Setting<Duration> TIMEOUT = Setting.duration("sla.teams.timeout")
            .withDefault(Duration.ofSeconds(10), "10s").describedAs("the longest the connection and the answer of "
                    + "one webhook call may each take");

    public static final List<Setting<?>> ALL = List.of(WEBHOOK, TIMEOUT);

    private TeamsSettings() {
    }

    /** The settings as the channel uses them; the URLs are never shown. */
    record Values(Map<String, URI> webhooks, Duration timeout) {
        Values {
            webhooks = Map.copyOf(webhooks);
        }

        @Override
        public String toString() {
            return "Values[webhooks=" + webhooks.keySet() + " (URLs hidden), timeout=" + timeout + "]";
        }
    }

    /**
     * Reads and checks them, each problem naming its property (never the URL); null when there was one. Webhooks come
     * from {@code sla.teams.webhook.<name>} properties and {@code SLA_TEAMS_WEBHOOK_<NAME>} variables ({@code _} in
     * the variable's name reads as {@code -}).
     */
    static Values read(Properties properties, Map<String, String> environment, List<String> problems) {
        int before = problems.size();
        Settings settings = new Settings(properties, environment);
        Map<String, String> raw = new TreeMap<>();
        environment.forEach((k, v) -> {
            if (k.startsWith("SLA_TEAMS_WEBHOOK_") && k.length() > "SLA_TEAMS_WEBHOOK_".length()) {
                raw.put(k.substring("SLA_TEAMS_WEBHOOK_".length()).toLowerCase(Locale.ROOT).replace('_', '-'), v);
            }
        });
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(WEBHOOK_PREFIX)) {
                raw.put(key.substring(WEBHOOK_PREFIX.length()), properties.getProperty(key));
            }
        }
        Map<String, URI> webhooks = new TreeMap<>();
        raw.forEach((name, value) -> {
            String property = WEBHOOK_PREFIX + name;
            if (!name.matches("[A-Za-z0-9_-]+")) {
                problems.add(property + ": the name '" + name + "' is not letters, digits, '-' and '_'");
                return;
            }
            String url = value == null ? "" : value.strip();
            if (!url.matches("https?://[^\\s/]+/\\S*")) {
                problems.add(property + ": not an http(s) URL (the value is a secret and not shown); expected the "
                        + "webhook URL Teams gave, https://...");
                return;
            }
            try {
                webhooks.put(name, URI.create(url));
            } catch (IllegalArgumentException e) {
                problems.add(property + ": not a valid URL (the value is a secret and not shown)");
            }
        });
        if (webhooks.isEmpty() && problems.size() == before) {
            problems.add(WEBHOOK_PREFIX + "<name>: none set; expected at least one webhook URL, named as the policy's "
                    + "teams steps name it (e.g. sla.teams.webhook.support-leads=https://...)");
        }
        Duration timeout = TIMEOUT.read(settings, problems);
        return problems.size() > before ? null : new Values(webhooks, timeout);
    }
}
