package io.slabridge.connector.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.slabridge.connector.salesforce.SalesforceFixtures.DATA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.SummaryState;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.store.SlaStore;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The org-wide API request limit: an org that answers {@code REQUEST_LIMIT_EXCEEDED} to every REST call. Once one
 * call meets it, polls and write-backs send nothing until {@code sla.salesforce.limit-retry-after} has passed, then
 * both resume.
 */
class SalesforceApiLimitTest {
    private static final Instant NOW = Instant.parse("2025-11-20T12:00:00Z");
    private static final String CASE_A = "500000000000001AAA";
    /** Salesforce's answer to any REST call once the org's rolling 24-hour API request allocation is used up. */
    private static final String LIMIT_BODY = "[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]";

    private WireMockServer sf;
    private DefaultCamelContext camel;
    private SlaStore store;
    private final MutableClock clock = new MutableClock(NOW);

    @BeforeEach
    void start() {
        sf = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        sf.start();
        SalesforceFixtures.stubLogin(sf, "token-1");
        camel = new DefaultCamelContext();
        camel.start();
        store = JdbcSlaStore.open(StoreSettings.inMemory("sf-limit-" + UUID.randomUUID()));
    }

    @AfterEach
    void stop() {
        store.close();
        camel.stop();
        sf.stop();
    }

    private void orgRefusesEverything() {
        for (MappingBuilder m : List.of(get(urlPathMatching(DATA + "/query.*")), patch(urlPathMatching(DATA + "/composite/.*")))) {
            sf.stubFor(m.atPriority(1).willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                    .withBody(LIMIT_BODY)));
        }
    }

    private void orgAnswersAgain() {
        sf.resetMappings();
        SalesforceFixtures.stubLogin(sf, "token-1");
        sf.stubFor(get(urlPathEqualTo(DATA + "/query")).willReturn(okJson("{\"totalSize\":0,\"done\":true,\"records\":[]}")));
        sf.stubFor(patch(urlPathEqualTo(DATA + "/composite/sobjects")).willReturn(okJson(
                "[{\"id\":\"" + CASE_A + "\",\"success\":true,\"errors\":[]}]")));
    }

    /** REST calls the org received (logins and the token revoke left out). */
    private int restCalls() {
        return sf.findAll(anyRequestedFor(urlPathMatching("/services/data/.*"))).size();
    }

    private static OutboxCommand slaFields(long id, int attempts) {
        return new OutboxCommand(id, "salesforce:" + CASE_A, "salesforce", new WriteBack.SlaFields(SummaryState.AT_RISK,
                NOW.plusSeconds(3600), Map.of(Metric.FIRST_RESPONSE, NOW.plusSeconds(3600))),
                "salesforce:" + CASE_A + "/sla_fields/" + id, NOW, attempts);
    }

    @Test
    void onceTheOrgsLimitIsMetPollsAndWritesSendNothingUntilTheWaitIsOverThenBothResume() throws Exception {
        orgRefusesEverything();
        SalesforceConfig config = SalesforceFixtures.config(sf).set(SalesforceSettings.POLL_INTERVAL, "5s")
                .set(SalesforceSettings.LIMIT_RETRY_AFTER, "30s").build();
        SalesforceRoutes routes = new SalesforceRoutes(config, store, "direct:ingest", clock).withoutPollTimer();
        camel.addRoutes(routes);
        SalesforceWriter writer = new SalesforceWriter(routes.api());

        routes.poll();
        int afterFirst = restCalls();
        assertTrue(afterFirst >= 1, "the first poll asked Salesforce");
        assertEquals(1, routes.api().limitHits(), "the limit hit is counted");
        SalesforceApi.Limited limited = routes.api().limitedNow().orElseThrow();
        assertEquals(NOW.plusSeconds(30), limited.until());
        assertTrue(limited.reason().contains("TotalRequests Limit exceeded."), limited.reason());

        // The poll timer ticks every 5 s; the write-backs go on too. Nothing reaches the org during the wait.
        for (int tick = 1; tick < 6; tick++) {
            clock.advance(Duration.ofSeconds(5));
            routes.poll();
            List<WriteResult> results = writer.writeAll(List.of(slaFields(tick, 0)));
            WriteResult.RetryAfter wait = assertInstanceOf(WriteResult.RetryAfter.class, results.get(0));
            assertEquals(Duration.ofSeconds(30 - 5L * tick), wait.delay(), "the write waits as long as the limit");
            assertTrue(wait.reason().contains("REQUEST_LIMIT_EXCEEDED"), wait.reason());
        }
        assertEquals(afterFirst, restCalls(), "no Salesforce call while the limit's wait lasts");
        assertEquals(1, routes.api().limitHits());
        assertTrue(routes.pollStatus().failingSince() != null);

        orgAnswersAgain();
        clock.advance(Duration.ofSeconds(5)); // 30 s after the limit was met
        routes.poll();
        assertTrue(restCalls() > afterFirst, "polls resume once the wait is over");
        assertEquals(null, routes.pollStatus().failingSince(), "the poll went through");
        assertInstanceOf(WriteResult.Done.class, writer.writeAll(List.of(slaFields(9, 1))).get(0), "writes resume");
        assertTrue(routes.api().limitedNow().isEmpty());
    }
}
