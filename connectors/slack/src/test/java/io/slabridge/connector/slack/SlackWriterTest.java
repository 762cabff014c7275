package io.slabridge.connector.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.slabridge.connector.api.Connectors;
import io.slabridge.connector.api.Source;
import io.slabridge.connector.api.SourceContext;
import io.slabridge.core.escalation.EscalationAction.Visibility;
import io.slabridge.core.model.Metric;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.OutboxWriter;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Slack writer against WireMock playing Slack's Web API as Slack answers: form bodies with
 * {@code Authorization: Bearer}, {@code ok:true} with {@code channel} and {@code ts}, errors as HTTP 200 with
 * {@code ok:false}, 429 with {@code Retry-After}.
 */
class SlackWriterTest {
    static final String TOKEN = "xoxb-1234-5678-secretsecret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-03-06T11:01:00Z");

    private WireMockServer slack;
    private JdbcSlaStore store;
    private DefaultCamelContext camel;
    private OutboxWriter writer;

    @BeforeEach
    void start() throws Exception {
        slack = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        slack.start();
        store = JdbcSlaStore.open(StoreSettings.inMemory("slack-" + UUID.randomUUID()));
        camel = new DefaultCamelContext();
        writer = writer(store, camel, slack.baseUrl());
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        store.close();
        slack.stop();
    }

    /** The channel's writer as the application makes it, on {@code store}, calling Slack at {@code url}. */
    static OutboxWriter writer(JdbcSlaStore store, DefaultCamelContext camel, String url) throws Exception {
        Properties p = new Properties();
        p.setProperty("sla.slack.token", TOKEN);
        p.setProperty("sla.slack.url", url);
        p.setProperty("sla.slack.timeout", "2s");
        p.setProperty("sla.ticket-link.jira", "https://acme.atlassian.net/browse/{id}");
        List<String> problems = new ArrayList<>();
        Source source = Connectors.discover().stream().filter(c -> c.name().equals("slack")).findFirst().orElseThrow()
                .configure(p, Map.of(), problems).orElseThrow(() -> new AssertionError(problems));
        camel.addRoutes(source.routes(new SourceContext(store, store.dataSource(), "direct:ingest", Clock.systemUTC(),
                () -> null)));
        return source.writer(camel);
    }

    static WriteBack.Alert alert(String step, long remaining) {
        return new WriteBack.Alert("Checkout fails <again>", "Acme & Co", null, Metric.FIRST_RESPONSE, 1, "standard",
                step, remaining < 0 ? "breached" : "at risk", Instant.parse("2026-03-06T11:00:00Z"), remaining);
    }

    private static OutboxCommand command(long id, WriteBack payload, String key, int attempts) {
        return new OutboxCommand(id, "jira:SUP-7", "slack", payload, key, NOW, attempts);
    }

    private static OutboxCommand toChannel(long id, String step, int attempts) {
        return command(id, new WriteBack.SlackMessage("#support-escalations", "SLA " + step + " on jira:SUP-7",
                alert(step, step.equals("breached") ? -60 : 900)), "jira:SUP-7/first_response/1/" + step + "/0", attempts);
    }

    static String posted(String channel, String ts) {
        return "{\"ok\":true,\"channel\":\"" + channel + "\",\"ts\":\"" + ts + "\",\"message\":{\"type\":\"message\","
                + "\"text\":\"SLA\",\"ts\":\"" + ts + "\"}}";
    }

    /** The form fields of a logged request. */
    static Map<String, String> form(LoggedRequest r) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : r.getBodyAsString().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private List<LoggedRequest> requests(String method) {
        return slack.findAll(postRequestedFor(urlEqualTo("/api/" + method)));
    }

    @Test
    void postsTheAlertWithTheTicketsFieldsAndItsKeyInTheMetadata() throws Exception {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(posted("C0SUPPORT", "1772794860.000100"))));

        assertEquals(WriteResult.done(), writer.write(toChannel(1, "at-risk", 0)));

        LoggedRequest r = requests("chat.postMessage").get(0);
        assertEquals("Bearer " + TOKEN, r.getHeader("Authorization"));
        assertTrue(r.getHeader("Content-Type").startsWith("application/x-www-form-urlencoded"), r.getHeader("Content-Type"));
        Map<String, String> form = form(r);
        assertEquals("#support-escalations", form.get("channel"));
        assertEquals("SLA at-risk on jira:SUP-7", form.get("text"));
        assertTrue(!form.containsKey("thread_ts"), "the first message starts the thread: " + form);
        String blocks = form.get("blocks");
        assertTrue(blocks.contains("<https://acme.atlassian.net/browse/SUP-7|jira:SUP-7> Checkout fails &lt;again&gt;"),
                blocks);
        assertTrue(blocks.contains("*Account*\\nAcme &amp; Co"), blocks);
        assertTrue(blocks.contains("*Due*\\n2026-03-06 11:00 UTC"), blocks);
        assertTrue(blocks.contains("*Time left*\\n15m (at risk)"), blocks);
        JsonNode metadata = JSON.readTree(form.get("metadata"));
        assertEquals("sla_bridge_escalation", metadata.path("event_type").asText());
        assertEquals("jira:SUP-7/first_response/1/at-risk/0", metadata.path("event_payload").path("key").asText());
    }

    @Test
    void laterStepsOfTheSameCycleReplyInTheFirstMessagesThread() throws Exception {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(posted("C0SUPPORT", "1772794860.000100"))));
        assertEquals(WriteResult.done(), writer.write(toChannel(1, "at-risk", 0)));
        slack.resetRequests();
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(posted("C0SUPPORT", "1772795000.000200"))));

        assertEquals(WriteResult.done(), writer.write(toChannel(2, "breached", 0)));

        Map<String, String> form = form(requests("chat.postMessage").get(0));
        assertEquals("1772794860.000100", form.get("thread_ts"));
        assertTrue(form.get("blocks").contains("*Late by*\\n1m (breached)"), form.get("blocks"));

        // Another cycle of the same ticket starts a thread of its own.
        slack.resetRequests();
        WriteBack.Alert second = new WriteBack.Alert("Checkout fails", null, null, Metric.FIRST_RESPONSE, 2,
                "standard", "at-risk", "at risk", null, 600);
        writer.write(command(3, new WriteBack.SlackMessage("#support-escalations", "again", second), "k3", 0));
        assertTrue(!form(requests("chat.postMessage").get(0)).containsKey("thread_ts"));
    }

    @Test
    void threadsAreKeptOnTheEmbeddedSqliteStoreToo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (JdbcSlaStore sqlite = JdbcSlaStore.open(StoreSettings.sqliteFile(dir.resolve("sla.db")))) {
            DefaultCamelContext other = new DefaultCamelContext();
            OutboxWriter onSqlite = writer(sqlite, other, slack.baseUrl());
            other.start();
            try {
                slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(posted("C0SUPPORT", "1772794860.000100"))));
                assertEquals(WriteResult.done(), onSqlite.write(toChannel(1, "at-risk", 0)));
                assertEquals(WriteResult.done(), onSqlite.write(toChannel(2, "breached", 0)));
                assertEquals("1772794860.000100", form(requests("chat.postMessage").get(1)).get("thread_ts"));
            } finally {
                other.stop();
            }
        }
        // Opened again, the table is there and so is the thread.
        try (JdbcSlaStore sqlite = JdbcSlaStore.open(StoreSettings.sqliteFile(dir.resolve("sla.db")))) {
            DefaultCamelContext other = new DefaultCamelContext();
            OutboxWriter onSqlite = writer(sqlite, other, slack.baseUrl());
            other.start();
            try {
                onSqlite.write(toChannel(3, "later", 0));
                assertEquals("1772794860.000100", form(requests("chat.postMessage").get(2)).get("thread_ts"));
            } finally {
                other.stop();
            }
        }
    }

    @Test
    void aRetryFindsTheMessageItsLostAttemptPostedAndDoesNotPostAgain() throws Exception {
        // The first attempt reaches Slack, which posts, but the answer is lost (the connection drops).
        slack.stubFor(post("/api/chat.postMessage").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        assertThrows(Exception.class, () -> writer.write(toChannel(1, "at-risk", 0)));
        assertEquals(1, requests("chat.postMessage").size());

        slack.stubFor(post("/api/conversations.list").willReturn(okJson("{\"ok\":true,\"channels\":[{\"id\":\"C0OTHER\","
                + "\"name\":\"general\"},{\"id\":\"C0SUPPORT\",\"name\":\"support-escalations\"}],"
                + "\"response_metadata\":{\"next_cursor\":\"\"}}")));
        slack.stubFor(post("/api/conversations.history").willReturn(okJson("{\"ok\":true,\"messages\":["
                + "{\"type\":\"message\",\"text\":\"SLA at-risk on jira:SUP-7\",\"ts\":\"1772794860.000100\","
                + "\"metadata\":{\"event_type\":\"sla_bridge_escalation\",\"event_payload\":"
                + "{\"key\":\"jira:SUP-7/first_response/1/at-risk/0\",\"ticket\":\"jira:SUP-7\"}}},"
                + "{\"type\":\"message\",\"text\":\"someone else\",\"ts\":\"1772794800.000100\"}],"
                + "\"has_more\":false,\"response_metadata\":{\"next_cursor\":\"\"}}")));

        assertEquals(WriteResult.done(), writer.write(toChannel(1, "at-risk", 1)));

        assertEquals(1, requests("chat.postMessage").size(), "not posted a second time");
        Map<String, String> history = form(requests("conversations.history").get(0));
        assertEquals("C0SUPPORT", history.get("channel"));
        assertEquals("1", history.get("include_all_metadata"), "Slack reads 1 as true");
        assertEquals(NOW.minusSeconds(60).getEpochSecond() + ".000000", history.get("oldest"),
                "looked only since the command was made");

        // The found message is the thread of the next step.
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(posted("C0SUPPORT", "1772795000.000200"))));
        writer.write(toChannel(2, "breached", 0));
        assertEquals("1772794860.000100", form(requests("chat.postMessage").get(1)).get("thread_ts"));
    }

    @Test
    void aRetryOfAReplyLooksInTheThreadAndPostsWhenTheEarlierAttemptDidNot() throws Exception {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson(posted("C0SUPPORT", "1772794860.000100"))));
        writer.write(toChannel(1, "at-risk", 0));
        slack.stubFor(post("/api/conversations.replies").willReturn(okJson("{\"ok\":true,\"messages\":["
                + "{\"type\":\"message\",\"text\":\"SLA at-risk\",\"ts\":\"1772794860.000100\",\"thread_ts\":"
                + "\"1772794860.000100\",\"metadata\":{\"event_type\":\"sla_bridge_escalation\",\"event_payload\":"
                + "{\"key\":\"jira:SUP-7/first_response/1/at-risk/0\"}}}],\"has_more\":false}")));

        assertEquals(WriteResult.done(), writer.write(toChannel(2, "breached", 1)));

        Map<String, String> replies = form(requests("conversations.replies").get(0));
        assertEquals("C0SUPPORT", replies.get("channel"));
        assertEquals("1772794860.000100", replies.get("ts"));
        assertEquals(2, requests("chat.postMessage").size(), "the step's own key was not there: posted");
        assertEquals(0, requests("conversations.history").size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"channel_not_found", "not_in_channel", "invalid_auth", "account_inactive", "is_archived"})
    void slacksRefusalsAreParkedWithTheirCodeWithoutRetry(String error) throws Exception {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson("{\"ok\":false,\"error\":\"" + error + "\"}")));

        WriteResult.Failed failed = assertInstanceOf(WriteResult.Failed.class, writer.write(toChannel(1, "at-risk", 0)));

        assertTrue(failed.reason().startsWith("Slack chat.postMessage to #support-escalations: " + error + " ("),
                failed.reason());
        assertTrue(!failed.reason().contains(TOKEN), "no token in the reason");
        assertEquals(1, requests("chat.postMessage").size());
    }

    @Test
    void aMissingScopeNamesTheScopeNeeded() throws Exception {
        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson("{\"ok\":false,\"error\":\"missing_scope\","
                + "\"needed\":\"chat:write\",\"provided\":\"users:read\"}")));
        WriteResult.Failed failed = assertInstanceOf(WriteResult.Failed.class, writer.write(toChannel(1, "at-risk", 0)));
        assertTrue(failed.reason().contains("missing_scope; needed: chat:write"), failed.reason());
    }

    @Test
    void aRateLimitWaitsItsRetryAfterAndServerErrorsAreRetried() throws Exception {
        slack.stubFor(post("/api/chat.postMessage").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "30")
                .withBody("")));
        WriteResult.RetryAfter wait = assertInstanceOf(WriteResult.RetryAfter.class,
                writer.write(toChannel(1, "at-risk", 0)));
        assertEquals(Duration.ofSeconds(30), wait.delay());
        assertTrue(wait.reason().contains("chat.postMessage"), wait.reason());

        slack.stubFor(post("/api/chat.postMessage").willReturn(aResponse().withStatus(503).withBody("upstream")));
        assertThrows(Exception.class, () -> writer.write(toChannel(1, "at-risk", 0)), "a 5xx is retried with backoff");

        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson("{\"ok\":false,\"error\":\"internal_error\"}")));
        assertThrows(Exception.class, () -> writer.write(toChannel(1, "at-risk", 0)), "Slack's own transient code");
    }

    @Test
    void toAssigneeIsADirectMessageToTheUserFoundByEmail() throws Exception {
        slack.stubFor(post("/api/users.lookupByEmail").withRequestBody(containing("email=ana%40support.example"))
                .willReturn(okJson("{\"ok\":true,\"user\":{\"id\":\"U0ANA\",\"name\":\"ana\"}}")));
        slack.stubFor(post("/api/conversations.open").withRequestBody(containing("users=U0ANA"))
                .willReturn(okJson("{\"ok\":true,\"channel\":{\"id\":\"D0ANA\"}}")));
        slack.stubFor(post("/api/chat.postMessage").withRequestBody(containing("channel=D0ANA"))
                .willReturn(okJson(posted("D0ANA", "1772794860.000300"))));
        WriteBack.Alert a = new WriteBack.Alert("Checkout fails", "Acme", "ana@support.example", Metric.RESOLUTION, 1,
                "standard", "breached", "breached", NOW, -60);

        assertEquals(WriteResult.done(), writer.write(command(1, new WriteBack.SlackMessage(null, "yours", a), "k", 0)));
        assertEquals(1, requests("chat.postMessage").size());
    }

    @Test
    void toAssigneeWithoutAnAddressOrSlackUserIsParked() throws Exception {
        WriteBack.Alert named = new WriteBack.Alert("t", null, "Ana Ruiz", Metric.RESOLUTION, 1, "standard", "s",
                "breached", NOW, -60);
        WriteResult.Failed byName = assertInstanceOf(WriteResult.Failed.class,
                writer.write(command(1, new WriteBack.SlackMessage(null, "x", named), "k1", 0)));
        assertTrue(byName.reason().contains("names 'Ana Ruiz', not an e-mail address"), byName.reason());
        assertEquals(0, slack.getAllServeEvents().size(), "no call for it");

        slack.stubFor(post("/api/users.lookupByEmail").willReturn(okJson("{\"ok\":false,\"error\":\"users_not_found\"}")));
        WriteBack.Alert unknown = new WriteBack.Alert("t", null, "bob@x.example", Metric.RESOLUTION, 1, "standard", "s",
                "breached", NOW, -60);
        WriteResult.Failed notFound = assertInstanceOf(WriteResult.Failed.class,
                writer.write(command(2, new WriteBack.SlackMessage(null, "x", unknown), "k2", 0)));
        assertTrue(notFound.reason().contains("users.lookupByEmail for bob@x.example (assignee of jira:SUP-7): "
                + "users_not_found"), notFound.reason());
    }

    @Test
    void otherCommandsAreNotSlacks() throws Exception {
        WriteResult.Failed failed = assertInstanceOf(WriteResult.Failed.class,
                writer.write(command(1, new WriteBack.Comment(Visibility.INTERNAL, "x"), "k", 0)));
        assertTrue(failed.reason().contains("jira:SUP-7"), failed.reason());
        assertEquals(0, slack.getAllServeEvents().size());
    }
}
