package io.slabridge.connector.jira.bench;

import io.slabridge.core.testing.MutableClock;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.slabridge.connector.jira.JiraConfig;
import io.slabridge.connector.jira.JiraHttp;
import io.slabridge.connector.jira.JiraWriter;
import io.slabridge.core.io.InvalidEventException;
import io.slabridge.core.io.TicketEventJson;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.SummaryState;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.runtime.OutboxDispatcher;
import io.slabridge.core.runtime.RetryPolicy;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Jira API calls per ticket over its life: sla-bridge's writer (a fields write only when the summary or a due
 * instant changes, plus the escalation steps' writes) against a naive writer that refreshes the SLA fields
 * every minute while the ticket is open (and makes the same escalation writes).
 *
 * <p>Real core, real writer, fake Jira: each scenario runs {@link SlaRuntime} on an in-memory H2 store under
 * the quickstart policy ({@code examples/quickstart/sla.yaml}), a simulated clock stepping one minute at a time
 * from the ticket's creation to an hour after it is resolved. Each minute it accepts the events whose time has
 * come, ticks the runtime as the scheduler would, and drains the outbox through {@link OutboxDispatcher} into
 * a {@link JiraWriter} (Jira Cloud with JSM, all six SLA fields configured) that calls WireMock. The naive
 * writer's minute-by-minute PUTs are made for real too, through a client of its own; calls are counted by each
 * client and cross-checked against WireMock's request journal.
 *
 * <p>Run from the repository root (see docs/explanation/benchmarks.md):
 * <pre>
 * mvn -B -q -pl connectors/jira -am install -DskipTests
 * mvn -B -q -f connectors/jira/pom.xml test-compile exec:exec@jira-api-calls
 * </pre>
 */
public final class JiraApiCallsBench {
    /** The quickstart, seen from the module's directory (where Maven runs tests and exec). */
    static final Path QUICKSTART = Path.of("../../examples/quickstart");
    private static final Duration STEP = Duration.ofMinutes(1);
    private static final Duration AFTER_RESOLVED = Duration.ofHours(1);

    /** A ticket's life as events. */
    public record Scenario(String name, String description, List<TicketEvent> events) {
        public Scenario {
            events = List.copyOf(events);
        }

        Instant created() {
            return events.get(0).at();
        }

        Instant resolved() {
            return events.stream().filter(e -> e.type() == EventType.STATUS_CHANGED && e.status().isResolved())
                    .map(TicketEvent::at).reduce((a, b) -> b).orElseThrow();
        }

        /** Whole minutes from creation to resolution: the naive writer's refreshes. */
        long openMinutes() {
            return Duration.between(created(), resolved()).toMinutes();
        }
    }

    /**
     * What one scenario cost.
     *
     * @param commands     outbox commands delivered to the Jira writer, by kind and outcome ({@code comment done})
     * @param calls        sla-bridge's Jira calls, by method and resource ({@code PUT issue})
     * @param naiveFieldPuts the naive writer's per-minute field refreshes, all made
     * @param writes       each command the Jira writer got, in order: when, what, how it went
     */
    public record Figures(Scenario scenario, Map<String, Integer> commands, Map<String, Integer> calls,
            long slaBridgeCalls, long naiveFieldPuts, long escalationCalls, int wireMockRequests, List<String> writes) {

        public long naiveCalls() {
            return naiveFieldPuts + escalationCalls;
        }
    }

    private JiraApiCallsBench() {
    }

    public static void main(String[] args) throws Exception {
        List<Figures> all = run(QUICKSTART, scenarios(QUICKSTART));
        System.out.println("policy: examples/quickstart/sla.yaml; writer: Jira Cloud, JSM, status + next-due + 4 due fields");
        System.out.println();
        System.out.println("| ticket | life | open | commands to the Jira writer | sla-bridge calls | naive calls | naive / sla-bridge |");
        System.out.println("|---|---|---:|---|---:|---:|---:|");
        for (Figures f : all) {
            Scenario s = f.scenario();
            System.out.printf("| %s | %s | %s | %s | **%d** (%s) | %,d (%,d field PUTs + %d) | %.0fx |%n", s.name(),
                    s.description(), hours(s.openMinutes()), describe(f.commands()), f.slaBridgeCalls(),
                    describe(f.calls()), f.naiveCalls(), f.naiveFieldPuts(), f.escalationCalls(),
                    (double) f.naiveCalls() / f.slaBridgeCalls());
        }
        for (Figures f : all) {
            System.out.println();
            System.out.println(f.scenario().name() + ", " + f.scenario().created() + " to " + f.scenario().resolved()
                    + ", what the Jira writer got:");
            f.writes().forEach(w -> System.out.println("  " + w));
        }
    }

    private static String hours(long minutes) {
        return String.format("%d h %02d min", minutes / 60, minutes % 60);
    }

    private static String describe(Map<String, Integer> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((k, v) -> parts.add(v + " " + k));
        return String.join(", ", parts);
    }

    /**
     * The quickstart's Jira ticket (SUP-1: office hours, a wait on the customer overnight) and two enterprise
     * tickets of the same shape (created, agent reply, waiting on the customer, customer reply, agent reply,
     * resolved) on the 24x7 calendar: one answered within every target, one whose first reply is late enough
     * to climb the escalation ladder.
     */
    public static List<Scenario> scenarios(Path quickstart) throws Exception {
        List<TicketEvent> sup1 = new ArrayList<>();
        TicketEventJson json = new TicketEventJson();
        for (String line : Files.readAllLines(quickstart.resolve("events.jsonl"))) {
            TicketEvent e = json.read(line);
            if (e.ticket().equals("jira:SUP-1")) {
                sup1.add(e);
            }
        }
        return List.of(
                new Scenario("SUP-1", "quickstart ticket: pro tier, Berlin office hours, waits overnight", sup1),
                new Scenario("SUP-2", "enterprise, 24x7, every reply in time", lifecycle("jira:SUP-2",
                        "2026-03-10T09:00:00Z", "2026-03-10T09:40:00Z", "2026-03-10T11:30:00Z", "2026-03-10T12:45:00Z",
                        "2026-03-10T12:50:00Z")),
                new Scenario("SUP-3", "enterprise, 24x7, first reply 80 min late for a 1 h target", lifecycle(
                        "jira:SUP-3", "2026-03-11T09:00:00Z", "2026-03-11T10:20:00Z", "2026-03-11T13:00:00Z",
                        "2026-03-11T13:30:00Z", "2026-03-11T14:00:00Z")));
    }

    private static List<TicketEvent> lifecycle(String ticket, String created, String firstReply, String customerReply,
            String secondReply, String resolved) throws InvalidEventException {
        TicketEventJson json = new TicketEventJson();
        String[] lines = {
            "{\"id\":\"%1$s:1\",\"ticket\":\"%1$s\",\"at\":\"" + created + "\",\"type\":\"created\",\"priority\":\"high\","
                    + "\"status\":\"open\",\"tier\":\"enterprise\",\"channel\":\"portal\",\"category\":\"integration\","
                    + "\"source\":\"jira\",\"title\":\"Webhook deliveries arrive twice\"}",
            "{\"id\":\"%1$s:2\",\"ticket\":\"%1$s\",\"at\":\"" + firstReply + "\",\"type\":\"agent_reply\",\"author\":\"mia\"}",
            "{\"id\":\"%1$s:3\",\"ticket\":\"%1$s\",\"at\":\"" + firstReply + "\",\"type\":\"status_changed\","
                    + "\"status\":\"waiting_on_customer\"}",
            "{\"id\":\"%1$s:4\",\"ticket\":\"%1$s\",\"at\":\"" + customerReply + "\",\"type\":\"customer_message\"}",
            "{\"id\":\"%1$s:5\",\"ticket\":\"%1$s\",\"at\":\"" + customerReply + "\",\"type\":\"status_changed\",\"status\":\"open\"}",
            "{\"id\":\"%1$s:6\",\"ticket\":\"%1$s\",\"at\":\"" + secondReply + "\",\"type\":\"agent_reply\",\"author\":\"mia\"}",
            "{\"id\":\"%1$s:7\",\"ticket\":\"%1$s\",\"at\":\"" + resolved + "\",\"type\":\"status_changed\",\"status\":\"resolved\"}",
        };
        List<TicketEvent> events = new ArrayList<>();
        for (String line : lines) {
            events.add(json.read(String.format(line, ticket)));
        }
        return events;
    }

    /** Runs each scenario on a store, a fake Jira and a pair of writers of its own. */
    public static List<Figures> run(Path quickstart, List<Scenario> scenarios) throws Exception {
        PolicySet policies = PolicyFileParser.parse(quickstart.resolve("sla.yaml"));
        List<Figures> out = new ArrayList<>();
        for (Scenario s : scenarios) {
            out.add(run(policies, s));
        }
        return out;
    }

    private static Figures run(PolicySet policies, Scenario scenario) throws Exception {
        WireMockServer jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.start();
        // A name of its own per run: H2 keeps an in-memory database for the life of the JVM.
        String name = "jira_api_calls_" + UUID.randomUUID().toString().replace("-", "");
        try (JdbcSlaStore store = JdbcSlaStore.open(StoreSettings.inMemory(name))) {
            jira.stubFor(put(urlPathMatching("/rest/api/3/issue/[^/]+")).willReturn(aResponse().withStatus(204)));
            jira.stubFor(post(urlPathMatching("/rest/api/3/issue/[^/]+/comment"))
                    .willReturn(aResponse().withStatus(201).withBody("{\"id\":\"10000\"}")));
            jira.stubFor(get(urlPathMatching("/rest/api/3/issue/[^/]+/comment"))
                    .willReturn(aResponse().withStatus(200).withBody("{\"comments\":[]}")));
            MutableClock clock = new MutableClock(scenario.created());
            JiraConfig config = JiraConfig.builder().url(URI.create(jira.baseUrl())).basic("bot@example.com", "token")
                    .deployment(JiraConfig.Deployment.CLOUD).serviceManagement(true).statusField("customfield_10050")
                    .nextDueField("customfield_10051").dueField(Metric.FIRST_RESPONSE, "customfield_10052")
                    .dueField(Metric.NEXT_RESPONSE, "customfield_10053").dueField(Metric.PERIODIC_UPDATE, "customfield_10054")
                    .dueField(Metric.RESOLUTION, "customfield_10055").build();
            JiraHttp ours = JiraHttp.create(camel, config, clock);
            JiraHttp naive = JiraHttp.create(camel, config, clock);
            JiraWriter writer = new JiraWriter(ours);
            JiraWriter naiveWriter = new JiraWriter(naive);

            Map<String, Integer> commands = new TreeMap<>();
            List<String> writes = new ArrayList<>();
            WriteBack.SlaFields[] latest = {new WriteBack.SlaFields(SummaryState.NONE, null, Map.of())};
            SlaRuntime runtime = SlaRuntime.of(store, policies, clock);
            OutboxDispatcher dispatcher = new OutboxDispatcher(store, Map.of("jira", command -> {
                WriteResult r = writer.write(command);
                commands.merge(command.payload().kind() + " " + outcome(r), 1, Integer::sum);
                writes.add(clock.instant() + " " + describe(command.payload()) + " -> " + outcome(r));
                if (command.payload() instanceof WriteBack.SlaFields f) {
                    latest[0] = f;
                }
                return r;
            }), clock, RetryPolicy.DEFAULT, new Random(1));

            int next = 0;
            long naivePuts = 0;
            List<TicketEvent> events = scenario.events();
            Instant end = scenario.resolved().plus(AFTER_RESOLVED);
            for (Instant now = scenario.created(); !now.isAfter(end); now = now.plus(STEP)) {
                clock.set(now);
                while (next < events.size() && !events.get(next).at().isAfter(now)) {
                    runtime.accept(events.get(next++));
                }
                runtime.tick();
                while (dispatcher.dispatchOnce(10) > 0) {
                    // drain: the dispatcher runs continuously in the service
                }
                if (now.isBefore(scenario.resolved())) {
                    // The naive writer: the same fields, written again every minute while the ticket is open.
                    WriteResult r = naiveWriter.write(new OutboxCommand(0, scenario.events().get(0).ticket(), "jira",
                            latest[0], "naive/" + now, now, 0));
                    if (!(r instanceof WriteResult.Done)) {
                        throw new IllegalStateException("naive write: " + r);
                    }
                    naivePuts++;
                }
            }
            if (next != events.size() || store.outboxCounts().getOrDefault("pending", 0L) != 0) {
                throw new IllegalStateException(scenario.name() + ": events or commands left over: " + store.outboxCounts());
            }

            List<ServeEvent> requests = jira.getAllServeEvents();
            Map<String, Integer> calls = new TreeMap<>();
            // Our calls by kind, from WireMock's journal: the naive client only ever PUTs fields.
            long ourFieldPuts = commands.entrySet().stream().filter(c -> c.getKey().startsWith("sla_fields done"))
                    .mapToLong(Map.Entry::getValue).sum();
            long puts = requests.stream().filter(e -> e.getRequest().getMethod().getName().equals("PUT")).count();
            calls.put("PUT issue", (int) (puts - naivePuts));
            calls.put("POST comment", (int) requests.stream().filter(e -> e.getRequest().getMethod().getName().equals("POST")).count());
            calls.put("GET comments", (int) requests.stream().filter(e -> e.getRequest().getMethod().getName().equals("GET")).count());
            calls.values().removeIf(v -> v == 0);
            long escalationCalls = ours.calls() - ourFieldPuts;
            ours.close();
            naive.close();
            return new Figures(scenario, commands, calls, ours.calls(), naive.calls(), escalationCalls, requests.size(),
                    writes);
        } finally {
            camel.stop();
            jira.stop();
        }
    }

    private static String describe(WriteBack w) {
        if (w instanceof WriteBack.SlaFields f) {
            return "sla_fields " + f.summary().label() + ", next due " + f.nextDue() + ", due " + new TreeMap<>(f.dueByMetric());
        }
        return w.kind();
    }

    private static String outcome(WriteResult r) {
        if (r instanceof WriteResult.Done) {
            return "done";
        }
        return r instanceof WriteResult.Failed ? "parked" : "rescheduled";
    }

}
