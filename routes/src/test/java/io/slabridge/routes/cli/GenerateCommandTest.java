package io.slabridge.routes.cli;

import static io.slabridge.routes.cli.Cli.resource;
import static io.slabridge.routes.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code sla-bridge generate}: reproducible synthetic history that replay accepts. */
class GenerateCommandTest {
    private static final Pattern UTC_SECONDS = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    private static final Set<String> TYPES = Set.of("created", "customer_message", "agent_reply", "internal_note",
            "status_changed", "priority_changed", "attributes_changed");
    private static final Set<String> PRIORITIES = Set.of("urgent", "high", "normal", "low");
    private static final Set<String> STATUSES = Set.of("open", "in_progress", "waiting_on_customer", "on_hold",
            "resolved", "closed");
    private static final Set<String> SOURCES = Set.of("jira", "salesforce", "email");

    @TempDir
    Path dir;

    private static Cli.Result generate(String... args) {
        List<String> all = new ArrayList<>(List.of("generate"));
        all.addAll(List.of(args));
        Cli.Result r = run(all.toArray(new String[0]));
        assertEquals(0, r.exitCode(), r::toString);
        return r;
    }

    @Test
    void sameSeedGivesIdenticalBytes() {
        String first = generate("--tickets", "50", "--seed", "7").out();
        String second = generate("--tickets", "50", "--seed", "7").out();

        assertFalse(first.isEmpty());
        assertEquals(first, second);
    }

    @Test
    void differentSeedGivesDifferentHistory() {
        assertNotEquals(generate("--tickets", "50", "--seed", "7").out(),
                generate("--tickets", "50", "--seed", "8").out());
    }

    @Test
    void ticketsOptionSetsTheNumberOfTickets() {
        List<JsonNode> events = generate("--tickets", "200").rows();

        assertEquals(200, events.stream().map(e -> e.get("ticket").asText()).distinct().count(), "distinct tickets");
        Set<String> createdIds = events.stream().filter(e -> e.get("type").asText().equals("created"))
                .map(e -> e.get("id").asText()).collect(Collectors.toSet());
        assertEquals(200, createdIds.size(), "one created event per ticket (repeats not counted)");
        // 4 to 16 events per ticket, 10 on average.
        assertTrue(events.size() >= 200 * 4 && events.size() <= 200 * 16 * 1.1, events.size() + " lines");
    }

    @Test
    void everyLineIsAnEventWithTheSpecsFields() {
        List<JsonNode> events = generate("--tickets", "200", "--seed", "3").rows();

        for (JsonNode e : events) {
            String type = e.path("type").asText();
            assertAll(e.toString(),
                    () -> assertTrue(e.isObject()),
                    () -> assertFalse(e.path("id").asText().isEmpty(), "id"),
                    () -> assertFalse(e.path("ticket").asText().isEmpty(), "ticket"),
                    () -> assertTrue(UTC_SECONDS.matcher(e.path("at").asText()).matches(), "at"),
                    () -> assertTrue(TYPES.contains(type), "type"),
                    () -> {
                        if (type.equals("created") || type.equals("priority_changed")) {
                            assertTrue(PRIORITIES.contains(e.path("priority").asText()), "priority");
                        }
                    },
                    () -> {
                        if (type.equals("created") || type.equals("status_changed")) {
                            assertTrue(STATUSES.contains(e.path("status").asText()), "status");
                        }
                    },
                    () -> {
                        if (e.has("source")) {
                            assertTrue(SOURCES.contains(e.get("source").asText()), "source");
                            assertTrue(e.get("ticket").asText().startsWith(e.get("source").asText() + ":"),
                                    "ticket key is scoped by its source");
                        }
                    });
        }
    }

    @Test
    void startAndDaysBoundTheCreationInstants() {
        Instant start = Instant.parse("2026-06-01T00:00:00Z");
        List<JsonNode> events = generate("--tickets", "100", "--days", "10", "--start", start.toString()).rows();

        List<Instant> created = events.stream().filter(e -> e.get("type").asText().equals("created"))
                .map(e -> Instant.parse(e.get("at").asText())).collect(Collectors.toList());
        assertFalse(created.isEmpty());
        for (Instant at : created) {
            assertFalse(at.isBefore(start), at::toString);
            assertTrue(at.isBefore(start.plus(Duration.ofDays(10))), at::toString);
        }
    }

    @Test
    void stderrCountsTheLinesAndStdoutHoldsOnlyEvents() {
        Cli.Result r = generate("--tickets", "20", "--days", "5", "--start", "2026-02-01T00:00:00Z");

        assertEquals(List.of(r.outLines().size() + " lines, 20 tickets over 5 days from 2026-02-01T00:00:00Z"),
                r.errLines());
    }

    @Test
    void outWritesTheSameBytesToAFileAndNothingToStdout() throws IOException {
        Path file = dir.resolve("history.jsonl");

        Cli.Result toFile = generate("--tickets", "30", "--seed", "5", "--out", file.toString());
        Cli.Result toStdout = generate("--tickets", "30", "--seed", "5");

        assertEquals("", toFile.out());
        assertEquals(toStdout.out(), Files.readString(file));
    }

    @Test
    void generatedHistoryReplaysAgainstTheBenchmarkPolicy() {
        Path events = dir.resolve("history.jsonl");
        generate("--tickets", "200", "--seed", "11", "--out", events.toString());

        Cli.Result r = run("replay", "--policy", resource("bench/policy.yaml").toString(), "--events", events.toString(),
                "--summary");

        assertEquals(0, r.exitCode(), r::toString);
        List<JsonNode> rows = r.rows();
        assertTrue(rows.size() >= 200 * 2, "at least first_response and resolution per ticket: " + rows.size());
        assertEquals(200, rows.stream().map(n -> n.get("ticket").asText()).distinct().count());
        assertTrue(r.errLines().get(0).contains(", 200 tickets, " + rows.size() + " cycles"), r.err());
        assertTrue(rows.stream().anyMatch(n -> n.get("status").asText().equals("met")), "some cycles are met");
        assertTrue(rows.stream().anyMatch(n -> n.get("status").asText().equals("breached")), "some are breached");
    }

    @Test
    void nonNumericTicketsIsABadCommandLine() {
        Cli.Result r = run("generate", "--tickets", "many");

        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("", r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--tickets=0", "--days=0", "--tickets=-5", "--start=garbage"})
    void badOptionValueIsABadCommandLineWithAMessage(String option) {
        Cli.Result r = run("generate", option);

        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertTrue(r.err().contains(option.substring(0, option.indexOf('='))), "names the option: " + r.err());
    }
}
