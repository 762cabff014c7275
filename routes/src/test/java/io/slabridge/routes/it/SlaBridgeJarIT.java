package io.slabridge.routes.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.runtime.OutboxDispatcher;
import io.slabridge.core.runtime.RetryPolicy;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the built {@code target/sla-bridge.jar} as a user would, after {@code package}: a class missing from the
 * shaded jar fails here, where the unit tests (on Maven's classpath) cannot notice.
 */
class SlaBridgeJarIT {
    private static final Path JAR = Path.of("target", "sla-bridge.jar");
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The jar's budget. Issue 14 set 45 MB when the demo's simulators left the jar (44.2 MB then, 80.5 MB before).
     * Issue 15 then brought camel-slack and the Slack SDK under it, with OkHttp and Kotlin's standard library
     * (6.3 MB); H2 (2.5 MB), Prometheus' protobuf format (1.9 MB) and Jandex (0.4 MB) left; the SLA board came
     * (0.2 MB): 46.4 MB on 2026-12-05, 40.1 MB of it without the Slack SDK. The budget has room for small assets,
     * not for a new library.
     */
    private static final long MAX_JAR_BYTES = 47_000_000L;

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private static Run java(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void replayOfASpecScenarioThroughTheJar() throws Exception {
        Path scenario = Path.of(SlaBridgeJarIT.class.getResource("/replay/000").toURI());
        Run run = java("replay", "--policy", scenario.resolve("policy.yaml").toString(), "--events",
                scenario.resolve("events.jsonl").toString(), "--at", Files.readString(scenario.resolve("at.txt")).strip());
        assertEquals(0, run.exit(), run.err());
        assertEquals(rows(Files.readAllLines(scenario.resolve("expected.jsonl"))), rows(run.out().lines().toList()));
    }

    @Test
    void outboxThroughTheJarReadsParkedCommandsFromAStore() throws Exception {
        Path db = dir.resolve("store.db");
        StoreSettings settings = StoreSettings.sqliteFile(db);
        Instant t0 = Instant.parse("2026-03-02T09:00:00Z");
        try (JdbcSlaStore store = JdbcSlaStore.open(settings)) {
            SlaRuntime runtime = SlaRuntime.of(store, PolicyFileParser.parse("p.yaml", """
                    calendars: { always: { zone: UTC, week: 24x7 } }
                    policies: [ { name: standard, calendar: always, targets: { first_response: 1h } } ]
                    """), Clock.fixed(t0, java.time.ZoneOffset.UTC));
            runtime.accept(TicketEvent.builder("e1", "jira:SUP-1", t0, EventType.CREATED).priority(Priority.HIGH)
                    .status(TicketStatus.OPEN).build());
            new OutboxDispatcher(store, Map.of("jira", c -> WriteResult.failed("404 issue SUP-1 does not exist")),
                    Clock.fixed(t0, java.time.ZoneOffset.UTC), RetryPolicy.DEFAULT, new Random(1)).dispatchOnce(10);
        }
        Run run = java("outbox", "--failed", "--store-url", settings.url(), "--store-user", "sa");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("jira:SUP-1") && run.out().contains("404 issue SUP-1 does not exist"), run.out());
    }

    /** H2 is the tests' store, not the service's: the jar refuses it with the setting to change, not a driver error. */
    @Test
    void anH2StoreUrlIsRefusedNamingTheSettingAndTheStoresToUse() throws Exception {
        Run run = java("outbox", "--store-url", "jdbc:h2:file:" + dir.resolve("h2").toString().replace("\\", "/"));
        assertEquals(2, run.exit(), "a bad --store-url is a bad command line: " + run.err());
        assertTrue(run.err().contains("sla.store.url: jdbc:h2: is for tests only") && run.err().contains("jdbc:postgresql:"),
                run.err());
        assertTrue(!run.err().contains("\tat "), "no stack trace: " + run.err());
    }

    @Test
    void runWithBadSettingsNamesEachAndStartsNothing() throws Exception {
        Path config = dir.resolve("bad.properties");
        Files.writeString(config, "sla.policy=" + dir.resolve("missing.yaml").toString().replace("\\", "/") + "\n"
                + "sla.jira.enabled=true\nsla.jira.url=acme.atlassian.net\nsla.jira.api-token=TOPSECRET-42\n");
        Run run = java("run", "--config", config.toString());
        assertEquals(2, run.exit(), run.err());
        List<String> lines = run.err().lines().toList();
        assertEquals("sla-bridge cannot start; fix these settings:", lines.get(0), run.err());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  sla.policy: no such file: ")), run.err());
        assertTrue(lines.contains("  sla.jira.url: 'acme.atlassian.net'; expected an absolute http or https URL such as "
                + "https://acme.atlassian.net"), run.err());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  sla.jira.api-token / sla.jira.email / sla.jira.pat: missing")),
                run.err());
        assertTrue(!run.err().contains("TOPSECRET") && !run.err().contains("\tat "), "no secret, no stack trace");
    }

    /**
     * The demo's simulators live in its own jar: the production jar holds no WireMock (nor the libraries it relocates
     * under wiremock/), no GreenMail, no Jetty server (camel-salesforce's Jetty client is there, on purpose) and no
     * H2 (the tests' store).
     */
    @Test
    void jarHoldsNoTestServerNorTestStoreAndStaysInItsBudget() throws IOException {
        List<String> testServers = List.of("com/github/tomakehurst/", "org/wiremock/", "wiremock/", "com/icegreen/",
                "org/eclipse/jetty/server/", "org/eclipse/jetty/ee10/", "org/h2/");
        List<String> found;
        try (ZipFile jar = new ZipFile(JAR.toFile())) {
            found = jar.stream().map(ZipEntry::getName).filter(name -> testServers.stream().anyMatch(name::startsWith))
                    .limit(20).toList();
        }
        assertEquals(List.of(), found, "test servers in " + JAR);
        long size = Files.size(JAR);
        assertTrue(size < MAX_JAR_BYTES, JAR + " is " + size + " bytes, over " + MAX_JAR_BYTES);
    }

    private static Set<JsonNode> rows(List<String> lines) throws IOException {
        Set<JsonNode> rows = new HashSet<>();
        for (String line : lines) {
            if (!line.isBlank()) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }
}
