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
}
