package io.slabridge.connector.slack;

import io.slabridge.core.config.Setting;
import io.slabridge.core.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** The Slack channel's settings ({@code sla.slack.*}), declared once. */
public final class SlackSettings {
    public static final Setting<String> TOKEN = Setting.text("sla.slack.token").secret()
            .describedAs("the bot token (xoxb-...) of the Slack app that posts alerts; scopes chat:write, "
                    + "channels:history, groups:history, im:history, channels:read, groups:read, im:write, "
                    + "users:read.email");
    public static final Setting<URI> URL = Setting.url("sla.slack.url").withDefault(URI.create("https://slack.com"))
            .describedAs("Slack's address; its Web API is under /api/");
    public static final Setting<Duration> TIMEOUT = Setting.duration("sla.slack.timeout")
            .withDefault(Duration.ofSeconds(10), "10s").describedAs("the longest one Web API call may take");

    public static final List<Setting<?>> ALL = List.of(TOKEN, URL, TIMEOUT);

    private SlackSettings() {
    }

    /** The settings as the channel uses them. */
    record Values(String token, URI url, Duration timeout) {
        @Override
        public String toString() {
            return "Values[url=" + url + ", timeout=" + timeout + ", token=" + TOKEN.shown(token) + "]";
        }
    }

    /** Reads and checks them, each problem naming its property; null when there was one. */
    static Values read(Settings settings, List<String> problems) {
        int before = problems.size();
        String token = TOKEN.read(settings, problems);
        if (token == null || token.isBlank()) {
            problems.add(TOKEN.name() + ": missing; expected the Slack app's bot token (xoxb-...), a secret: set it "
                    + "in the environment as " + TOKEN.variable());
        }
        URI url = URL.read(settings, problems);
        Duration timeout = TIMEOUT.read(settings, problems);
        return problems.size() > before ? null : new Values(token.strip(), url, timeout);
    }
}
