package io.slabridge.routes.app;

import io.slabridge.board.BoardSettings;
import io.slabridge.connector.api.Connector;
import io.slabridge.connector.api.Connectors;
import io.slabridge.connector.api.TicketLinks;
import io.slabridge.core.config.ApplicationSettings;
import io.slabridge.core.config.Setting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * docs/reference/settings.md, generated from the declarations: one table per group (the application's own, then each
 * connector's). {@code SettingsReferenceTest} fails when the committed file differs from {@link #markdown()}.
 *
 * <p>Regenerate: {@code java -jar routes/target/sla-bridge.jar settings --markdown > docs/reference/settings.md}, or
 * run this class's {@link #main} with the file as its argument.
 */
public final class SettingsReference {
    /** Where the reference lives, from the repository's root. */
    public static final Path FILE = Path.of("docs", "reference", "settings.md");

    /** The commands that write it again (from the repository's root), named in the test's failure. */
    public static final String REGENERATE = "mvn -q -pl routes -am test -Dtest=SettingsReferenceTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dsettings.reference.write=true, or java -jar "
            + "routes/target/sla-bridge.jar settings --markdown > " + FILE;

    private SettingsReference() {
    }

    /**
     * Every group of settings, by its heading, in the reference's order: the application's own, each connector found
     * on the class path (by name), the links to tickets and the board.
     */
    public static Map<String, List<Setting<?>>> groups() {
        return groups(Connectors.discover());
    }

    /** The groups with the settings of {@code connectors}. */
    public static Map<String, List<Setting<?>>> groups(List<Connector> connectors) {
        Map<String, List<Setting<?>>> groups = new LinkedHashMap<>();
        groups.put("Application (policy, store, outbox, scheduler, ports)", ApplicationSettings.ALL);
        for (Connector connector : connectors) {
            String name = connector.name();
            groups.put(name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1) + " (`sla." + name + ".*`)",
                    connector.settings());
        }
        groups.put("Links to tickets (`sla.ticket-link.*`)", List.of(TicketLinks.SETTING));
        groups.put("SLA board (`sla.board.*`)", BoardSettings.ALL);
        return groups;
    }

    /** Every declared setting, the groups one after another. */
    public static List<Setting<?>> all() {
        List<Setting<?>> all = new java.util.ArrayList<>();
        groups().values().forEach(all::addAll);
        return all;
    }

    /** The reference in Markdown. */
    public static String markdown() {
        return markdown(groups());
    }

    /** The reference of {@code groups} in Markdown. */
    public static String markdown(Map<String, List<Setting<?>>> groups) {
        StringBuilder b = new StringBuilder();
        b.append("# Settings reference\n\n");
        b.append("<!-- Generated from the settings' declarations (ApplicationSettings, each connector's settings(),\n"
                + "     TicketLinks, BoardSettings): do not edit. Regenerate with\n     java -jar routes/target/sla-bridge.jar settings "
                + "--markdown > " + FILE + "\n-->\n\n");
        b.append("""
                Each setting is taken from the first place that has it, for `run` and every admin command (`outbox`,
                `report`, `validate`) alike:

                1. its environment variable: the name in upper case with `.` and `-` as `_`
                   (`sla.jira.api-token` → `SLA_JIRA_API_TOKEN`);
                2. the `--config` file;
                3. `application.properties` in the working directory;
                4. its default.

                `outbox` and `report` also take `--store-url`, `--store-user` and Java system properties
                (`-Dsla.store.url=...`), which go over all of these. A blank value counts as unset.

                A setting written `prefix.<Key>` is a map: one property per key (`sla.jira.status.Waiting\\ for\\ parts=on_hold`,
                a space in a key written `\\ `), or one environment variable holding `key=value;key=value` (keys may hold
                spaces there), whose entries go over the properties of the same key.

                A secret setting's value is never shown: not in logs, errors, metrics or the configuration's `toString()`.
                Durations are written `500ms`, `30s`, `5m`, `1h`, `2d` or ISO-8601 (`PT30S`); a plain number is
                milliseconds. Sizes are written `1048576`, `512KB`, `25MB` or `1GB`.
                """);
        groups.forEach((heading, settings) -> {
            b.append("\n## ").append(heading).append("\n\n");
            b.append("| Setting | Environment variable | Kind | Default | Secret | Description |\n");
            b.append("|---|---|---|---|---|---|\n");
            for (Setting<?> s : settings) {
                b.append("| `").append(s.name()).append("` | `").append(s.variable()).append("` | ")
                        .append(cell(s.kind())).append(" | ").append(s.defaultText().isEmpty() ? "" : cell(s.defaultText()))
                        .append(" | ").append(s.isSecret() ? "yes" : "").append(" | ").append(cell(s.description()))
                        .append(" |\n");
            }
        });
        return b.toString();
    }

    /** Text in a table cell: one line, {@code |} and {@code <>} escaped. */
    private static String cell(String text) {
        return text.replace("\r", "").replace("\n", " ").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Writes the reference to the file named (default: {@link #FILE}, from the working directory). */
    public static void main(String[] args) throws IOException {
        Path file = args.length > 0 ? Path.of(args[0]) : FILE;
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, markdown(), StandardCharsets.UTF_8);
    }
}
