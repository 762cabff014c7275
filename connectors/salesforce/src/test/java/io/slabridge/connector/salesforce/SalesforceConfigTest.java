package io.slabridge.connector.salesforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.Metric;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SalesforceConfigTest {

    @Test
    void propertiesComeFirstThenEnvironmentVariables() {
        Properties p = new Properties();
        p.setProperty("sla.salesforce.client-id", "overridden-by-the-environment");
        p.setProperty("sla.salesforce.field.status", "SLA_Status__c");
        p.setProperty("sla.salesforce.field.due.first-response", "SLA_First_Response_Due__c");
        p.setProperty("sla.salesforce.field.tier", "Account.Tier__c");
        p.setProperty("sla.salesforce.status.waiting-for-vendor", "on_hold");
        p.setProperty("sla.salesforce.poll-interval", "30s");
        Map<String, String> env = Map.of("SLA_SALESFORCE_CLIENT_SECRET", "s3cret", "SLA_SALESFORCE_CLIENT_ID", "3MVG9-key",
                "SLA_SALESFORCE_LOGIN_URL", "https://acme.my.salesforce.com/", "SLA_SALESFORCE_API_VERSION", "v63.0",
                "SLA_SALESFORCE_STATUS_MAP", "Waiting on Partner=waiting_on_customer");

        SalesforceConfig c = SalesforceConfig.from(p, env);

        assertEquals("3MVG9-key", c.clientId());
        assertEquals("s3cret", c.clientSecret());
        assertEquals(SalesforceConfig.Auth.CLIENT_CREDENTIALS, c.auth());
        assertEquals("https://acme.my.salesforce.com", c.loginUrl());
        assertEquals("/services/data/v63.0", c.dataPath());
        assertEquals(Duration.ofSeconds(30), c.pollInterval());
        assertEquals("SLA_First_Response_Due__c", c.dueFields().get(Metric.FIRST_RESPONSE));
        assertEquals("Account.Tier__c", c.tierField());
        assertEquals(TicketStatus.ON_HOLD, c.statusByName().get("waiting for vendor"));
        assertEquals(TicketStatus.WAITING_ON_CUSTOMER, c.statusByName().get("waiting on partner"));
        assertEquals(TicketStatus.WAITING_ON_CUSTOMER, c.statusByName().get("waiting on customer"), "a default kept");
        assertEquals("Critical", c.salesforcePriorityNames().get(Priority.URGENT));
        assertFalse(c.toString().contains("s3cret"), c.toString());
    }

    @Test
    void everyProblemIsReportedAtOnceNamingItsProperty() {
        Properties p = new Properties();
        p.setProperty("sla.salesforce.auth", "jwt");
        p.setProperty("sla.salesforce.keystore", "/nonexistent/key.p12");
        p.setProperty("sla.salesforce.keystore-password", "kp-secret");
        p.setProperty("sla.salesforce.field.status", "SLA Status");
        p.setProperty("sla.salesforce.priority.p1", "highest");
        p.setProperty("sla.salesforce.api-version", "56");
        p.setProperty("sla.salesforce.comment-object", "Task");

        SalesforceConfigException e = assertThrows(SalesforceConfigException.class, () -> SalesforceConfig.from(p, Map.of()));

        String all = String.join("\n", e.problems());
        for (String property : new String[] {"sla.salesforce.client-id:", "sla.salesforce.keystore:", "sla.salesforce.username:",
            "sla.salesforce.field.status:", "sla.salesforce.priority.p1:", "sla.salesforce.api-version:",
            "sla.salesforce.comment-object:"}) {
            assertTrue(all.contains(property), property + " in\n" + all);
        }
        assertFalse(all.contains("kp-secret"));
    }

    @Test
    void aPasswordMeansTheUsernamePasswordFlowAndNeedsAllItsParts() {
        Properties p = new Properties();
        p.setProperty("sla.salesforce.client-id", "k");
        p.setProperty("sla.salesforce.password", "pw");
        SalesforceConfigException e = assertThrows(SalesforceConfigException.class, () -> SalesforceConfig.from(p, Map.of()));
        assertTrue(String.join("\n", e.problems()).contains("sla.salesforce.username: missing; the username-password flow"));
        assertTrue(String.join("\n", e.problems()).contains("sla.salesforce.client-secret: missing"));
    }

    @Test
    void customPrioritiesReplaceTheDefaultPicklist() {
        SalesforceConfig c = SalesforceConfig.builder().clientCredentials("k", "s").priority("P1", Priority.URGENT)
                .priority("P2", Priority.HIGH).priority("Sev1", Priority.URGENT).build();
        assertEquals(Map.of("p1", Priority.URGENT, "p2", Priority.HIGH, "sev1", Priority.URGENT), c.priorityByName());
        assertEquals("P1", c.salesforcePriorityNames().get(Priority.URGENT));
    }
}
