package io.slabridge.routes.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.slabridge.routes.SlaBridge;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No configured secret shows anywhere an operator or an attacker could read it. The real executable runs in its
 * own JVM with every connector enabled and every secret set to a distinctive value, at DEBUG logging, through the
 * paths most likely to leak: Jira answering 401 to the poller and the writer and 400 to another write, Salesforce's
 * token endpoint answering 401 once, a webhook (over HTTPS, the keystore's password a secret too) with a bad
 * signature and one without, a mail server refusing the connection, settings refused at start, a wrong store
 * password, and the {@code outbox} and {@code report} commands. Everything captured (each child's stdout and stderr,
 * the webhook answers, {@code /observe/health}, {@code /ready}, {@code /live}, {@code /metrics}, H2's trace file)
 * is searched for each secret as written, URL-encoded, Base64-encoded, JSON-escaped, inside the Basic and SASL PLAIN
 * credentials built from it, and for any eight characters of its distinctive core (a library that shortens what it
 * prints). {@code -Dsla.test.capture-dir=DIR} keeps what was searched.
 */
class SecretsNeverShownTest {
    /** A secret: its value, and the run of letters and digits in it that nothing else could contain. */
    record Secret(String name, String core, String value) {
        Secret(String name, String core) {
            this(name, core, "s3+" + core + "/=&");
        }
    }

    private static final Secret JIRA_TOKEN = new Secret("sla.jira.api-token", "JiraTok9Qw7Zx4Lp");
    private static final Secret WEBHOOK_SECRET = new Secret("sla.jira.webhook-secret", "HookSec3Vn8Rt2Ky");
    private static final Secret SF_CLIENT_SECRET = new Secret("sla.salesforce.client-secret", "SfCliSec6Bm1Wd5H");
    private static final Secret SF_PASSWORD = new Secret("sla.salesforce.password", "SfPass7Gt4Nc8Jx");
    private static final Secret IMAP_PASSWORD = new Secret("sla.email.imap.password", "ImapPw2Ds9Qf6Lz");
    private static final Secret SMTP_PASSWORD = new Secret("sla.email.smtp.password", "SmtpPw5Kr3Xv7Mb");
    private static final Secret STORE_PASSWORD = new Secret("sla.store.password", "StorePw8Hy2Tc4Ne");
    private static final Secret WRONG_STORE_PASSWORD = new Secret("a wrong sla.store.password", "WrongPw4Fe7Ua1Ps");
    private static final Secret TLS_PASSWORD = new Secret("camel.ssl.keystorePassword", "TlsKsPw6Jd3Wq9Xe");
    private static final List<Secret> SECRETS = List.of(JIRA_TOKEN, WEBHOOK_SECRET, SF_CLIENT_SECRET, SF_PASSWORD,
            IMAP_PASSWORD, SMTP_PASSWORD, STORE_PASSWORD, WRONG_STORE_PASSWORD, TLS_PASSWORD);

    private static final String JIRA_EMAIL = "sla-bridge@acme.example";
    private static final String SF_USER = "integration@acme.example";
    private static final String SUPPORT = "support@acme.example";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private WireMockServer jira;
    private WireMockServer salesforce;
    private GreenMail mail;
    private GreenMailUser mailbox;
    private HttpClient http;
    /** Everything captured, by where it came from. */
    private final Map<String, String> captured = new LinkedHashMap<>();

    @BeforeEach
    void start() {
        jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(okJson(
                "{\"accountId\":\"712020:sla-bridge-bot\",\"timeZone\":\"UTC\"}")));
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/search/jql")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"errorMessages\":[\"Client must be authenticated to access this resource.\"]}")));
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-1")).willReturn(aResponse().withStatus(204)));
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/issue/SUP-1/comment")).willReturn(okJson("{\"id\":\"10300\"}")
                .withStatus(201)));
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-2")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "text/plain").withBody("Basic authentication with passwords is deprecated")));
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/issue/SUP-2/comment")).willReturn(aResponse().withStatus(401)));
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-3")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"errorMessages\":[],\"errors\":{\"customfield_10100\":\"Option value 'On track' is not valid\"}}")));
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/issue/SUP-3/comment")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"errorMessages\":[\"Comment body can not be empty!\"],\"errors\":{}}")));

        salesforce = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        salesforce.start();
        // The first login is refused; the next one succeeds, and polls find nothing.
        salesforce.stubFor(post(urlPathEqualTo("/services/oauth2/token")).inScenario("login")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("refused once")
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"invalid_client\",\"error_description\":\"invalid client credentials\"}")));
        String base = "http://127.0.0.1:" + salesforce.port();
        salesforce.stubFor(post(urlPathEqualTo("/services/oauth2/token")).inScenario("login")
                .whenScenarioStateIs("refused once").willReturn(okJson("{\"access_token\":\"00Dxx!session\","
                        + "\"instance_url\":\"" + base + "\",\"id\":\"" + base
                        + "/id/00D000000000001EAA/005000000000001AAA\",\"token_type\":\"Bearer\","
                        + "\"issued_at\":\"1763630102514\",\"signature\":\"c2lnbmF0dXJl\"}")));
        salesforce.stubFor(get(urlPathEqualTo("/services/oauth2/revoke")).willReturn(aResponse().withStatus(200)));
        salesforce.stubFor(get(urlPathEqualTo("/services/data/v62.0/sobjects/Case/describe")).willReturn(okJson(
                io.slabridge.routes.testing.FakeCaseDescribe.json("/services/data/v62.0", false,
                        io.slabridge.routes.testing.FakeCaseDescribe.SLA_FIELDS))));
        salesforce.stubFor(get(urlPathMatching("/services/data/v[0-9.]+/query/?")).willReturn(okJson(
                "{\"totalSize\":0,\"done\":true,\"records\":[]}")));

        mail = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));
        mail.start();
        mailbox = mail.setUser(SUPPORT, SUPPORT, IMAP_PASSWORD.value());
        try {
            mail.getManagers().getImapHostManager().createMailbox(mailbox, "Sent");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        jira.stop();
        salesforce.stop();
        mail.stop();
    }

    @Test
    void noSecretShowsInLogsAnswersHealthMetricsOrCommandOutput() throws Exception {
        Path policy = Files.writeString(dir.resolve("sla.yaml"), """
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
                      - comment: { visibility: internal, text: "First response on {ticket} ({title}) breached: due {due}." }
                      - notify: { to: [lead@acme.example], text: "First response on {ticket} breached." }
                """);
        Path store = dir.resolve("store");
        String storeUrl = "jdbc:h2:file:" + store.toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
        int webhookPort = freePort();
        int managementPort = freePort();
        int refusingSmtpPort = freePort(); // nothing listens there: connection refused
        Properties p = new Properties();
        p.setProperty("sla.policy", policy.toString());
        p.setProperty("sla.store.url", storeUrl);
        p.setProperty("sla.store.user", "sa");
        p.setProperty("sla.jira.enabled", "true");
        p.setProperty("sla.jira.url", jira.baseUrl());
        p.setProperty("sla.jira.email", JIRA_EMAIL);
        p.setProperty("sla.jira.projects", "SUP");
        p.setProperty("sla.jira.poll-interval", "1s");
        p.setProperty("sla.jira.service-management", "true");
        p.setProperty("sla.jira.field.status", "customfield_10100");
        p.setProperty("sla.jira.webhook-secret", WEBHOOK_SECRET.value());
        p.setProperty("sla.salesforce.enabled", "true");
        p.setProperty("sla.salesforce.login-url", salesforce.baseUrl());
        p.setProperty("sla.salesforce.auth", "username-password");
        p.setProperty("sla.salesforce.client-id", "3MVG9-consumer-key");
        p.setProperty("sla.salesforce.client-secret", SF_CLIENT_SECRET.value());
        p.setProperty("sla.salesforce.username", SF_USER);
        p.setProperty("sla.salesforce.password", SF_PASSWORD.value());
        p.setProperty("sla.salesforce.poll-interval", "1s");
        // camel-salesforce 4.18.0 does not complete a login answered 401 (an NPE in its SalesforceSecurityHandler):
        // the call waits for this timeout, then fails, and the next poll logs in again.
        p.setProperty("sla.salesforce.request-timeout", "5s");
        p.setProperty("sla.salesforce.field.status", "SLA_Status__c");
        p.setProperty("sla.email.enabled", "true");
        p.setProperty("sla.email.imap.url", "imap://127.0.0.1:" + mail.getImap().getPort());
        p.setProperty("sla.email.imap.user", SUPPORT);
        p.setProperty("sla.email.imap.password", IMAP_PASSWORD.value());
        p.setProperty("sla.email.smtp.url", "smtp://127.0.0.1:" + refusingSmtpPort);
        p.setProperty("sla.email.smtp.starttls", "off");
        p.setProperty("sla.email.smtp.user", SUPPORT);
        p.setProperty("sla.email.smtp.password", SMTP_PASSWORD.value());
        p.setProperty("sla.email.support-domains", "acme.example");
        p.setProperty("sla.email.poll-interval", "1s");
        p.setProperty("sla.outbox.poll-interval", "200");
        // Webhooks over HTTPS, the keystore's password a secret too.
        TestKeystore keystore = TestKeystore.create(dir, TLS_PASSWORD.value());
        http = HttpClient.newBuilder().sslContext(keystore.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
        p.setProperty("camel.ssl.enabled", "true");
        p.setProperty("camel.ssl.keyStore", "file:" + keystore.file());
        p.setProperty("camel.server.useGlobalSslContextParameters", "true");
        p.setProperty("camel.server.port", Integer.toString(webhookPort));
        p.setProperty("camel.management.port", Integer.toString(managementPort));
        Path config = dir.resolve("sla-bridge.properties");
        try (var out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            p.store(out, null);
        }
        // The Jira token, the store password and the keystore's password come from the environment (the last one
        // as Camel Main reads it), the others from the file: both paths.
        Map<String, String> env = Map.of("SLA_JIRA_API_TOKEN", JIRA_TOKEN.value(),
                "SLA_STORE_PASSWORD", STORE_PASSWORD.value(), "CAMEL_SSL_KEYSTOREPASSWORD", TLS_PASSWORD.value());

        // 1. Settings refused at start, with every secret set.
        Path bad = dir.resolve("bad.properties");
        Properties badSettings = (Properties) p.clone();
        badSettings.setProperty("sla.jira.url", "acme.atlassian.net");
        badSettings.setProperty("sla.salesforce.auth", "kerberos");
        badSettings.setProperty("sla.email.imap.url", "pop3://mail");
        try (var out = Files.newBufferedWriter(bad, StandardCharsets.UTF_8)) {
            badSettings.store(out, null);
        }
        Child refused = Child.start(dir, env, "run", "--config", bad.toString());
        assertEquals(2, refused.waitFor(WAIT), refused.output());
        capture("run with bad settings", refused);

        // 2. The service: a first start creates the store with its password.
        Child service = Child.start(dir, env, "run", "--config", config.toString());
        try {
            await(() -> answers(managementPort), "the management port answering", service);
            runTheService(webhookPort, managementPort, service);
        } finally {
            service.terminate(WAIT);
        }
        capture("run", service);

        // 3. A wrong store password: refused at start, and the message must not carry either password.
        Child wrongPassword = Child.start(dir, Map.of("SLA_JIRA_API_TOKEN", JIRA_TOKEN.value(),
                "SLA_STORE_PASSWORD", WRONG_STORE_PASSWORD.value()), "run", "--config", config.toString());
        assertEquals(2, wrongPassword.waitFor(WAIT), wrongPassword.output());
        assertTrue(wrongPassword.output().contains("sla.store.url: "), wrongPassword.output());
        capture("run with a wrong store password", wrongPassword);

        // 4. The operator's commands on the store the service left.
        Map<String, String> storeEnv = Map.of("SLA_STORE_PASSWORD", STORE_PASSWORD.value());
        for (List<String> args : List.of(List.of("outbox"), List.of("outbox", "--failed"), List.of("report"),
                List.of("report", "--format", "json"))) {
            List<String> all = new ArrayList<>(args);
            all.addAll(List.of("--store-url", storeUrl, "--store-user", "sa"));
            Child command = Child.start(dir, storeEnv, all.toArray(String[]::new));
            assertEquals(0, command.waitFor(WAIT), command.output());
            capture(String.join(" ", args), command);
        }
        assertTrue(captured.get("outbox --failed (stdout)").contains("Option value 'On track' is not valid"),
                "the parked write is listed with Jira's words: " + captured.get("outbox --failed (stdout)"));
        Child wrongCommand = Child.start(dir, Map.of("SLA_STORE_PASSWORD", WRONG_STORE_PASSWORD.value()), "outbox",
                "--store-url", storeUrl, "--store-user", "sa");
        assertEquals(1, wrongCommand.waitFor(WAIT), wrongCommand.output());
        capture("outbox with a wrong store password", wrongCommand);

        List<String> leaks = new ArrayList<>();
        int forms = 0;
        for (Secret secret : SECRETS) {
            for (Map.Entry<String, String> form : forms(secret).entrySet()) {
                forms++;
                for (Map.Entry<String, String> place : captured.entrySet()) {
                    int at = place.getValue().indexOf(form.getValue());
                    if (at >= 0) {
                        leaks.add(secret.name() + " (" + form.getKey() + ") in " + place.getKey() + ": ..."
                                + context(place.getValue(), at) + "...");
                    }
                }
            }
        }
        // Files the service wrote beside its store (H2's trace file, say) are searched too.
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".trace.db") || f.toString().endsWith(".log")).toList()) {
                captured.put("file " + dir.relativize(f), Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }
        keepCaptures();
        long bytes = captured.values().stream().mapToLong(String::length).sum();
        System.out.println("SecretsNeverShownTest: " + SECRETS.size() + " secrets in " + forms + " forms searched in "
                + captured.size() + " captures (" + bytes + " characters): " + captured.keySet());
        assertTrue(leaks.isEmpty(), leaks.size() + " leaks:\n" + String.join("\n", leaks));
    }

    /** Drives the running service through its success and failure paths, capturing every answer. */
    private void runTheService(int webhookPort, int managementPort, Child service) throws Exception {
        String hook = "https://127.0.0.1:" + webhookPort + "/webhooks/jira";
        Instant created = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        for (String key : List.of("SUP-1", "SUP-2", "SUP-3")) {
            String body = issueCreated(key, created);
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(hook))
                    .header("X-Hub-Signature", "sha256=" + hmac(body)).POST(HttpRequest.BodyPublishers.ofString(body)));
            assertEquals(200, r.statusCode(), r.body());
            capture("webhook " + key, r);
        }
        String forged = issueCreated("SUP-4", created);
        HttpResponse<String> badSignature = send(HttpRequest.newBuilder(URI.create(hook))
                .header("X-Hub-Signature", "sha256=" + "0".repeat(64)).POST(HttpRequest.BodyPublishers.ofString(forged)));
        assertEquals(401, badSignature.statusCode(), badSignature.body());
        capture("webhook with a bad signature", badSignature);
        HttpResponse<String> unsigned = send(HttpRequest.newBuilder(URI.create(hook))
                .POST(HttpRequest.BodyPublishers.ofString(forged)));
        assertEquals(401, unsigned.statusCode(), unsigned.body());
        capture("webhook without a signature", unsigned);

        deliver("""
                From: Carla Customer <carla@globex.example>
                To: support@acme.example
                Subject: Checkout returns 500
                Message-ID: <c1@globex.example>

                Our checkout fails since this morning.
                """);

        await(() -> count(jira, putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-1"))) >= 1
                && count(jira, postRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-1/comment"))) >= 1,
                "SUP-1's fields and breach comment written", service);
        await(() -> count(jira, putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-2"))) >= 1
                && count(jira, putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-3"))) >= 1,
                "SUP-2 refused with 401, SUP-3 with 400", service);
        await(() -> count(jira, postRequestedFor(urlPathEqualTo("/rest/api/3/search/jql"))) >= 1,
                "a Jira poll refused with 401", service);
        await(() -> count(salesforce, postRequestedFor(urlPathEqualTo("/services/oauth2/token"))) >= 2
                && count(salesforce, getRequestedFor(urlPathMatching("/services/data/.*/query/?"))) >= 1,
                "a Salesforce login refused, the next one polling", service);
        await(() -> metric(managementPort, "sla_events_in_total{", "source=\"email\""),
                "the customer's mail read over IMAP", service);
        await(() -> metric(managementPort, "sla_writebacks_total{", "kind=\"notify\"", "outcome=\"error\""),
                "a notice that met a refusing mail server", service);
        await(() -> metric(managementPort, "sla_writebacks_total{", "outcome=\"failed\""),
                "SUP-3's write parked", service);

        for (String path : List.of("/observe/health", "/observe/health/ready", "/observe/health/live",
                "/observe/metrics", "/observe/info")) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)));
            capture("GET " + path, r);
        }
        assertTrue(captured.get("GET /observe/metrics").contains("sla_events_in_total"), "metrics were served");
        assertTrue(captured.get("GET /observe/health").contains("store"), "health was served");
    }

    private static String issueCreated(String key, Instant created) {
        return """
                {"timestamp":1763630102514,"webhookEvent":"jira:issue_created",
                 "user":{"accountId":"557058:cust-1","accountType":"customer"},
                 "issue":{"id":"ID","key":"KEY","fields":{"summary":"Checkout returns 500",
                   "created":"CREATED","status":{"name":"Waiting for support","statusCategory":{"key":"new"}},
                   "priority":{"name":"High"},"reporter":{"accountId":"557058:cust-1","accountType":"customer"}}}}
                """.replace("ID", Integer.toString(10000 + Integer.parseInt(key.substring(4))))
                .replace("KEY", key).replace("CREATED", created.toString().replace("Z", ".000+0000"));
    }

    /** With {@code -Dsla.test.capture-dir=DIR}, everything searched is written there, one file per capture. */
    private void keepCaptures() throws IOException {
        String keep = System.getProperty("sla.test.capture-dir");
        if (keep == null) {
            return;
        }
        Path into = Files.createDirectories(Path.of(keep));
        int i = 0;
        for (Map.Entry<String, String> c : captured.entrySet()) {
            Files.writeString(into.resolve(String.format("%02d-%s.txt", ++i, c.getKey().replaceAll("[^A-Za-z0-9.-]+", "_"))),
                    c.getValue());
        }
    }

    /** The forms a secret could take on its way out: as written, encoded, or inside the credentials made of it. */
    static Map<String, String> forms(Secret s) {
        Base64.Encoder b64 = Base64.getEncoder();
        Map<String, String> forms = new LinkedHashMap<>();
        forms.put("as written", s.value());
        // A library that shortens what it prints ("client_id=3MVG9-...fPass7Gt4Nc8Jx") still shows part of it.
        for (int i = 0; i + 8 <= s.core().length(); i++) {
            forms.put("characters " + (i + 1) + "-" + (i + 8) + " of its core", s.core().substring(i, i + 8));
        }
        forms.put("URL-encoded", URLEncoder.encode(s.value(), StandardCharsets.UTF_8));
        forms.put("Base64", b64.encodeToString(bytes(s.value())));
        forms.put("Base64 URL-safe", Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(s.value())));
        forms.put("Basic credentials (Jira)", b64.encodeToString(bytes(JIRA_EMAIL + ":" + s.value())));
        forms.put("SASL PLAIN (mail)", b64.encodeToString(bytes("\0" + SUPPORT + "\0" + s.value())));
        forms.put("JSON-escaped", s.value().replace("/", "\\/"));
        // Base64 of the bare value may sit inside a longer Base64 string at another alignment: its middle is enough.
        String inner = b64.encodeToString(bytes("xx" + s.value()));
        forms.put("Base64 at another alignment", inner.substring(4, inner.length() - 4));
        return forms;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String context(String text, int at) {
        return text.substring(Math.max(0, at - 120), Math.min(text.length(), at + 60)).replace("\n", "\\n");
    }

    private void capture(String what, Child child) {
        captured.put(what + " (stdout)", child.stdout());
        captured.put(what + " (stderr)", child.stderr());
    }

    private void capture(String what, HttpResponse<String> response) {
        captured.put(what, response.statusCode() + " " + response.headers().map() + "\n" + response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private boolean answers(int port) {
        try {
            return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health/live")))
                    .statusCode() > 0;
        } catch (ConnectException e) {
            return false;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private boolean metric(int port, String name, String... labels) {
        try {
            String text = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics"))).body();
            return text.lines().anyMatch(l -> l.startsWith(name) && java.util.Arrays.stream(labels).allMatch(l::contains));
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static long count(WireMockServer server, RequestPatternBuilder pattern) {
        return server.countRequestsMatching(pattern.build()).getCount();
    }

    private void deliver(String text) throws Exception {
        byte[] raw = text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)) {
            @Override
            protected void updateMessageID() {
                // keep the Message-ID as written
            }
        };
        mail.getManagers().getImapHostManager().getInbox(mailbox).appendMessage(m, new Flags(),
                Date.from(Instant.now().minusSeconds(60)));
    }

    private static String hmac(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(bytes(WEBHOOK_SECRET.value()), "HmacSHA256"));
        return java.util.HexFormat.of().formatHex(mac.doFinal(bytes(body)));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void await(BooleanSupplier condition, String what, Child child) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (!child.alive()) {
                throw new AssertionError("sla-bridge ended while waiting for " + what + ":\n" + child.output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; its output so far:\n" + child.tail());
            }
            Thread.sleep(100);
        }
    }

    /**
     * {@code sla-bridge} in a JVM of its own, logging everything at DEBUG (slf4j-simple writes to stderr), its
     * stdout and stderr written to files (no pipe to drain while it runs).
     */
    static final class Child {
        private static final java.util.concurrent.atomic.AtomicInteger RUNS = new java.util.concurrent.atomic.AtomicInteger();
        private final Process process;
        private final Path out;
        private final Path err;

        private Child(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        static Child start(Path directory, Map<String, String> environment, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), SlaBridge.class.getName()));
            command.addAll(List.of(args));
            int run = RUNS.incrementAndGet();
            Path out = directory.resolve("child-" + run + ".out");
            Path err = directory.resolve("child-" + run + ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("SLA_"));
            builder.environment().putAll(environment);
            return new Child(builder.start(), out, err);
        }

        boolean alive() {
            return process.isAlive();
        }

        int waitFor(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("sla-bridge did not end within " + timeout + ":\n" + tail());
            }
            return process.exitValue();
        }

        /** SIGTERM, as Ctrl-C or Kubernetes would stop it, and waits for the graceful shutdown to finish. */
        void terminate(Duration timeout) throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                waitFor(timeout);
            }
        }

        String stdout() {
            return read(out);
        }

        String stderr() {
            return read(err);
        }

        private static String read(Path file) {
            try {
                return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String output() {
            return "--- stdout:\n" + stdout() + "\n--- stderr:\n" + tail();
        }

        String tail() {
            String s = stderr();
            return s.length() <= 6000 ? s : "..." + s.substring(s.length() - 6000);
        }
    }
}
