package io.slabridge.connector.jira;

import static io.slabridge.connector.jira.JiraFixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.testing.EventChecks;
import io.slabridge.core.testing.JsonMutator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/**
 * The Jira normalizer fuzzed: the realistic payloads of {@code src/test/resources/jira} mutated by
 * {@link JsonMutator} (keys deleted, values of other types, nulls, copies, odd Unicode, times and numbers, renamed
 * keys; text truncated or garbled), plus random JSON. Whatever comes in, the webhook payload and the polled issue
 * either become events that are each complete ({@link EventChecks}) or are refused as a whole with a
 * {@link JiraPayloadException} that says why; no other exception escapes. Through the webhook processor, every
 * delivery is answered 200, 400 or 413, and events reach the runtime only with a 200.
 */
class JiraNormalizerFuzzProperties {
    private static final List<String> WEBHOOKS = List.of("issue_created", "issue_updated_status",
            "issue_updated_priority_and_tier", "issue_updated_automation", "issue_updated_sla_fields_by_us",
            "comment_created_customer", "comment_created_agent_public", "comment_created_agent_internal");
    private static final String SECRET = "fuzz-secret";

    private static final AtomicLong WEBHOOK_ACCEPTED = new AtomicLong();
    private static final AtomicLong WEBHOOK_REFUSED = new AtomicLong();
    private static final AtomicLong DELIVERY_200 = new AtomicLong();
    private static final AtomicLong DELIVERY_400 = new AtomicLong();
    private static final AtomicLong ISSUE_ACCEPTED = new AtomicLong();
    private static final AtomicLong ISSUE_REFUSED = new AtomicLong();

    private final JiraEventsTest.KnownDirectory directory = new JiraEventsTest.KnownDirectory(
            Map.of("5b10a2844c20165700ede21g", Set.of("support-agents")));
    private final JiraEvents cloud = new JiraEvents(JiraFixtures.cloud("https://acme.atlassian.net").build(), directory);
    private final JiraEvents dataCenter = new JiraEvents(JiraFixtures.dataCenter("https://jira.acme.example").build(),
            directory);
    private final DefaultCamelContext camel = new DefaultCamelContext();

    // ---- the webhook's payloads -----------------------------------------------------------------------------

    @Provide
    Arbitrary<JsonNode> webhookPayloads() {
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            JsonMutator mutator = new JsonMutator(random);
            if (random.nextInt(20) == 0) {
                return mutator.randomJson(4);
            }
            JsonNode tree = json("cloud/" + mutator.pick(WEBHOOKS) + ".json");
            for (int i = 1 + random.nextInt(random.nextBoolean() ? 1 : 4); i > 0; i--) {
                tree = mutator.mutateTree(tree);
            }
            return tree;
        });
    }

    @Property(tries = 10000)
    void aWebhookPayloadBecomesCompleteEventsOrIsRefusedWithAReason(@ForAll("webhookPayloads") JsonNode payload) {
        JiraEvents.WebhookEvents result;
        try {
            result = cloud.fromWebhook(payload);
        } catch (JiraPayloadException e) {
            WEBHOOK_REFUSED.incrementAndGet();
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a refusal says why");
            return; // refused as a whole: the caller gets no event of it
        }
        WEBHOOK_ACCEPTED.incrementAndGet();
        EventChecks.assertAllComplete(result.events(), "jira:");
        if (result.events().isEmpty()) {
            assertFalse(result.ignoredBecause() == null || result.ignoredBecause().isBlank(), "no events: it says why");
        }
        for (TicketEvent e : result.events()) {
            assertEquals("jira:" + result.issueKey(), e.ticket(), "one delivery, one ticket");
        }
    }

    // ---- the webhook route's processor, bytes in -------------------------------------------------------------

    @Provide
    Arbitrary<byte[]> webhookBodies() {
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            JsonMutator mutator = new JsonMutator(random);
            String seedJson = JiraFixtures.text("cloud/" + mutator.pick(WEBHOOKS) + ".json");
            String body = random.nextInt(10) == 0 ? seedJson : mutator.mutate(seedJson, 3);
            if (random.nextInt(5) == 0) {
                body = mutator.mutateText(body);
            }
            return body.getBytes(StandardCharsets.UTF_8);
        });
    }

    @Property(tries = 5000)
    void aDeliveryIsAnswered200Or400AndOnlyA200ReachesTheRuntime(@ForAll("webhookBodies") byte[] body) throws Exception {
        List<List<TicketEvent>> sunk = new ArrayList<>();
        JiraConfig config = JiraFixtures.cloud("https://acme.atlassian.net").webhookSecret(SECRET).build();
        JiraWebhook webhook = new JiraWebhook(config, cloud, sunk::add, config.webhookMaxBytes());
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setHeader(JiraWebhook.SIGNATURE_HEADER, "sha256="
                + java.util.HexFormat.of().formatHex(JiraWebhook.hmac(SECRET, body)));
        webhook.process(exchange);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String answer = exchange.getMessage().getBody(String.class);
        if (status == 200) {
            DELIVERY_200.incrementAndGet();
            sunk.forEach(events -> EventChecks.assertAllComplete(events, "jira:"));
            return;
        }
        DELIVERY_400.incrementAndGet();
        assertEquals(400, status, answer);
        assertTrue(sunk.isEmpty(), "a refused delivery stores nothing");
        JsonNode reason = JiraFixtures.JSON.readTree(answer).path("error");
        assertTrue(reason.isTextual() && !reason.asText().isBlank(), "a 400 says why: " + answer);
    }

    // ---- the poller's issues --------------------------------------------------------------------------------

    /** An issue, its changelog histories and its comments, as one document so that mutations can reach all three. */
    record Polled(boolean cloud, JsonNode issue, List<JsonNode> histories, List<JsonNode> comments) {
    }

    @Provide
    Arbitrary<Polled> polledIssues() {
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            JsonMutator mutator = new JsonMutator(random);
            boolean isCloud = random.nextBoolean();
            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            if (isCloud) {
                doc.set("issue", json("cloud/search_page1.json").path("issues").get(0));
                com.fasterxml.jackson.databind.node.ArrayNode histories = doc.putArray("histories");
                json("cloud/changelog_SUP-12_page1.json").path("values").forEach(histories::add);
                json("cloud/changelog_SUP-12_page2.json").path("values").forEach(histories::add);
                doc.set("comments", json("cloud/comments_SUP-12.json").path("comments"));
            } else {
                JsonNode issue = json("dc/search_page1.json").path("issues").get(0);
                doc.set("issue", issue);
                doc.set("histories", issue.path("changelog").path("histories"));
                doc.set("comments", json("dc/comments_OPS-7.json").path("comments"));
            }
            JsonNode tree = doc;
            for (int i = 1 + random.nextInt(random.nextBoolean() ? 1 : 5); i > 0; i--) {
                tree = mutator.mutateTree(tree);
            }
            // The poller gathers histories and comments from pages into lists: whatever elements the pages held.
            List<JsonNode> histories = new ArrayList<>();
            tree.path("histories").forEach(histories::add);
            List<JsonNode> comments = new ArrayList<>();
            tree.path("comments").forEach(comments::add);
            return new Polled(isCloud, tree.path("issue"), histories, comments);
        });
    }

    @Property(tries = 5000)
    void aPolledIssueBecomesCompleteEventsOrIsSkippedWithAReason(@ForAll("polledIssues") Polled p) {
        List<TicketEvent> events;
        try {
            events = (p.cloud() ? cloud : dataCenter).fromIssue(p.issue(), p.histories(), p.comments());
        } catch (JiraPayloadException e) {
            ISSUE_REFUSED.incrementAndGet();
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a refusal says why");
            return; // the poller skips the whole issue: none of its events go out
        }
        ISSUE_ACCEPTED.incrementAndGet();
        EventChecks.assertAllComplete(events, "jira:");
        assertFalse(events.isEmpty(), "an issue read has at least its creation");
        assertEquals(io.slabridge.core.model.EventType.CREATED, events.get(0).type());
        assertEquals(1, events.stream().map(TicketEvent::ticket).distinct().count(), "one issue, one ticket");
    }

    @AfterContainer
    static void tally() {
        System.out.printf("jira fuzz: webhook payloads %d (%d read, %d refused); deliveries %d (%d answered 200, %d "
                + "answered 400); polled issues %d (%d read, %d skipped)%n",
                WEBHOOK_ACCEPTED.get() + WEBHOOK_REFUSED.get(), WEBHOOK_ACCEPTED.get(), WEBHOOK_REFUSED.get(),
                DELIVERY_200.get() + DELIVERY_400.get(), DELIVERY_200.get(), DELIVERY_400.get(),
                ISSUE_ACCEPTED.get() + ISSUE_REFUSED.get(), ISSUE_ACCEPTED.get(), ISSUE_REFUSED.get());
        // A fuzzer that only ever reaches one outcome tests little: each property that ran must have seen both.
        bothSeen(WEBHOOK_ACCEPTED, WEBHOOK_REFUSED, "webhook payloads");
        bothSeen(DELIVERY_200, DELIVERY_400, "deliveries");
        bothSeen(ISSUE_ACCEPTED, ISSUE_REFUSED, "polled issues");
    }

    static void bothSeen(AtomicLong a, AtomicLong b, String what) {
        if (a.get() + b.get() > 0) {
            assertTrue(a.get() > 0 && b.get() > 0, what + ": the mutations reach both outcomes");
        }
    }
}
