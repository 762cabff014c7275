package io.slabridge.routes.cli;

import static io.slabridge.routes.cli.Cli.run;
import static io.slabridge.routes.cli.Cli.runMain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.escalation.EscalationAction.Visibility;
import io.slabridge.core.model.Priority;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.store.SlaStore;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sla-bridge outbox} against an H2 file store in a temporary directory, filled through the store's own
 * interface: one command pending, one done and two parked.
 */
class OutboxCommandTest {
    static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    static final String NOT_FOUND = "HTTP 404: issue SUP-1 does not exist or you do not have permission to see it";
    /** A long error over several lines, as a system's response body can be: --failed shows all of it. */
    static final String BAD_REQUEST = "HTTP 400: " + "priority 'Urgent' is not a value of the picklist; ".repeat(12)
            + "\n{\"errors\":[{\"field\":\"Priority\",\"code\":\"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST\"}]}";
    /** Passwords the tests give: none may appear in anything printed. */
    static final List<String> SECRETS = List.of("url-secret-7d1f", "env-secret-5b2e", "cfg-secret-93aa",
            "argv-secret-41c0");

    @TempDir
    Path dir;

    String url;
    long parkedJira;
    long parkedSalesforce;
    long done;
    long pending;

    @BeforeEach
    void fillStore() {
        url = "jdbc:h2:file:" + dir.resolve("db") + H2_OPTIONS;
        // The CLI opens its own store on the same file: this one is closed first.
        try (JdbcSlaStore store = openStore()) {
            enqueue(store, "jira:SUP-1", "jira", new WriteBack.Comment(Visibility.INTERNAL, "first response breached"));
            enqueue(store, "salesforce:5001", "salesforce", new WriteBack.SetPriority(Priority.URGENT));
            enqueue(store, "jira:SUP-2", "jira", new WriteBack.Notify(List.of("lead@example.com"), "SUP-2", "due"));
            Map<String, Long> claimed = store.claimOutbox(T0, Duration.ofMinutes(2), 10).stream()
                    .collect(Collectors.toMap(OutboxCommand::ticket, OutboxCommand::id));
            parkedJira = claimed.get("jira:SUP-1");
            parkedSalesforce = claimed.get("salesforce:5001");
            done = claimed.get("jira:SUP-2");
            store.park(parkedJira, NOT_FOUND, T0.plusSeconds(60));
            store.park(parkedSalesforce, BAD_REQUEST, T0.plusSeconds(90));
            store.markDone(done, T0.plusSeconds(30));
            enqueue(store, "jira:SUP-3", "jira", new WriteBack.Comment(Visibility.PUBLIC, "we are on it"));
            pending = store.claimOutbox(T0.plusSeconds(120), Duration.ofSeconds(1), 10).get(0).id();
        }
    }

    JdbcSlaStore openStore() {
        return JdbcSlaStore.open(new StoreSettings(url, "sa", "", 2));
    }

    static void enqueue(SlaStore store, String ticket, String source, WriteBack payload) {
        store.inTransaction(tx -> {
            tx.enqueue(ticket, source, payload, ticket + "/" + payload.kind(), T0);
            return null;
        });
    }

    /** The outbox as the store sees it, after the command has run. */
    <T> T inStore(Function<JdbcSlaStore, T> query) {
        try (JdbcSlaStore store = openStore()) {
            return query.apply(store);
        }
    }

    Cli.Result outbox(String... args) {
        // An explicit URL comes without the embedded default's user, sa.
        String[] all = new String[args.length + 5];
        all[0] = "outbox";
        all[1] = "--store-url";
        all[2] = url;
        all[3] = "--store-user";
        all[4] = "sa";
        System.arraycopy(args, 0, all, 5, args.length);
        return run(all);
    }

    static void assertNoSecret(Cli.Result r) {
        for (String secret : SECRETS) {
            assertFalse((r.out() + r.err()).contains(secret), () -> "a password was printed:\n" + r);
        }
    }

    static void assertNoStackTrace(Cli.Result r) {
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), () -> "a stack trace:\n" + r);
    }

    @Test
    void withoutOptionsPrintsTheCountsByStatus() {
        Cli.Result r = outbox();

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(List.of("pending 1, done 1, parked 2"), r.outLines());
        assertEquals("", r.err());
    }

    @Test
    void failedListsEachParkedCommandWithItsError() {
        Cli.Result r = outbox("--failed");

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.err());
        List<String> lines = r.outLines();
        assertEquals("2 parked commands", lines.get(0));
        assertEquals(parkedJira + "  jira:SUP-1  comment", lines.get(1));
        assertEquals(List.of("  source:    jira", "  attempts:  1", "  parked at: 2026-03-02T09:01:00Z",
                "  error:     " + NOT_FOUND), lines.subList(2, 6));
        assertEquals(parkedSalesforce + "  salesforce:5001  set_priority", lines.get(6));
        assertTrue(lines.contains("  parked at: 2026-03-02T09:01:30Z"), r::toString);
        // The whole error, each of its lines, however long.
        String[] error = BAD_REQUEST.split("\n");
        assertTrue(lines.contains("  error:     " + error[0]), r::toString);
        assertTrue(lines.contains("             " + error[1]), r::toString);
        assertFalse(r.out().contains("SUP-2") || r.out().contains("SUP-3"), "only parked ones:\n" + r);
    }

    @Test
    void failedWithALimitSaysThereAreMore() {
        Cli.Result r = outbox("--failed", "--limit", "1");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("the first 1 of 2 parked commands"), r::toString);
        assertTrue(r.out().contains("jira:SUP-1") && !r.out().contains("salesforce:5001"), r::toString);
    }

    @Test
    void requeuePutsTheCommandBackInLineAndSaysSo() {
        Cli.Result r = outbox("--requeue", String.valueOf(parkedJira));

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("", r.err());
        assertEquals(List.of("re-queued " + parkedJira + "  jira:SUP-1  comment (parked at 2026-03-02T09:01:00Z after "
                + "1 attempt)"), r.outLines());
        assertEquals(Map.of("pending", 2L, "done", 1L, "parked", 1L), inStore(SlaStore::outboxCounts));
        List<OutboxCommand> due = inStore(s -> s.claimOutbox(Instant.now().plusSeconds(1), Duration.ofMinutes(2), 10));
        OutboxCommand again = due.stream().filter(c -> c.id() == parkedJira).findFirst()
                .orElseThrow(() -> new AssertionError("not deliverable again: " + due));
        assertEquals(0, again.attempts(), "attempts start afresh");
    }

    @Test
    void requeueTakesSeveralIdsEachOnce() {
        Cli.Result r = outbox("--requeue", String.valueOf(parkedJira), "--requeue", String.valueOf(parkedSalesforce),
                "--requeue", String.valueOf(parkedJira));

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(2, r.outLines().size(), r::toString);
        assertEquals(Map.of("pending", 3L, "done", 1L, "parked", 0L), inStore(SlaStore::outboxCounts));
    }

    @Test
    void requeueOfAnIdThatIsNotParkedIsBadInput() {
        for (long id : new long[] {999, done, pending}) {
            Cli.Result r = outbox("--requeue", String.valueOf(id));

            assertEquals(1, r.exitCode(), r::toString);
            assertEquals("", r.out());
            assertTrue(r.err().startsWith("no parked command with id " + id + " "), r::toString);
        }
        assertEquals(Map.of("pending", 1L, "done", 1L, "parked", 2L), inStore(SlaStore::outboxCounts));
    }

    @Test
    void requeueDoesTheGoodIdsAndStillFailsForTheBadOne() {
        Cli.Result r = outbox("--requeue", "999", "--requeue", String.valueOf(parkedSalesforce));

        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("re-queued " + parkedSalesforce + "  salesforce:5001"), r::toString);
        assertTrue(r.err().contains("no parked command with id 999"), r::toString);
        assertEquals(1L, inStore(SlaStore::outboxCounts).get("parked"));
    }

    @Test
    void requeueAllPutsEveryParkedCommandBack() {
        Cli.Result r = outbox("--requeue-all");

        assertEquals(0, r.exitCode(), r::toString);
        List<String> lines = r.outLines();
        assertEquals(3, lines.size(), r::toString);
        assertTrue(lines.get(0).startsWith("re-queued " + parkedJira + "  jira:SUP-1  comment"), r::toString);
        assertTrue(lines.get(1).startsWith("re-queued " + parkedSalesforce + "  salesforce:5001  set_priority"),
                r::toString);
        assertEquals("re-queued 2 commands", lines.get(2));
        assertEquals(Map.of("pending", 3L, "done", 1L, "parked", 0L), inStore(SlaStore::outboxCounts));

        Cli.Result again = outbox("--requeue-all");
        assertEquals(0, again.exitCode(), again::toString);
        assertEquals(List.of("no parked commands"), again.outLines());
        assertEquals(List.of("no parked commands"), outbox("--failed").outLines());
    }

    @Test
    void optionsThatDoDifferentThingsAreABadCommandLine() {
        for (String[] args : new String[][] {{"--failed", "--requeue-all"}, {"--requeue", "1", "--failed"},
            {"--requeue", "x"}, {"--failed", "--limit", "0"}}) {
            Cli.Result r = outbox(args);

            assertEquals(2, r.exitCode(), r::toString);
            assertEquals("", r.out());
            assertTrue(r.err().contains("Usage: sla-bridge outbox"), r::toString);
        }
        assertEquals(Map.of("pending", 1L, "done", 1L, "parked", 2L), inStore(SlaStore::outboxCounts));
    }

    @Test
    void aPasswordOnTheCommandLineIsRefusedWithoutShowingIt() {
        for (String[] args : new String[][] {{"--store-password", "argv-secret-41c0"}, {"--password=argv-secret-41c0"}}) {
            Cli.Result r = outbox(args);

            assertEquals(2, r.exitCode(), r::toString);
            assertTrue(r.err().contains("SLA_STORE_PASSWORD"), r::toString);
            assertNoSecret(r);
        }
    }

    @Test
    void aStoreFileThatDoesNotExistIsNotCreated() {
        Path missing = dir.resolve("nothing-here");
        Cli.Result r = run("outbox", "--store-url", "jdbc:h2:file:" + missing + H2_OPTIONS);

        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("no store at jdbc:h2:file:" + missing), r::toString);
        assertFalse(Files.exists(dir.resolve("nothing-here.mv.db")), "no empty store was created");
    }

    /** Without any setting, the embedded store in ./data/: a directory without one gets a message, not a store. */
    @Test
    void theEmbeddedDefaultIsLookedForInDataUnderTheWorkingDirectory() {
        Cli.Result r = runMain(dir, Map.of(), "outbox");

        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().contains(dir.toAbsolutePath().resolve("data").resolve("sla-bridge.db").toString()),
                r::toString);
        assertTrue(r.err().contains("--store-url"), r::toString);
        assertFalse(Files.exists(dir.resolve("data")), "nothing was created");
    }

    /**
     * The embedded store holds one process at a time: {@code outbox} (which may change it) while the service runs
     * is refused with the reason, in its own JVM as a user runs it; {@code report} only reads, and may.
     */
    @Test
    void theEmbeddedStoreInUseByTheServiceIsRefusedWithTheReason() {
        StoreSettings embedded = StoreSettings.embedded(dir.resolve("data"));
        try (JdbcSlaStore service = JdbcSlaStore.open(embedded)) {
            Cli.Result r = runMain(dir, Map.of(), "outbox");

            assertEquals(1, r.exitCode(), r::toString);
            assertTrue(r.err().contains("in use by another sla-bridge process"), r::toString);
            assertTrue(r.err().contains("sla-bridge.db.lock"), r::toString);

            Cli.Result report = runMain(dir, Map.of(), "report", "--from", "2026-03-01", "--to", "2026-03-31");
            assertEquals(0, report.exitCode(), report::toString);
        }
    }

    /**
     * The real executable, in its own JVM so that logs are seen too, against nothing: one line naming the store by
     * its URL without credentials, and neither password (URL, environment) anywhere.
     */
    @Test
    void anUnreachableStoreIsOneLineWithoutCredentialsOrStackTrace() {
        Cli.Result r = runMain(null, Map.of("SLA_STORE_PASSWORD", "env-secret-5b2e"), "outbox", "--store-user", "bob",
                "--store-url", "jdbc:postgresql://127.0.0.1:1/nope?user=bob&password=url-secret-7d1f");

        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().startsWith("cannot connect to the store at jdbc:postgresql://127.0.0.1:1/nope?user=***&password=***"),
                r::toString);
        assertNoStackTrace(r);
        assertNoSecret(r);
    }

    @Test
    void settingsCanComeFromAConfigFileWithThePassword() throws Exception {
        String secured = "jdbc:h2:file:" + dir.resolve("secured") + H2_OPTIONS;
        try (JdbcSlaStore store = JdbcSlaStore.open(new StoreSettings(secured, "ops", "cfg-secret-93aa", 2))) {
            enqueue(store, "jira:SUP-9", "jira", new WriteBack.Comment(Visibility.INTERNAL, "x"));
        }
        Path config = Cli.write(dir.resolve("store.properties"), "# the store\nsla.store.url=" + secured.replace("\\", "\\\\")
                + "\nsla.store.user=ops\nsla.store.password=cfg-secret-93aa\n");

        Cli.Result r = run("outbox", "--config", config.toString());

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(List.of("pending 1, done 0, parked 0"), r.outLines());
        assertNoSecret(r);

        // The command line wins over the file.
        String elsewhere = "jdbc:h2:file:" + dir.resolve("elsewhere") + H2_OPTIONS;
        Cli.Result other = run("outbox", "--config", config.toString(), "--store-url", elsewhere);
        assertEquals(1, other.exitCode(), other::toString);
        assertTrue(other.err().startsWith("no store at " + elsewhere), other::toString);
    }

    @Test
    void aConfigFileThatIsMissingOrMisspeltIsBadInput() {
        Cli.Result missing = run("outbox", "--config", dir.resolve("none.properties").toString());
        assertEquals(1, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("none.properties: no such file"), missing::toString);

        Path typo = Cli.write(dir.resolve("typo.properties"), "sla.store.ur1=jdbc:h2:mem:x\nsla.store.password=cfg-secret-93aa\n");
        Cli.Result r = run("outbox", "--config", typo.toString());
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.err().contains("unknown store setting sla.store.ur1"), r::toString);
        assertNoSecret(r);
    }

    @Test
    void aStoreUrlOfAnotherKindIsABadCommandLineAndItsPasswordStaysHidden() {
        Cli.Result r = run("outbox", "--store-url", "h2:file:./x;PASSWORD=url-secret-7d1f");

        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("--store-url: sla.store.url must be a jdbc:postgresql:, jdbc:sqlite: or jdbc:h2: URL"), r::toString);
        assertNoSecret(r);
    }

    /** Each setting from the first place that has it: option, system property, environment, config file. */
    @Test
    void settingsComeFromTheCommandLineThenPropertiesThenEnvironmentThenTheFile() throws Exception {
        Path config = Cli.write(dir.resolve("c.properties"), "sla.store.url=jdbc:h2:mem:file\nsla.store.user=file-user\n"
                + "sla.store.password=file-pw\nsla.store.pool-size=9\n");
        Properties system = new Properties();
        system.setProperty("sla.store.user", "property-user");
        Map<String, String> env = Map.of("SLA_STORE_URL", "jdbc:h2:mem:env", "SLA_STORE_USER", "env-user",
                "SLA_STORE_PASSWORD", "env-pw");

        StoreSettings all = options("--config", config.toString(), "--store-url", "jdbc:h2:mem:cli").settings(system, env);
        assertEquals("jdbc:h2:mem:cli", all.url());
        assertEquals("property-user", all.user());
        assertEquals("env-pw", all.password());
        assertEquals(2, all.poolSize(), "an administrative command needs no more");

        StoreSettings noOptions = options("--config", config.toString()).settings(new Properties(), env);
        assertEquals("jdbc:h2:mem:env", noOptions.url());
        assertEquals("env-user", noOptions.user());

        StoreSettings fileOnly = options("--config", config.toString()).settings(new Properties(), Map.of());
        assertEquals(new StoreSettings("jdbc:h2:mem:file", "file-user", "file-pw", 2), fileOnly);

        StoreSettings nothing = options().settings(new Properties(), Map.of());
        assertEquals(StoreSettings.embedded(Path.of("data")).url(), nothing.url());
    }

    private static StoreOptions options(String... args) {
        StoreOptions options = new StoreOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }
}
