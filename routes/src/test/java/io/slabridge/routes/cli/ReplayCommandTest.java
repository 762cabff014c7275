package io.slabridge.routes.cli;

import static io.slabridge.routes.cli.Cli.json;
import static io.slabridge.routes.cli.Cli.lines;
import static io.slabridge.routes.cli.Cli.resource;
import static io.slabridge.routes.cli.Cli.run;
import static io.slabridge.routes.cli.Cli.write;
import static io.slabridge.routes.cli.Cli.writeLines;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code sla-bridge replay} (SLA-SPEC section 6), run through the same command line as the jar. */
class ReplayCommandTest {
    /** Open around the clock in UTC, so elapsed business time is plain wall-clock arithmetic. */
    private static final String ALWAYS_POLICY = String.join("\n",
            "calendars:",
            "  always:",
            "    zone: UTC",
            "    week: 24x7",
            "policies:",
            "  - name: basic",
            "    calendar: always",
            "    targets: { first_response: 1h, resolution: 8h }",
            "");

    /** Spec order of output rows: ticket and metric in plain string order, then cycle number. */
    private static final Comparator<JsonNode> SPEC_ORDER = Comparator
            .comparing((JsonNode n) -> n.get("ticket").asText())
            .thenComparing(n -> n.get("metric").asText())
            .thenComparingLong(n -> n.get("cycle").asLong());

    @TempDir
    Path dir;

    // ---- helpers -----------------------------------------------------------------------------------------

    private static String created(String id, String ticket, String at) {
        return "{\"id\":\"" + id + "\",\"ticket\":\"" + ticket + "\",\"at\":\"" + at
                + "\",\"type\":\"created\",\"priority\":\"normal\",\"status\":\"open\"}";
    }

    private static String event(String id, String ticket, String at, String type) {
        return "{\"id\":\"" + id + "\",\"ticket\":\"" + ticket + "\",\"at\":\"" + at + "\",\"type\":\"" + type + "\"}";
    }

    private Path policy(String yaml) {
        return write(dir.resolve("policy.yaml"), yaml);
    }

    private Path events(String... lines) {
        return writeLines(dir.resolve("events.jsonl"), List.of(lines));
    }

    private static Cli.Result replay(Path policy, Path events, String... more) {
        List<String> args = new ArrayList<>(List.of("replay", "--policy", policy.toString(), "--events", events.toString()));
        args.addAll(List.of(more));
        return run(args.toArray(new String[0]));
    }

    /** A copied spec scenario: its policy, events, evaluation instant and expected rows. */
    private record Scenario(Path policy, Path events, String at, List<JsonNode> expected) {
        static Scenario named(String name) {
            Path d = resource("replay/" + name);
            return new Scenario(d.resolve("policy.yaml"), d.resolve("events.jsonl"),
                    Cli.read(d.resolve("at.txt")).strip(), Cli.parseLines(lines(d.resolve("expected.jsonl"))));
        }

        List<String> eventLines() {
            return lines(events);
        }
    }

    private static JsonNode row(List<JsonNode> rows, String ticket, String metric, int cycle) {
        return rows.stream()
                .filter(r -> r.get("ticket").asText().equals(ticket) && r.get("metric").asText().equals(metric)
                        && r.get("cycle").asInt() == cycle)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row " + ticket + " " + metric + " " + cycle + " in " + rows));
    }

    private static String key(JsonNode row) {
        return row.get("ticket").asText() + " " + row.get("metric").asText() + " " + row.get("cycle").asInt();
    }

    private static Set<Integer> reportedLineNumbers(List<String> errLines) {
        Set<Integer> numbers = new LinkedHashSet<>();
        Matcher m = Pattern.compile(": line (\\d+): ").matcher(String.join("\n", errLines));
        while (m.find()) {
            numbers.add(Integer.parseInt(m.group(1)));
        }
        return numbers;
    }

    private static void assertSuccess(Cli.Result r) {
        assertEquals(0, r.exitCode(), () -> "replay failed:\n" + r);
    }

    // ---- (a) the spec's worked scenarios ------------------------------------------------------------------

    @Nested
    class SpecScenarios {
        @ParameterizedTest(name = "scenario {0}")
        @ValueSource(strings = {"000", "004"})
        void printsExactlyTheExpectedRowsInSpecOrder(String name) {
            Scenario s = Scenario.named(name);

            Cli.Result r = replay(s.policy(), s.events(), "--at", s.at());

            assertSuccess(r);
            assertEquals("", r.err(), "nothing on stderr without --summary");
            List<JsonNode> expectedInSpecOrder = new ArrayList<>(s.expected());
            expectedInSpecOrder.sort(SPEC_ORDER);
            List<JsonNode> actual = r.rows();
            assertEquals(expectedInSpecOrder.stream().map(ReplayCommandTest::key).collect(Collectors.toList()),
                    actual.stream().map(ReplayCommandTest::key).collect(Collectors.toList()),
                    "the same (ticket, metric, cycle) rows, in spec order");
            for (int i = 0; i < actual.size(); i++) {
                assertEquals(expectedInSpecOrder.get(i), actual.get(i), "row " + (i + 1));
            }
        }

        @Test
        void plainStringOrderPutsTicket10BeforeTicket2() {
            Scenario s = Scenario.named("000");

            List<String> printed = replay(s.policy(), s.events(), "--at", s.at()).rows().stream()
                    .map(n -> n.get("ticket").asText()).distinct().collect(Collectors.toList());

            assertTrue(printed.contains("jira:T-10") && printed.contains("jira:T-2"), "printed: " + printed);
            assertTrue(printed.indexOf("jira:T-10") < printed.indexOf("jira:T-2"), "printed: " + printed);
            assertEquals(printed.stream().sorted().collect(Collectors.toList()), printed);
        }
    }

    @Test
    void ticketsSortAsPlainStringsAndCyclesAsNumbers() {
        Path policy = policy(ALWAYS_POLICY.replace("resolution: 8h", "periodic_update: 4h, resolution: 8h"));
        List<String> lines = new ArrayList<>();
        lines.add(created("b1", "jira:SUP-2", "2026-03-02T09:00:00Z"));
        lines.add(created("a1", "jira:SUP-10", "2026-03-02T09:00:00Z"));
        lines.add(created("c1", "email:zeta", "2026-03-02T09:00:00Z"));
        for (int i = 1; i <= 11; i++) { // each public reply starts a new periodic_update cycle: 11 cycles
            lines.add(event("a-reply-" + i, "jira:SUP-10", String.format("2026-03-02T%02d:00:00Z", 9 + i), "agent_reply"));
        }

        Cli.Result r = replay(policy, events(lines.toArray(new String[0])), "--at", "2026-03-03T00:00:00Z");

        assertSuccess(r);
        List<String> expected = new ArrayList<>();
        expected.add("email:zeta first_response 1");
        expected.add("email:zeta resolution 1");
        expected.add("jira:SUP-10 first_response 1");
        for (int i = 1; i <= 11; i++) {
            expected.add("jira:SUP-10 periodic_update " + i);
        }
        expected.add("jira:SUP-10 resolution 1");
        expected.add("jira:SUP-2 first_response 1");
        expected.add("jira:SUP-2 resolution 1");
        assertEquals(expected, r.rows().stream().map(ReplayCommandTest::key).collect(Collectors.toList()));
    }

    @Test
    void instantsWithAnOffsetArePrintedInUtc() {
        Cli.Result r = replay(policy(ALWAYS_POLICY),
                events(created("e1", "A", "2026-03-02T10:00:00+01:00"),
                        event("e2", "A", "2026-03-02T11:30:00+02:00", "agent_reply")),
                "--at", "2026-03-02T13:00:00+03:00"); // 10:00Z

        assertSuccess(r);
        JsonNode first = row(r.rows(), "A", "first_response", 1);
        assertEquals("2026-03-02T09:00:00Z", first.get("started_at").asText());
        assertEquals("2026-03-02T10:00:00Z", first.get("due_at").asText());
        assertEquals("2026-03-02T09:30:00Z", first.get("stopped_at").asText());
        assertEquals(1800, first.get("elapsed_seconds").asLong());
    }

    // ---- (b) the evaluation instant without --at ------------------------------------------------------------

    @Nested
    class WithoutAt {
        /** The latest event (B's creation at 11:30) is not the last line of the file. */
        private Path threeEvents() {
            return events(
                    created("a1", "A", "2026-03-02T09:00:00Z"),
                    created("b1", "B", "2026-03-02T11:30:00Z"),
                    event("a2", "A", "2026-03-02T10:15:00Z", "customer_message"));
        }

        @Test
        void evaluatesAtTheLatestEventsInstant() {
            Cli.Result r = replay(policy(ALWAYS_POLICY), threeEvents());

            assertSuccess(r);
            // A was created at 09:00 and never answered; at 11:30, 2.5 h = 9000 s have passed around the clock.
            assertEquals(List.of(
                    json("{\"ticket\":\"A\",\"metric\":\"first_response\",\"cycle\":1,\"policy\":\"basic\","
                            + "\"calendar\":\"always\",\"target_seconds\":3600,\"started_at\":\"2026-03-02T09:00:00Z\","
                            + "\"due_at\":\"2026-03-02T10:00:00Z\",\"stopped_at\":null,\"status\":\"breached\","
                            + "\"elapsed_seconds\":9000,\"remaining_seconds\":-5400,\"at_risk\":false}"),
                    json("{\"ticket\":\"A\",\"metric\":\"resolution\",\"cycle\":1,\"policy\":\"basic\","
                            + "\"calendar\":\"always\",\"target_seconds\":28800,\"started_at\":\"2026-03-02T09:00:00Z\","
                            + "\"due_at\":\"2026-03-02T17:00:00Z\",\"stopped_at\":null,\"status\":\"running\","
                            + "\"elapsed_seconds\":9000,\"remaining_seconds\":19800,\"at_risk\":false}"),
                    json("{\"ticket\":\"B\",\"metric\":\"first_response\",\"cycle\":1,\"policy\":\"basic\","
                            + "\"calendar\":\"always\",\"target_seconds\":3600,\"started_at\":\"2026-03-02T11:30:00Z\","
                            + "\"due_at\":\"2026-03-02T12:30:00Z\",\"stopped_at\":null,\"status\":\"running\","
                            + "\"elapsed_seconds\":0,\"remaining_seconds\":3600,\"at_risk\":false}"),
                    json("{\"ticket\":\"B\",\"metric\":\"resolution\",\"cycle\":1,\"policy\":\"basic\","
                            + "\"calendar\":\"always\",\"target_seconds\":28800,\"started_at\":\"2026-03-02T11:30:00Z\","
                            + "\"due_at\":\"2026-03-02T19:30:00Z\",\"stopped_at\":null,\"status\":\"running\","
                            + "\"elapsed_seconds\":0,\"remaining_seconds\":28800,\"at_risk\":false}")),
                    r.rows());
        }

        @Test
        void givesTheSameOutputAsAnExplicitAtOfTheLatestEvent() {
            Path policy = policy(ALWAYS_POLICY);
            Path events = threeEvents();

            Cli.Result implicit = replay(policy, events);
            Cli.Result explicit = replay(policy, events, "--at", "2026-03-02T11:30:00Z");

            assertSuccess(implicit);
            assertEquals(explicit.out(), implicit.out());
        }

        @Test
        void summaryNamesTheLatestEventsInstant() {
            Cli.Result r = replay(policy(ALWAYS_POLICY), threeEvents(), "--summary");

            assertSuccess(r);
            assertTrue(r.err().contains("evaluated at 2026-03-02T11:30:00Z"), r.err());
        }

        @Test
        void anEmptyEventsFilePrintsNothingAndSucceeds() {
            Cli.Result r = replay(policy(ALWAYS_POLICY), write(dir.resolve("empty.jsonl"), ""));

            assertSuccess(r);
            assertEquals("", r.out());
        }
    }

    // ---- (c) events after --at --------------------------------------------------------------------------

    @Nested
    class EventsAfterAt {
        private Path events() {
            return ReplayCommandTest.this.events(
                    created("a1", "A", "2026-03-02T09:00:00Z"),
                    event("a2", "A", "2026-03-02T09:40:00Z", "agent_reply"),
                    created("c1", "C", "2026-03-02T12:00:00Z"));
        }

        @Test
        void areIgnored() {
            Cli.Result r = replay(policy(ALWAYS_POLICY), events(), "--at", "2026-03-02T09:30:00Z");

            assertSuccess(r);
            JsonNode first = row(r.rows(), "A", "first_response", 1);
            assertAll(
                    () -> assertEquals("running", first.get("status").asText(), "the 09:40 reply has not happened yet"),
                    () -> assertTrue(first.get("stopped_at").isNull()),
                    () -> assertEquals(1800, first.get("elapsed_seconds").asLong()),
                    () -> assertEquals(1800, first.get("remaining_seconds").asLong()),
                    () -> assertTrue(r.rows().stream().noneMatch(n -> n.get("ticket").asText().equals("C")),
                            "C is created after --at"));
        }

        @Test
        void anEventExactlyAtTheInstantCounts() {
            Cli.Result r = replay(policy(ALWAYS_POLICY), events(), "--at", "2026-03-02T09:40:00Z");

            assertSuccess(r);
            JsonNode first = row(r.rows(), "A", "first_response", 1);
            assertEquals("met", first.get("status").asText());
            assertEquals("2026-03-02T09:40:00Z", first.get("stopped_at").asText());
        }

        @Test
        void anOffsetInAtIsTheSameInstant() {
            Path policy = policy(ALWAYS_POLICY);
            Path events = events();

            assertEquals(replay(policy, events, "--at", "2026-03-02T09:30:00Z").out(),
                    replay(policy, events, "--at", "2026-03-02T10:30:00+01:00").out());
        }

        @Test
        void scenarioGivesTheSameOutputAsWithoutTheLaterLines() {
            Scenario s = Scenario.named("000");
            Instant at = Instant.parse(s.at());
            List<String> upToAt = s.eventLines().stream()
                    .filter(l -> !Instant.parse(json(l).get("at").asText()).isAfter(at))
                    .collect(Collectors.toList());
            assertTrue(upToAt.size() < s.eventLines().size(), "the scenario has events after --at");

            Cli.Result whole = replay(s.policy(), s.events(), "--at", s.at());
            Cli.Result cut = replay(s.policy(), writeLines(dir.resolve("cut.jsonl"), upToAt), "--at", s.at());

            assertSuccess(whole);
            assertEquals(cut.out(), whole.out());
        }
    }

    // ---- (d) bad event lines ------------------------------------------------------------------------------

    @Nested
    class BadEventLines {
        @Test
        void everyBadLineIsNamedAndNothingIsPrinted() {
            Path events = events(
                    created("e1", "A", "2026-03-02T09:00:00Z"),
                    "this is not json",
                    "",
                    event("e4", "A", "2026-03-02T09:10:00Z", "escalated"),
                    "{\"id\":\"e5\",\"ticket\":\"A\",\"type\":\"agent_reply\"}",
                    event("e6", "A", "2026-03-02T09:20:00Z", "agent_reply"));

            Cli.Result r = replay(policy(ALWAYS_POLICY), events);

            assertEquals(1, r.exitCode(), r::toString);
            assertEquals("", r.out(), "nothing partial on stdout");
            List<String> err = r.errLines();
            assertEquals(3, err.size(), r::toString);
            assertTrue(err.get(0).startsWith(events + ": line 2: not JSON"), err.get(0));
            assertTrue(err.get(1).startsWith(events + ": line 4: unknown type 'escalated'"), err.get(1));
            assertEquals(events + ": line 5: missing field 'at'", err.get(2));
        }

        static Stream<Arguments> badLines() {
            return Stream.of(
                    Arguments.of("this is not json", "not JSON"),
                    Arguments.of("[1, 2]", "not a JSON object"),
                    Arguments.of(event("x", "A", "2026-03-02T09:10:00Z", "escalated"), "unknown type 'escalated'"),
                    Arguments.of("{\"ticket\":\"A\",\"at\":\"2026-03-02T09:10:00Z\",\"type\":\"agent_reply\"}",
                            "missing field 'id'"),
                    Arguments.of("{\"id\":\"x\",\"at\":\"2026-03-02T09:10:00Z\",\"type\":\"agent_reply\"}",
                            "missing field 'ticket'"),
                    Arguments.of("{\"id\":\"x\",\"ticket\":\"A\",\"at\":\"2026-03-02T09:10:00Z\"}",
                            "missing field 'type'"),
                    Arguments.of("{\"id\":\"x\",\"ticket\":\"A\",\"type\":\"agent_reply\"}", "missing field 'at'"),
                    Arguments.of("{\"id\":\"x\",\"ticket\":\"B\",\"at\":\"2026-03-02T09:10:00Z\",\"type\":\"created\","
                            + "\"status\":\"open\"}", "missing field 'priority'"),
                    Arguments.of(event("x", "A", "yesterday", "agent_reply"), "field 'at'"));
        }

        @ParameterizedTest(name = "{1}")
        @MethodSource("badLines")
        void eachKindOfBadLineIsReportedWithItsLineNumber(String badLine, String message) {
            Path events = events(
                    created("e1", "A", "2026-03-02T09:00:00Z"),
                    event("e2", "A", "2026-03-02T09:05:00Z", "customer_message"),
                    badLine,
                    event("e4", "A", "2026-03-02T09:20:00Z", "agent_reply"));

            Cli.Result r = replay(policy(ALWAYS_POLICY), events);

            assertEquals(1, r.exitCode(), r::toString);
            assertEquals("", r.out());
            assertEquals(1, r.errLines().size(), r::toString);
            String err = r.errLines().get(0);
            assertTrue(err.startsWith(events + ": line 3: "), err);
            assertTrue(err.contains(message), err);
        }

        @Test
        void aBadLastLineAfterManyGoodOnesPrintsNothingPartial() {
            Scenario s = Scenario.named("000");
            List<String> lines = new ArrayList<>(s.eventLines());
            lines.add("{\"id\": \"broken\", \"ticket\": \"jira:T-0\", \"at\": \"2026-03-27T01:50:00Z\"");
            Path events = writeLines(dir.resolve("events.jsonl"), lines);

            Cli.Result r = replay(s.policy(), events, "--at", s.at());

            assertEquals(1, r.exitCode(), r::toString);
            assertEquals("", r.out(), "nothing partial on stdout");
            assertEquals(Set.of(lines.size()), reportedLineNumbers(r.errLines()), r::toString);
        }

        @Test
        void lineNumbersCountBlankLinesAndWindowsLineEndings() throws IOException {
            String text = created("e1", "A", "2026-03-02T09:00:00Z") + "\r\n\r\n   \r\n"
                    + event("e2", "A", "2026-03-02T09:05:00Z", "agent_reply") + "\r\n"
                    + "oops\r\n";
            Path events = dir.resolve("windows.jsonl");
            Files.writeString(events, text, StandardCharsets.UTF_8);

            Cli.Result r = replay(policy(ALWAYS_POLICY), events);

            assertEquals(1, r.exitCode(), r::toString);
            assertEquals(Set.of(5), reportedLineNumbers(r.errLines()), r::toString);
        }

        @Test
        void windowsLineEndingsAreReadLikeUnixOnes() throws IOException {
            List<String> lines = List.of(created("e1", "A", "2026-03-02T09:00:00Z"),
                    event("e2", "A", "2026-03-02T09:05:00Z", "agent_reply"));
            Path unix = writeLines(dir.resolve("unix.jsonl"), lines);
            Path windows = dir.resolve("windows.jsonl");
            Files.writeString(windows, String.join("\r\n", lines) + "\r\n", StandardCharsets.UTF_8);
            Path policy = policy(ALWAYS_POLICY);

            Cli.Result r = replay(policy, windows);

            assertSuccess(r);
            assertEquals(replay(policy, unix).out(), r.out());
        }

        @Test
        void manyBadLinesAreReportedUpToALimitThenCounted() {
            List<String> lines = new ArrayList<>();
            lines.add(created("e1", "A", "2026-03-02T09:00:00Z"));
            for (int i = 0; i < 25; i++) {
                lines.add("bad line " + i);
            }
            Path events = writeLines(dir.resolve("events.jsonl"), lines);

            Cli.Result r = replay(policy(ALWAYS_POLICY), events);

            assertEquals(1, r.exitCode());
            assertEquals("", r.out());
            List<String> err = r.errLines();
            assertEquals(21, err.size(), r::toString);
            Set<Integer> expectedNumbers = new LinkedHashSet<>();
            for (int n = 2; n <= 21; n++) {
                expectedNumbers.add(n);
            }
            assertEquals(expectedNumbers, reportedLineNumbers(err));
            assertTrue(err.get(20).contains("5 more bad lines"), err.get(20));
        }
    }

    // ---- (e) invalid policy -------------------------------------------------------------------------------

    @Nested
    class InvalidPolicy {
        private static final String BAD_POLICY = String.join("\n",
                "calendars:",
                "  always:",
                "    zone: UTC",
                "    week: 24x7",
                "policies:",
                "  - name: basic",
                "    calendar: allways",                                 // line 7: no such calendar
                "    targets: { first_response: 1h, resolution: 5d }", // line 8: there is no 'd'
                "");

        @Test
        void everyProblemIsReportedAsFileLineMessage() {
            Path policy = policy(BAD_POLICY);

            Cli.Result r = replay(policy, events(created("e1", "A", "2026-03-02T09:00:00Z")));

            assertEquals(1, r.exitCode(), r::toString);
            assertEquals("", r.out());
            List<String> err = r.errLines();
            assertEquals(2, err.size(), r::toString);
            assertTrue(err.get(0).startsWith(policy + ":7: "), err.get(0));
            assertTrue(err.get(0).contains("unknown calendar 'allways'"), err.get(0));
            assertTrue(err.get(1).startsWith(policy + ":8: "), err.get(1));
            assertTrue(err.get(1).contains("'5d'"), err.get(1));
        }

        @Test
        void yamlThatDoesNotParseNamesFileAndLine() {
            Path policy = policy("calendars:\n  always:\n    zone: UTC\n    week: [24x7\npolicies: []\n");

            Cli.Result r = replay(policy, events(created("e1", "A", "2026-03-02T09:00:00Z")));

            assertEquals(1, r.exitCode(), r::toString);
            assertEquals("", r.out());
            assertTrue(Pattern.compile(Pattern.quote(policy.toString()) + ":\\d+: ").matcher(r.err()).find(), r::toString);
        }

        @Test
        void badPolicyAndBadEventsAreBothReported() {
            Path policy = policy(BAD_POLICY);
            Path events = events(created("e1", "A", "2026-03-02T09:00:00Z"), "not json");

            Cli.Result r = replay(policy, events);

            assertEquals(1, r.exitCode());
            assertEquals("", r.out());
            assertTrue(r.err().contains(events + ": line 2: "), r::toString);
            assertTrue(r.err().contains(policy + ":7: "), r::toString);
        }
    }

    // ---- (f) missing files ---------------------------------------------------------------------------------

    @Test
    void missingEventsFileIsBadInputWithAClearMessage() {
        Path missing = dir.resolve("no-such-events.jsonl");

        Cli.Result r = replay(policy(ALWAYS_POLICY), missing);

        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertEquals(List.of(missing + ": no such file"), r.errLines());
    }

    @Test
    void missingPolicyFileIsBadInputNamingTheFile() {
        Path missing = dir.resolve("no-such-policy.yaml");

        Cli.Result r = replay(missing, events(created("e1", "A", "2026-03-02T09:00:00Z")));

        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertEquals(1, r.errLines().size(), r::toString);
        assertEquals(missing + ": no such file", r.err().strip(), r::toString);
    }

    @Test
    void eventsPathThatIsADirectoryIsBadInput() {
        Cli.Result r = replay(policy(ALWAYS_POLICY), dir);

        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertTrue(r.err().startsWith(dir + ": cannot read"), r::toString);
    }

    // ---- (g) bad command line -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2026-03-06T12:00:00", "2026-03-06", "2026-13-01T00:00:00Z", ""})
    void badAtIsABadCommandLine(String at) {
        Cli.Result r = replay(policy(ALWAYS_POLICY), events(created("e1", "A", "2026-03-02T09:00:00Z")), "--at", at);

        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("--at: '" + at + "' is not an ISO-8601 instant"), r::toString);
    }

    @Test
    void missingRequiredOptionIsABadCommandLine() {
        Cli.Result r = run("replay", "--events", events(created("e1", "A", "2026-03-02T09:00:00Z")).toString());

        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertTrue(r.err().contains("--policy"), r::toString);
    }

    // ---- (h) --summary ------------------------------------------------------------------------------------

    @Test
    void summaryGoesToStderrAndStdoutStaysJsonLines() {
        Scenario s = Scenario.named("000");
        List<JsonNode> events = Cli.parseLines(s.eventLines());
        long distinctIds = events.stream().map(e -> e.get("id").asText()).distinct().count();
        long duplicates = events.size() - distinctIds;
        long tickets = events.stream().map(e -> e.get("ticket").asText()).distinct().count();
        assertTrue(duplicates > 0, "the scenario repeats some events");

        Cli.Result withSummary = replay(s.policy(), s.events(), "--at", s.at(), "--summary");
        Cli.Result without = replay(s.policy(), s.events(), "--at", s.at());

        assertSuccess(withSummary);
        assertEquals(without.out(), withSummary.out(), "--summary changes nothing on stdout");
        for (JsonNode row : withSummary.rows()) {
            assertTrue(row.isObject() && row.has("ticket") && row.has("status"), row::toString);
        }
        assertEquals(distinctIds + " events (" + duplicates + " repeated ids ignored), " + tickets + " tickets, "
                + s.expected().size() + " cycles, evaluated at " + s.at(), withSummary.errLines().get(0));
    }

    // ---- (i) duplicates ----------------------------------------------------------------------------------

    @Nested
    class Duplicates {
        @Test
        void scenarioWithoutItsRepeatedEventsGivesTheSameOutput() {
            Scenario s = Scenario.named("000");
            Set<String> seen = new HashSet<>();
            List<String> firstOfEachId = s.eventLines().stream()
                    .filter(l -> seen.add(json(l).get("id").asText()))
                    .collect(Collectors.toList());
            assertTrue(firstOfEachId.size() < s.eventLines().size(), "the scenario repeats some events");

            Cli.Result original = replay(s.policy(), s.events(), "--at", s.at());
            Cli.Result deduplicated = replay(s.policy(), writeLines(dir.resolve("dedup.jsonl"), firstOfEachId),
                    "--at", s.at());

            assertSuccess(original);
            assertEquals(deduplicated.out(), original.out());
        }

        @Test
        void everyEventDeliveredTwiceGivesTheSameOutput() {
            Scenario s = Scenario.named("000");
            List<String> twice = new ArrayList<>(s.eventLines());
            twice.addAll(s.eventLines()); // the whole file redelivered after itself

            Cli.Result original = replay(s.policy(), s.events(), "--at", s.at());
            Cli.Result doubled = replay(s.policy(), writeLines(dir.resolve("twice.jsonl"), twice), "--at", s.at());

            assertSuccess(doubled);
            assertEquals(original.out(), doubled.out());
        }

        @Test
        void aSecondEventWithTheSameIdIsIgnoredEvenIfItDiffers() {
            Path policy = policy(ALWAYS_POLICY);
            String created = created("e1", "A", "2026-03-02T09:00:00Z");
            String reply = event("e2", "A", "2026-03-02T09:40:00Z", "agent_reply");
            String sameIdEarlierReply = event("e2", "A", "2026-03-02T09:10:00Z", "agent_reply");

            Cli.Result withRepeat = replay(policy, events(created, reply, sameIdEarlierReply), "--at",
                    "2026-03-02T10:00:00Z");
            Cli.Result without = replay(policy, events(created, reply), "--at", "2026-03-02T10:00:00Z");

            assertSuccess(withRepeat);
            assertEquals("2026-03-02T09:40:00Z",
                    row(withRepeat.rows(), "A", "first_response", 1).get("stopped_at").asText());
            assertEquals(without.out(), withRepeat.out());
        }

        /**
         * Files from 8 MiB on are read as two halves in parallel. Here the first line (4.3 MB, padded with a long
         * title) is the first half; a repeat of its id, with a later {@code at}, is in the second half.
         */
        @Test
        void anIgnoredRepeatDoesNotMoveTheDefaultEvaluationInstantInALargeFile() {
            String padA = "x".repeat(4_300_000);
            String padB = "y".repeat(4_200_000);
            List<String> lines = List.of(
                    "{\"id\":\"e1\",\"ticket\":\"A\",\"at\":\"2026-03-02T09:00:00Z\",\"type\":\"created\","
                            + "\"priority\":\"low\",\"status\":\"open\",\"title\":\"" + padA + "\"}",
                    "{\"id\":\"e2\",\"ticket\":\"A\",\"at\":\"2026-03-02T10:00:00Z\",\"type\":\"internal_note\","
                            + "\"title\":\"" + padB + "\"}",
                    event("e1", "A", "2026-03-09T09:00:00Z", "internal_note")); // a repeat: ignored
            Path events = writeLines(dir.resolve("large.jsonl"), lines);

            Cli.Result r = replay(policy(ALWAYS_POLICY), events, "--summary");

            assertSuccess(r);
            assertTrue(r.err().contains("(1 repeated ids ignored)"), r.err());
            assertTrue(r.err().contains("evaluated at 2026-03-02T10:00:00Z"), r.err());
            assertEquals(3600, row(r.rows(), "A", "resolution", 1).get("elapsed_seconds").asLong());
        }
    }

    // ---- (j) order of lines ------------------------------------------------------------------------------

    /**
     * Shuffles the lines, except that lines of the same ticket at the same instant keep their relative order:
     * the spec applies those in arrival order, so only they may depend on the file's order.
     */
    private static List<String> shuffleKeepingSameInstantOrder(List<String> lines, long seed) {
        Map<String, Deque<String>> byTicketAndInstant = new HashMap<>();
        for (String line : lines) {
            byTicketAndInstant.computeIfAbsent(ticketAndInstant(line), k -> new ArrayDeque<>()).add(line);
        }
        List<String> shuffled = new ArrayList<>(lines);
        Collections.shuffle(shuffled, new Random(seed));
        List<String> result = new ArrayList<>(lines.size());
        for (String line : shuffled) {
            result.add(byTicketAndInstant.get(ticketAndInstant(line)).removeFirst());
        }
        return result;
    }

    private static String ticketAndInstant(String line) {
        JsonNode e = json(line);
        return e.get("ticket").asText() + " " + Instant.parse(e.get("at").asText());
    }

    @ParameterizedTest(name = "scenario {0}")
    @ValueSource(strings = {"000", "004"})
    void outputDoesNotDependOnTheOrderOfLines(String name) {
        Scenario s = Scenario.named(name);
        Cli.Result original = replay(s.policy(), s.events(), "--at", s.at());
        assertSuccess(original);

        for (long seed = 1; seed <= 5; seed++) {
            List<String> shuffled = shuffleKeepingSameInstantOrder(s.eventLines(), seed);
            assertNotEquals(s.eventLines(), shuffled);
            Path events = writeLines(dir.resolve("shuffled-" + seed + ".jsonl"), shuffled);

            Cli.Result r = replay(s.policy(), events, "--at", s.at());

            assertSuccess(r);
            assertEquals(original.out(), r.out(), "shuffle seed " + seed);
        }
    }

    @Test
    void reversedFileGivesTheSameOutput() {
        Scenario s = Scenario.named("004");
        List<String> reversed = new ArrayList<>(s.eventLines());
        Collections.reverse(reversed);
        assertEquals(reversed.size(), reversed.stream().map(ReplayCommandTest::ticketAndInstant).distinct().count(),
                "no two lines of one ticket share an instant, so any order must do");

        Cli.Result original = replay(s.policy(), s.events(), "--at", s.at());
        Cli.Result r = replay(s.policy(), writeLines(dir.resolve("reversed.jsonl"), reversed), "--at", s.at());

        assertSuccess(r);
        assertFalse(r.out().isEmpty());
        assertEquals(original.out(), r.out());
    }
}
