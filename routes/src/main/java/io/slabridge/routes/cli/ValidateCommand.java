package io.slabridge.routes.cli;

import io.slabridge.connector.jira.JiraConfig;
import io.slabridge.connector.jira.JiraConfigException;
import io.slabridge.connector.jira.JiraSettings;
import io.slabridge.connector.jira.JiraStartupCheck;
import io.slabridge.core.config.Settings;
import io.slabridge.core.policy.InvalidPolicyException;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicyProblem;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code sla-bridge validate sla.yaml}: "ok", or every problem with file and line, exit 1. With
 * {@code --config FILE}: the Jira settings in it, and against Jira the SLA fields they name.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Checks policy files without running anything.",
            "Prints 'ok' for a good file, or each problem as file:line: message and exits 1.",
            "With --config FILE, also checks the Jira settings in FILE (with environment variables and "
                + "application.properties, as run reads them) and asks Jira whether the SLA fields they name exist with the right types and options."})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "a properties file whose settings to check")
    private Path config;

    @Parameters(arity = "0..*", paramLabel = "POLICY_FILE", description = "policy files (YAML) to check")
    private List<Path> files = new ArrayList<>();

    @Override
    public Integer call() {
        if (files.isEmpty() && config == null) {
            throw new ParameterException(spec.commandLine(),
                    "Missing required parameter: 'POLICY_FILE' (policy files to check), or --config FILE");
        }
        int status = 0;
        boolean several = files.size() + (config == null ? 0 : 1) > 1;
        for (Path file : files) {
            try {
                PolicyFileParser.parse(file);
                spec.commandLine().getOut().println(several ? file + ": ok" : "ok");
            } catch (InvalidPolicyException e) {
                for (PolicyProblem p : e.problems()) {
                    spec.commandLine().getErr().println(p);
                }
                status = SlaBridgeCommand.BAD_INPUT;
            }
        }
        if (config != null) {
            List<String> problems = configProblems();
            for (String p : problems) {
                spec.commandLine().getErr().println(config + ": " + p);
            }
            if (problems.isEmpty()) {
                spec.commandLine().getOut().println(several ? config + ": ok" : "ok");
            } else {
                status = SlaBridgeCommand.BAD_INPUT;
            }
        }
        return status;
    }

    private List<String> configProblems() {
        Properties settings;
        try {
            settings = Settings.files(config);
        } catch (NoSuchFileException e) {
            return List.of("no such file");
        } catch (IOException e) {
            return List.of("cannot read it: " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        boolean jira = JiraSettings.ENABLED.read(new Settings(settings, System.getenv()), problems);
        if (!problems.isEmpty() || !jira) {
            return problems;
        }
        try {
            JiraConfig jiraConfig = JiraConfig.from(settings, System.getenv());
            return JiraStartupCheck.problems(jiraConfig, Clock.systemUTC(), true);
        } catch (JiraConfigException e) {
            return e.problems();
        }
    }
}
