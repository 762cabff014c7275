package io.slabridge.connector.salesforce.bench;

import io.slabridge.core.testing.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.slabridge.connector.salesforce.SalesforceApi;
import io.slabridge.connector.salesforce.SalesforceConfig;
import io.slabridge.connector.salesforce.SalesforceWriter;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.runtime.OutboxDispatcher;
import io.slabridge.core.runtime.RetryPolicy;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Salesforce API calls per 1,000 Case updates: sla-bridge's batching writer against one call per record.
 *
 * <p>Real core, real writer, fake Salesforce. 500 Cases each get two updates (created, then a first agent
 * reply), 1,000 updates in all, each of which changes the Case's SLA fields. The updates arrive evenly over a
 * window (1 s: a burst; 10 s; 100 s; 1,000 s: a trickle); a simulated clock steps by the dispatcher's interval
 * (0.5 s, the default {@code sla.outbox.poll-interval}; also 5 s), accepting the updates whose time has come and draining
 * the outbox through {@link OutboxDispatcher} (claiming {@code sla.outbox.batch} commands a round) into a
 * {@link SalesforceWriter}, which calls a local HTTP server speaking the token endpoint and sObject Collections.
 * The server counts the REST calls; "one call per record" is the number of SLA-field writes the writer made
 * (records sent), i.e. what a writer without batching would have called.
 *
 * <p>Run from the repository root (see docs/explanation/benchmarks.md); nothing is installed in ~/.m2:
 * <pre>
 * mvn -B -q -pl connectors/salesforce -am test -Dtest=SalesforceApiCallsBenchTest -Dsurefire.failIfNoSpecifiedTests=false -Dsla.bench.print=true
 * </pre>
 */
public final class SalesforceApiCallsBench {
    static final int CASES = 500;
    static final Duration STEP = Duration.ofMillis(500);
    private static final Instant START = Instant.parse("2026-03-10T09:00:00Z");
    private static final String POLICY = """
            calendars:
              always: { zone: UTC, week: 24x7 }
            policies:
              - name: standard
                calendar: always
                targets: { first_response: 1h, resolution: 8h }
            warnings: ["75%"]
            """;

    /**
     * What one run cost.
     *
     * @param updates  Case updates (events) accepted
     * @param commands SLA-field commands the writer got (older pending ones of a Case are superseded by newer)
     * @param records  records the writer sent: what one call per record would cost
     * @param calls    REST calls the fake Salesforce answered (logins not counted)
     */
    public record Figures(Duration window, Duration step, int claim, int updates, int commands, int records, int calls, int largestCall) {
        public double callsPerThousandUpdates() {
            return 1000.0 * calls / updates;
        }
    }

    private SalesforceApiCallsBench() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println(report(List.of(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(100),
                Duration.ofSeconds(1000)), List.of(50, 200)));
    }

    static String report(List<Duration> windows, List<Integer> claims) throws Exception {
        StringBuilder out = new StringBuilder();
        out.append("| 1,000 updates arrive over | outbox round every | claim per round | commands to the writer | "
                + "sla-bridge calls | largest call (records) | **calls per 1,000 updates** | one call per update |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        List<Figures> all = new ArrayList<>();
        for (Duration w : windows) {
            for (int claim : claims) {
                all.add(run(w, claim, STEP));
            }
        }
        for (Duration w : windows) {
            if (w.toSeconds() >= 100) {
                all.add(run(w, 50, Duration.ofSeconds(5)));
            }
        }
        for (Figures f : all) {
            out.append(String.format("| %d s | %.1f s | %d | %,d | %d | %d | **%.0f** | %,d |%n", f.window().toSeconds(),
                    f.step().toMillis() / 1000.0, f.claim(), f.commands(), f.calls(), f.largestCall(),
                    f.callsPerThousandUpdates(), f.updates()));
        }
        return out.toString();
    }

    /**
     * 1,000 updates evenly over {@code window}; every {@code step} the poller's page is accepted and the dispatcher
     * drains the outbox, claiming {@code claim} commands a round.
     */
    public static Figures run(Duration window, int claim, Duration step) throws Exception {
        FakeSalesforce sf = FakeSalesforce.start();
        DefaultCamelContext camel = new DefaultCamelContext();
        Path policyFile = Files.createTempFile("sla-bench", ".yaml");
        try (JdbcSlaStore store = JdbcSlaStore.open(StoreSettings.inMemory("sf_calls_" + UUID.randomUUID()
                .toString().replace("-", "")))) {
            Files.writeString(policyFile, POLICY);
            PolicySet policies = PolicyFileParser.parse(policyFile);
            MutableClock clock = new MutableClock(START);
            SalesforceConfig config = SalesforceConfig.builder().loginUrl(sf.base()).clientCredentials("bench", "secret")
                    .statusField("SLA_Status__c").nextDueField("SLA_Next_Due__c")
                    .dueField(Metric.FIRST_RESPONSE, "SLA_First_Response_Due__c")
                    .dueField(Metric.RESOLUTION, "SLA_Resolution_Due__c").build();
            SalesforceApi api = SalesforceApi.create(camel, config);
            camel.start();
            SalesforceWriter writer = new SalesforceWriter(api);
            AtomicInteger commands = new AtomicInteger();
            AtomicInteger largest = new AtomicInteger();
            SalesforceWriter counted = writer;
            OutboxDispatcher dispatcher = new OutboxDispatcher(store, Map.of("salesforce",
                    new io.slabridge.core.outbox.BatchOutboxWriter() {
                        @Override
                        public int maxBatch() {
                            return counted.maxBatch();
                        }

                        @Override
                        public List<WriteResult> writeAll(List<OutboxCommand> batch) {
                            commands.addAndGet(batch.size());
                            largest.accumulateAndGet(batch.size(), Math::max);
                            return counted.writeAll(batch);
                        }
                    }), clock, RetryPolicy.DEFAULT, new Random(1));
            SlaRuntime runtime = SlaRuntime.of(store, policies, clock);

            List<TicketEvent> updates = updates(window);
            int next = 0;
            Instant end = START.plus(window).plus(step.multipliedBy(4));
            for (Instant now = START; !now.isAfter(end); now = now.plus(step)) {
                clock.set(now);
                List<TicketEvent> page = new ArrayList<>();
                while (next < updates.size() && !updates.get(next).at().isAfter(now)) {
                    page.add(updates.get(next++));
                }
                if (!page.isEmpty()) {
                    runtime.acceptAll(page); // a poll page: the poller hands over what it read since the last poll
                }
                runtime.tick();
                while (dispatcher.dispatchOnce(claim) == claim) {
                    // a full round: more may be ready, as the outbox route does
                }
            }
            if (next != updates.size() || store.outboxCounts().getOrDefault("pending", 0L) != 0
                    || store.outboxCounts().getOrDefault("parked", 0L) != 0) {
                throw new IllegalStateException("left over: " + store.outboxCounts());
            }
            return new Figures(window, step, claim, updates.size(), commands.get(), sf.records.get(), sf.calls.get(),
                    largest.get());
        } finally {
            camel.stop();
            sf.stop();
            Files.deleteIfExists(policyFile);
        }
    }

    /** 500 Cases created in the window's first half, each answered by an agent half a window later. */
    static List<TicketEvent> updates(Duration window) {
        List<TicketEvent> out = new ArrayList<>();
        int total = 2 * CASES;
        for (int i = 0; i < total; i++) {
            // Evenly spread; a Case's reply comes half a window after its creation.
            int c = i < CASES ? i : i - CASES;
            Instant at = START.plusMillis(window.toMillis() * i / total);
            String ticket = "salesforce:" + String.format("500B%011dAAA", c);
            if (i < CASES) {
                out.add(TicketEvent.builder(ticket + ":created", ticket, at, EventType.CREATED).priority(Priority.HIGH)
                        .status(TicketStatus.OPEN).source("salesforce").channel("web").build());
            } else {
                out.add(TicketEvent.builder(ticket + ":reply", ticket, at, EventType.AGENT_REPLY).source("salesforce")
                        .build());
            }
        }
        return out;
    }

    /** The token endpoint, revoke, and {@code PATCH /composite/sobjects} answering success for every record. */
    static final class FakeSalesforce {
        private static final ObjectMapper JSON = new ObjectMapper();
        final HttpServer server;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger records = new AtomicInteger();

        private FakeSalesforce(HttpServer server) {
            this.server = server;
        }

        static FakeSalesforce start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            FakeSalesforce sf = new FakeSalesforce(server);
            server.createContext("/services/oauth2/token", ex -> sf.answer(ex, 200, "{\"access_token\":\"t\","
                    + "\"instance_url\":\"" + sf.base() + "\",\"id\":\"" + sf.base() + "/id/00D000000000001EAA/"
                    + "005000000000001AAA\",\"token_type\":\"Bearer\",\"issued_at\":\"1\",\"signature\":\"s\"}"));
            server.createContext("/services/oauth2/revoke", ex -> sf.answer(ex, 200, ""));
            // Read once at the first write; not counted: the benchmark counts write calls.
            String describe = io.slabridge.connector.salesforce.SalesforceFixtures.caseDescribe(true,
                    io.slabridge.connector.salesforce.SalesforceFixtures.SLA_FIELDS).toString();
            server.createContext("/services/data/v62.0/sobjects/Case/describe", ex -> sf.answer(ex, 200, describe));
            server.createContext("/services/data/", ex -> {
                sf.calls.incrementAndGet();
                JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
                StringBuilder out = new StringBuilder("[");
                for (JsonNode r : body.path("records")) {
                    sf.records.incrementAndGet();
                    out.append(out.length() > 1 ? "," : "").append("{\"id\":\"").append(r.path("id").asText())
                            .append("\",\"success\":true,\"errors\":[]}");
                }
                sf.answer(ex, 200, out.append("]").toString());
            });
            server.start();
            return sf;
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void answer(HttpExchange ex, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                ex.getResponseBody().write(bytes);
            }
            ex.close();
        }

        void stop() {
            server.stop(0);
        }
    }

}
