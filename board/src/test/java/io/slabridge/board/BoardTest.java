package io.slabridge.board;

import static io.slabridge.board.BoardModelTest.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slabridge.connector.api.TicketLinks;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The board over HTTP, on a real store the runtime writes: what a page and a user see, and who is kept out. */
class BoardTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final String HASH = BCrypt.withDefaults().hashToString(4, "s3cret!".toCharArray());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MutableClock clock = new MutableClock(T0);
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private JdbcSlaStore store;
    private SlaRuntime runtime;
    private Board board;
    private int ids;

    @BeforeEach
    void store() throws Exception {
        store = JdbcSlaStore.open(StoreSettings.inMemory("b" + UUID.randomUUID().toString().replace("-", "")));
        runtime = SlaRuntime.of(store, PolicyFileParser.parse("board.yaml", """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: vip
                    when: { priority: [urgent, high] }
                    calendar: always
                    targets: { first_response: 30m, resolution: 4h }
                  - name: standard
                    calendar: always
                    targets: { first_response: 1h, resolution: 8h }
                warnings: ["75%"]
                """), clock);
    }

    @AfterEach
    void close() {
        if (board != null) {
            board.close();
        }
        store.close();
    }

    private void start(BoardSettings.Auth auth, List<String> proxies) {
        board = Board.start(new BoardSettings.Values(0, "127.0.0.1", auth, Map.of("alice", HASH), "X-Forwarded-Email",
                proxies, false, Duration.ofHours(1), ZoneId.of("UTC")), store.boardReads(),
                TicketLinks.of(Map.of("jira", "https://acme.atlassian.net/browse/{id}")), clock, null);
    }

    private void created(String ticket, Priority priority, String account, String title) {
        runtime.accept(TicketEvent.builder("e" + (++ids), ticket, clock.instant(), EventType.CREATED).priority(priority)
                .status(TicketStatus.OPEN).account(account).title(title).source(ticket.substring(0, ticket.indexOf(':')))
                .build());
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(board.url() + path.substring(1)))
                .timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aSignedInUserSeesEveryOpenTicketWithAnSlaSortedByTimeToDue() throws Exception {
        created("jira:SUP-1", Priority.NORMAL, "Globex", "Printer on fire");
        clock.set(T0.plusSeconds(60));
        created("jira:SUP-2", Priority.HIGH, "Initech", "Checkout down");
        created("email:c1@hooli.example", Priority.LOW, null, "Question");
        runtime.accept(TicketEvent.builder("e-closed", "email:c1@hooli.example", clock.instant(), EventType.STATUS_CHANGED)
                .status(TicketStatus.CLOSED).build());
        start(BoardSettings.Auth.USERS, List.of());

        HttpResponse<String> r = get("/api/data", "Authorization", basic("alice", "s3cret!"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("alice", r.headers().firstValue("X-Board-User").orElseThrow());
        JsonNode data = JSON.readTree(r.body());
        List<String> keys = new ArrayList<>();
        data.get("tickets").forEach(t -> keys.add(t.get("t").asText()));
        assertEquals(List.of("jira:SUP-2", "jira:SUP-1"), keys, "closed tickets are off; the vip one (30m) is due first");
        JsonNode sup2 = data.get("tickets").get(0);
        assertEquals("SUP-2", sup2.get("k").asText());
        assertEquals("Checkout down", sup2.get("ti").asText());
        assertEquals("Initech", sup2.get("a").asText());
        assertEquals("high", sup2.get("p").asText());
        assertEquals("vip", sup2.get("po").asText());
        assertEquals("first_response", sup2.get("m").asText());
        assertEquals(T0.plusSeconds(60 + 1800).getEpochSecond(), sup2.get("d").asLong());
        assertEquals("On track", sup2.get("st").asText());
        assertEquals("https://acme.atlassian.net/browse/SUP-2", sup2.get("l").asText());
        assertEquals(2, data.get("figures").get("open").asInt());
    }

    @Test
    void nobodyGetsInWithoutTheRightCredentialsAndNothingCanBeChanged() throws Exception {
        created("jira:SUP-1", Priority.NORMAL, "Globex", "Printer on fire");
        start(BoardSettings.Auth.USERS, List.of());

        HttpResponse<String> page = get("/");
        assertEquals(302, page.statusCode());
        assertEquals("/login", page.headers().firstValue("Location").orElseThrow());
        HttpResponse<String> data = get("/api/data");
        assertEquals(401, data.statusCode());
        assertTrue(data.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Basic"));
        assertFalse(data.body().contains("Globex"));
        assertEquals(401, get("/api/data", "Authorization", basic("alice", "wrong")).statusCode());
        assertEquals(401, get("/api/events", "Authorization", basic("mallory", "s3cret!")).statusCode());
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(board.url() + "api/data"))
                .method("DELETE", HttpRequest.BodyPublishers.noBody()).header("Authorization", basic("alice", "s3cret!"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, put.statusCode(), "read only");
        assertEquals(200, get("/login").statusCode(), "the login form is open to all");
    }

    @Test
    void theLoginFormGivesAnHttpOnlySameSiteStrictSessionCookie() throws Exception {
        start(BoardSettings.Auth.USERS, List.of());
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(board.url() + "login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user=alice&password=nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("/login?failed", wrong.headers().firstValue("Location").orElseThrow());
        assertTrue(wrong.headers().allValues("Set-Cookie").isEmpty());

        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(board.url() + "login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user=alice&password=s3cret%21")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("/", ok.headers().firstValue("Location").orElseThrow());
        String cookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith(BoardAccess.COOKIE + "="), cookie);
        assertTrue(cookie.contains("HTTPOnly") || cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        String session = cookie.substring(0, cookie.indexOf(';'));
        assertEquals(200, get("/api/data", "Cookie", session).statusCode());
        assertEquals(200, get("/", "Cookie", session).statusCode());
        assertEquals(401, get("/api/data", "Cookie", BoardAccess.COOKIE + "=forged").statusCode());
    }

    @Test
    void theProxyModeTakesTheUserFromTheProxysHeaderAndFromNoOneElse() throws Exception {
        start(BoardSettings.Auth.PROXY, List.of("127.0.0.1"));
        HttpResponse<String> r = get("/api/data", "X-Forwarded-Email", "lead@acme.example");
        assertEquals(200, r.statusCode());
        assertEquals("lead@acme.example", r.headers().firstValue("X-Board-User").orElseThrow());
        assertEquals(401, get("/api/data").statusCode(), "the proxy named nobody");
        board.close();

        start(BoardSettings.Auth.PROXY, List.of("10.1.2.3"));
        assertEquals(403, get("/api/data", "X-Forwarded-Email", "lead@acme.example").statusCode(),
                "a request that did not come through the proxy may not name its user");
    }

    /** Lines of one event stream, read on a thread of their own. */
    private BlockingQueue<String> follow(String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(board.url() + "api/events"));
        b.header("Authorization", basic("alice", "s3cret!"));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<java.io.InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (Exception e) {
                // the test ended the stream
            }
        });
        t.setDaemon(true);
        t.start();
        return lines;
    }

    private static String next(BlockingQueue<String> lines, String prefix) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < until) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "' within 5 s");
    }

    @Test
    void aStateChangeReachesAFollowingPageWithinOneSecondOfItsCommit() throws Exception {
        start(BoardSettings.Auth.USERS, List.of());
        BlockingQueue<String> lines = follow();
        Thread.sleep(300);
        List<Long> latencies = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            created("jira:SUP-" + i, Priority.NORMAL, "Globex", "Ticket " + i);
            long committed = System.nanoTime(); // accept() returns after the commit
            String data = next(lines, "data: {\"id\"");
            latencies.add((System.nanoTime() - committed) / 1_000_000);
            assertTrue(data.contains("jira:SUP-" + i), data);
        }
        System.out.println("board: commit to page (ms): " + latencies);
        assertTrue(latencies.stream().allMatch(ms -> ms < 1000), "each change within 1 s: " + latencies);
        assertEquals(1, board.clients());

        // The scheduler's refold at the warning instant is a change like any other: the page sees "At risk".
        clock.set(T0.plusSeconds(2700));
        runtime.tick();
        String data = next(lines, "data: {\"id\"");
        assertTrue(data.contains("\"st\":\"At risk\""), data);
    }

    @Test
    void aPageThatLostItsConnectionCatchesUpFromItsLastEventIdOrReloads() throws Exception {
        created("jira:SUP-1", Priority.NORMAL, "Globex", "Printer on fire");
        start(BoardSettings.Auth.USERS, List.of());
        JsonNode data = JSON.readTree(get("/api/data", "Authorization", basic("alice", "s3cret!")).body());
        String run = data.get("run").asText();
        long id = data.get("id").asLong();

        // Offline while two tickets arrive...
        created("jira:SUP-2", Priority.NORMAL, "Globex", "Two");
        created("jira:SUP-3", Priority.NORMAL, "Globex", "Three");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (board.ticketsHeld() < 3 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        // ...back, with the id of the last event it had: both, in order.
        BlockingQueue<String> lines = follow("Last-Event-ID", run + "-" + id);
        // (one look at the store may have found both in one change)
        String missed = next(lines, "data: ");
        if (!missed.contains("SUP-3")) {
            missed += next(lines, "data: ");
        }
        assertTrue(missed.indexOf("SUP-2") >= 0 && missed.indexOf("SUP-2") < missed.indexOf("SUP-3"), missed);
        assertFalse(missed.contains("SUP-1\""), "what the page had is not sent again: " + missed);

        // An id of another run of the board (a restart): the page is told to load the board again.
        BlockingQueue<String> stale = follow("Last-Event-ID", "0000-" + id);
        assertEquals("reload", next(stale, "event: "));
    }

    /** The next change on the stream (its clock events passed over). */
    private static JsonNode nextChange(BlockingQueue<String> lines) throws Exception {
        while (true) {
            JsonNode data = JSON.readTree(next(lines, "data: "));
            if (data.has("tickets")) {
                return data;
            }
        }
    }

    @Test
    void anEngineeringIssueUnderAnOlaIsARowOfItsOwnTheCaseShowsItAndBothMoveLive() throws Exception {
        runtime = SlaRuntime.of(store, PolicyFileParser.parse("ola.yaml", """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: support
                    when: { source: salesforce }
                    calendar: always
                    targets: { first_response: 4h }
                olas:
                  - name: engineering
                    when:
                      engineering: { source: jira }
                      customer: { source: salesforce }
                    calendar: always
                    targets: { first_response: 2h }
                warnings: ["75%"]
                """), clock);
        created("salesforce:500A", Priority.HIGH, "Umbrella Corp", "API returns 502");
        created("jira:ENG-7", Priority.HIGH, null, "502 from the gateway");
        runtime.accept(TicketEvent.builder("link", "jira:ENG-7", clock.instant(), EventType.LINKED).other("salesforce:500A")
                .source("jira").build());
        start(BoardSettings.Auth.USERS, List.of());

        JsonNode rows = JSON.readTree(get("/api/data", "Authorization", basic("alice", "s3cret!")).body()).get("tickets");
        List<String> keys = new ArrayList<>();
        rows.forEach(t -> keys.add(t.get("t").asText()));
        assertEquals(List.of("jira:ENG-7#ola", "salesforce:500A"), keys, "the OLA (2h) is due before the Case (4h)");
        JsonNode ola = rows.get(0);
        assertEquals("OLA", ola.get("kd").asText());
        assertEquals("ENG-7", ola.get("k").asText());
        assertEquals("https://acme.atlassian.net/browse/ENG-7", ola.get("l").asText());
        assertEquals("502 from the gateway", ola.get("ti").asText());
        assertEquals("engineering", ola.get("po").asText());
        assertEquals("first_response", ola.get("m").asText());
        assertEquals(T0.plusSeconds(7200).getEpochSecond(), ola.get("d").asLong());
        assertEquals("On track", ola.get("st").asText());
        assertEquals("500A", ola.get("sv").get("k").asText());
        assertEquals("On track", ola.get("sv").get("st").asText());
        assertEquals("Umbrella Corp", ola.get("sv").get("a").asText());
        assertEquals(1, ola.get("sv").get("n").asInt());
        JsonNode linked = rows.get(1).get("li").get(0);
        assertEquals("ENG-7 On track " + T0.plusSeconds(7200).getEpochSecond(),
                linked.get("k").asText() + " " + linked.get("st").asText() + " " + linked.get("d").asLong());

        // At 75% of the OLA the scheduler's refold reaches the page: the OLA row and the Case's linked cell.
        BlockingQueue<String> lines = follow();
        Thread.sleep(300);
        clock.set(T0.plusSeconds(5400));
        runtime.tick();
        long committed = System.nanoTime();
        JsonNode change = nextChange(lines);
        long ms = (System.nanoTime() - committed) / 1_000_000;
        System.out.println("board: an OLA at risk, commit to page (ms): " + ms);
        assertTrue(ms < 1000, "within 1 s: " + ms + " ms");
        assertEquals("At risk", row(change.get("tickets"), "jira:ENG-7#ola").get("st").asText(), change.toString());
        assertEquals("At risk", row(change.get("tickets"), "salesforce:500A").get("li").get(0).get("st").asText());

        // Engineering answers: the OLA is met and its row leaves; the Case shows "ENG-7 Met".
        clock.set(T0.plusSeconds(5460));
        runtime.accept(TicketEvent.builder("reply", "jira:ENG-7", clock.instant(), EventType.AGENT_REPLY).source("jira")
                .build());
        change = nextChange(lines);
        assertEquals("[\"jira:ENG-7#ola\"]", change.get("gone").toString());
        assertEquals("Met", row(change.get("tickets"), "salesforce:500A").get("li").get(0).get("st").asText());
    }
}
