package io.slabridge.routes.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.config.Setting;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed settings reference is what the declarations generate: a changed declaration changes the docs. */
class SettingsReferenceTest {
    /** The repository's root: the tests run in {@code routes/}. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void theCommittedReferenceIsWhatTheDeclarationsGenerate() throws Exception {
        Path file = ROOT.resolve(SettingsReference.FILE);
        if (Boolean.getBoolean("settings.reference.write")) {
            SettingsReference.main(new String[] {file.toString()});
        }
        String committed = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        assertEquals(SettingsReference.markdown(), committed, SettingsReference.FILE + " differs from the settings' "
                + "declarations; regenerate it from the repository's root: " + SettingsReference.REGENERATE);
    }

    @Test
    void everySettingIsDescribedAndNoNameIsDeclaredTwice() {
        List<Setting<?>> all = new ArrayList<>();
        SettingsReference.groups().values().forEach(all::addAll);
        Setting.byName(all); // throws on a name declared twice, across groups too
        for (Setting<?> s : all) {
            assertTrue(!s.description().isBlank(), s.name() + " has no description");
            assertTrue(s.name().equals(s.name().strip()) && !s.name().contains(" "), s.name());
        }
    }

    @Test
    void secretsAreMarkedInTheReference() {
        String reference = SettingsReference.markdown();
        for (String secret : List.of("sla.jira.api-token", "sla.jira.pat", "sla.jira.webhook-secret",
                "sla.salesforce.client-secret", "sla.salesforce.password", "sla.salesforce.keystore-password",
                "sla.email.imap.password", "sla.email.smtp.password", "sla.store.password")) {
            assertTrue(reference.lines().anyMatch(l -> l.startsWith("| `" + secret + "` |") && l.contains("| yes |")),
                    secret + " is not marked secret");
        }
    }
}
