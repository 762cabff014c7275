package io.slabridge.connector.jira;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JiraHttpTest {
    private WireMockServer jira;
    private DefaultCamelContext camel;
    private JiraHttp http;

    @BeforeEach
    void start() {
        jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
        camel = new DefaultCamelContext();
        camel.start();
        JiraConfig config = JiraConfig.builder().url(URI.create("http://127.0.0.1:" + jira.port()))
                .basic("bot@example.com", "s3cret-token").responseTimeout(Duration.ofMillis(500)).build();
        http = JiraHttp.create(camel, config, Clock.fixed(Instant.parse("2026-11-20T10:00:00Z"), ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        http.close();
        camel.stop();
        jira.stop();
    }

    @Test
    void sendsBasicAuthAndEncodedQueryAndReadsJson() {
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"accountId\":\"abc\",\"timeZone\":\"Europe/Berlin\"}")));
        JiraHttp.Response r = http.get("/rest/api/3/myself", Map.of("expand", "groups applicationRoles"));
        assertTrue(r.ok());
        assertEquals("abc", r.json().path("accountId").asText());
        jira.verify(getRequestedFor(urlPathEqualTo("/rest/api/3/myself"))
                .withQueryParam("expand", equalTo("groups applicationRoles"))
                .withHeader("Authorization", equalTo("Basic Ym90QGV4YW1wbGUuY29tOnMzY3JldC10b2tlbg==")));
    }

    @Test
    void returnsErrorStatusesWithJirasMessagesAndRetryAfter() {
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-1")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "17").withHeader("Content-Type", "application/json")
                .withBody("{\"errorMessages\":[\"Rate limit exceeded.\"],\"errors\":{}}")));
        JiraHttp.Response r = http.get("/rest/api/3/issue/SUP-1", Map.of());
        assertFalse(r.ok());
        assertEquals(429, r.status());
        assertEquals(Duration.ofSeconds(17), r.retryAfter());
        assertEquals("GET /rest/api/3/issue/SUP-1: HTTP 429; Rate limit exceeded.", r.error());
    }

    @Test
    void rateLimitResetHeaderIsUsedWhenThereIsNoRetryAfter() {
        jira.stubFor(get(urlPathEqualTo("/x")).willReturn(aResponse().withStatus(429)
                .withHeader("X-RateLimit-Reset", "2026-11-20T10:01:30Z")));
        assertEquals(Duration.ofSeconds(90), http.get("/x", Map.of()).retryAfter());
    }

    @Test
    void timeoutIsUnavailableAndNamesNoSecret() {
        jira.stubFor(get(urlPathEqualTo("/slow")).willReturn(aResponse().withStatus(200).withFixedDelay(2_000)));
        JiraUnavailableException e = assertThrows(JiraUnavailableException.class, () -> http.get("/slow", Map.of()));
        assertTrue(e.getMessage().startsWith("GET /slow: "), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }

    @Test
    void theFirstSuccessfulCallIsLoggedOnceWithTheBaseUrlAndTheUser() {
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"errorMessages\":[\"Unauthorized\"]}")));
        try (LogCapture log = new LogCapture()) {
            http.get("/rest/api/3/myself", Map.of());
            assertEquals(List.of(), log.lines("Jira reached"), "a refused call is not a success");

            jira.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"accountId\":\"712020:bot\",\"displayName\":\"SLA Bridge\"}")));
            http.get("/rest/api/3/myself", Map.of());
            http.get("/rest/api/3/myself", Map.of());

            List<String> reached = log.lines("Jira reached");
            assertEquals(1, reached.size(), reached::toString);
            assertTrue(reached.get(0).contains("INFO"), reached.get(0));
            assertTrue(reached.get(0).contains("Jira reached at http://127.0.0.1:" + jira.port()
                    + " as SLA Bridge (712020:bot)"), reached.get(0));
            assertFalse(reached.get(0).contains("s3cret"), reached.get(0));
        }
    }
}
