package io.slabridge.connector.jira;

import static io.slabridge.connector.jira.JiraFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The normalizer on its own: Jira payloads in, ticket events out. */
class JiraEventsTest {
    /** A directory that knows the answers a Jira instance would give. */
    static final class KnownDirectory implements JiraDirectory {
        final Map<String, Set<String>> groups;
        int reporterLookups;

        KnownDirectory(Map<String, Set<String>> groups) {
            this.groups = groups;
        }

        @Override
        public String integrationUser() {
            return JiraFixtures.BOT;
        }

        @Override
        public Set<String> groupsOf(String userId) {
            return groups.getOrDefault(userId, Set.of());
        }

        @Override
        public String statusCategory(String statusName) {
            return statusName.equals("Triage") ? "new" : statusName.equals("QA") ? "indeterminate" : null;
        }

        @Override
        public JsonNode reporterOf(String issueKey) {
            reporterLookups++;
            return issueKey.equals("SUP-12") ? json("cloud/issue_created.json").path("issue").path("fields").path("reporter")
                    : MissingNode.getInstance();
        }
    }

    private final KnownDirectory directory = new KnownDirectory(Map.of());
    private final JiraEvents cloud = new JiraEvents(JiraFixtures.cloud("https://acme.atlassian.net").build(), directory);

    private TicketEvent only(String fixture) {
        List<TicketEvent> events = cloud.fromWebhook(json(fixture)).events();
        assertEquals(1, events.size(), () -> fixture + ": " + events);
        return events.get(0);
    }

    @Test
    void issueCreatedCarriesStatusPriorityTierAccountTitleAndItsOwnTime() {
        TicketEvent e = only("cloud/issue_created.json");
        assertEquals("jira:10001:created", e.id());
        assertEquals("jira:SUP-12", e.ticket());
        assertEquals(EventType.CREATED, e.type());
        assertEquals(Instant.parse("2025-11-20T09:15:02Z"), e.at());
        assertEquals(TicketStatus.OPEN, e.status());
        assertEquals(Priority.HIGH, e.priority());
        assertEquals("Gold", e.tier());
        assertEquals("Acme Corp", e.account());
        assertEquals("jira", e.source());
        assertEquals("Checkout page returns 500", e.title());
        assertEquals("Carla Customer", e.author());
    }

    @Test
    void publicAgentCommentIsAReplyInternalOneANoteCustomersAMessage() {
        assertEquals(EventType.AGENT_REPLY, only("cloud/comment_created_agent_public.json").type());
        assertEquals(EventType.INTERNAL_NOTE, only("cloud/comment_created_agent_internal.json").type());
        TicketEvent customer = only("cloud/comment_created_customer.json");
        assertEquals(EventType.CUSTOMER_MESSAGE, customer.type());
        assertEquals("jira:10001:c10202", customer.id());
        assertEquals(Instant.parse("2025-11-20T11:00:00Z"), customer.at());
    }

    @Test
    void statusChangeIsReadFromTheChangelogAtTheDeliveryTime() {
        TicketEvent e = only("cloud/issue_updated_status.json");
        assertEquals("jira:10001:h10500:status", e.id());
        assertEquals(EventType.STATUS_CHANGED, e.type());
        assertEquals(TicketStatus.WAITING_ON_CUSTOMER, e.status());
        assertEquals(Instant.parse("2025-11-20T10:00:00Z"), e.at());
    }

    @Test
    void priorityAndTierChangesAreEventsAndOtherFieldsAreNot() {
        List<TicketEvent> events = cloud.fromWebhook(json("cloud/issue_updated_priority_and_tier.json")).events();
        assertEquals(2, events.size(), events::toString);
        assertEquals(EventType.PRIORITY_CHANGED, events.get(0).type());
        assertEquals(Priority.URGENT, events.get(0).priority());
        assertEquals(EventType.ATTRIBUTES_CHANGED, events.get(1).type());
        assertEquals("Platinum", events.get(1).tier());
    }

    @Test
    void ourOwnSlaFieldUpdateIsNoActivity() {
        JiraEvents.WebhookEvents r = cloud.fromWebhook(json("cloud/issue_updated_sla_fields_by_us.json"));
        assertTrue(r.events().isEmpty());
        assertEquals("made by the integration user", r.ignoredBecause());
    }

    @Test
    void ourOwnPriorityChangeIsReadSoTheTargetsFollowItButNothingElseOfOursIs() {
        JsonNode payload = json("cloud/issue_updated_priority_and_tier.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) payload.path("user")).put("accountId", JiraFixtures.BOT);
        List<TicketEvent> events = cloud.fromWebhook(payload).events();
        assertEquals(1, events.size(), events::toString);
        assertEquals(EventType.PRIORITY_CHANGED, events.get(0).type());
        assertEquals(Priority.URGENT, events.get(0).priority());
    }

    @Test
    void slaFieldChangeBySomeoneElseIsStillNoActivity() {
        JsonNode payload = json("cloud/issue_updated_sla_fields_by_us.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) payload.path("user")).put("accountId", "5b10a2844c20165700ede21g");
        assertTrue(cloud.fromWebhook(payload).events().isEmpty());
    }

    @Test
    void commentWebhookWithoutReporterAsksTheDirectoryOnce() {
        only("cloud/comment_created_customer.json");
        assertEquals(1, directory.reporterLookups);
    }

    @Test
    void editedAndDeletedCommentsChangeNothing() {
        JsonNode payload = json("cloud/comment_created_agent_public.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) payload).put("webhookEvent", "comment_updated");
        assertTrue(cloud.fromWebhook(payload).events().isEmpty());
        ((com.fasterxml.jackson.databind.node.ObjectNode) payload).put("webhookEvent", "comment_deleted");
        assertTrue(cloud.fromWebhook(payload).events().isEmpty());
    }

    @Test
    void deletedIssueIsClosedSoItsClocksStop() {
        JsonNode payload = json("cloud/issue_created.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) payload).put("webhookEvent", "jira:issue_deleted");
        TicketEvent e = cloud.fromWebhook(payload).events().get(0);
        assertEquals(EventType.STATUS_CHANGED, e.type());
        assertEquals(TicketStatus.CLOSED, e.status());
    }

    @Test
    void missingPiecesAreNamed() {
        JsonNode noKey = json("cloud/issue_created.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) noKey.path("issue")).remove("key");
        assertEquals("issue 10001: field 'key' is missing",
                assertThrows(JiraPayloadException.class, () -> cloud.fromWebhook(noKey)).getMessage());
        JsonNode badTime = json("cloud/issue_created.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) badTime.path("issue").path("fields")).put("created", "yesterday");
        assertEquals("issue SUP-12: issue.fields.created 'yesterday' is not a Jira time (yyyy-MM-dd'T'HH:mm:ss.SSSZ)",
                assertThrows(JiraPayloadException.class, () -> cloud.fromWebhook(badTime)).getMessage());
        assertEquals("field 'webhookEvent' is missing",
                assertThrows(JiraPayloadException.class, () -> cloud.fromWebhook(JiraFixtures.JSON.createObjectNode()))
                        .getMessage());
    }

    @ParameterizedTest(name = "status {0} (category {1}) is {2}")
    @CsvSource(nullValues = "-", value = {
        "Waiting for support, new, open", "Waiting for customer, indeterminate, waiting_on_customer",
        "Pending, indeterminate, on_hold", "Work in progress, indeterminate, in_progress",
        "Resolved, done, resolved", "Closed, done, closed", "Canceled, done, closed",
        "Triage, -, open", "QA, -, in_progress", "Shipped, done, resolved", "Mystery, -, open"})
    void statusMapping(String name, String category, String expected) {
        assertEquals(TicketStatus.fromWire(expected), cloud.status(name, category));
    }

    @Test
    void configuredStatusNamesWinOverDefaultsAndCategories() {
        JiraEvents custom = new JiraEvents(JiraFixtures.cloud("https://acme.atlassian.net")
                .status("Pending", TicketStatus.WAITING_ON_CUSTOMER).status("Shipped", TicketStatus.CLOSED).build(),
                directory);
        assertEquals(TicketStatus.WAITING_ON_CUSTOMER, custom.status("pending", "indeterminate"));
        assertEquals(TicketStatus.CLOSED, custom.status("Shipped", "done"));
    }

    @ParameterizedTest(name = "priority {0} is {1}")
    @CsvSource(nullValues = "-", value = {"Highest, urgent", "Blocker, urgent", "High, high", "Major, high",
        "Medium, normal", "Low, low", "Lowest, low", "Trivial, low", "P9, -"})
    void defaultPriorityScheme(String name, String expected) {
        assertEquals(expected == null ? null : Priority.fromWire(expected), cloud.priority(name));
    }

    @Test
    void customPriorityScheme() {
        JiraEvents custom = new JiraEvents(JiraFixtures.cloud("https://acme.atlassian.net").priority("P1", Priority.URGENT)
                .priority("P2", Priority.HIGH).priority("P3", Priority.NORMAL).priority("P4", Priority.LOW).build(), directory);
        assertEquals(Priority.HIGH, custom.priority("p2"));
        assertNull(custom.priority("High"), "a custom scheme replaces the default one");
    }

    @Test
    void unmappedPriorityAtCreationTakesTheDefault() {
        JsonNode payload = json("cloud/issue_created.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) payload.path("issue").path("fields").path("priority")).put("name", "P9");
        assertEquals(Priority.NORMAL, cloud.fromWebhook(payload).events().get(0).priority());
    }

    @Test
    void plainJiraAgentGroupRule() {
        JiraEvents groups = new JiraEvents(JiraFixtures.cloud("https://acme.atlassian.net").serviceManagement(false)
                .customerRule("agent-group:support-agents, support-leads").build(),
                new KnownDirectory(Map.of("5b10a2844c20165700ede21g", Set.of("jira-users", "support-leads"))));
        JsonNode agent = json("cloud/comment_created_agent_public.json");
        assertEquals(EventType.AGENT_REPLY, groups.fromWebhook(agent).events().get(0).type());
        ((com.fasterxml.jackson.databind.node.ObjectNode) agent.path("comment").path("author")).put("accountId", "someone-else");
        assertEquals(EventType.CUSTOMER_MESSAGE, groups.fromWebhook(agent).events().get(0).type());
    }

    @Test
    void customerRuleIsValidated() {
        assertEquals(java.util.List.of("sla.jira.customer-rule: 'agent-group:'; expected agent-group naming at least one "
                + "group, e.g. agent-group:support-agents"), assertThrows(JiraConfigException.class,
                        () -> JiraFixtures.cloud("https://acme.atlassian.net").customerRule("agent-group:").build())
                        .problems());
        assertThrows(IllegalArgumentException.class, () -> JiraConfig.parseCustomerRule("everyone"));
    }
}
