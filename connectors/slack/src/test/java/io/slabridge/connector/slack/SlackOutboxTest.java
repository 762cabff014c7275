package io.slabridge.connector.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.outbox.OutboxWriter;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.runtime.OutboxDispatcher;
import io.slabridge.core.runtime.RetryPolicy;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import io.slabridge.core.testing.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The outbox's whole path for Slack: the policy's steps become commands, the dispatcher hands them to the Slack
 * writer, and WireMock playing Slack receives them; the first post's answer is lost, and its retry finds the message
 * by its metadata instead of posting twice; the breach step then replies in that message's thread.
 */
class SlackOutboxTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLICY = """
            calendars: { always: { zone: UTC, week: 24x7 } }
            policies: [ { name: standard, calendar: always, targets: { first_response: 1h } } ]
            escalations:
              - name: at-risk
                at: "75%"
                actions:
                  - slack: { channel: "#support-escalations", text: "{ticket} is at risk: {remaining} left" }
              - name: breached
                at: breach
                actions:
                  - slack: { channel: "#support-escalations" }
            """;

    @Test
    void stepsReachSlackOnceEachAndTheBreachRepliesInTheThread() throws Exception {
        WireMockServer slack = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        slack.start();
        Instant t0 = Instant.parse("2026-03-06T10:00:00Z");
        MutableClock clock = new MutableClock(t0);
        DefaultCamelContext camel = new DefaultCamelContext();
        try (JdbcSlaStore store = JdbcSlaStore.open(StoreSettings.inMemory("slack-outbox-" + UUID.randomUUID()))) {
            // Slack posts the first message, but its answer never arrives; later posts are answered.
            slack.stubFor(post("/api/chat.postMessage").inScenario("slack").whenScenarioStateIs(STARTED)
                    .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("answering"));
            slack.stubFor(post("/api/chat.postMessage").inScenario("slack").whenScenarioStateIs("answering")
                    .willReturn(okJson(SlackWriterTest.posted("C0SUPPORT", "1772790000.000900"))));
            slack.stubFor(post("/api/conversations.list").willReturn(okJson("{\"ok\":true,\"channels\":[{\"id\":"
                    + "\"C0SUPPORT\",\"name\":\"support-escalations\"}],\"response_metadata\":{\"next_cursor\":\"\"}}")));
            OutboxWriter writer = SlackWriterTest.writer(store, camel, slack.baseUrl());
            camel.start();
            SlaRuntime runtime = SlaRuntime.of(store, PolicyFileParser.parse("sla.yaml", POLICY), clock);
            runtime.accept(TicketEvent.builder("e1", "jira:SUP-9", t0, EventType.CREATED).priority(Priority.HIGH)
                    .status(TicketStatus.OPEN).source("jira").title("Login loops").account("Globex").build());
            OutboxDispatcher dispatcher = new OutboxDispatcher(store, Map.of("jira", c -> WriteResult.done(),
                    "slack", writer), clock, RetryPolicy.DEFAULT, new Random(1));

            boolean historyServed = false;
            for (int minute = 0; minute <= 90; minute++) {
                clock.set(t0.plusSeconds(minute * 60L));
                runtime.tick();
                while (dispatcher.dispatchOnce(10) > 0) {
                    // drain
                }
                List<LoggedRequest> posts = slack.findAll(postRequestedFor(urlEqualTo("/api/chat.postMessage")));
                if (!historyServed && !posts.isEmpty()) {
                    // What Slack now holds: the lost post, with the metadata it was sent with.
                    ObjectNode message = JSON.createObjectNode().put("type", "message").put("ts", "1772790000.000100")
                            .put("text", SlackWriterTest.form(posts.get(0)).get("text"));
                    message.set("metadata", JSON.readTree(SlackWriterTest.form(posts.get(0)).get("metadata")));
                    ObjectNode history = JSON.createObjectNode().put("ok", true).put("has_more", false);
                    history.putArray("messages").add(message);
                    slack.stubFor(post("/api/conversations.history").willReturn(okJson(history.toString())));
                    historyServed = true;
                }
            }

            List<LoggedRequest> posts = slack.findAll(postRequestedFor(urlEqualTo("/api/chat.postMessage")));
            assertEquals(2, posts.size(), "the at-risk step once (its answer lost) and the breach once");
            Map<String, String> atRisk = SlackWriterTest.form(posts.get(0));
            assertEquals("jira:SUP-9 is at risk: 15m left", atRisk.get("text"));
            assertTrue(atRisk.get("blocks").contains("<https://acme.atlassian.net/browse/SUP-9|jira:SUP-9> Login loops"),
                    atRisk.get("blocks"));
            assertEquals(1, slack.findAll(postRequestedFor(urlEqualTo("/api/conversations.history"))).size(),
                    "the retry looked once");
            Map<String, String> breach = SlackWriterTest.form(posts.get(1));
            assertEquals("1772790000.000100", breach.get("thread_ts"), "in the thread of the message the retry found");
            assertTrue(breach.get("text").startsWith("SLA breached: first_response of jira:SUP-9"), breach.get("text"));
            assertEquals(List.of(), store.parked(10), "nothing parked");
        } finally {
            camel.stop();
            slack.stop();
        }
    }
}
