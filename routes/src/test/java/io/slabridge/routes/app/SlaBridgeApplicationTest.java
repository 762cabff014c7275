package io.slabridge.routes.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sla-bridge run} as a whole, in the style of a {@code @CamelMainTest}: Camel Main with the real routes, store,
 * HTTP servers, health and metrics, against a WireMock Jira on loopback.
 */
class SlaBridgeApplicationTest {
    private static final String SECRET = "run-test-webhook-secret";
    private static final String TOKEN = "run-test-api-token-XYZ";

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Properties settings(String jiraUrl, int serverPort, int managementPort) throws Exception {
        Path policy = dir.resolve("sla.yaml");
        Files.writeString(policy, """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: standard
                    calendar: always
                    targets: { first_response: 1h }
                """);
        Properties p = new Properties();
        p.setProperty("sla.policy", policy.toString());
        p.setProperty("sla.store.url", "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
        p.setProperty("sla.store.user", "sa");
        p.setProperty("sla.jira.enabled", "true");
        p.setProperty("sla.jira.url", jiraUrl);
        p.setProperty("sla.jira.email", "sla-bridge@acme.example");
        p.setProperty("sla.jira.api-token", TOKEN);
        p.setProperty("sla.jira.webhook-secret", SECRET);
        p.setProperty("sla.jira.service-management", "true");
        p.setProperty("sla.jira.field.status", "customfield_10100");
        p.setProperty("sla.outbox.poll-interval", "100");
        p.setProperty("camel.server.port", Integer.toString(serverPort));
        p.setProperty("camel.management.port", Integer.toString(managementPort));
        return p;
    }

    @Test
    void runServesWebhooksWritesBackAndReportsHealthAndMetrics() throws Exception {
        WireMockServer jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
        try {
            jira.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(okJson(
                    "{\"accountId\":\"712020:sla-bridge-bot\",\"timeZone\":\"UTC\"}")));
            jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-12")).willReturn(aResponse().withStatus(204)));
            int serverPort = freePort();
            int managementPort = freePort();
            try (SlaBridgeApplication app = SlaBridgeApplication.create(settings("http://127.0.0.1:" + jira.port(),
                    serverPort, managementPort), Map.of(), Clock.systemUTC())) {
                app.start();
                String created = java.time.Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        .toString().replace("Z", ".000+0000");
                String body = """
                        {"timestamp":1763630102514,"webhookEvent":"jira:issue_created",
                         "user":{"accountId":"557058:cust-1","accountType":"customer"},
                         "issue":{"id":"10001","key":"SUP-12","fields":{"summary":"Checkout returns 500",
                           "created":"CREATED","status":{"name":"Waiting for support","statusCategory":{"key":"new"}},
                           "priority":{"name":"High"},"reporter":{"accountId":"557058:cust-1","accountType":"customer"}}}}
                        """.replace("CREATED", created);
                HttpResponse<String> hook = client.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + serverPort + "/webhooks/jira"))
                        .header("X-Hub-Signature", "sha256=" + hmac(body)).POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, hook.statusCode(), hook.body());
                // Above sla.jira.webhook-max-bytes (1 MiB): the webhook's 413 and reason; far above it (twice), the
                // HTTP server refuses it before holding it in memory.
                for (int size : new int[] {(1 << 20) + 1, 3 << 20}) {
                    byte[] big = new byte[size];
                    java.util.Arrays.fill(big, (byte) ' ');
                    HttpResponse<String> tooBig = client.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + serverPort + "/webhooks/jira"))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
                    assertEquals(413, tooBig.statusCode(), size + " bytes: " + tooBig.body());
                    assertEquals(size < 2 << 20, tooBig.body().contains("the limit is 1048576"), tooBig.body());
                }
                await(() -> jira.countRequestsMatching(putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12"))
                        .withRequestBody(matchingJsonPath("$.fields.customfield_10100.value", equalTo("On track")))
                        .build()).getCount() == 1, "the SLA status field written to Jira");

                HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + "/observe/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode(), health.body());
                assertTrue(health.body().contains("\"status\": \"UP\"") || health.body().contains("\"status\":\"UP\""),
                        health.body());
                assertTrue(health.body().contains("store") && health.body().contains("source-jira"), health.body());

                HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + managementPort + "/observe/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, metrics.statusCode());
                String text = metrics.body();
                assertTrue(text.lines().anyMatch(l -> l.startsWith("sla_events_in_total{") && l.contains("source=\"jira\"")
                        && l.contains("outcome=\"accepted\"") && l.endsWith(" 1.0")), text);
                assertTrue(text.lines().anyMatch(l -> l.startsWith("sla_writebacks_total{") && l.contains("kind=\"sla_fields\"")
                        && l.contains("outcome=\"done\"")), text);
                assertTrue(text.contains("sla_outbox_commands{"), text);
                assertTrue(text.contains("# TYPE sla_events_in_total counter"), text);
                assertTrue(text.contains("routeId=\"jira-webhook\""), "Camel's own route metrics");
                assertFalse(text.contains(TOKEN) || text.contains(SECRET), "no secret in the metrics");
            }
        } finally {
            jira.stop();
        }
    }

    @Test
    void everyWrongSettingIsNamedBeforeAnythingStarts() {
        Properties p = new Properties();
        p.setProperty("sla.jira.enabled", "yes please");
        p.setProperty("sla.store.url", "mysql://db");
        StartupException e = assertThrows(StartupException.class,
                () -> SlaBridgeApplication.create(p, Map.of(), Clock.systemUTC()));
        assertEquals(List.of(
                "sla.policy: missing; expected the path of the SLA policy file (YAML), e.g. sla.yaml",
                "sla.store.url must be a jdbc:postgresql:, jdbc:sqlite: or jdbc:h2: URL, not 'mysql://db'",
                "sla.jira.enabled: 'yes please'; expected true or false"), e.problems());
    }

    @Test
    void theSchedulersLongestSleepIsASettingInMilliseconds() throws Exception {
        Properties p = settings("http://127.0.0.1:1", 1, 2);
        p.setProperty("sla.scheduler.max-sleep", "soon");
        StartupException e = assertThrows(StartupException.class,
                () -> SlaBridgeApplication.create(p, Map.of(), Clock.systemUTC()));
        assertEquals(List.of("sla.scheduler.max-sleep: 'soon'; expected a duration such as 30s, 5m, 1h, 2d or PT30S"),
                e.problems());
        p.setProperty("sla.scheduler.max-sleep", "200");
        SlaBridgeApplication.create(p, Map.of(), Clock.systemUTC()).close();
    }

    @Test
    void settingsTheConfigFuzzFoundUncheckedAreNamedToo() throws Exception {
        // StartupConfigFuzzProperties found these accepted (a route failing later, or a value silently read as
        // false) or crashing create() with an InvalidPathException.
        Properties p = settings("http://127.0.0.1:1", 1, 2);
        p.setProperty("sla.outbox.poll-interval", "-5x");
        p.setProperty("sla.outbox.batch", "lots");
        p.setProperty("sla.policy.reload-interval", "0s");
        p.setProperty("sla.jira.service-management", "yes");
        p.setProperty("sla.policy", "sla\u0000.yaml");
        StartupException e = assertThrows(StartupException.class,
                () -> SlaBridgeApplication.create(p, Map.of(), Clock.systemUTC()));
        assertEquals(List.of("sla.policy: 'sla\u0000.yaml' is not a path (Nul character not allowed)",
                "sla.jira.service-management: 'yes'; expected true or false",
                "sla.outbox.poll-interval: '-5x'; expected a duration such as 30s, 5m, 1h, 2d or PT30S",
                "sla.outbox.batch: 'lots'; expected a whole number from 1 to 10000",
                "sla.policy.reload-interval: '0s'; expected a duration such as 30s, 5m, 1h, 2d or PT30S"), e.problems());
    }

    @Test
    void theOutboxLeaseMustOutlastAWriteBackCall() throws Exception {
        Properties p = settings("http://127.0.0.1:1", 1, 2);
        p.setProperty("sla.jira.response-timeout", "8s");
        p.setProperty("sla.jira.connect-timeout", "2s");
        p.setProperty("sla.outbox.lease", "10s");
        StartupException e = assertThrows(StartupException.class,
                () -> SlaBridgeApplication.create(p, Map.of(), Clock.systemUTC()));
        assertEquals(List.of("sla.outbox.lease: 10000 ms is not longer than a write-back call may take "
                + "(sla.jira.connect-timeout + sla.jira.response-timeout = 10s): a command still being written could be "
                + "written twice"), e.problems());
        p.setProperty("sla.outbox.lease", "11s");
        SlaBridgeApplication.create(p, Map.of(), Clock.systemUTC()).close();
    }

    @Test
    void jiraSettingsAreCheckedWhenJiraIsEnabledAndSecretsNeverShow() throws Exception {
        Properties p = settings("acme.atlassian.net", 1, 2);
        p.remove("sla.jira.email");
        p.setProperty("sla.jira.poll-interval", "soon");
        Files.writeString(Path.of(p.getProperty("sla.policy")), "policies: [ { name: x } ]\n");
        StartupException e = assertThrows(StartupException.class,
                () -> SlaBridgeApplication.create(p, Map.of(), Clock.systemUTC()));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("sla.policy: "), all);
        assertTrue(all.contains("sla.jira.url: 'acme.atlassian.net'; expected an absolute http or https URL"), all);
        assertTrue(all.contains("sla.jira.api-token / sla.jira.email / sla.jira.pat: missing"), all);
        assertTrue(all.contains("sla.jira.poll-interval: 'soon'; expected a duration"), all);
        assertFalse(all.contains(TOKEN) || all.contains(SECRET), all);
    }

    @Test
    void salesforceAndEmailSettingsAreCheckedWhenEnabled() throws Exception {
        Properties p = settings("https://acme.atlassian.net", 1, 2);
        p.setProperty("sla.salesforce.enabled", "true");
        p.setProperty("sla.email.enabled", "true");
        StartupException e = assertThrows(StartupException.class,
                () -> SlaBridgeApplication.create(p, Map.of(), Clock.systemUTC()));
        assertTrue(e.problems().stream().anyMatch(l -> l.startsWith("sla.salesforce.")), e.problems().toString());
        assertTrue(e.problems().stream().anyMatch(l -> l.startsWith("sla.email.")), e.problems().toString());
        assertTrue(e.problems().stream().noneMatch(l -> l.startsWith("sla.jira.")), "Jira's settings are fine");
    }

    /** A Salesforce field the org does not have (its Case describe): the application does not start, naming it. */
    @Test
    void aSalesforceFieldTheOrgLacksStopsTheStartNamingItsProperty() throws Exception {
        WireMockServer sf = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        sf.start();
        try {
            String base = "http://127.0.0.1:" + sf.port();
            sf.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/services/oauth2/token"))
                    .willReturn(okJson("{\"access_token\":\"t\",\"instance_url\":\"" + base + "\",\"id\":\"" + base
                            + "/id/00D000000000001EAA/005000000000001AAA\",\"token_type\":\"Bearer\","
                            + "\"issued_at\":\"1763630102514\",\"signature\":\"c2ln\"}")));
            sf.stubFor(get(urlPathEqualTo("/services/oauth2/revoke")).willReturn(aResponse().withStatus(200)));
            sf.stubFor(get(urlPathEqualTo("/services/data/v62.0/sobjects/Case/describe")).willReturn(okJson(
                    io.slabridge.routes.testing.FakeCaseDescribe.json("/services/data/v62.0", false,
                            Map.of("SLA_Next_Due__c", "datetime")))));
            Properties p = settings("https://acme.atlassian.net", freePort(), freePort());
            p.setProperty("sla.jira.enabled", "false");
            p.setProperty("sla.salesforce.enabled", "true");
            p.setProperty("sla.salesforce.login-url", base);
            p.setProperty("sla.salesforce.client-id", "3MVG9-consumer-key");
            p.setProperty("sla.salesforce.client-secret", "consumer-secret-4Qz");
            p.setProperty("sla.salesforce.field.status", "SLA_Status__c");
            p.setProperty("sla.salesforce.field.next-due", "SLA_Next_Due__c");
            SlaBridgeApplication app = SlaBridgeApplication.create(p, Map.of(), Clock.systemUTC());
            try {
                Exception e = assertThrows(Exception.class, app::run);
                Throwable root = e;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                assertTrue(root.getMessage().startsWith("sla.salesforce.field.status: Case has no field 'SLA_Status__c'"),
                        root.getMessage());
                assertFalse(root.getMessage().contains("consumer-secret-4Qz"), root.getMessage());
            } finally {
                app.close();
            }
            // As `sla-bridge run` says it: a setting to fix (exit 2, the settings list), not a crash to read.
            Path config = Files.createTempFile("sla-sf", ".properties");
            try (java.io.Writer w = Files.newBufferedWriter(config)) {
                p.store(w, null);
            }
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            int exit = io.slabridge.routes.cli.SlaBridgeCommand.commandLine(new java.io.ByteArrayOutputStream(), err)
                    .execute("run", "--config", config.toString());
            String printed = err.toString(java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(2, exit, printed);
            assertTrue(printed.startsWith("sla-bridge cannot start; fix these settings:\n  sla.salesforce.field.status: "
                    + "Case has no field 'SLA_Status__c'"), printed);
            assertFalse(printed.contains("consumer-secret-4Qz"), printed);
        } finally {
            sf.stop();
        }
    }

    @Test
    void twoInstancesOnOneStorePollFromOneLeaderAndTheOtherTakesOver() throws Exception {
        WireMockServer jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(okJson(
                "{\"accountId\":\"712020:sla-bridge-bot\",\"timeZone\":\"UTC\"}")));
        jira.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/rest/api/3/search/jql"))
                .willReturn(okJson("{\"issues\":[],\"isLast\":true}")));
        Path locks = Files.createDirectories(dir.resolve("locks"));
        GreenMail mail = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));
        mail.start();
        mail.setUser("support@acme.example", "support@acme.example", "mail-secret");
        SlaBridgeApplication a = null;
        SlaBridgeApplication b = null;
        try {
            Properties pa = settings("http://127.0.0.1:" + jira.port(), freePort(), freePort());
            pa.setProperty("sla.jira.projects", "SUP");
            pa.setProperty("sla.cluster.file-lock-dir", locks.toString());
            // The mailbox is polled too: by the same leader.
            pa.setProperty("sla.email.enabled", "true");
            pa.setProperty("sla.email.imap.url", "imap://127.0.0.1:" + mail.getImap().getPort());
            pa.setProperty("sla.email.smtp.url", "smtp://127.0.0.1:" + mail.getSmtp().getPort());
            pa.setProperty("sla.email.imap.user", "support@acme.example");
            pa.setProperty("sla.email.imap.password", "mail-secret");
            pa.setProperty("sla.email.from", "support@acme.example");
            pa.setProperty("sla.email.support-domains", "acme.example");
            pa.setProperty("sla.email.poll-interval", "1s");
            pa.setProperty("sla.cluster.lock-interval", "1s");
            Properties pb = (Properties) pa.clone();
            pb.setProperty("camel.server.port", Integer.toString(freePort()));
            pb.setProperty("camel.management.port", Integer.toString(freePort()));
            a = SlaBridgeApplication.create(pa, Map.of(), Clock.systemUTC());
            a.start();
            SlaBridgeApplication first = a;
            await(() -> polling(first), "the first instance leads the pollers");
            b = SlaBridgeApplication.create(pb, Map.of(), Clock.systemUTC());
            b.start();
            Thread.sleep(3_000);
            assertTrue(polling(a));
            assertFalse(started(b, "jira-poll") || started(b, "email-inbox"), "one leader at a time");
            assertTrue(b.camelContext().getRouteController().getRouteStatus("jira-webhook").isStarted(),
                    "webhooks are served by every instance");
            a.close();
            a = null;
            SlaBridgeApplication second = b;
            await(() -> polling(second), "the second instance takes over");
        } finally {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
            jira.stop();
            mail.stop();
        }
    }

    /** Whether the instance runs the pollers: Jira's and the mailbox's. */
    private static boolean polling(SlaBridgeApplication app) {
        return started(app, "jira-poll") && started(app, "email-inbox");
    }

    private static boolean started(SlaBridgeApplication app, String route) {
        org.apache.camel.ServiceStatus status = app.camelContext().getRouteController().getRouteStatus(route);
        return status != null && status.isStarted();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(25);
        }
    }

    private static String hmac(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aConfiguredJiraFieldOfTheWrongTypeStopsTheStartNamingItsProperty() throws Exception {
        WireMockServer jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
        try {
            // GET /rest/api/3/field as Jira answers it: the configured id is a text field, not a select list.
            jira.stubFor(get(urlPathEqualTo("/rest/api/3/field")).willReturn(okJson("[{\"id\":\"customfield_10100\",\"key\":\"customfield_10100\",\"name\":\"SLA status\",\"custom\":true,"
                + "\"schema\":{\"type\":\"string\",\"custom\":\"com.atlassian.jira.plugin.system.customfieldtypes:textfield\","
                + "\"customId\":10100}}]")));
            StartupException e = assertThrows(StartupException.class, () -> SlaBridgeApplication.create(
                    settings("http://127.0.0.1:" + jira.port(), freePort(), freePort()), Map.of(), Clock.systemUTC()));
            assertEquals(1, e.problems().size(), e.problems()::toString);
            assertTrue(e.problems().get(0).startsWith("sla.jira.field.status=customfield_10100: 'SLA status' is a "
                    + "textfield field"), e.problems().get(0));
        } finally {
            jira.stop();
        }
    }
}
