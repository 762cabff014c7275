package io.slabridge.routes.cli;

import io.slabridge.core.config.Setting;
import io.slabridge.routes.app.SettingsReference;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sla-bridge settings}: every setting with its environment variable and default, from the declarations. */
@Command(name = "settings", mixinStandardHelpOptions = true,
        description = {"Lists every setting: its name, environment variable and default (secrets marked).",
            "With --markdown, prints docs/reference/settings.md as it is generated from the declarations."})
final class SettingsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--markdown", description = "the settings reference in Markdown, with kinds and descriptions")
    private boolean markdown;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (markdown) {
            out.print(SettingsReference.markdown());
            out.flush();
            return 0;
        }
        for (Map.Entry<String, List<Setting<?>>> group : SettingsReference.groups().entrySet()) {
            out.println(group.getKey().replace("`", ""));
            for (Setting<?> s : group.getValue()) {
                out.println(String.format("  %-40s %-40s %s%s", s.name(), s.variable(), s.defaultText(),
                        s.isSecret() ? " (secret)" : "").stripTrailing());
            }
        }
        out.flush();
        return 0;
    }
}
