package io.slabridge.connector.jira;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** {@code sla.jira.*} read from properties and the environment, every problem named, secrets never shown. */
class JiraConfigTest {
    private static Properties props(String... pairs) {
        Properties p = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return p;
    }

    @Test
    void cloudFromPropertiesAndEnvironment() {
        JiraConfig c = JiraConfig.from(props("sla.jira.url", "https://acme.atlassian.net/", "sla.jira.email", "bot@acme.example",
                "sla.jira.projects", "SUP, OPS", "sla.jira.poll-interval", "2m", "sla.jira.status.Triage", "in_progress",
                "sla.jira.priority.P1", "urgent"),
                Map.of("SLA_JIRA_API_TOKEN", "tok-123", "SLA_JIRA_WEBHOOK_SECRET", "whsec-456",
                        "SLA_JIRA_STATUS_MAP", "Parked=on_hold"));
        assertEquals("https://acme.atlassian.net", c.url().toString());
        assertEquals(JiraConfig.Deployment.CLOUD, c.deployment());
        assertEquals(List.of("SUP", "OPS"), c.projects());
        assertEquals(Duration.ofMinutes(2), c.pollInterval());
        assertTrue(c.webhookSigned());
        assertEquals(Map.of("triage", TicketStatus.IN_PROGRESS, "parked", TicketStatus.ON_HOLD), c.statusByName());
        assertEquals(Map.of("p1", Priority.URGENT), c.priorityByName(), "a custom scheme replaces the default one");
        assertFalse(c.toString().contains("tok-123") || c.toString().contains("whsec-456"), c.toString());
    }

    @Test
    void aPatMeansDataCenter() {
        JiraConfig c = JiraConfig.from(props("sla.jira.url", "https://jira.acme.example", "sla.jira.pat", "pat-789",
                "sla.jira.webhook-unsigned", "true"), Map.of());
        assertEquals(JiraConfig.Deployment.DATA_CENTER, c.deployment());
        assertEquals("/rest/api/2", c.apiBase());
        assertFalse(c.webhookSigned());
    }

    @Test
    void aWebhookWithoutSecretMustBeChosenExplicitly() {
        JiraConfigException e = assertThrows(JiraConfigException.class, () -> JiraConfig.from(props(
                "sla.jira.url", "https://acme.atlassian.net", "sla.jira.email", "bot@acme.example",
                "sla.jira.api-token", "tok"), Map.of()));
        assertEquals(List.of("sla.jira.webhook-secret: missing; expected the secret of the Jira webhook (Jira signs "
                + "each delivery with it), or sla.jira.webhook-unsigned=true where a gateway in front checks deliveries"),
                e.problems());
    }

    @Test
    void everyProblemAtOnceEachNamingItsProperty() {
        JiraConfigException e = assertThrows(JiraConfigException.class, () -> JiraConfig.from(props(
                "sla.jira.url", "acme.atlassian.net", "sla.jira.deployment", "on-prem", "sla.jira.page-size", "500",
                "sla.jira.status.Done", "finished", "sla.jira.customer-rule", "everyone",
                "sla.jira.internal-visibility", "admins", "sla.jira.webhook-secret", "s"), Map.of()));
        List<String> p = e.problems();
        assertEquals(7, p.size(), p::toString);
        for (String property : List.of("sla.jira.url", "sla.jira.api-token", "sla.jira.deployment", "sla.jira.page-size",
                "sla.jira.status.Done", "sla.jira.customer-rule", "sla.jira.internal-visibility")) {
            assertTrue(p.stream().anyMatch(line -> line.startsWith(property)), property + " in " + p);
        }
    }

    @Test
    void theWebhookSizeLimitIsASettingDefaulting1MiBAndChecked() {
        String[] base = {"sla.jira.url", "https://acme.atlassian.net", "sla.jira.pat", "pat", "sla.jira.webhook-unsigned",
            "true"};
        assertEquals(1 << 20, JiraConfig.from(props(base), Map.of()).webhookMaxBytes());
        Properties p = props(base);
        p.setProperty("sla.jira.webhook-max-bytes", "256KB");
        assertEquals(256 << 10, JiraConfig.from(p, Map.of()).webhookMaxBytes());
        assertEquals(5 << 20, JiraConfig.from(props(base), Map.of("SLA_JIRA_WEBHOOK_MAX_BYTES", "5MB")).webhookMaxBytes());
        for (String bad : List.of("lots", "0", "-1", "512", "65MB", "1GB", "99999999999999999999")) {
            p.setProperty("sla.jira.webhook-max-bytes", bad);
            JiraConfigException e = assertThrows(JiraConfigException.class, () -> JiraConfig.from(p, Map.of()), bad);
            assertEquals(1, e.problems().size(), e.problems()::toString);
            assertTrue(e.problems().get(0).startsWith("sla.jira.webhook-max-bytes: '" + bad + "'"), e.problems().get(0));
        }
    }

    @Test
    void aStatusNameWithAnUnescapedSpaceIsExplainedWithTheLineToWrite() throws Exception {
        // As a user writes it in application.properties: the space ends the key.
        Properties p = new Properties();
        p.load(new java.io.StringReader(String.join("\n", "sla.jira.url=https://acme.atlassian.net",
                "sla.jira.pat=pat", "sla.jira.webhook-unsigned=true", "sla.jira.status.Awaiting vendor=on_hold",
                "sla.jira.status.Waiting\\ for\\ parts=on_hold")));
        JiraConfigException e = assertThrows(JiraConfigException.class, () -> JiraConfig.from(p, Map.of()));
        assertEquals(List.of("sla.jira.status.Awaiting: 'vendor=on_hold'; expected one of " + TicketStatus.wireChoices()
                + "; if the Jira status is 'Awaiting vendor', write sla.jira.status.Awaiting\\ vendor=on_hold "
                + "(a properties file ends a key at its first space unless it is written '\\ ')"), e.problems());

        p.remove("sla.jira.status.Awaiting");
        assertEquals(TicketStatus.ON_HOLD, JiraConfig.from(p, Map.of()).statusByName().get("waiting for parts"),
                "the escaped space is part of the name");
    }

    @Test
    void watchersAreNotNotifiedOfSlaWritesUnlessAsked() {
        String[] base = {"sla.jira.url", "https://acme.atlassian.net", "sla.jira.pat", "pat", "sla.jira.webhook-unsigned",
            "true"};
        assertFalse(JiraConfig.from(props(base), Map.of()).notifyWatchers());
        assertTrue(JiraConfig.from(props(base), Map.of("SLA_JIRA_NOTIFY_WATCHERS", "true")).notifyWatchers());
        Properties p = props(base);
        p.setProperty("sla.jira.notify-watchers", "sometimes");
        JiraConfigException e = assertThrows(JiraConfigException.class, () -> JiraConfig.from(p, Map.of()));
        assertTrue(e.problems().get(0).startsWith("sla.jira.notify-watchers"), e.problems().toString());
    }
}
