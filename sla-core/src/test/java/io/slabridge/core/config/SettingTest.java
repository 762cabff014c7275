package io.slabridge.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingTest {
    private static Settings settings(String... pairs) {
        Properties p = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return new Settings(p, Map.of());
    }

    @Test
    void unsetYieldsTheDefaultAndAWrongValueIsNamedWithWhatWasExpected() {
        Setting<Duration> poll = Setting.duration("sla.x.poll-interval").withDefault(Duration.ofSeconds(30));
        List<String> problems = new ArrayList<>();
        assertEquals(Duration.ofSeconds(30), poll.read(settings(), problems));
        assertEquals(Duration.ofMinutes(5), poll.read(settings("sla.x.poll-interval", "5m"), problems));
        assertTrue(problems.isEmpty());
        poll.read(settings("sla.x.poll-interval", "soon"), problems);
        assertEquals(List.of("sla.x.poll-interval: 'soon'; expected a duration such as 30s, 5m, 1h, 2d or PT30S"),
                problems);
    }

    @Test
    void aSecretsValueNeverAppearsInTheProblemOrWhenShown() {
        Setting<Integer> pin = Setting.integer("sla.x.pin", 1, 9).secret();
        List<String> problems = new ArrayList<>();
        pin.read(settings("sla.x.pin", "hunter2"), problems);
        assertFalse(problems.get(0).contains("hunter2"), problems.get(0));
        assertEquals("****", pin.shown("hunter2"));
    }

    @Test
    void choicesAreSpelledInLowerCaseWithDashes() {
        Setting<Thread.State> s = Setting.choice("sla.x.state", Thread.State.class);
        List<String> problems = new ArrayList<>();
        assertEquals(Thread.State.TIMED_WAITING, s.read(settings("sla.x.state", "timed-waiting"), problems));
        s.read(settings("sla.x.state", "asleep"), problems);
        assertTrue(problems.get(0).contains("expected one of new, runnable, blocked"), problems.get(0));
    }

    @Test
    void aNameDeclaredTwiceIsRefused() {
        Setting<String> a = Setting.text("sla.x.a");
        assertThrows(IllegalStateException.class, () -> Setting.byName(List.of(a, Setting.text("sla.x.a"))));
    }

    @Test
    void theSecretMarkHidesValuesInTheLogLineAndInMessages() {
        Setting<String> url = Setting.text("sla.x.url");
        Setting<String> token = Setting.text("sla.x.token").secret();
        Settings set = new Settings(new Properties(), Map.of("SLA_X_URL", "jdbc:postgresql://db/x?user=bob&password=pw1",
                "SLA_X_TOKEN", "tok-123"));
        String line = Setting.shownSet(List.of(url, token), set);
        assertEquals("sla.x.url=jdbc:postgresql://db/x?user=***&password=***, sla.x.token=****", line);
        assertEquals("login refused for **** at db", Setting.hideSecrets("login refused for tok-123 at db",
                List.of(url, token), set));
    }

    @Test
    void aSecretNamedWithAPlaceholderIsHiddenWhicheverNameItIsGivenUnder() {
        Setting<java.net.URI> webhook = Setting.url("sla.x.webhook.<name>").secret();
        Properties p = new Properties();
        p.setProperty("sla.x.webhook.leads", "https://hook.example/a?sig=SIG-ONE");
        Settings set = new Settings(p, Map.of("SLA_X_WEBHOOK_ONCALL", "https://hook.example/b?sig=SIG-TWO"));
        assertEquals("POST **** failed; also ****", Setting.hideSecrets(
                "POST https://hook.example/a?sig=SIG-ONE failed; also https://hook.example/b?sig=SIG-TWO",
                List.of(webhook), set));
    }

    @Test
    void aMapSettingReadsPropertiesAndItsVariableTheVariableWinning() {
        Setting<Map<String, String>> status = Setting.entries("sla.x.status.", "Name", "SLA_X_STATUS_MAP", "a status")
                .withDefault(Setting.pairs("Done", "resolved"));
        List<String> problems = new ArrayList<>();
        assertEquals(Map.of("Done", "resolved"), status.read(settings(), problems), "unset: the default");
        Properties p = new Properties();
        p.setProperty("sla.x.status.Parked", "on_hold");
        p.setProperty("sla.x.status.Done", "closed");
        Settings s = new Settings(p, Map.of("SLA_X_STATUS_MAP", "Done=resolved;Waiting on Customer=waiting"));
        assertEquals(Map.of("Parked", "on_hold", "Done", "resolved", "Waiting on Customer", "waiting"),
                status.read(s, problems), "any key set replaces the default; the variable wins for the same key");
        assertEquals("sla.x.status.<Name>", status.name());
        assertEquals("SLA_X_STATUS_MAP", status.variable());
        assertEquals("sla.x.status.Parked", status.entry("Parked"));
        assertTrue(problems.isEmpty());
    }
}
