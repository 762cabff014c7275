package io.slabridge.routes.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SLA board as {@code run} serves it: on its own port when set, over HTTPS with camel.ssl.*, its settings checked. */
class BoardInRunTest {
    @TempDir
    Path dir;

    private Properties settings() throws IOException {
        Path policy = Files.writeString(dir.resolve("sla.yaml"), """
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: standard, calendar: always, targets: { first_response: 1h } } ]
                """);
        Properties p = new Properties();
        p.setProperty("sla.policy", policy.toString());
        p.setProperty("sla.store.url", "jdbc:h2:mem:board" + System.nanoTime() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        p.setProperty("sla.store.user", "sa");
        p.setProperty("camel.server.port", Integer.toString(freePort()));
        p.setProperty("camel.management.port", Integer.toString(freePort()));
        return p;
    }

    @Test
    void runServesTheBoardOverHttpsWithTheKeystoreOfCamelSslToItsUsersOnly() throws Exception {
        TestKeystore keystore = TestKeystore.create(dir, "tls-keystore-password");
        int port = freePort();
        Properties p = settings();
        p.setProperty("sla.board.port", Integer.toString(port));
        p.setProperty("sla.board.host", "127.0.0.1");
        p.setProperty("sla.board.https", "true");
        p.setProperty("sla.board.user.lead", DemoHash.DEMO);
        p.setProperty("camel.ssl.enabled", "true");
        p.setProperty("camel.ssl.keyStore", "file:" + keystore.file());
        p.setProperty("camel.ssl.keystorePassword", keystore.password());
        try (SlaBridgeApplication app = SlaBridgeApplication.create(p, Map.of(), Clock.systemUTC())) {
            app.start();
            assertEquals("https://127.0.0.1:" + port + "/", app.board().orElseThrow().url());
            HttpClient https = HttpClient.newBuilder().sslContext(keystore.clientContext())
                    .connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> data = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
                    + "/api/data")).header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    "lead:demo".getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, data.statusCode(), data.body());
            assertTrue(data.body().contains("\"tickets\":[]"), data.body());
            assertEquals("TLSv1.3", data.sslSession().orElseThrow().getProtocol());
            assertEquals(401, https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/api/data"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> login = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
                    + "/login")).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("user=lead&password=demo")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(cookie.contains("Secure"), "over HTTPS the session cookie is Secure: " + cookie);
        }
    }

    @Test
    void aBoardOpenToAnyoneIsOnlyWhatTheSettingsSayAndIsWarnedAbout() throws Exception {
        Properties p = settings();
        p.setProperty("sla.board.port", Integer.toString(freePort()));
        p.setProperty("sla.board.host", "127.0.0.1");
        p.setProperty("sla.board.auth", "none");
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try (SlaBridgeApplication app = SlaBridgeApplication.create(p, Map.of(), Clock.systemUTC())) {
            app.start();
            HttpResponse<String> data = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(app.board().orElseThrow().url() + "api/data")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, data.statusCode());
        } finally {
            System.setErr(err);
        }
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("WARN") && text.contains("sla.board.auth=none: anyone who reaches"), text);
    }

    @Test
    void withoutItsPortThereIsNoBoard() throws Exception {
        try (SlaBridgeApplication app = SlaBridgeApplication.create(settings(), Map.of(), Clock.systemUTC())) {
            app.start();
            assertTrue(app.board().isEmpty());
        }
    }

    @Test
    void aBoardWithoutUsersOrWithABadHashIsRefusedBeforeAnythingStartsAndTheHashIsNotShown() throws Exception {
        Properties none = settings();
        none.setProperty("sla.board.port", "8099");
        StartupException noUsers = assertThrows(StartupException.class,
                () -> SlaBridgeApplication.create(none, Map.of(), Clock.systemUTC()));
        assertTrue(noUsers.problems().stream().anyMatch(m -> m.startsWith("sla.board.auth: users, but no user is set")),
                noUsers.problems().toString());

        Properties bad = settings();
        bad.setProperty("sla.board.port", "8099");
        bad.setProperty("sla.board.user.bob", "plain-text-password");
        bad.setProperty("sla.board.auth", "proxy");
        StartupException problems = assertThrows(StartupException.class,
                () -> SlaBridgeApplication.create(bad, Map.of(), Clock.systemUTC()));
        String all = problems.problems().toString();
        assertTrue(all.contains("sla.board.user.bob: not a bcrypt hash"), all);
        assertTrue(all.contains("sla.board.proxy.addresses: missing"), all);
        assertFalse(all.contains("plain-text-password"), "a secret is named, never shown: " + all);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The demo's board password hash: "demo", bcrypt cost 10. */
    private static final class DemoHash {
        static final String DEMO = "$2a$10$wxRbp.9HUog1MP0clZ.kp.2vCqiCf73eNNpPsOfKtzzPFUoyz6Dla";
    }
}
