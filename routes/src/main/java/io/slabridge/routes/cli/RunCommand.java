package io.slabridge.routes.cli;

import io.slabridge.connector.salesforce.SalesforceConfigException;
import io.slabridge.core.config.Setting;
import io.slabridge.core.config.Settings;
import io.slabridge.routes.app.SettingsReference;
import io.slabridge.routes.app.SlaBridgeApplication;
import io.slabridge.routes.app.StartupException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sla-bridge run}: the service, until Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs sla-bridge: the enabled connectors, the store, the scheduler and the outbox, with webhooks "
                + "on camel.server.port (8080) and /observe/health and /observe/metrics on camel.management.port (9876).",
            "Each setting is taken from the first place that has it: its environment variable (sla.jira.url → "
                + "SLA_JIRA_URL; camel.server.port → CAMEL_SERVER_PORT), the --config file, application.properties in "
                + "the working directory; else its default. Every wrong or missing setting is reported before "
                + "anything starts."},
        footer = {"%nThe settings, with their variables and defaults: docs/reference/settings.md, or "
                + "sla-bridge settings."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped (Ctrl-C)", "1:a failure while running", "2:bad settings (each one named)"})
final class RunCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "a properties file with the settings")
    private Path config;

    /** The settings files as every command reads them ({@link Settings#files}); the environment goes over them. */
    Properties files() throws IOException {
        return Settings.files(config);
    }

    @Override
    public Integer call() throws Exception {
        Properties settings;
        try {
            settings = files();
        } catch (NoSuchFileException e) {
            spec.commandLine().getErr().println("--config: no such file: " + config);
            return 2;
        }
        Settings read = new Settings(settings, System.getenv());
        SlaBridgeApplication app;
        try {
            app = SlaBridgeApplication.create(settings, System.getenv(), Clock.systemUTC());
        } catch (StartupException e) {
            return badSettings(e.problems());
        }
        try {
            return app.run();
        } catch (Exception e) {
            // A port already taken, say: the cause in one line, not a stack trace.
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                if (root instanceof SalesforceConfigException settingsAgainstTheOrg) {
                    // Found only once connected (a configured Case field the org lacks): settings all the same.
                    return badSettings(settingsAgainstTheOrg.problems());
                }
                root = root.getCause();
            }
            if (root instanceof SalesforceConfigException settingsAgainstTheOrg) {
                return badSettings(settingsAgainstTheOrg.problems());
            }
            // What a library says may quote a setting; the secret ones are hidden by their declarations' mark.
            spec.commandLine().getErr().println("sla-bridge stopped: " + root.getClass().getSimpleName() + ": "
                    + Setting.hideSecrets(root.getMessage(), SettingsReference.all(), read));
            return 1;
        }
    }

    private int badSettings(java.util.List<String> problems) {
        spec.commandLine().getErr().println("sla-bridge cannot start; fix these settings:");
        for (String problem : problems) {
            spec.commandLine().getErr().println("  " + problem);
        }
        return 2;
    }
}
