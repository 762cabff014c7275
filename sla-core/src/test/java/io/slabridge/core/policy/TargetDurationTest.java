package io.slabridge.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Durations of the policy file (SLA-SPEC section 3): hours, minutes, seconds; no days; no bare numbers. */
class TargetDurationTest {

    @ParameterizedTest(name = "{0} = {1} s")
    @CsvSource({
            "45s, 45",
            "30m, 1800",
            "4h, 14400",
            "1h30m, 5400",
            "40h, 144000",
            "1h30m15s, 5415",
            "1h1s, 3601",
            "90m, 5400",
            "0h1s, 1",
            "2h0m, 7200",
            "'  4h ', 14400",
            "876000h, 3153600000",
    })
    void parsesSeconds(String text, long seconds) {
        assertEquals(seconds, TargetDuration.parseSeconds(text));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            5d           | there is no 'd': write hours, e.g. 40h
            5 days       | there is no 'd'
            90           | say the unit: 30m, 4h, 45s
            abc          | is not a duration such as 45s, 30m, 4h or 1h30m
            1.5h         | is not a duration such as
            -1h          | is not a duration such as
            1H           | is not a duration such as
            h            | is not a duration such as
            30m1h        | is not a duration such as
            1h 30m       | is not a duration such as
            0s           | must be longer than zero
            0h0m         | must be longer than zero
            876001h      | is longer than a hundred years
            99999999999999999999h | is longer than a hundred years
            """)
    void rejects(String text, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TargetDuration.parseSeconds(text));

        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void rejectsEmptyAndNull() {
        assertThrows(IllegalArgumentException.class, () -> TargetDuration.parseSeconds(""));
        assertThrows(IllegalArgumentException.class, () -> TargetDuration.parseSeconds("   "));
        assertThrows(IllegalArgumentException.class, () -> TargetDuration.parseSeconds(null));
    }

    @ParameterizedTest(name = "{0} s = {1}")
    @CsvSource({
            "45, 45s",
            "60, 1m",
            "1800, 30m",
            "3600, 1h",
            "3601, 1h1s",
            "5400, 1h30m",
            "5415, 1h30m15s",
            "86400, 24h",
            "144000, 40h",
            "0, 0s",
    })
    void formats(long seconds, String text) {
        assertEquals(text, TargetDuration.format(seconds));
    }

    @Test
    void formatThenParseGivesTheSameSeconds() {
        for (long s = 1; s <= 200_000; s += 7) {
            assertEquals(s, TargetDuration.parseSeconds(TargetDuration.format(s)), "seconds " + s);
        }
    }
}
