package io.slabridge.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SettingsTest {
    private static Settings settings(Map<String, String> props, Map<String, String> env) {
        Properties p = new Properties();
        p.putAll(props);
        return new Settings(p, env);
    }

    @Test
    void anEnvironmentVariableWinsOverItsPropertyAndBlankIsUnset() {
        Settings s = settings(Map.of("sla.jira.url", " https://a ", "sla.x", "  ", "sla.y", " from-file "),
                Map.of("SLA_JIRA_URL", "https://b", "SLA_JIRA_API_TOKEN", "t", "SLA_X", "from-env", "SLA_Y", " "));
        assertEquals("https://b", s.get("sla.jira.url"));
        assertEquals("t", s.get("sla.jira.api-token"));
        assertEquals("from-env", s.get("sla.x"));
        assertEquals("from-file", s.get("sla.y"), "a blank variable is unset: the property counts");
        assertEquals(null, settings(Map.of("sla.x", " "), Map.of()).get("sla.x"), "a blank property is unset");
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({"1500, PT1.5S", "500ms, PT0.5S", "30s, PT30S", "5m, PT5M", "2h, PT2H", "2d, PT48H", "PT90S, PT1M30S",
        "pt1h, PT1H"})
    void durations(String text, String expected) {
        assertEquals(Duration.parse(expected), Settings.parseDuration(text));
    }

    @ParameterizedTest
    @CsvSource({"0s", "-5m", "soon", "5w", "PT0S", "PT-1S"})
    void notDurations(String text) {
        assertThrows(RuntimeException.class, () -> Settings.parseDuration(text));
    }

    @Test
    void everyProblemIsCollectedNamingItsProperty() {
        Settings s = settings(Map.of("a", "soon", "b", "12x", "c", "7", "d", "maybe", "e", "2 GB"), Map.of());
        List<String> problems = new ArrayList<>();
        assertEquals(Duration.ofMinutes(1), Setting.duration("a").withDefault(Duration.ofMinutes(1)).read(s, problems));
        assertEquals(1, Setting.integer("b", 1, 10).withDefault(1).read(s, problems));
        assertEquals(7, Setting.integer("c", 1, 10).withDefault(1).read(s, problems));
        assertEquals(false, Setting.bool("d").withDefault(false).read(s, problems));
        assertEquals(2L << 30, Setting.bytes("e", 1, Long.MAX_VALUE >> 1, "1 byte up").read(s, problems));
        assertEquals(List.of("a: 'soon'; expected a duration such as 30s, 5m, 1h, 2d or PT30S",
                "b: '12x'; expected a whole number from 1 to 10", "d: 'maybe'; expected true or false"), problems);
    }

    @Test
    void numbersTooLargeForAnyDurationOrSizeAreProblemsNotCrashes() {
        // Found by the config fuzz: these threw ArithmeticException / NumberFormatException out of the readers.
        Settings s = settings(Map.of("d1", "99999999999999999d", "d2", "99999999999999999999s", "b1",
                "99999999999999999999", "b2", "9999999999GB", "b3", "0KB"), Map.of());
        List<String> problems = new ArrayList<>();
        for (String d : List.of("d1", "d2")) {
            assertEquals(Duration.ofSeconds(5), Setting.duration(d).withDefault(Duration.ofSeconds(5)).read(s, problems));
        }
        for (String b : List.of("b1", "b2", "b3")) {
            assertEquals(7L, Setting.bytes(b, 1, Long.MAX_VALUE >> 1, "1 byte up").withDefault(7L).read(s, problems));
        }
        assertEquals(List.of("d1", "d2", "b1", "b2", "b3"), problems.stream().map(p -> p.substring(0, p.indexOf(':')))
                .toList(), problems.toString());
    }

    @Test
    void mapsFromPrefixedPropertiesOrOneVariable() {
        Settings s = settings(Map.of("sla.jira.status.Done", "closed"),
                Map.of("SLA_JIRA_STATUS_MAP", "Waiting on Customer=waiting_on_customer; Done=resolved"));
        assertEquals(Map.of("Waiting on Customer", "waiting_on_customer", "Done", "resolved"),
                s.entries("sla.jira.status.", "SLA_JIRA_STATUS_MAP"));
        assertEquals(List.of("SUP", "OPS"), Settings.split(" SUP, ,OPS "));
    }
}
