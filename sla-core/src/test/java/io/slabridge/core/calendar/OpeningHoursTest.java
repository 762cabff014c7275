package io.slabridge.core.calendar;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalTime;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code HH:MM-HH:MM} opening intervals (SLA-SPEC section 2): what parses, what does not, and why. */
class OpeningHoursTest {

    @Nested
    class Accepted {
        @Test
        void plainDayInterval() {
            OpeningHours h = OpeningHours.parse("09:00-17:30");
            assertAll(
                    () -> assertEquals(LocalTime.of(9, 0), h.start()),
                    () -> assertEquals(LocalTime.of(17, 30), h.end()),
                    () -> assertFalse(h.endsNextDay()),
                    () -> assertEquals("09:00-17:30", h.toString()));
        }

        @Test
        void wholeDayEndsAtMidnightOfTheNextDay() {
            OpeningHours h = OpeningHours.parse("00:00-24:00");
            assertAll(
                    () -> assertEquals(LocalTime.MIDNIGHT, h.start()),
                    () -> assertEquals(LocalTime.MIDNIGHT, h.end()),
                    () -> assertTrue(h.endsNextDay(), "24:00 is midnight at the end of the day"),
                    () -> assertEquals("00:00-24:00", h.toString()));
        }

        @Test
        void endOf24HoursAfterAnyStart() {
            OpeningHours h = OpeningHours.parse("18:45-24:00");
            assertEquals(LocalTime.of(18, 45), h.start());
            assertTrue(h.endsNextDay());
            assertEquals("18:45-24:00", h.toString());
        }

        @Test
        void intervalCrossingMidnightEndsNextDay() {
            OpeningHours h = OpeningHours.parse("22:00-06:00");
            assertAll(
                    () -> assertEquals(LocalTime.of(22, 0), h.start()),
                    () -> assertEquals(LocalTime.of(6, 0), h.end()),
                    () -> assertTrue(h.endsNextDay()),
                    () -> assertEquals("22:00-06:00", h.toString()));
        }

        @Test
        void oneMinuteIntervals() {
            assertFalse(OpeningHours.parse("00:00-00:01").endsNextDay());
            assertTrue(OpeningHours.parse("23:59-24:00").endsNextDay());
            // 00:01-00:00 runs from 00:01 to midnight of the next day: 23 h 59 min.
            assertTrue(OpeningHours.parse("00:01-00:00").endsNextDay());
        }

        @Test
        void surroundingWhitespaceIsIgnored() {
            assertEquals(OpeningHours.parse("09:00-17:00"), OpeningHours.parse("  09:00-17:00 "));
        }

        @Test
        void endingAt00_00EqualsEndingAt24_00() {
            // Both end at midnight of the next day.
            assertEquals(OpeningHours.parse("23:00-24:00"), OpeningHours.parse("23:00-00:00"));
            assertEquals(OpeningHours.parse("23:00-24:00").hashCode(), OpeningHours.parse("23:00-00:00").hashCode());
        }

        @Test
        void equalityFollowsStartAndEnd() {
            assertEquals(OpeningHours.parse("09:00-17:00"), OpeningHours.parse("09:00-17:00"));
            assertEquals(OpeningHours.parse("09:00-17:00").hashCode(), OpeningHours.parse("09:00-17:00").hashCode());
            assertNotEquals(OpeningHours.parse("09:00-17:00"), OpeningHours.parse("09:00-17:01"));
            assertNotEquals(OpeningHours.parse("09:00-17:00"), OpeningHours.parse("08:59-17:00"));
        }
    }

    @Nested
    class Rejected {
        @ParameterizedTest(name = "\"{0}\" -> {1}")
        @CsvSource(delimiter = '|', value = {
            // text          | what the message must say besides quoting the text
            "25:00-26:00     | starts at an impossible time 25:00",
            "24:00-01:00     | starts at an impossible time 24:00",
            "09:60-10:00     | starts at an impossible time 09:60",
            "09:00-25:00     | ends at an impossible time 25:00",
            "09:00-24:30     | ends at an impossible time 24:30",
            "09:00-10:60     | ends at an impossible time 10:60",
            "09:00-09:00     | is empty",
            "00:00-00:00     | is empty",
            "9am-5pm         | is not an interval of the form HH:MM-HH:MM",
            "9:00-17:00      | is not an interval of the form HH:MM-HH:MM",
            "09:00-5:00      | is not an interval of the form HH:MM-HH:MM",
            "09:00 - 17:00   | is not an interval of the form HH:MM-HH:MM",
            "0900-1700       | is not an interval of the form HH:MM-HH:MM",
            "09:00:00-17:00  | is not an interval of the form HH:MM-HH:MM",
            "09:00-17:00,    | is not an interval of the form HH:MM-HH:MM",
            "24x7            | is not an interval of the form HH:MM-HH:MM",
        })
        void badTextIsRejectedWithAMessageNamingIt(String text, String reason) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpeningHours.parse(text));
            assertTrue(e.getMessage().contains("'" + text + "'"), () -> "message should quote the text: " + e.getMessage());
            assertTrue(e.getMessage().contains(reason), () -> "message should say '" + reason + "': " + e.getMessage());
        }

        @Test
        void emptyText() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpeningHours.parse(""));
            assertTrue(e.getMessage().contains("is not an interval of the form HH:MM-HH:MM"), e.getMessage());
        }

        @Test
        void nullText() {
            assertThrows(NullPointerException.class, () -> OpeningHours.parse(null));
        }
    }
}
