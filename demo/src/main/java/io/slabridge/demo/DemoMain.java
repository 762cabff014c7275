package io.slabridge.demo;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The demo jar's command line, {@code java -jar demo/target/sla-bridge-demo.jar}: the real application against
 * built-in simulators, on an accelerated clock.
 */
@Command(name = "sla-bridge-demo", mixinStandardHelpOptions = true, version = "sla-bridge demo",
        description = {"Runs the real routes, store and scheduler against built-in simulators on loopback: a Jira and a "
                + "Salesforce (WireMock) and a mailbox (GreenMail), seeded with six tickets on a sample policy, on a "
                + "clock 60 times faster than real time, so warnings and breaches happen within a minute.",
            "Prints a table of the tickets whenever it changes and each write-back as the simulators receive it; "
                + "ends with a summary. Needs no settings and nothing outside this jar."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done (--once: every expected write-back happened; else stopped with Ctrl-C)",
            "1:--once: something expected did not happen in time (each one named)",
            "2:bad command line"})
public final class DemoMain implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--once", description = "stop when every expected write-back has happened (or at --timeout) "
            + "instead of running until Ctrl-C")
    private boolean once;

    @Option(names = "--speed", paramLabel = "N", defaultValue = "60",
            description = "demo seconds per real second (default: ${DEFAULT-VALUE})")
    private long speed;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "90",
            description = "with --once: give up after this many real seconds (default: ${DEFAULT-VALUE})")
    private long timeout;

    @Option(names = "--board-port", paramLabel = "PORT", defaultValue = "0",
            description = "the SLA board's port on 127.0.0.1 (default: a free one, printed)")
    private int boardPort;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new DemoMain());
        cli.setOut(new PrintWriter(new PrintStream(System.out, true, StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(new PrintStream(System.err, true, StandardCharsets.UTF_8), true));
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (boardPort < 0 || boardPort > 65_535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--board-port must be from 0 to 65535");
        }
        if (speed < 1 || timeout < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--speed and --timeout must be positive");
        }
        DemoRunner demo = new DemoRunner(spec.commandLine().getOut(), speed, once, Duration.ofSeconds(timeout),
                boardPort);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            demo.stop();
            try {
                finished.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sla-bridge-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return demo.run();
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already (Ctrl-C)
            }
        }
    }
}
