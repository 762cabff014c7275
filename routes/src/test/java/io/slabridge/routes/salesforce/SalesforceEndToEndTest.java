package io.slabridge.routes.salesforce;

import io.slabridge.core.testing.MutableClock;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.slabridge.connector.salesforce.SalesforceApi;
import io.slabridge.connector.salesforce.SalesforceConfig;
import io.slabridge.connector.salesforce.SalesforcePoller;
import io.slabridge.connector.salesforce.SalesforceRoutes;
import io.slabridge.connector.salesforce.SalesforceWriter;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.runtime.OutboxDispatcher;
import io.slabridge.core.runtime.RetryPolicy;
import io.slabridge.core.runtime.Scheduler;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.routes.runtime.SlaRuntimeRoutes;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path through real Camel routes, a real store and a WireMock Salesforce (token endpoint included): a
 * Case created with priority High is polled in; at 75% of its first-response target the SLA status field says
 * {@code At risk}; at the breach it says {@code Breached} and one internal CaseComment is created, exactly once,
 * though sla-bridge restarts in the middle and the comment's first answer is lost; and the comment, read back
 * by the next poll, is no activity.
 */
class SalesforceEndToEndTest {
    private static final String CASE = "500Qy00000AbCdEIAV";
    private static final String US = "005Qy00000SlaBotIAA";
    private static final String DATA = "/services/data/v62.0";
    private static final String KEY = "salesforce:" + CASE + "/first_response/1/breached/0";

    @TempDir
    Path dir;

    private WireMockServer sf;
    private final MutableClock clock = new MutableClock(Instant.parse("2025-11-20T09:00:30Z"));
    private Running running;


    /** One life of sla-bridge: its store, runtime, Camel context and Salesforce client. */
    final class Running implements AutoCloseable {
        final JdbcSlaStore store;
        final SlaRuntime runtime;
        final DefaultCamelContext camel;
        final SalesforceRoutes salesforce;

        Running() throws Exception {
            store = JdbcSlaStore.open(StoreSettings.h2File(dir.resolve("sla")));
            runtime = SlaRuntime.of(store, PolicyFileParser.parse(dir.resolve("sla.yaml")), clock);
            SalesforceConfig config = SalesforceConfig.builder().loginUrl("http://127.0.0.1:" + sf.port())
                    .clientCredentials("3MVG9-e2e", "e2e-secret").statusField("SLA_Status__c")
                    .nextDueField("SLA_Next_Due__c").tierField("Account.Tier__c").build();
            camel = new DefaultCamelContext();
            Properties settings = new Properties();
            settings.setProperty("sla.outbox.poll-interval", "50");
            camel.getPropertiesComponent().setInitialProperties(settings);
            SalesforceApi api = SalesforceApi.create(camel, config);
            OutboxDispatcher dispatcher = new OutboxDispatcher(store, Map.of("salesforce", new SalesforceWriter(api)),
                    clock, new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(2), 5), new Random(7));
            camel.addRoutes(new SlaRuntimeRoutes(runtime, new Scheduler(runtime, clock, Duration.ofMillis(200)), dispatcher,
                    null));
            salesforce = new SalesforceRoutes(config, store, SlaRuntimeRoutes.INGEST, clock).withApi(api).withoutPollTimer();
            camel.addRoutes(salesforce);
            camel.start();
        }

        @Override
        public void close() {
            camel.stop();
            store.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("sla.yaml"), """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: high
                    when: { priority: [high] }
                    calendar: always
                    targets: { first_response: 1h }
                warnings: ["75%"]
                escalations:
                  - name: breached
                    at: breach
                    metrics: [first_response]
                    actions:
                      - comment: { visibility: internal, text: "First response on {ticket} breached: it was due {due} ({policy})." }
                """);
        sf = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        sf.start();
        String base = "http://127.0.0.1:" + sf.port();
        sf.stubFor(post(urlPathEqualTo("/services/oauth2/token")).willReturn(okJson("{\"access_token\":\"e2e-token\","
                + "\"instance_url\":\"" + base + "\",\"id\":\"" + base + "/id/00DQy000001gPLEAY/" + US + "\","
                + "\"token_type\":\"Bearer\",\"issued_at\":\"1763629200000\",\"signature\":\"c2ln\"}")));
        sf.stubFor(get(urlPathEqualTo("/services/oauth2/revoke")).willReturn(aResponse().withStatus(200)));
        sf.stubFor(get(urlPathEqualTo(DATA + "/sobjects/Case/describe")).willReturn(okJson(
                io.slabridge.routes.testing.FakeCaseDescribe.json(DATA, true, io.slabridge.routes.testing.FakeCaseDescribe.SLA_FIELDS))));
        sf.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("FROM Case WHERE")).willReturn(okJson("""
                {"totalSize":1,"done":true,"records":[{"attributes":{"type":"Case"},"Id":"500Qy00000AbCdEIAV",
                 "CaseNumber":"00001026","Subject":"Checkout returns 500","Status":"New","Priority":"High",
                 "Origin":"Web","IsStopped":false,"StopStartDate":null,"CreatedDate":"2025-11-20T09:00:00.000+0000",
                 "CreatedBy":{"Name":"Site Guest User"},"SystemModstamp":"2025-11-20T09:00:00.000+0000",
                 "Account":{"Tier__c":"Gold"},"Histories":null}]}""")));
        sf.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("FROM EmailMessage WHERE"))
                .willReturn(okJson("{\"totalSize\":0,\"done\":true,\"records\":[]}")));
        sf.stubFor(patch(urlPathEqualTo(DATA + "/composite/sobjects")).willReturn(okJson(
                "[{\"id\":\"" + CASE + "\",\"success\":true,\"errors\":[]}]")));
        // The comment is created, but its answer is lost on the way back (the process dies, say).
        sf.stubFor(post(urlPathEqualTo(DATA + "/composite/sobjects")).inScenario("comment")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("posted")
                .willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));
        sf.stubFor(post(urlPathEqualTo(DATA + "/composite/sobjects")).inScenario("comment").whenScenarioStateIs("posted")
                .willReturn(okJson("[{\"id\":\"00aQy0000000001IAA\",\"success\":true,\"errors\":[]}]")));
        String none = "{\"totalSize\":0,\"done\":true,\"records\":[]}";
        String ours = """
                {"totalSize":1,"done":true,"records":[{"attributes":{"type":"CaseComment"},"Id":"00aQy0000000001IAA",
                 "ParentId":"500Qy00000AbCdEIAV","IsPublished":false,"CreatedById":"005Qy00000SlaBotIAA",
                 "CreatedBy":{"Name":"SLA Bridge","UserType":"Standard"},"CreatedDate":"2025-11-20T10:00:02.000+0000",
                 "SystemModstamp":"2025-11-20T10:00:02.000+0000",
                 "CommentBody":"First response on salesforce:500Qy00000AbCdEIAV breached.\\n\\n[sla-bridge KEY]"}]}
                """.replace("KEY", KEY);
        for (String q : new String[] {"FROM CaseComment WHERE SystemModstamp", "FROM CaseComment WHERE ParentId IN"}) {
            sf.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing(q)).inScenario("comment")
                    .whenScenarioStateIs(Scenario.STARTED).willReturn(okJson(none)));
            sf.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing(q)).inScenario("comment")
                    .whenScenarioStateIs("posted").willReturn(okJson(ours)));
        }
        running = new Running();
    }

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
        sf.stop();
    }

    @Test
    void aHighCaseGoesAtRiskThenBreachedWithOneInternalCommentExactlyOnceAcrossARestart() throws Exception {
        running.salesforce.poll();
        await(() -> writes("On track") == 1, "the SLA fields written as On track");

        // 75% of the 1 h first-response target: the warning.
        clock.set(Instant.parse("2025-11-20T09:45:01Z"));
        running.runtime.tick();
        await(() -> writes("At risk") == 1, "the SLA status written as At risk");
        assertEquals(0, writes("Breached"));

        // One second past the due instant (10:00:00): the breach; the field write goes out, and the comment's
        // answer is lost.
        clock.set(Instant.parse("2025-11-20T10:00:01Z"));
        running.runtime.tick();
        await(() -> writes("Breached") == 1, "the SLA status written as Breached");
        await(() -> commentCreates() == 1, "the comment created once");

        // sla-bridge restarts before it learns that the comment landed.
        running.close();
        running = null;
        clock.set(Instant.parse("2025-11-20T10:05:00Z"));
        running = new Running();
        running.runtime.tick();
        await(() -> running.store.outboxCounts().getOrDefault("pending", 0L) == 0L, "the outbox drained after the restart");
        // The next poll reads our comment back: no activity, so no first response.
        running.salesforce.poll();
        Thread.sleep(300); // one more dispatcher round, which must find nothing to send

        assertEquals(1, writes("On track"));
        assertEquals(1, writes("At risk"));
        assertEquals(1, writes("Breached"));
        assertEquals(1, commentCreates(), "the retried command found its comment and did not create it again");
        sf.verify(postRequestedFor(urlPathEqualTo(DATA + "/composite/sobjects"))
                .withRequestBody(matchingJsonPath("$.records[0].attributes.type", equalTo("CaseComment")))
                .withRequestBody(matchingJsonPath("$.records[0].IsPublished", equalTo("false")))
                .withRequestBody(containing("First response on salesforce:" + CASE
                        + " breached: it was due 2025-11-20T10:00:00Z (high).")));
        assertEquals(1, sf.countRequestsMatching(getRequestedFor(urlPathEqualTo(DATA + "/query"))
                .withQueryParam("q", containing("FROM CaseComment WHERE ParentId IN")).build()).getCount(),
                "only the retry looked for its comment first; the first attempt cost one call");
        assertTrue(running.store.parked(10).isEmpty(), "nothing parked");
        assertEquals("2025-11-20T10:00:02Z", running.store.cursor(SalesforcePoller.COMMENT_CURSOR).orElseThrow());
        assertEquals(1, running.store.outboxCounts().getOrDefault("done", 0L) - 3, "three field writes and one comment");
    }

    private int writes(String status) {
        return sf.countRequestsMatching(patchRequestedFor(urlPathEqualTo(DATA + "/composite/sobjects"))
                .withRequestBody(matchingJsonPath("$.records[0].SLA_Status__c", equalTo(status))).build()).getCount();
    }

    private int commentCreates() {
        return sf.countRequestsMatching(postRequestedFor(urlPathEqualTo(DATA + "/composite/sobjects")).build()).getCount();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
