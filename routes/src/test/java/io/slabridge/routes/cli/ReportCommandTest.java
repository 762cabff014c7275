package io.slabridge.routes.cli;

import static io.slabridge.routes.cli.Cli.json;
import static io.slabridge.routes.cli.Cli.run;
import static io.slabridge.routes.cli.Cli.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.slabridge.core.io.TicketEventJson;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sla-bridge report} on sla-core's hand-computed fixture ({@code report/events.jsonl} and
 * {@code report/policy.yaml}; every figure is worked out in sla-core's {@code HandComputed}): the period Monday
 * 2026-03-02 to Saturday 2026-03-07, evaluated at Monday 2026-03-09 12:00Z.
 */
class ReportCommandTest {
    static final String FROM = "2026-03-02";
    static final String TO = "2026-03-07T00:00:00Z";
    static final Instant AT = Instant.parse("2026-03-09T12:00:00Z");

    @TempDir
    Path dir;
    Path events;
    Path policy;

    @BeforeEach
    void copyFixture() {
        events = copy("report/events.jsonl");
        policy = copy("report/policy.yaml");
    }

    /** Copied from the classpath (sla-core's test jar), which may be a jar. */
    Path copy(String name) {
        try (InputStream in = ReportCommandTest.class.getResourceAsStream("/" + name)) {
            Path file = dir.resolve(Path.of(name).getFileName());
            Files.write(file, in.readAllBytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code report} on the fixture with the period and instant above, unless {@code more} gives its own. */
    Cli.Result replay(String... more) {
        List<String> args = new ArrayList<>(List.of("report", "--events", events.toString(), "--policy",
                policy.toString()));
        List<String> given = List.of(more);
        for (String[] option : new String[][] {{"--from", FROM}, {"--to", TO}, {"--at", AT.toString()}}) {
            if (!given.contains(option[0])) {
                args.addAll(List.of(option));
            }
        }
        args.addAll(given);
        return run(args.toArray(new String[0]));
    }

    @Nested
    class FromReplayInput {
        @Test
        void textTablesShowTheHandComputedFigures() {
            Cli.Result r = replay("--by", "priority,tier");
            assertEquals(0, r.exitCode(), r::toString);
            assertEquals("", r.err());
            List<String> lines = r.outLines();
            assertTrue(lines.contains("period:       2026-03-02T00:00:00Z to 2026-03-07T00:00:00Z (excluded)"), r::toString);
            assertMatches(lines, "overall +first_response +4 +2 +66\\.7% +0 +1");
            assertMatches(lines, "overall +resolution +5 +2 +71\\.4% +1 +1");
            assertMatches(lines, "priority urgent +first_response +2 +1 +66\\.7% +0 +0");
            assertMatches(lines, "priority low +first_response +0 +0 +- +0 +1");
            assertMatches(lines, "tier pro +resolution +4 +1 +80\\.0% +0 +0");
            assertMatches(lines, "tier \\(none\\) +resolution +0 +0 +- +0 +1");
            assertMatches(lines, "overall +first_response +6 +1h30m +3h +6h +1h30m +6h +19h");
            assertMatches(lines, "overall +resolution +6 +9h +14h +19h +29h +51h +74h");
            assertMatches(lines, "salesforce:B-2 +resolution +1 +enterprise +urgent +8h +2026-03-06T04:00:00Z +open +80h +80h");
            assertTrue(lines.contains("Breaches: 4 in the period, the latest first"), r::toString);
            // the breaches, latest first
            List<String> tickets = lines.subList(lines.indexOf("Breaches: 4 in the period, the latest first") + 2,
                    lines.size()).stream().map(l -> l.split(" +")[0] + " " + l.split(" +")[1]).toList();
            assertEquals(List.of("salesforce:B-2 resolution", "jira:A-3 resolution", "jira:A-3 first_response",
                    "salesforce:B-2 first_response"), tickets);
        }

        @Test
        void byDefaultEveryDimensionOfTheIssue() {
            Cli.Result r = replay();
            assertEquals(0, r.exitCode(), r::toString);
            assertMatches(r.outLines(), "channel email +first_response +1 +2 +33\\.3% +0 +0");
            assertMatches(r.outLines(), "account acme +first_response +2 +2 +50\\.0% +0 +0");
            assertMatches(r.outLines(), "policy standard +resolution +4 +1 +80\\.0% +0 +1");
            assertMatches(r.outLines(), "priority high +resolution +1 +1 +50\\.0% +0 +0");
            assertMatches(r.outLines(), "tier enterprise +resolution +1 +1 +50\\.0% +1 +0");
        }

        @Test
        void csvSummary() {
            Cli.Result r = replay("--format", "csv", "--by", "priority");
            assertEquals(0, r.exitCode(), r::toString);
            List<String> lines = r.outLines();
            assertEquals("dimension,value,metric,met,breached,met_percent,breached_open,open_at_end,stopped,"
                    + "business_median_seconds,business_p80_seconds,business_p90_seconds,calendar_median_seconds,"
                    + "calendar_p80_seconds,calendar_p90_seconds,withdrawn", lines.get(0));
            assertEquals("overall,,first_response,4,2,66.7,0,1,6,5400,10800,21600,5400,21600,68400,", lines.get(1));
            assertEquals("overall,,resolution,5,2,71.4,1,1,6,32400,50400,68400,104400,183600,266400,", lines.get(2));
            assertEquals("priority,urgent,first_response,2,1,66.7,0,0,3,5400,7200,7200,5400,7200,7200,", lines.get(3));
            assertEquals(1 + 2 + 8, lines.size()); // header, 2 overall, 4 priorities x 2 metrics
        }

        @Test
        void csvBreachList() {
            Cli.Result r = replay("--format", "csv", "--breach-list", "--breaches", "3");
            assertEquals(0, r.exitCode(), r::toString);
            List<String> lines = r.outLines();
            assertEquals("ticket,metric,cycle,policy,priority,channel,tier,account,target_seconds,due_at,stopped_at,"
                    + "late_business_seconds,late_calendar_seconds,kind,linked_ticket,linked_ola", lines.get(0));
            assertEquals("jira:A-3,resolution,1,standard,high,email,pro,acme,57600,2026-03-04T17:00:00Z,"
                    + "2026-03-05T12:00:00Z,10800,68400,sla,,", lines.get(2));
            assertEquals(4, lines.size());
        }

        @Test
        void json() {
            Cli.Result r = replay("--format", "json", "--by", "none");
            assertEquals(0, r.exitCode(), r::toString);
            JsonNode j = Cli.json(r.out());
            assertEquals("2026-03-09T12:00:00Z", j.get("evaluated_at").asText());
            assertEquals(0, j.get("by").size());
            assertEquals(2, j.get("compliance").size());
            JsonNode res = j.get("compliance").get(1);
            assertEquals("resolution", res.get("metric").asText());
            assertEquals(71.4, res.get("met_percent").asDouble());
            assertEquals(32400, res.get("business_seconds").get("median").asLong());
            assertEquals(266400, res.get("calendar_seconds").get("p90").asLong());
            assertEquals(4, j.get("breaches").get("total").asInt());
            assertEquals(4, j.get("breaches").get("listed").size()); // all, by default, in json
            assertEquals(288000, j.get("breaches").get("listed").get(0).get("late_business_seconds").asLong());
        }

        @Test
        void tryingAStricterPolicyOnTheSameHistory() {
            // first response 1h for everyone: A-1 (1h) and B-1 still met; A-2 (3h), A-3 (6h), A-5 (1h30m) and B-2
            // breached, and A-4 too (created Fri 16:00, due 17:00, breached at 17:00:01, in the period): 2 of 7
            write(policy, Cli.read(policy).replace("targets: { first_response: 4h, resolution: 16h }",
                    "targets: { first_response: 1h, resolution: 16h }"));
            Cli.Result r = replay("--by", "none");
            assertEquals(0, r.exitCode(), r::toString);
            assertMatches(r.outLines(), "overall +first_response +2 +5 +28\\.6% +0 +0");
        }
    }

    @Nested
    class FromTheStore {
        String url;

        @BeforeEach
        void fillStore() throws Exception {
            url = "jdbc:h2:file:" + dir.resolve("db") + OutboxCommandTest.H2_OPTIONS;
            fill(new StoreSettings(url, "sa", "", 2), events, policy, AT);
        }

        /** The command line in this JVM with "now" at {@link #AT}. */
        Cli.Result report(String... args) {
            List<String> all = new ArrayList<>(List.of("--store-url", url, "--store-user", "sa"));
            all.addAll(List.of(args));
            return reportAt(AT, all);
        }

        @Test
        void theStoredCyclesGiveTheHandComputedFigures() {
            Cli.Result r = report("--from", FROM, "--to", TO, "--format", "csv", "--by", "priority");
            assertEquals(0, r.exitCode(), r::toString);
            assertEquals("", r.err());
            List<String> lines = r.outLines();
            assertEquals("overall,,first_response,4,2,66.7,0,1,6,5400,10800,21600,5400,21600,68400,", lines.get(1));
            assertEquals("overall,,resolution,5,2,71.4,1,1,6,32400,50400,68400,104400,183600,266400,", lines.get(2));
            assertTrue(lines.contains("priority,low,resolution,1,0,100.0,0,1,1,32400,32400,32400,90000,90000,90000,"),
                    r::toString);
        }

        @Test
        void refoldedWithAPolicyTheOpenBreachIsExactlyLate() {
            Cli.Result r = report("--from", FROM, "--to", TO, "--policy", policy.toString(), "--format", "json");
            assertEquals(0, r.exitCode(), r::toString);
            JsonNode first = json(r.out()).get("breaches").get("listed").get(0);
            assertEquals("salesforce:B-2", first.get("ticket").asText());
            assertEquals(288000, first.get("late_business_seconds").asLong());
            assertEquals(288000, first.get("late_calendar_seconds").asLong());
        }

        @Test
        void aStoreThatDoesNotExistIsNamedAndNotCreated() {
            Path missing = dir.resolve("nothing");
            Cli.Result r = run("report", "--store-url", "jdbc:h2:file:" + missing);
            assertEquals(1, r.exitCode(), r::toString);
            assertTrue(r.err().contains("nothing.mv.db does not exist (nothing was created)"), r::toString);
            assertTrue(!Files.exists(dir.resolve("nothing.mv.db")));
        }

        @Test
        void aDatabaseWithoutTheStoreIsNamed() {
            Cli.Result r = run("report", "--store-url", "jdbc:h2:mem:empty" + OutboxCommandTest.H2_OPTIONS);
            assertEquals(1, r.exitCode(), r::toString);
            assertTrue(r.err().contains("is it an sla-bridge store?"), r::toString);
        }
    }

    @Nested
    class BadInput {
        @Test
        void aBadEventsLineIsNamedAndNothingPrinted() {
            write(events, Cli.read(events) + "{\"id\":\"x\",\"ticket\":\"t\",\"at\":\"2026-03-02T09:00:00Z\",\"type\":\"creatd\"}\n");
            Cli.Result r = replay();
            assertEquals(1, r.exitCode(), r::toString);
            assertEquals("", r.out());
            assertTrue(r.err().startsWith(events + ": line 27: "), r::toString);
            assertTrue(r.err().contains("type"), r::toString);
        }

        @Test
        void aBadPolicyIsNamedWithItsLine() {
            write(policy, Cli.read(policy).replace("first_response: 4h", "first_response: 4d"));
            Cli.Result r = replay();
            assertEquals(1, r.exitCode(), r::toString);
            assertEquals("", r.out());
            assertTrue(r.err().startsWith(policy + ":"), r::toString);
            assertTrue(r.err().contains("'4d'"), r::toString);
        }

        @Test
        void aMissingEventsFile() {
            events = dir.resolve("nope.jsonl");
            Cli.Result r = replay();
            assertEquals(1, r.exitCode(), r::toString);
            assertEquals(events + ": no such file", r.err().strip());
        }

        @Test
        void badCommandLines() {
            assertUsage(replay("--from", "yesterday"), "--from: 'yesterday' is not an ISO-8601 instant with an offset");
            assertUsage(replay("--to", "2026-03-01"), "--from 2026-03-02 must be before --to 2026-03-01");
            assertUsage(replay("--format", "xml"), "--format: 'xml' is not one of text, csv, json");
            assertUsage(replay("--by", "priority,colour"), "--by: 'colour' is not one of priority, channel, tier, "
                    + "account, policy, category, source (or none)");
            assertUsage(replay("--breaches", "-3"), "--breaches: '-3' is not a number (0 or more) or all");
            assertUsage(replay("--breach-list"), "--breach-list goes with --format csv");
            assertUsage(run("report", "--events", events.toString()), "--events needs --policy");
            assertUsage(run("report", "--at", "2026-03-09T12:00:00Z"), "--at needs --policy");
            assertUsage(replay("--at", "2026-03-09"), "--at: '2026-03-09' is not an ISO-8601 instant with an offset, "
                    + "such as 2026-03-06T12:00:00Z");
        }
    }

    /**
     * OLA compliance from the store (issue 16 section 5): a linked history (sla-core's {@code report/ola-handoffs.jsonl},
     * figures worked out in store's {@code OlaReportFromStoreTest}) accepted by the runtime into the embedded SQLite
     * store; {@code report} finds the OLAs in the service's policy file (sla.policy in application.properties style
     * --config) and prints the OLA figures {@code report --events} prints.
     */
    @Nested
    class OlasFromTheStore {
        static final Instant OLA_AT = Instant.parse("2026-03-02T18:00:00Z");
        Path olaEvents;
        Path olaPolicy;
        String url;

        @BeforeEach
        void fillStore() throws Exception {
            olaEvents = copy("report/ola-handoffs.jsonl");
            olaPolicy = dir.resolve("ola-policy.yaml");
            Files.copy(Path.of("..", "docs", "examples", "ola", "000", "policy.yaml"), olaPolicy);
            Path file = dir.resolve("sla.db");
            url = "jdbc:sqlite:" + file;
            fill(new StoreSettings(url, null, null, 2), olaEvents, olaPolicy, OLA_AT);
        }

        Cli.Result fromStore(String... args) {
            List<String> all = new ArrayList<>(List.of("--store-url", url));
            all.addAll(List.of(args));
            return reportAt(OLA_AT, all);
        }

        Cli.Result fromEvents(String... args) {
            List<String> all = new ArrayList<>(List.of("report", "--events", olaEvents.toString(), "--policy",
                    olaPolicy.toString(), "--at", OLA_AT.toString()));
            all.addAll(List.of(args));
            return run(all.toArray(new String[0]));
        }

        /** The text from the OLA section on. */
        static String olaSection(Cli.Result r) {
            int at = r.out().indexOf("OLA compliance");
            assertTrue(at > 0, r::toString);
            return r.out().substring(at);
        }

        @Test
        void theServicesPolicyFileGivesTheOlaFiguresOfReplayInput() {
            Path config = dir.resolve("sla.properties");
            write(config, "sla.policy=" + olaPolicy.toString().replace("\\", "/") + "\n");
            Cli.Result store = fromStore("--config", config.toString());
            Cli.Result events = fromEvents();
            assertEquals(0, store.exitCode(), store::toString);
            assertEquals("", store.err());
            assertEquals(olaSection(events), olaSection(store));
            assertMatches(store.outLines(), "ola eng +first_response +1 +1 +50\\.0% +1");
            assertMatches(store.outLines(), "project ENG +resolution +0 +1 +0\\.0% +1");
            assertTrue(store.out().contains("Customer breaches with a linked OLA: 1 after the OLA was breached, 1 with "
                    + "the OLA met"), store::toString);
            assertMatches(store.outLines(), "jira:ENG-1 +salesforce:500X +eng +first_response +1 +2h .*open +6h30m +6h30m");
        }

        @Test
        void csvFromTheStoreEqualsCsvFromReplayInput() {
            String policyOption = olaPolicy.toString();
            for (String[] format : new String[][] {{"--format", "csv"}, {"--format", "csv", "--breach-list"}}) {
                List<String> args = new ArrayList<>(List.of(format));
                args.addAll(List.of("--policy", policyOption, "--at", OLA_AT.toString()));
                Cli.Result store = fromStore(args.toArray(new String[0]));
                Cli.Result events = fromEvents(format);
                assertEquals(0, store.exitCode(), store::toString);
                assertEquals(events.out(), store.out());
            }
            List<String> breaches = fromStore("--format", "csv", "--breach-list", "--policy", policyOption).outLines();
            assertTrue(breaches.stream().anyMatch(l -> l.startsWith("salesforce:500X,resolution,1,")
                    && l.endsWith(",sla,jira:ENG-1,breached_first")), breaches::toString);
            assertTrue(breaches.stream().anyMatch(l -> l.startsWith("jira:ENG-1,resolution,1,eng,")
                    && l.endsWith(",ola,salesforce:500X,")), breaches::toString);
        }

        @Test
        void withoutAPolicyFileTheReportSaysWhereTheOlaFiguresWouldComeFrom() {
            Cli.Result r = fromStore();
            assertEquals(0, r.exitCode(), r::toString);
            assertTrue(!r.out().contains("OLA compliance"), r::toString);
            assertTrue(r.err().contains("the store has linked tickets, but no policy file names their OLAs: give "
                    + "--policy, or set sla.policy"), r::toString);
        }

        @Test
        void aBadServicePolicyFileIsNamed() {
            Path config = dir.resolve("sla.properties");
            write(config, "sla.policy=" + dir.resolve("missing.yaml").toString().replace("\\", "/") + "\n");
            Cli.Result r = fromStore("--config", config.toString());
            assertEquals(1, r.exitCode(), r::toString);
            assertTrue(r.err().contains("missing.yaml"), r::toString);
            assertTrue(r.err().contains("sla.policy"), r::toString);
            assertEquals("", r.out());
        }
    }

    /**
     * Fills the store as the running service would: the events accepted by the runtime in time order, on a clock
     * that follows them, the scheduler ticking before each and once more at {@code at}.
     */
    static void fill(StoreSettings settings, Path events, Path policy, Instant at) throws Exception {
        try (JdbcSlaStore store = JdbcSlaStore.open(settings)) {
            TicketEventJson json = new TicketEventJson();
            List<TicketEvent> all = new ArrayList<>();
            for (String line : Files.readAllLines(events)) {
                all.add(json.read(line));
            }
            all.sort(Comparator.comparingLong(TicketEvent::atEpochSecond));
            MutableClock clock = new MutableClock(all.get(0).at());
            SlaRuntime runtime = SlaRuntime.of(store, PolicyFileParser.parse(policy), clock);
            for (TicketEvent e : all) {
                clock.set(e.at());
                runtime.tick();
                runtime.accept(e);
            }
            clock.set(at);
            runtime.tick();
        }
    }

    /** {@code report} with these arguments in this JVM, with "now" at {@code now}. */
    static Cli.Result reportAt(Instant now, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = SlaBridgeCommand.commandLine(out, err);
        ((ReportCommand) cli.getSubcommands().get("report").getCommand()).clock = Clock.fixed(now, ZoneOffset.UTC);
        List<String> all = new ArrayList<>(List.of("report"));
        all.addAll(args);
        int code = cli.execute(all.toArray(new String[0]));
        return new Cli.Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void assertUsage(Cli.Result r, String message) {
        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertTrue(r.err().contains(message), () -> "expected \"" + message + "\" in " + r);
    }

    static void assertMatches(List<String> lines, String regex) {
        assertTrue(lines.stream().anyMatch(l -> l.matches(regex)),
                () -> "no line matches " + regex + " in\n" + String.join("\n", lines));
    }
}
