package io.slabridge.routes.app;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS on the webhook port without a proxy in front, with Camel Main's own settings as docs/how-to/run-in-production.md gives them:
 * {@code camel.ssl.*} (the keystore) and {@code camel.server.useGlobalSslContextParameters=true}.
 */
class HttpsWebhookTest {
    private static final String SECRET = "https-test-webhook-secret";

    @TempDir
    Path dir;

    @Test
    void theWebhookPortServesHttpsWithTheConfiguredKeystoreAndRefusesPlainHttp() throws Exception {
        TestKeystore keystore = TestKeystore.create(dir, "tls-keystore-password");
        WireMockServer jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
        try {
            jira.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(okJson(
                    "{\"accountId\":\"712020:sla-bridge-bot\",\"timeZone\":\"UTC\"}")));
            int port = freePort();
            Properties p = new Properties();
            Path policy = Files.writeString(dir.resolve("sla.yaml"), """
                    calendars: { always: { zone: UTC, week: 24x7 } }
                    policies: [ { name: standard, calendar: always, targets: { first_response: 1h } } ]
                    """);
            p.setProperty("sla.policy", policy.toString());
            p.setProperty("sla.store.url", "jdbc:h2:mem:https" + System.nanoTime() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                    + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
            p.setProperty("sla.store.user", "sa");
            p.setProperty("sla.jira.enabled", "true");
            p.setProperty("sla.jira.url", jira.baseUrl());
            p.setProperty("sla.jira.email", "sla-bridge@acme.example");
            p.setProperty("sla.jira.api-token", "token");
            p.setProperty("sla.jira.webhook-secret", SECRET);
            p.setProperty("camel.server.port", Integer.toString(port));
            p.setProperty("camel.management.port", Integer.toString(freePort()));
            // What docs/how-to/run-in-production.md says for HTTPS without a proxy:
            p.setProperty("camel.ssl.enabled", "true");
            p.setProperty("camel.ssl.keyStore", "file:" + keystore.file());
            p.setProperty("camel.ssl.keystorePassword", keystore.password());
            p.setProperty("camel.server.useGlobalSslContextParameters", "true");
            try (SlaBridgeApplication app = SlaBridgeApplication.create(p, Map.of(), Clock.systemUTC())) {
                app.start();
                String body = """
                        {"timestamp":1763630102514,"webhookEvent":"jira:issue_created",
                         "user":{"accountId":"557058:cust-1","accountType":"customer"},
                         "issue":{"id":"10001","key":"SUP-12","fields":{"summary":"Checkout returns 500",
                           "created":"CREATED","status":{"name":"Waiting for support","statusCategory":{"key":"new"}},
                           "priority":{"name":"High"},"reporter":{"accountId":"557058:cust-1","accountType":"customer"}}}}
                        """.replace("CREATED", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()
                        .replace("Z", ".000+0000"));
                HttpClient https = HttpClient.newBuilder().sslContext(keystore.clientContext())
                        .connectTimeout(Duration.ofSeconds(5)).build();
                HttpResponse<String> answer = https.send(HttpRequest.newBuilder(
                                URI.create("https://127.0.0.1:" + port + "/webhooks/jira"))
                        .header("X-Hub-Signature", "sha256=" + hmac(body)).timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode(), answer.body());
                assertTrue(answer.body().contains("SUP-12"), answer.body());
                assertEquals("TLSv1.3", answer.sslSession().orElseThrow().getProtocol());

                assertFalse(plainHttpAnswers(port), "plain HTTP on the HTTPS port gets no answer");
            }
        } finally {
            jira.stop();
        }
    }

    private static boolean plainHttpAnswers(int port) throws InterruptedException {
        try {
            HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/jira"))
                            .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() < 400;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String hmac(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
