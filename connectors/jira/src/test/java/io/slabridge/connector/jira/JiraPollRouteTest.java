package io.slabridge.connector.jira;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.slabridge.connector.jira.JiraFixtures.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.slabridge.core.store.SlaStore;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The poll route's waiting: what Jira asks for after a 429, a doubling backoff after other failures. */
class JiraPollRouteTest {
    private WireMockServer jira;
    private DefaultCamelContext camel;
    private SlaStore store;
    private JiraRoutes routes;
    private final MutableClock clock = new MutableClock(Instant.parse("2025-11-20T12:00:00Z"));


    @BeforeEach
    void start() throws Exception {
        jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(okJson(text("cloud/myself.json"))));
        store = JdbcSlaStore.open(StoreSettings.inMemory("jira-poll-route-" + UUID.randomUUID()));
        camel = new DefaultCamelContext();
        VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
        server.setBindHost("127.0.0.1");
        try (ServerSocket s = new ServerSocket(0)) {
            server.setBindPort(s.getLocalPort());
        }
        camel.addService(new VertxPlatformHttpServer(server));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ingest").log("page");
            }
        });
        routes = new JiraRoutes(JiraFixtures.cloud("http://127.0.0.1:" + jira.port()).pollInterval(Duration.ofSeconds(60))
                .build(), store, "direct:ingest", clock).withoutPollTimer();
        camel.addRoutes(routes);
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        store.close();
        jira.stop();
    }

    private int searches() {
        return jira.countRequestsMatching(postRequestedFor(urlPathEqualTo("/rest/api/3/search/jql")).build()).getCount();
    }

    @Test
    void after429TheNextPollWaitsForRetryAfter() {
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/search/jql")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "300")));
        routes.poll();
        assertEquals(1, searches());
        clock.advance(Duration.ofSeconds(299));
        routes.poll();
        assertEquals(1, searches(), "Jira asked for 300 s");
        clock.advance(Duration.ofSeconds(1));
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/search/jql")).willReturn(okJson("{\"issues\":[],\"isLast\":true}")));
        routes.poll();
        assertEquals(2, searches());
        routes.poll();
        assertEquals(3, searches(), "a good poll ends the wait");
    }

    @Test
    void serverErrorsBackOffDoublingFromThePollInterval() {
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/search/jql")).willReturn(aResponse().withStatus(503)));
        routes.poll(); // fails: wait 60 s
        clock.advance(Duration.ofSeconds(60));
        routes.poll(); // fails: wait 120 s
        assertEquals(2, searches());
        clock.advance(Duration.ofSeconds(119));
        routes.poll();
        assertEquals(2, searches());
        clock.advance(Duration.ofSeconds(1));
        routes.poll();
        assertEquals(3, searches());
    }
}
