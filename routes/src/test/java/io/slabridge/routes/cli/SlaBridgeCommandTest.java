package io.slabridge.routes.cli;

import static io.slabridge.routes.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.routes.SlaBridge;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The top-level {@code sla-bridge} command: help, version and what happens without a command. */
class SlaBridgeCommandTest {
    @Test
    void helpListsTheCommandsAndExitCodes() {
        Cli.Result r = run("--help");

        assertEquals(0, r.exitCode(), r::toString);
        for (String command : new String[] {"replay", "validate", "generate"}) {
            assertTrue(r.out().matches("(?s).*\\n\\s+" + command + "\\s.*"), command + " listed:\n" + r.out());
        }
        assertTrue(r.out().contains("Exit codes:"), r.out());
        assertEquals("", r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"replay", "validate", "generate"})
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

    /** The real executable in its own JVM, so that what picocli itself prints on System.err is seen too. */
    private static ProcessResult runMain(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SlaBridge.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        String out = readAll(p.getInputStream());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process ends");
        return new ProcessResult(p.exitValue(), out, err.join());
    }

    private record ProcessResult(int exitCode, String out, String err) {
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theExecutableExitsWithTheCommandsCode() throws Exception {
        assertEquals(2, runMain().exitCode());
        assertEquals(0, runMain("validate", "--help").exitCode());
    }

    @Test
    void generateHelpPrintsNoWarnings() throws Exception {
        ProcessResult r = runMain("generate", "--help");

        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("about 2% arriving"), r.out());
        assertEquals("", r.err());
    }
}
