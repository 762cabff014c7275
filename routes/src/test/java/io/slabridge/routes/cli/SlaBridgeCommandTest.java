package io.slabridge.routes.cli;

import static io.slabridge.routes.cli.Cli.run;
import static io.slabridge.routes.cli.Cli.runMain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The top-level {@code sla-bridge} command: help, version and what happens without a command. */
class SlaBridgeCommandTest {
    @Test
    void helpListsTheCommandsAndExitCodes() {
        Cli.Result r = run("--help");

        assertEquals(0, r.exitCode(), r::toString);
        for (String command : new String[] {"replay", "validate", "generate", "outbox", "report"}) {
            assertTrue(r.out().matches("(?s).*\\n\\s+" + command + "\\s.*"), command + " listed:\n" + r.out());
        }
        assertTrue(r.out().contains("Exit codes:"), r.out());
        assertEquals("", r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"replay", "validate", "generate", "outbox", "report"})
    void eachCommandHasHelp(String command) {
        Cli.Result r = run(command, "--help");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("Usage: sla-bridge " + command), r.out());
    }

    @Test
    void helpCommandShowsACommandsOptions() {
        Cli.Result r = run("help", "replay");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("--policy") && r.out().contains("--events") && r.out().contains("--at"), r.out());
    }

    @Test
    void versionPrintsTheName() {
        Cli.Result r = run("--version");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("sla-bridge "), r.out());
    }

    @Test
    void noCommandIsABadCommandLine() {
        Cli.Result r = run();

        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("", r.out());
    }

    @Test
    void noCommandTellsTheUserToNameOne() {
        Cli.Result r = run();

        assertTrue(r.err().contains("name a command"), r::toString);
        assertTrue(r.err().contains("Usage: sla-bridge"), r::toString);
    }

    @Test
    void unknownCommandIsABadCommandLine() {
        Cli.Result r = run("reply");

        assertEquals(2, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertTrue(r.err().contains("'reply'"), r::toString);
    }

    @Test
    void theExecutableExitsWithTheCommandsCode() {
        assertEquals(2, runMain().exitCode());
        assertEquals(0, runMain("validate", "--help").exitCode());
    }

    @Test
    void generateHelpPrintsNoWarnings() {
        Cli.Result r = runMain("generate", "--help");

        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("about 2% arriving"), r.out());
        assertEquals("", r.err());
    }
}
