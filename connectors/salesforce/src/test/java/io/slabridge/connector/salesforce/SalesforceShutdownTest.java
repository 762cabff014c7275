package io.slabridge.connector.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.slabridge.connector.salesforce.SalesforceFixtures.DATA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.time.Duration;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stopping: camel-salesforce revokes the OAuth token ({@code GET /services/oauth2/revoke}). Whatever that answers
 * (401 for a token already revoked, 500, nothing at all) the stop is quick and clean.
 */
class SalesforceShutdownTest {
    /** Well within the 30 s the docs promise for a whole stop. */
    private static final Duration QUICK = Duration.ofSeconds(10);

    private WireMockServer sf;

    @BeforeEach
    void start() {
        sf = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        sf.start();
        sf.stubFor(post(urlPathEqualTo("/services/oauth2/token")).willReturn(okJson(SalesforceFixtures.tokenResponse(sf,
                "token-1"))));
        SalesforceFixtures.stubDescribe(sf, true);
        sf.stubFor(get(urlPathEqualTo(DATA + "/query")).willReturn(okJson("{\"totalSize\":0,\"done\":true,\"records\":[]}")));
    }

    @AfterEach
    void stop() {
        sf.stop();
    }

    private static ResponseDefinitionBuilder revokeAnswer(String kind) {
        return switch (kind) {
            // What Salesforce answers for a token it does not know (already revoked or expired).
            case "401" -> aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":\"invalid_token\",\"error_description\":\"Access token is invalid or expired\"}");
            case "500" -> aResponse().withStatus(500).withHeader("Content-Type", "text/html")
                    .withBody("<html><body>An internal server error has occurred</body></html>");
            case "no answer" -> aResponse().withStatus(200).withFixedDelay(120_000);
            default -> aResponse().withStatus(200);
        };
    }

    @ParameterizedTest(name = "revoke answered {0}")
    @ValueSource(strings = {"200", "401", "500", "no answer"})
    void stopIsQuickWhateverTheTokenRevokeAnswers(String kind) throws Exception {
        sf.stubFor(get(urlPathEqualTo("/services/oauth2/revoke")).willReturn(revokeAnswer(kind)));
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.start();
        SalesforceApi api = SalesforceApi.create(camel, SalesforceFixtures.config(sf).build());
        api.query("SELECT Id FROM Case"); // logged in: there is a token to revoke

        long started = System.nanoTime();
        camel.stop();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        System.out.println("salesforce stop with the revoke answering " + kind + ": " + took.toMillis() + " ms");
        assertTrue(took.compareTo(QUICK) < 0, "stop took " + took);
        assertTrue(camel.isStopped(), "the context stopped");
        assertEquals(1, sf.findAll(getRequestedFor(urlPathEqualTo("/services/oauth2/revoke"))).size(),
                "the token was revoked (asked to be)");
    }
}
