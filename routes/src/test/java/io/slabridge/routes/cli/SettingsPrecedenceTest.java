package io.slabridge.routes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slabridge.store.StoreSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code run} and the admin commands read a setting from the same places in the same order: the environment
 * variable, the {@code --config} file, {@code application.properties}, the default. (Before issue 14, {@code run}
 * let the file beat the environment.)
 */
class SettingsPrecedenceTest {
    @TempDir
    Path dir;

    /** The store as {@code run} reads it: its settings files, then the environment over them. */
    private static StoreSettings byRun(Path config, Map<String, String> env) throws Exception {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--config", config.toString());
        return StoreSettings.from(run.files(), env);
    }

    /** The store as {@code outbox} and {@code report} read it. */
    private static StoreSettings byAdminCommand(Path config, Map<String, String> env) throws Exception {
        StoreOptions options = new StoreOptions();
        new CommandLine(options).parseArgs("--config", config.toString());
        return options.settings(new Properties(), env);
    }

    @Test
    void theEnvironmentBeatsTheConfigFileForRunAndForAnAdminCommandAlike() throws Exception {
        Path config = Cli.write(dir.resolve("c.properties"),
                "sla.store.url=jdbc:h2:mem:from-file\nsla.store.user=file-user\n");
        Map<String, String> env = Map.of("SLA_STORE_URL", "jdbc:h2:mem:from-env");

        StoreSettings run = byRun(config, env);
        StoreSettings admin = byAdminCommand(config, env);

        assertEquals("jdbc:h2:mem:from-env", run.url(), "the variable wins over the file");
        assertEquals("file-user", run.user(), "the file fills what the environment does not set");
        assertEquals(run.url(), admin.url());
        assertEquals(run.user(), admin.user());
    }

    @Test
    void withoutTheVariableBothReadTheFile() throws Exception {
        Path config = Cli.write(dir.resolve("c.properties"), "sla.store.url=jdbc:h2:mem:from-file\n");

        assertEquals("jdbc:h2:mem:from-file", byRun(config, Map.of()).url());
        assertEquals("jdbc:h2:mem:from-file", byAdminCommand(config, Map.of()).url());
    }
}
