package io.slabridge.routes.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A policy's Slack and Teams steps need their channel on, and Teams a URL for each webhook a step names. */
class ChannelStartupTest {
    @TempDir
    Path dir;

    private Properties settings() throws Exception {
        Path policy = dir.resolve("sla.yaml");
        Files.writeString(policy, """
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: standard, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: at-risk
                    at: "75%"
                    actions:
                      - slack: { channel: "#support-escalations" }
                  - name: breached
                    at: breach
                    actions:
                      - teams: { webhook: support-leads }
                      - teams: { webhook: on-call }
                """);
        Properties p = new Properties();
        p.setProperty("sla.policy", policy.toString());
        p.setProperty("sla.store.url", "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
        p.setProperty("sla.store.user", "sa");
        p.setProperty("camel.server.port", "0");
        return p;
    }

    @Test
    void aStepForAChannelThatIsOffIsRefusedNamingTheSetting() throws Exception {
        StartupException e = assertThrows(StartupException.class,
                () -> SlaBridgeApplication.create(settings(), Map.of(), Clock.systemUTC()));
        assertEquals(List.of(
                "sla.slack.enabled: the policy's escalation 'at-risk' posts to slack, which is off; set "
                        + "sla.slack.enabled=true and its settings (sla.slack.*)",
                "sla.teams.enabled: the policy's escalation 'breached' posts to teams, which is off; set "
                        + "sla.teams.enabled=true and its settings (sla.teams.*)"), e.problems());
    }

    @Test
    void aWebhookNameWithoutUrlIsRefusedNamingItsPropertyAndNoSecretShows() throws Exception {
        Properties p = settings();
        p.setProperty("sla.slack.enabled", "true");
        p.setProperty("sla.slack.token", "xoxb-secret-token");
        p.setProperty("sla.teams.enabled", "true");
        p.setProperty("sla.teams.webhook.support-leads", "https://example.invalid/workflows/1?sig=SECRETSIG");
        StartupException e = assertThrows(StartupException.class,
                () -> SlaBridgeApplication.create(p, Map.of(), Clock.systemUTC()));
        assertEquals(List.of("sla.teams.webhook.on-call: not set; the policy's escalation 'breached' posts to webhook "
                + "'on-call' (set: support-leads)"), e.problems());
        assertFalse(String.join("\n", e.problems()).contains("SECRET"));

        p.setProperty("sla.teams.webhook.on-call", "https://example.invalid/workflows/2?sig=SECRETSIG");
        SlaBridgeApplication.create(p, Map.of(), Clock.systemUTC()).close();
    }
}
