package io.slabridge.routes.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store failing under a running sla-bridge: its PostgreSQL (a schema of its own in the local server) is reached
 * through a {@link TcpProxy} that cuts every connection and refuses new ones for a while, or its connections are
 * killed by the server ({@code pg_terminate_backend}). While the store is gone, webhooks answer 503 (the test
 * delivers them again, as Jira does), the poller fails and backs off, and readiness says the store is down; once it
 * is back, ingest resumes, the poller continues from its durable cursor (issues updated during the outage are read),
 * no event is lost or stored twice, and every escalation comment is posted exactly once, including the breach that
 * fell due during the outage.
 */
class StoreOutageTest {
    private static final String PG_URL = System.getProperty("sla.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String PG_USER = System.getProperty("sla.test.postgres.user", "postgres");
    private static final int PG_PORT = URI.create(PG_URL.substring("jdbc:".length())).getPort();
    private static final String SECRET = "outage-webhook-secret";
    private static final Duration OUTAGE = Duration.ofSeconds(8);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final String schema = "sla_outage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private final String applicationName = "sla-bridge-" + schema;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private WireMockServer jira;
    private TcpProxy proxy;
    private SlaBridgeApplication app;
    private int webhookPort;
    private int managementPort;
    /** Figures for the report, printed at the end. */
    private final Map<String, Object> figures = new LinkedHashMap<>();

    @BeforeEach
    void start() throws Exception {
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String message = "no PostgreSQL answers at " + PG_URL + " as " + PG_USER + " (" + e.getMessage() + ")";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(message + ": under CI=true the PostgreSQL tests must run");
            }
            Assumptions.abort(message + ": store outage tests skipped");
        }
        proxy = new TcpProxy(PG_PORT);
        jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(okJson(
                "{\"accountId\":\"712020:sla-bridge-bot\",\"timeZone\":\"UTC\"}")));
        jira.stubFor(put(urlPathMatching("/rest/api/3/issue/SUP-[0-9]+")).willReturn(aResponse().withStatus(204)));
        jira.stubFor(post(urlPathMatching("/rest/api/3/issue/SUP-[0-9]+/comment")).willReturn(okJson("{\"id\":\"1\"}")
                .withStatus(201)));
        jira.stubFor(get(urlPathMatching("/rest/api/3/issue/SUP-[0-9]+/comment")).willReturn(okJson(
                "{\"startAt\":0,\"total\":0,\"comments\":[]}")));
        jira.stubFor(get(urlPathMatching("/rest/api/3/issue/SUP-[0-9]+/changelog")).willReturn(okJson(
                "{\"startAt\":0,\"total\":0,\"isLast\":true,\"values\":[]}")));
    }

    @AfterEach
    void stop() throws Exception {
        System.out.println("StoreOutageTest figures: " + figures);
        if (app != null) {
            app.close();
        }
        if (jira != null) {
            jira.stop();
        }
        if (proxy != null) {
            proxy.close();
            try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private void startApp() throws Exception {
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
                      - comment: { visibility: internal, text: "First response on {ticket} breached: it was due {due}." }
                """);
        webhookPort = freePort();
        managementPort = freePort();
        Properties p = new Properties();
        p.setProperty("sla.policy", policy.toString());
        p.setProperty("sla.store.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test?currentSchema=" + schema
                + "&ApplicationName=" + applicationName);
        p.setProperty("sla.store.user", PG_USER);
        p.setProperty("sla.store.pool-size", "4");
        p.setProperty("sla.jira.enabled", "true");
        p.setProperty("sla.jira.url", jira.baseUrl());
        p.setProperty("sla.jira.email", "sla-bridge@acme.example");
        p.setProperty("sla.jira.api-token", "outage-token");
        p.setProperty("sla.jira.webhook-secret", SECRET);
        p.setProperty("sla.jira.service-management", "true");
        p.setProperty("sla.jira.projects", "SUP");
        p.setProperty("sla.jira.poll-interval", "1s");
        p.setProperty("sla.outbox.poll-interval", "100");
        p.setProperty("sla.scheduler.max-sleep", "1s");
        p.setProperty("camel.server.port", Integer.toString(webhookPort));
        p.setProperty("camel.management.port", Integer.toString(managementPort));
        app = SlaBridgeApplication.create(p, Map.of(), Clock.systemUTC());
        app.start();
    }

    @Test
    void theStoreCutAndRefusedForSecondsLosesNothingAndEscalatesOnce() throws Exception {
        Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        searchFinds(issue("SUP-20", twoHoursAgo, Instant.now().minusSeconds(30)));
        startApp();

        // Before: two webhooks and one polled issue, all breached on arrival; one more that falls due in the outage.
        for (String key : List.of("SUP-1", "SUP-2")) {
            assertEquals(200, webhook(key, twoHoursAgo).statusCode());
        }
        await(() -> comments("SUP-1") == 1 && comments("SUP-2") == 1 && comments("SUP-20") == 1,
                "the breach comments of the first three");
        Instant dueInOutage = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        assertEquals(200, webhook("SUP-3", dueInOutage.minus(Duration.ofHours(1))).statusCode());

        // The outage: every connection reset, new ones refused. Meanwhile two issues change in Jira.
        Instant cut = Instant.now();
        proxy.cut();
        searchFinds(issue("SUP-20", twoHoursAgo, Instant.now().minusSeconds(30)),
                issue("SUP-21", twoHoursAgo, cut.plusSeconds(1)), issue("SUP-22", twoHoursAgo, cut.plusSeconds(2)));
        List<String> undelivered = new ArrayList<>();
        for (String key : List.of("SUP-4", "SUP-5")) {
            long start = System.nanoTime();
            HttpResponse<String> r = webhook(key, twoHoursAgo);
            figures.put("webhook answer in outage (ms) " + key, (System.nanoTime() - start) / 1_000_000);
            assertEquals(503, r.statusCode(), r.body());
            undelivered.add(key);
        }
        long readyStart = System.nanoTime();
        HttpResponse<String> ready = management("/observe/health/ready");
        figures.put("readiness answer in outage (ms)", (System.nanoTime() - readyStart) / 1_000_000);
        assertEquals(503, ready.statusCode(), ready.body());
        assertEquals("DOWN", check(ready.body(), "store"), ready.body());
        sleepUntil(cut.plus(OUTAGE));
        assertTrue(Instant.now().isAfter(dueInOutage), "SUP-3 fell due during the outage");

        // Restored: Jira delivers the refused webhooks again until they are taken.
        Instant restored = Instant.now();
        proxy.restore();
        figures.put("outage (ms)", Duration.between(cut, restored).toMillis());
        for (String key : undelivered) {
            await(() -> {
                try {
                    return webhook(key, twoHoursAgo).statusCode() == 200;
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            }, "webhook " + key + " taken after the store came back");
            figures.putIfAbsent("first webhook taken after restore (ms)", Duration.between(restored, Instant.now()).toMillis());
        }
        await(() -> status("/observe/health/ready") == 200, "ready again");
        figures.put("ready after restore (ms)", Duration.between(restored, Instant.now()).toMillis());
        List<String> all = List.of("SUP-1", "SUP-2", "SUP-3", "SUP-4", "SUP-5", "SUP-20", "SUP-21", "SUP-22");
        awaitOrExplain(() -> all.stream().allMatch(k -> comments(k) >= 1),
                "every breach comment, SUP-3's from the scheduler", () -> whereTheyStand(all));
        figures.put("all escalations after restore (ms)", Duration.between(restored, Instant.now()).toMillis());

        // The poller went on from its cursor: its first search after the outage asked from where it had stopped
        // (a poll under way when the store went has read the cursor already; it cannot have moved it).
        List<String> before = searches(Instant.MIN, cut);
        List<String> after = searches(restored, Instant.MAX);
        figures.put("searches during the outage", searches(cut, restored).size());
        assertEquals(before.get(before.size() - 1), after.get(0), "the first poll after the outage");
        // And moved on past what was updated during the outage (the stored instant: the JQL shows whole minutes, so
        // a poll or two after the outage may still ask from the same minute).
        await(() -> app.store().cursor(io.slabridge.connector.jira.JiraPoller.CURSOR).map(Instant::parse)
                .filter(c -> !c.isBefore(cut)).isPresent(), "the cursor moved on past the outage: " + after);
        assertEveryEventOnceAndEveryEscalationOnce(all);
    }

    @Test
    void connectionsKilledByTheServerAreReplacedAndNothingIsLost() throws Exception {
        Instant twoHoursAgo = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        searchFinds(issue("SUP-20", twoHoursAgo, Instant.now().minusSeconds(30)));
        startApp();
        assertEquals(200, webhook("SUP-1", twoHoursAgo).statusCode());
        await(() -> comments("SUP-1") == 1 && comments("SUP-20") == 1, "the first breach comments");

        // For five seconds, every connection of the pool is killed every 200 ms while webhooks keep coming.
        List<String> keys = new ArrayList<>();
        int killed = 0;
        int refused = 0;
        Instant until = Instant.now().plusSeconds(5);
        for (int n = 2; Instant.now().isBefore(until); n++) {
            killed += terminateBackends();
            String key = "SUP-" + n;
            keys.add(key);
            int status = webhook(key, twoHoursAgo).statusCode();
            assertTrue(status == 200 || status == 503, key + " answered " + status);
            if (status == 503) {
                refused++;
                String again = key;
                await(() -> {
                    try {
                        return webhook(again, twoHoursAgo).statusCode() == 200;
                    } catch (IOException | InterruptedException e) {
                        return false;
                    }
                }, "webhook " + key + " taken when delivered again");
            }
            Thread.sleep(200);
        }
        Instant stopped = Instant.now();
        figures.put("connections killed", killed);
        figures.put("webhooks", keys.size());
        figures.put("webhooks answered 503 and delivered again", refused);
        assertTrue(killed > 0, "the pool's connections were killed");
        List<String> all = new ArrayList<>(keys);
        all.add("SUP-1");
        all.add("SUP-20");
        await(() -> all.stream().allMatch(k -> comments(k) >= 1), "every breach comment");
        await(() -> status("/observe/health/ready") == 200, "ready");
        figures.put("all escalations after the killing stopped (ms)", Duration.between(stopped, Instant.now()).toMillis());
        assertEveryEventOnceAndEveryEscalationOnce(all);
    }

    /** Each ticket's created event stored once, its breach comment posted once, nothing parked or left pending. */
    private void assertEveryEventOnceAndEveryEscalationOnce(List<String> keys) throws Exception {
        await(() -> app.store().outboxCounts().getOrDefault("pending", 0L) == 0L, "the outbox drained");
        Thread.sleep(500); // a few more dispatcher rounds, which must find nothing to send
        Map<String, Integer> stored = new TreeMap<>();
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT event_id, count(*) FROM " + schema + ".ticket_event GROUP BY event_id")) {
            while (r.next()) {
                stored.put(r.getString(1), r.getInt(2));
            }
        }
        Map<String, Integer> expected = new TreeMap<>();
        for (String key : keys) {
            expected.put("jira:" + issueId(key) + ":created", 1);
        }
        Map<String, Long> posted = keys.stream().collect(Collectors.toMap(k -> k, this::comments, (a, b) -> a, TreeMap::new));
        long lost = expected.keySet().stream().filter(id -> !stored.containsKey(id)).count();
        long duplicates = posted.values().stream().mapToLong(n -> Math.max(0, n - 1)).sum();
        figures.put("events expected", expected.size());
        figures.put("events lost", lost);
        figures.put("events stored twice", stored.values().stream().filter(n -> n > 1).count());
        figures.put("escalation comments posted twice", duplicates);
        assertEquals(expected, stored, "every event stored, once");
        assertEquals(keys.stream().collect(Collectors.toMap(k -> k, k -> 1L, (a, b) -> a, TreeMap::new)), posted,
                "one breach comment per ticket");
        assertEquals(0L, app.store().outboxCounts().getOrDefault("parked", 0L), "nothing parked");
    }

    /** Kills the pool's connections on the server; how many. */
    private int terminateBackends() throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_URL, PG_USER, ""); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        + "WHERE application_name = '" + applicationName + "'")) {
            r.next();
            return r.getInt(1);
        }
    }

    // ---- Jira

    private static String issueId(String key) {
        return Integer.toString(10000 + Integer.parseInt(key.substring(4)));
    }

    private static String jiraTime(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS).toString().replace("Z", ".000+0000");
    }

    private static String issue(String key, Instant created, Instant updated) {
        return """
                {"id":"ID","key":"KEY","fields":{"summary":"Checkout returns 500","created":"CREATED","updated":"UPDATED",
                  "status":{"name":"Waiting for support","statusCategory":{"key":"new"}},"priority":{"name":"High"},
                  "reporter":{"accountId":"557058:cust-1","accountType":"customer"}}}
                """.replace("ID", issueId(key)).replace("KEY", key).replace("CREATED", jiraTime(created))
                .replace("UPDATED", jiraTime(updated));
    }

    private void searchFinds(String... issues) {
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/search/jql")).willReturn(okJson(
                "{\"issues\":[" + String.join(",", issues) + "],\"isLast\":true}")));
    }

    /** The JQL of the searches Jira received from {@code from} (inclusive) to {@code to}, oldest first. */
    private List<String> searches(Instant from, Instant to) {
        List<LoggedRequest> requests = new ArrayList<>(jira.findAll(postRequestedFor(urlPathEqualTo("/rest/api/3/search/jql"))));
        requests.removeIf(r -> r.getLoggedDate().toInstant().isBefore(from) || !r.getLoggedDate().toInstant().isBefore(to));
        requests.sort((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()));
        List<String> jql = new ArrayList<>();
        for (LoggedRequest r : requests) {
            try {
                jql.add(JSON.readTree(r.getBodyAsString()).path("jql").asText());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return jql;
    }

    private long comments(String key) {
        return jira.countRequestsMatching(postRequestedFor(urlPathEqualTo("/rest/api/3/issue/" + key + "/comment")).build())
                .getCount();
    }

    private HttpResponse<String> webhook(String key, Instant created) throws IOException, InterruptedException {
        String body = """
                {"timestamp":1763630102514,"webhookEvent":"jira:issue_created",
                 "user":{"accountId":"557058:cust-1","accountType":"customer"},
                 "issue":ISSUE}
                """.replace("ISSUE", issue(key, created, created));
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webhookPort + "/webhooks/jira"))
                .header("X-Hub-Signature", "sha256=" + hmac(body)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> management(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private int status(String path) {
        try {
            return management(path).statusCode();
        } catch (IOException | InterruptedException e) {
            return 0;
        }
    }

    private static String check(String health, String name) throws IOException {
        for (JsonNode c : JSON.readTree(health).path("checks")) {
            if (name.equals(c.path("name").asText())) {
                return c.path("status").asText();
            }
        }
        return "(no check " + name + ")";
    }

    private static String hmac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * For a failure's message: the tickets without a comment, what the store holds of them (events, state, outbox) and
     * what the service's threads are doing, so that a rare miss under a loaded machine can be told apart from a hang.
     */
    private String whereTheyStand(List<String> keys) {
        StringBuilder b = new StringBuilder();
        List<String> missing = keys.stream().filter(k -> comments(k) == 0).toList();
        b.append("\nno comment yet: ").append(missing);
        try (Connection c = DriverManager.getConnection(PG_URL + "?currentSchema=" + schema, PG_USER, "")) {
            for (String key : missing) {
                String ticket = "jira:" + key;
                b.append("\n").append(ticket).append(": events ").append(rows(c,
                        "SELECT event_id FROM ticket_event WHERE ticket = ? ORDER BY at_epoch", ticket))
                        .append("; state ").append(rows(c, "SELECT summary || ' due ' || coalesce(next_due_at, -1) || "
                                + "' wake ' || coalesce(next_wake_at, -1) FROM ticket_state WHERE ticket = ?", ticket))
                        .append("; outbox ").append(rows(c, "SELECT kind || ' ' || status || ' attempts ' || attempts || "
                                + "' next ' || next_attempt_at || ' ' || coalesce(last_error, '') FROM outbox WHERE ticket = ?",
                                ticket));
            }
        } catch (SQLException e) {
            b.append("\nthe store could not be read: ").append(e.getMessage());
        }
        b.append("\nnow ").append(Instant.now().getEpochSecond()).append("; threads:");
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().startsWith("sla-") || thread.getName().startsWith("Camel")) {
                b.append("\n  ").append(thread.getName()).append(' ').append(thread.getState());
                for (int i = 0; i < Math.min(6, stack.length); i++) {
                    b.append("\n      at ").append(stack[i]);
                }
            }
        });
        return b.toString();
    }

    private static List<String> rows(Connection c, String sql, String ticket) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, ticket);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static void awaitOrExplain(BooleanSupplier condition, String what, Supplier<String> explain)
            throws InterruptedException {
        try {
            await(condition, what);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + explain.get(), e);
        }
    }

    /** The outage is a span of time: the one wait here that is a sleep by design. */
    private static void sleepUntil(Instant at) throws InterruptedException {
        long ms = Duration.between(Instant.now(), at).toMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT + " waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
