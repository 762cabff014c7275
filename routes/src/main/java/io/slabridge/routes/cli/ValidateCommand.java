package io.slabridge.routes.cli;

import io.slabridge.core.policy.InvalidPolicyException;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicyProblem;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sla-bridge validate sla.yaml}: "ok", or every problem with file and line, exit 1. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks policy files without running anything.",
            "Prints 'ok' for a good file, or each problem as file:line: message and exits 1."})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "POLICY_FILE", description = "policy files (YAML) to check")
    private List<Path> files;

    @Override
    public Integer call() {
        int status = 0;
        for (Path file : files) {
            try {
                PolicyFileParser.parse(file);
                spec.commandLine().getOut().println(files.size() == 1 ? "ok" : file + ": ok");
            } catch (InvalidPolicyException e) {
                for (PolicyProblem p : e.problems()) {
                    spec.commandLine().getErr().println(p);
                }
                status = SlaBridgeCommand.BAD_INPUT;
            }
        }
        return status;
    }
}
