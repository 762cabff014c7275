package io.slabridge.routes.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code sla-bridge} command; each job is a subcommand. */
@Command(name = "sla-bridge", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Service-level agreements for teams on Jira, Salesforce or a shared support mailbox.",
        subcommands = {RunCommand.class, ReplayCommand.class, ValidateCommand.class, GenerateCommand.class,
            OutboxCommand.class, ReportCommand.class, SettingsCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:bad input (the message says which file, line and field, which id, or which store "
                + "could not be reached)",
            "2:bad command line"})
public final class SlaBridgeCommand implements Runnable {
    /** Exit code for bad input: a file, an id, a store that cannot be reached. */
    public static final int BAD_INPUT = 1;

    private final OutputStream stdout;

    @Spec
    private CommandSpec spec;

    SlaBridgeCommand(OutputStream stdout) {
        this.stdout = stdout;
    }

    /** Where commands write their data (JSON lines); human messages go to picocli's out and err writers. */
    OutputStream stdout() {
        return stdout;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a command: run, replay, validate, generate, outbox, report or settings (see --help)");
    }

    /** A ready command line writing to the given streams, so tests run exactly what the jar runs. */
    public static CommandLine commandLine(OutputStream out, OutputStream err) {
        CommandLine cli = new CommandLine(new SlaBridgeCommand(out));
        cli.setOut(new PrintWriter(new PrintStream(out, true, StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(new PrintStream(err, true, StandardCharsets.UTF_8), true));
        return cli;
    }
}
