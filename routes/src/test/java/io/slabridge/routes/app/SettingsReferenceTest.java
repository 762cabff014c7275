package io.slabridge.routes.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.connector.api.Connector;
import io.slabridge.connector.api.Connectors;
import io.slabridge.core.config.Setting;
import io.slabridge.core.config.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The committed settings reference is what the declarations generate: a changed declaration changes the docs. */
class SettingsReferenceTest {
    /** The repository's root: the tests run in {@code routes/}. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void theCommittedReferenceIsWhatTheDeclarationsGenerate() throws Exception {
        Path file = ROOT.resolve(SettingsReference.FILE);
        String generated = SettingsReference.markdown(SettingsReference.groups(shipped()));
        if (Boolean.getBoolean("settings.reference.write")) {
            Files.writeString(file, generated, StandardCharsets.UTF_8);
        }
        String committed = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        assertEquals(generated, committed, SettingsReference.FILE + " differs from the settings' "
                + "declarations; regenerate it from the repository's root: " + SettingsReference.REGENERATE);
    }

    @Test
    void everySettingIsDescribedAndNoNameIsDeclaredTwice() {
        List<Setting<?>> all = new ArrayList<>();
        SettingsReference.groups(shipped()).values().forEach(all::addAll);
        Setting.byName(all); // throws on a name declared twice, across groups too
        for (Setting<?> s : all) {
            assertTrue(!s.description().isBlank(), s.name() + " has no description");
            assertTrue(s.name().equals(s.name().strip()) && !s.name().contains(" "), s.name());
        }
    }

    @Test
    void secretsAreMarkedInTheReference() {
        String reference = SettingsReference.markdown(SettingsReference.groups(shipped()));
        for (String secret : List.of("sla.jira.api-token", "sla.jira.pat", "sla.jira.webhook-secret",
                "sla.salesforce.client-secret", "sla.salesforce.password", "sla.salesforce.keystore-password",
                "sla.email.imap.password", "sla.email.smtp.password", "sla.store.password", "sla.slack.token",
                "sla.teams.webhook.<name>")) {
            assertTrue(reference.lines().anyMatch(l -> l.startsWith("| `" + secret + "` |") && l.contains("| yes |")),
                    secret + " is not marked secret");
        }
    }

    @Test
    void runsLastErrorHidesTheChannelsSecretsToo() {
        Properties p = new Properties();
        p.setProperty("sla.slack.token", "xoxb-1111-2222-SLACKSECRET");
        p.setProperty("sla.teams.webhook.leads", "https://prod.example/workflows/1?sig=TEAMSSECRET");
        Settings set = new Settings(p, Map.of("SLA_TEAMS_WEBHOOK_ON_CALL", "https://prod.example/w/2?sig=ONCALLSECRET"));
        String shown = Setting.hideSecrets("refused xoxb-1111-2222-SLACKSECRET; posting to "
                + "https://prod.example/workflows/1?sig=TEAMSSECRET and https://prod.example/w/2?sig=ONCALLSECRET failed",
                SettingsReference.all(), set);
        assertEquals("refused ****; posting to **** and **** failed", shown);
    }

    /**
     * The connectors the jar ships: those on the tests' class path but the tests' fourth source
     * ({@code TestSourceConnector}), a fixture the reference does not document.
     */
    private static List<Connector> shipped() {
        return Connectors.discover().stream().filter(c -> !c.name().equals("testsource")).toList();
    }
}
