package io.slabridge.routes.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.slabridge.store.StoreSettings;
import io.slabridge.routes.testing.FakeCaseDescribe;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import io.slabridge.connector.salesforce.SalesforceMetrics;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Salesforce org's API limit as the management port shows it: readiness and the metrics page. */
class SalesforceLimitMetricTest {
    private static final String DATA = "/services/data/v62.0";
    /** Salesforce's answer to any REST call once the org's rolling 24-hour API request allocation is used up. */
    private static final String LIMIT_BODY = "[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void limitHitsAreACounterOnTheMetricsPageThatKeepsCountingAfterAGarbageCollection() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicLong hits = new AtomicLong();
        SalesforceMetrics.limitHits(registry, hits, AtomicLong::get);

        // Micrometer holds what a counter reads weakly: a reader only it held would be gone, the counter stuck at 0.
        System.gc();
        hits.set(2);
        String page = registry.scrape();

        assertTrue(page.contains("# TYPE sla_salesforce_api_limit_hits_total counter"), page);
        assertTrue(page.contains("sla_salesforce_api_limit_hits_total 2.0"), page);
    }

    /**
     * A whole sla-bridge whose org refuses every query with {@code REQUEST_LIMIT_EXCEEDED}: the process stays ready
     * (a Kubernetes Service keeps sending it Jira's webhooks), and {@code /observe/health?data=true} shows the source limited,
     * until when and why; the metrics page counts the hit.
     */
    @Test
    void whileTheOrgsLimitHoldsTheProcessStaysReadyAndHealthShowsTheSourceLimited() throws Exception {
        WireMockServer sf = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        sf.start();
        try {
            String base = "http://127.0.0.1:" + sf.port();
            sf.stubFor(post(urlPathEqualTo("/services/oauth2/token")).willReturn(okJson("{\"access_token\":\"00Dxx!session\","
                    + "\"instance_url\":\"" + base + "\",\"id\":\"" + base + "/id/00D000000000001EAA/005000000000001AAA\","
                    + "\"token_type\":\"Bearer\",\"issued_at\":\"1763630102514\",\"signature\":\"c2lnbmF0dXJl\"}")));
            sf.stubFor(get(urlPathEqualTo("/services/oauth2/revoke")).willReturn(aResponse().withStatus(200)));
            sf.stubFor(get(urlPathEqualTo(DATA + "/sobjects/Case/describe")).willReturn(okJson(
                    FakeCaseDescribe.json(DATA, false, FakeCaseDescribe.SLA_FIELDS))));
            sf.stubFor(get(urlPathMatching(DATA + "/query/?")).willReturn(aResponse().withStatus(403)
                    .withHeader("Content-Type", "application/json").withBody(LIMIT_BODY)));
            int managementPort = freePort();
            try (SlaBridgeApplication app = SlaBridgeApplication.create(settings(base, managementPort), Map.of(),
                    Clock.systemUTC())) {
                app.start();
                await(() -> sf.countRequestsMatching(getRequestedFor(urlPathMatching(DATA + "/query/?")).build())
                        .getCount() >= 1 && health(managementPort).contains("\"limited\""), () -> "a poll met the limit: "
                        + health(managementPort));

                HttpResponse<String> ready = fetch(managementPort, "/observe/health/ready");
                assertEquals(200, ready.statusCode(), "ready while limited: " + ready.body());
                JsonNode check = check(health(managementPort), "source-salesforce");
                assertEquals("UP", check.path("status").asText(), check.toString());
                JsonNode data = check.path("data");
                assertEquals("limited", data.path("state").asText(), check.toString());
                assertTrue(data.path("limited.reason").asText().contains("TotalRequests Limit exceeded."), check.toString());
                java.time.Instant until = java.time.Instant.parse(data.path("limited.until").asText());
                assertTrue(until.isAfter(java.time.Instant.now().plus(Duration.ofMinutes(14))), "the 15-minute wait: "
                        + check);
                assertTrue(check.path("message").asText().startsWith("limited until " + until), check.toString());

                String metrics = fetch(managementPort, "/observe/metrics").body();
                assertTrue(metrics.contains("sla_salesforce_api_limit_hits_total 1.0"), metrics);
            }
        } finally {
            sf.stop();
        }
    }

    private Properties settings(String salesforceUrl, int managementPort) throws Exception {
        Path policy = Files.writeString(dir.resolve("sla.yaml"), """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: standard
                    calendar: always
                    targets: { first_response: 1h }
                """);
        Properties p = new Properties();
        p.setProperty("sla.policy", policy.toString());
        p.setProperty("sla.store.url", StoreSettings.sqliteFile(dir.resolve("sla-bridge.db")).url());
        p.setProperty("sla.salesforce.enabled", "true");
        p.setProperty("sla.salesforce.login-url", salesforceUrl);
        p.setProperty("sla.salesforce.client-id", "3MVG9-consumer-key");
        p.setProperty("sla.salesforce.client-secret", "consumer-secret");
        p.setProperty("sla.salesforce.poll-interval", "1s");
        p.setProperty("sla.salesforce.field.status", "SLA_Status__c");
        p.setProperty("camel.server.port", Integer.toString(freePort()));
        p.setProperty("camel.management.port", Integer.toString(managementPort));
        return p;
    }

    /** One check of the health answer ({@code checks[]}, each with its {@code name}, {@code status}, {@code data}). */
    private static JsonNode check(String health, String name) throws Exception {
        for (JsonNode c : new ObjectMapper().readTree(health).path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + health);
    }

    private String health(int port) {
        try {
            // Each check's details come with data=true.
            return fetch(port, "/observe/health?data=true").body();
        } catch (Exception e) {
            return "";
        }
    }

    private HttpResponse<String> fetch(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what.get() + " after 30 s");
            }
            Thread.sleep(100);
        }
    }
}
