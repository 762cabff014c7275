package io.slabridge.routes.jira;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.slabridge.routes.testing.RunningRoutes.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.slabridge.connector.jira.JiraConfig;
import io.slabridge.connector.jira.JiraHttp;
import io.slabridge.connector.jira.JiraRoutes;
import io.slabridge.connector.jira.JiraWriter;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.routes.runtime.SlaRuntimeRoutes;
import io.slabridge.routes.testing.RunningRoutes;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path through real Camel routes, a real store and a WireMock Jira: an issue created through the
 * signed webhook, its first response breached, the SLA status field and an internal comment written to Jira
 * exactly once, though sla-bridge restarts in the middle and the comment's first answer is lost.
 */
class JiraEndToEndTest {
    private static final String SECRET = "e2e-webhook-secret";
    private static final Instant CREATED = Instant.parse("2025-11-20T09:15:02Z");

    @TempDir
    Path dir;

    private WireMockServer jira;
    private final MutableClock clock = new MutableClock(CREATED.plusSeconds(60));
    private Running running;


    /** One life of sla-bridge: its store, runtime and routes. */
    final class Running implements AutoCloseable {
        final JdbcSlaStore store;
        final SlaRuntime runtime;
        final RunningRoutes routes;

        Running() throws Exception {
            store = JdbcSlaStore.open(StoreSettings.h2File(dir.resolve("sla")));
            Path policyFile = dir.resolve("sla.yaml");
            PolicySet policies = PolicyFileParser.parse(policyFile);
            runtime = SlaRuntime.of(store, policies, clock);
            JiraConfig config = JiraConfig.builder().url(URI.create("http://127.0.0.1:" + jira.port()))
                    .basic("sla-bridge@acme.example", "e2e-token").serviceManagement(true).webhookSecret(SECRET)
                    .statusField("customfield_10100").nextDueField("customfield_10101").build();
            routes = RunningRoutes.onFreePort();
            routes.start(store, runtime, clock, Map.of("jira", new JiraWriter(JiraHttp.create(routes.camel(), config,
                    clock))), new JiraRoutes(config, store, SlaRuntimeRoutes.INGEST, clock));
        }

        @Override
        public void close() {
            routes.close();
            store.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("sla.yaml"), """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: standard
                    calendar: always
                    targets: { first_response: 1h }
                escalations:
                  - name: breached
                    at: breach
                    metrics: [first_response]
                    actions:
                      - comment: { visibility: internal, text: "First response on {ticket} breached: it was due {due} ({policy})." }
                """);
        jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(okJson(
                "{\"accountId\":\"712020:sla-bridge-bot\",\"timeZone\":\"UTC\"}")));
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-12")).willReturn(aResponse().withStatus(204)));
        // The comment lands in Jira, but the answer is lost on the way back (the process dies, say).
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/issue/SUP-12/comment")).inScenario("comment")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("posted")
                .willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/issue/SUP-12/comment")).inScenario("comment")
                .whenScenarioStateIs("posted").willReturn(okJson("{\"id\":\"10300\"}").withStatus(201)));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-12/comment")).inScenario("comment")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(okJson("{\"startAt\":0,\"total\":0,\"comments\":[]}")));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-12/comment")).inScenario("comment")
                .whenScenarioStateIs("posted").willReturn(okJson("""
                        {"startAt":0,"total":1,"comments":[{"id":"10300","created":"2025-11-20T10:15:05.000+0000",
                         "author":{"accountId":"712020:sla-bridge-bot"},
                         "properties":[{"key":"sd.public.comment","value":{"internal":true}},
                                       {"key":"sla-bridge","value":{"command":"COMMAND_KEY"}}]}]}
                        """.replace("COMMAND_KEY", "jira:SUP-12/first_response/1/breached/0"))));
        running = new Running();
    }

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
        jira.stop();
    }

    @Test
    void breachWritesTheStatusFieldAndOneInternalCommentExactlyOnceAcrossARestart() throws Exception {
        String body = """
                {"timestamp":1763630102514,"webhookEvent":"jira:issue_created",
                 "user":{"accountId":"557058:cust-1","accountType":"customer","displayName":"Carla Customer"},
                 "issue":{"id":"10001","key":"SUP-12","fields":{"summary":"Checkout page returns 500",
                   "created":"2025-11-20T09:15:02.000+0000","status":{"name":"Waiting for support","statusCategory":{"key":"new"}},
                   "priority":{"name":"High"},"reporter":{"accountId":"557058:cust-1","accountType":"customer"}}}}
                """;
        HttpResponse<String> answer = running.routes.signedPost("/webhooks/jira", SECRET, body);
        assertEquals(200, answer.statusCode(), answer.body());

        await(() -> puts("On track") == 1, "the SLA fields written as On track");
        assertEquals(0, puts("Breached"));

        // One second past the due instant (10:15:02): the scheduler enqueues the breach; the field write goes
        // out, and the comment's answer is lost.
        clock.set(Instant.parse("2025-11-20T10:15:03Z"));
        running.runtime.tick();
        await(() -> puts("Breached") == 1, "the SLA status written as Breached");
        await(() -> jira.countRequestsMatching(postRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12/comment"))
                .build()).getCount() == 1, "the comment posted once");

        // sla-bridge restarts before it learns that the comment landed.
        running.close();
        running = null;
        clock.set(Instant.parse("2025-11-20T10:20:00Z"));
        running = new Running();
        running.runtime.tick();
        await(() -> running.store.outboxCounts().getOrDefault("pending", 0L) == 0L, "the outbox drained after the restart");
        Thread.sleep(300); // one more dispatcher round, which must find nothing to send

        assertEquals(1, puts("On track"));
        assertEquals(1, puts("Breached"));
        assertEquals(1, jira.countRequestsMatching(postRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12/comment"))
                .build()).getCount(), "the retried command found its comment and did not post it again");
        jira.verify(postRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12/comment"))
                .withRequestBody(matchingJsonPath("$.properties[?(@.key == 'sd.public.comment')].value.internal",
                        equalTo("true")))
                .withRequestBody(containing("First response on jira:SUP-12 breached: it was due 2025-11-20T10:15:02Z (standard).")));
        assertEquals(1, jira.countRequestsMatching(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                urlPathEqualTo("/rest/api/3/issue/SUP-12/comment")).build()).getCount(),
                "only the retry looked for its comment first; the first attempt cost one call");
        assertTrue(running.store.parked(10).isEmpty(), "nothing parked");
    }

    private int puts(String status) {
        return jira.countRequestsMatching(putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12"))
                .withRequestBody(matchingJsonPath("$.fields.customfield_10100.value", equalTo(status))).build()).getCount();
    }
}
