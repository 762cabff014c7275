package io.slabridge.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * At-risk thresholds (SLA-SPEC sections 3 and 6): a share reaches at the smallest whole second at or above
 * that share of the target; a lead time at target minus the lead, never below zero.
 */
class WarningThresholdTest {

    @ParameterizedTest(name = "{0} of {1} s at {2} s")
    @CsvSource({
            "75%, 3600, 2700",
            "75%, 28800, 21600",
            "75%, 3601, 2701",     // 2700.75 rounds up
            "75%, 1, 1",           // 0.75 rounds up
            "87.5%, 3600, 3150",
            "87.5%, 1000, 875",
            "87.5%, 7, 7",         // 6.125 rounds up
            "50%, 45, 23",         // 22.5 rounds up
            "100%, 3600, 3600",
            "33.33%, 3600, 1200",  // 1199.88
            "33.3%, 3600, 1199",   // 1198.8
            "0.01%, 10000, 1",
            "0.01%, 3600, 1",      // 0.36 rounds up
            "1%, 100, 1",
            "' 80% ', 100, 80",
            "-15m, 3600, 2700",
            "-15m, 600, 0",        // lead longer than the target: reached at once
            "-15m, 900, 0",
            "-15m, 901, 1",
            "-1h30m, 28800, 23400",
            "-45s, 60, 15",
    })
    void elapsedAt(String threshold, long targetSeconds, long elapsed) {
        assertEquals(elapsed, WarningThreshold.parse(threshold).elapsedAt(targetSeconds));
    }

    @Test
    void aShareIsTheSmallestWholeSecondAtOrAboveIt() {
        WarningThreshold w = WarningThreshold.parse("87.5%");
        for (long target = 1; target <= 50_000; target++) {
            long at = w.elapsedAt(target);
            // at / target >= 0.875 > (at - 1) / target, in integers
            assertTrue(at * 1000 >= target * 875 && (at - 1) * 1000 < target * 875, "target " + target + " gave " + at);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            +1h      | is neither a share of the target ("75%") nor a time before the due instant ("-15m")
            15m      | is neither a share of the target
            75       | is neither a share of the target
            75.123%  | is neither a share of the target
            1000%    | is neither a share of the target
            abc      | is neither a share of the target
            150%     | must be a share above 0% and at most 100%
            100.01%  | must be a share above 0% and at most 100%
            0%       | must be a share above 0% and at most 100%
            0.00%    | must be a share above 0% and at most 100%
            """)
    void rejects(String text, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WarningThreshold.parse(text));

        assertTrue(e.getMessage().contains("warning '" + text + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"-0m", "-5d", "-", "-90", "-abc"})
    void rejectsBadLeadTimes(String text) {
        assertThrows(IllegalArgumentException.class, () -> WarningThreshold.parse(text));
    }

    @Test
    void equalityIsByValueAndTextIsKeptAsWritten() {
        assertEquals(WarningThreshold.parse("75%"), WarningThreshold.parse("75.0%"));
        assertEquals(WarningThreshold.parse("-15m"), WarningThreshold.parse("-900s"));
        assertNotEquals(WarningThreshold.parse("75%"), WarningThreshold.parse("-15m"));
        assertEquals("87.5%", WarningThreshold.parse("87.5%").toString());
        assertEquals("-1h30m", WarningThreshold.parse(" -1h30m ").toString());
    }
}
