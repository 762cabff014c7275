package io.slabridge.core.escalation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Escalation thresholds: every form is a point on a cycle's elapsed business clock. */
class StepThresholdTest {

    @ParameterizedTest(name = "{0} of {1} s at {2} s")
    @CsvSource({
            "75%, 3600, 2700",
            "-15m, 3600, 2700",
            "breach, 3600, 3600",
            "+1h, 3600, 7200",
            "100%, 3600, 3600",
            "87.5%, 7, 7",       // 6.125 rounds up, as for warnings
            "-15m, 600, 0",      // a lead longer than the target: reached at the start
            "+1h30m, 28800, 34200",
            "' breach ', 60, 60",
    })
    void elapsedAt(String threshold, long targetSeconds, long elapsed) {
        assertEquals(elapsed, StepThreshold.parse(threshold).elapsedAt(targetSeconds));
    }

    @Test
    void onlyBreachFiresOneSecondAfterReachingItsPoint() {
        assertTrue(StepThreshold.parse("breach").firesAfterReaching());
        assertFalse(StepThreshold.parse("100%").firesAfterReaching(), "100% fires at the due instant itself");
        assertFalse(StepThreshold.parse("-15m").firesAfterReaching());
        assertFalse(StepThreshold.parse("+1h").firesAfterReaching());
    }

    @Test
    void keepsItsTextAsWritten() {
        assertEquals("+1h", StepThreshold.parse(" +1h ").toString());
        assertEquals("87.5%", StepThreshold.parse("87.5%").toString());
        assertEquals(StepThreshold.parse("breach"), StepThreshold.parse(" breach"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            soon     | is none of "75%", "-15m", "breach", "+1h"
            BREACH   | is none of "75%", "-15m", "breach", "+1h"
            75       | is none of "75%", "-15m", "breach", "+1h"
            1000%    | is none of "75%", "-15m", "breach", "+1h"
            150%     | must be a share above 0% and at most 100%
            -5d      | the time before the due instant is not a duration such as 45s, 30m, 4h or 1h30m (there is no 'd'
            -0m      | the time before the due instant must be longer than zero
            +90      | the time after the breach is not a duration such as 45s, 30m, 4h or 1h30m (say the unit
            +0s      | the time after the breach must be longer than zero
            +        | the time after the breach is not a duration
            """)
    void rejectsWithTheReason(String text, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StepThreshold.parse(text));

        assertTrue(e.getMessage().startsWith("step threshold '" + text + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " "})
    void rejectsBlank(String text) {
        assertThrows(IllegalArgumentException.class, () -> StepThreshold.parse(text));
    }
}
