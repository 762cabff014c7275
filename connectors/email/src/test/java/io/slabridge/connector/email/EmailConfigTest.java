package io.slabridge.connector.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EmailConfigTest {
    @Test
    void everyProblemIsReportedNamingItsProperty() {
        Properties p = new Properties();
        p.setProperty("sla.email.imap.url", "pop3://mail.example.com");
        p.setProperty("sla.email.poll-interval", "soon");
        p.setProperty("sla.email.status-tag.[done]", "finished");
        p.setProperty("sla.email.ack.zone", "Mars/Olympus");
        p.setProperty("sla.email.link-pattern", "\\b(ENG|PLAT-\\d+\\b");
        EmailConfigException e = assertThrows(EmailConfigException.class, () -> EmailConfig.from(p, Map.of()));
        String all = String.join("\n", e.problems());
        for (String property : new String[] {"sla.email.imap.url", "sla.email.imap.user", "sla.email.imap.password",
            "sla.email.poll-interval", "sla.email.status-tag.[done]", "sla.email.ack.zone", "sla.email.from",
            "sla.email.link-pattern"}) {
            assertTrue(all.contains(property + ":"), property + " in\n" + all);
        }
    }

    @Test
    void propertiesFirstThenEnvironmentAndSecretsNeverShown() {
        Properties p = new Properties();
        p.setProperty("sla.email.imap.url", "imaps://imap.acme.example");
        p.setProperty("sla.email.imap.user", "support@acme.example");
        p.setProperty("sla.email.support-domains", "acme.example, acme.dev");
        p.setProperty("sla.email.auto-resolve-after", "5d");
        p.setProperty("sla.email.priority-keywords.urgent", "outage, p1");
        EmailConfig c = EmailConfig.from(p, Map.of("SLA_EMAIL_IMAP_PASSWORD", "hunter2-secret",
                "SLA_EMAIL_SMTP_URL", "smtps://smtp.acme.example", "SLA_EMAIL_ACCOUNT_MAP", "globex.example=Globex"));
        assertEquals(993, c.imapPort());
        assertEquals(465, c.smtpPort());
        assertEquals("support@acme.example", c.fromAddress(), "the login is the support address by default");
        assertEquals(Duration.ofDays(5), c.autoResolveAfter());
        assertEquals(java.util.List.of("outage", "p1"), c.priorityKeywords().get(Priority.URGENT));
        assertEquals("Globex", c.accountByDomain().get("globex.example"));
        assertEquals(TicketStatus.RESOLVED, c.statusTags().get("[resolved]"));
        assertTrue(c.isAgent("bob@eu.acme.example") && c.isAgent("SUPPORT@acme.example"));
        assertFalse(c.isAgent("carla@globex.example") || c.isAgent("mallory@notacme.example"));
        assertFalse(c.toString().contains("hunter2"), c.toString());
        assertEquals("hunter2-secret", c.smtpPassword(), "SMTP uses the IMAP login unless given its own");
    }
}
