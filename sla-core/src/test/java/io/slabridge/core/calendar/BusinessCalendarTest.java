package io.slabridge.core.calendar;

import static java.time.DayOfWeek.FRIDAY;
import static java.time.DayOfWeek.MONDAY;
import static java.time.DayOfWeek.SATURDAY;
import static java.time.DayOfWeek.SUNDAY;
import static java.time.DayOfWeek.THURSDAY;
import static java.time.DayOfWeek.TUESDAY;
import static java.time.DayOfWeek.WEDNESDAY;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Business calendars (SLA-SPEC section 2). Every expected value below is worked out by hand from the rules:
 * open intervals are local wall time turned into instants with the zone's rules (a wall time in a
 * spring-forward gap moves forward by the gap, an ambiguous one takes the earlier offset), an interval
 * belongs to the day it starts on, holidays close the intervals starting on them, and overlapping or
 * touching intervals are merged.
 *
 * <p>Offsets used: Berlin CET = UTC+1, CEST = UTC+2; New York EST = UTC-5, EDT = UTC-4; Sydney AEST = UTC+10,
 * AEDT = UTC+11. The 2026 transitions: Berlin 03-29 (02:00 CET -> 03:00 CEST) and 10-25 (03:00 CEST -> 02:00
 * CET); New York 03-08 (02:00 EST -> 03:00 EDT) and 11-01 (02:00 EDT -> 01:00 EST); Sydney 04-05 (03:00 AEDT ->
 * 02:00 AEST) and 10-04 (02:00 AEST -> 03:00 AEDT). All of these are Sundays.
 */
class BusinessCalendarTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId SYDNEY = ZoneId.of("Australia/Sydney");
    private static final ZoneId UTC = ZoneId.of("UTC");

    private static final long MINUTE = 60;
    private static final long HOUR = 3600;
    private static final Set<DayOfWeek> WEEKDAYS = EnumSet.range(MONDAY, FRIDAY);

    // ---- helpers ------------------------------------------------------------------------------------------

    private static Instant at(String utc) {
        return Instant.parse(utc);
    }

    private static Map<DayOfWeek, List<OpeningHours>> week(Set<DayOfWeek> days, String... hours) {
        List<OpeningHours> parsed = Arrays.stream(hours).map(OpeningHours::parse).collect(Collectors.toList());
        Map<DayOfWeek, List<OpeningHours>> week = new EnumMap<>(DayOfWeek.class);
        days.forEach(d -> week.put(d, parsed));
        return week;
    }

    private static BusinessCalendar calendar(ZoneId zone, Map<DayOfWeek, List<OpeningHours>> week) {
        return calendar(zone, week, Set.of(), HolidaySource.NONE);
    }

    private static BusinessCalendar calendar(ZoneId zone, Map<DayOfWeek, List<OpeningHours>> week,
            Set<LocalDate> holidays, HolidaySource publicHolidays) {
        return BusinessCalendar.of("test", zone, week, holidays, publicHolidays);
    }

    /** Open Monday to Friday 09:00-17:00: 40 h a week. */
    private static BusinessCalendar nineToFive(ZoneId zone) {
        return calendar(zone, week(WEEKDAYS, "09:00-17:00"));
    }

    private static BusinessCalendar nineToFive(ZoneId zone, HolidaySource publicHolidays) {
        return calendar(zone, week(WEEKDAYS, "09:00-17:00"), Set.of(), publicHolidays);
    }

    private static BusinessCalendar sundaysOnly(ZoneId zone, String... hours) {
        return calendar(zone, week(EnumSet.of(SUNDAY), hours));
    }

    private static long seconds(BusinessCalendar c, String fromUtc, String toUtc) {
        return c.businessSeconds(at(fromUtc), at(toUtc));
    }

    private static long seconds(String isoDuration) {
        return Duration.parse(isoDuration).getSeconds();
    }

    /**
     * Asserts that the calendar's only open time from two days before {@code opensUtc} to two days after
     * {@code closesUtc} is exactly {@code [opensUtc, closesUtc)}, and that this span is {@code expected} long.
     */
    private static void assertOnlyOpenSpan(BusinessCalendar c, String opensUtc, String closesUtc, long expected) {
        Instant opens = at(opensUtc);
        Instant closes = at(closesUtc);
        assertEquals(expected, Duration.between(opens, closes).getSeconds(), "hand-worked span and length disagree");
        assertAll(
                () -> assertEquals(expected, c.businessSeconds(opens.minus(Duration.ofDays(2)), closes.plus(Duration.ofDays(2))),
                        "open seconds around the span"),
                () -> assertEquals(expected, c.businessSeconds(opens, closes), "open seconds of the span"),
                () -> assertFalse(c.isOpen(opens.minusSeconds(1)), "closed just before " + opensUtc),
                () -> assertTrue(c.isOpen(opens), "open at " + opensUtc),
                () -> assertTrue(c.isOpen(closes.minusSeconds(1)), "open just before " + closesUtc),
                () -> assertFalse(c.isOpen(closes), "closed at " + closesUtc));
    }

    // ---- DST ----------------------------------------------------------------------------------------------

    /** Each row: a Sunday-only calendar with {@code hours}; the UTC span it is open that Sunday and its length. */
    @Nested
    class DaylightSavingTime {
        @ParameterizedTest(name = "Berlin {0}: open {1} to {2} ({3})")
        @CsvSource(delimiter = '|', value = {
            // an ordinary Sunday, 2026-03-22, all CET
            "01:30-03:30 | 2026-03-22T00:30:00Z | 2026-03-22T02:30:00Z | PT2H",
            // spring forward, 2026-03-29: 02:00-03:00 does not exist
            "00:00-24:00 | 2026-03-28T23:00:00Z | 2026-03-29T22:00:00Z | PT23H",   // 00:00 CET .. 24:00 CEST
            "09:00-17:00 | 2026-03-29T07:00:00Z | 2026-03-29T15:00:00Z | PT8H",    // CEST all day
            "01:30-03:30 | 2026-03-29T00:30:00Z | 2026-03-29T01:30:00Z | PT1H",    // 01:30 CET .. 03:30 CEST
            "02:30-04:00 | 2026-03-29T01:30:00Z | 2026-03-29T02:00:00Z | PT30M",   // 02:30 -> 03:30 CEST .. 04:00 CEST
            "02:15-02:45 | 2026-03-29T01:15:00Z | 2026-03-29T01:45:00Z | PT30M",   // both ends in the gap: 03:15 .. 03:45 CEST
            "00:00-02:30 | 2026-03-28T23:00:00Z | 2026-03-29T01:30:00Z | PT2H30M", // 00:00 CET .. 02:30 -> 03:30 CEST
            // fall back, 2026-10-25: 02:00-03:00 happens twice, the earlier (CEST) one counts
            "00:00-24:00 | 2026-10-24T22:00:00Z | 2026-10-25T23:00:00Z | PT25H",   // 00:00 CEST .. 24:00 CET
            "09:00-17:00 | 2026-10-25T08:00:00Z | 2026-10-25T16:00:00Z | PT8H",    // CET all day
            "01:30-03:30 | 2026-10-24T23:30:00Z | 2026-10-25T02:30:00Z | PT3H",    // 01:30 CEST .. 03:30 CET
            "02:30-04:00 | 2026-10-25T00:30:00Z | 2026-10-25T03:00:00Z | PT2H30M", // 02:30 CEST .. 04:00 CET
            "00:00-02:30 | 2026-10-24T22:00:00Z | 2026-10-25T00:30:00Z | PT2H30M", // ends at the first 02:30 (CEST)
            "02:00-03:00 | 2026-10-25T00:00:00Z | 2026-10-25T02:00:00Z | PT2H",    // 02:00 CEST .. 03:00 CET
        })
        void berlin(String hours, String opensUtc, String closesUtc, String length) {
            assertOnlyOpenSpan(sundaysOnly(BERLIN, hours), opensUtc, closesUtc, seconds(length));
        }

        @ParameterizedTest(name = "New York {0}: open {1} to {2} ({3})")
        @CsvSource(delimiter = '|', value = {
            // spring forward, 2026-03-08: 02:00-03:00 does not exist
            "00:00-24:00 | 2026-03-08T05:00:00Z | 2026-03-09T04:00:00Z | PT23H",   // 00:00 EST .. 24:00 EDT
            "09:00-17:00 | 2026-03-08T13:00:00Z | 2026-03-08T21:00:00Z | PT8H",    // EDT all day
            "01:30-03:30 | 2026-03-08T06:30:00Z | 2026-03-08T07:30:00Z | PT1H",    // 01:30 EST .. 03:30 EDT
            "02:30-04:00 | 2026-03-08T07:30:00Z | 2026-03-08T08:00:00Z | PT30M",   // 02:30 -> 03:30 EDT .. 04:00 EDT
            // fall back, 2026-11-01: 01:00-02:00 happens twice, the earlier (EDT) one counts
            "00:00-24:00 | 2026-11-01T04:00:00Z | 2026-11-02T05:00:00Z | PT25H",   // 00:00 EDT .. 24:00 EST
            "09:00-17:00 | 2026-11-01T14:00:00Z | 2026-11-01T22:00:00Z | PT8H",    // EST all day
            "01:30-03:30 | 2026-11-01T05:30:00Z | 2026-11-01T08:30:00Z | PT3H",    // 01:30 EDT .. 03:30 EST
            "02:30-04:00 | 2026-11-01T07:30:00Z | 2026-11-01T09:00:00Z | PT1H30M", // 02:30 is not ambiguous here: EST
            "01:15-01:45 | 2026-11-01T05:15:00Z | 2026-11-01T05:45:00Z | PT30M",   // the EDT pass only, not 06:15Z-06:45Z
            "00:30-01:30 | 2026-11-01T04:30:00Z | 2026-11-01T05:30:00Z | PT1H",    // 00:30 EDT .. the first 01:30 (EDT)
        })
        void newYork(String hours, String opensUtc, String closesUtc, String length) {
            assertOnlyOpenSpan(sundaysOnly(NEW_YORK, hours), opensUtc, closesUtc, seconds(length));
        }

        @ParameterizedTest(name = "Sydney {0}: open {1} to {2} ({3})")
        @CsvSource(delimiter = '|', value = {
            // fall back, 2026-04-05: 02:00-03:00 happens twice, the earlier (AEDT) one counts
            "00:00-24:00 | 2026-04-04T13:00:00Z | 2026-04-05T14:00:00Z | PT25H",   // 00:00 AEDT .. 24:00 AEST
            "09:00-17:00 | 2026-04-04T23:00:00Z | 2026-04-05T07:00:00Z | PT8H",    // AEST all day
            "01:30-03:30 | 2026-04-04T14:30:00Z | 2026-04-04T17:30:00Z | PT3H",    // 01:30 AEDT .. 03:30 AEST
            "02:30-04:00 | 2026-04-04T15:30:00Z | 2026-04-04T18:00:00Z | PT2H30M", // 02:30 AEDT .. 04:00 AEST
            // spring forward, 2026-10-04: 02:00-03:00 does not exist
            "00:00-24:00 | 2026-10-03T14:00:00Z | 2026-10-04T13:00:00Z | PT23H",   // 00:00 AEST .. 24:00 AEDT
            "09:00-17:00 | 2026-10-03T22:00:00Z | 2026-10-04T06:00:00Z | PT8H",    // AEDT all day
            "01:30-03:30 | 2026-10-03T15:30:00Z | 2026-10-03T16:30:00Z | PT1H",    // 01:30 AEST .. 03:30 AEDT
            "02:30-04:00 | 2026-10-03T16:30:00Z | 2026-10-03T17:00:00Z | PT30M",   // 02:30 -> 03:30 AEDT .. 04:00 AEDT
        })
        void sydney(String hours, String opensUtc, String closesUtc, String length) {
            assertOnlyOpenSpan(sundaysOnly(SYDNEY, hours), opensUtc, closesUtc, seconds(length));
        }

        @Test
        void intervalWhoseStartMovesPastItsEndIsEmpty() {
            // 2026-03-29 Berlin: 02:30 moves forward to 03:30 CEST, after the end 03:15 CEST: nothing is open.
            BusinessCalendar c = sundaysOnly(BERLIN, "02:30-03:15");
            assertEquals(0, seconds(c, "2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z"));
            // A week later the same hours are 45 min: 02:30 CEST = 00:30Z .. 03:15 CEST = 01:15Z.
            assertOnlyOpenSpan(c, "2026-04-05T00:30:00Z", "2026-04-05T01:15:00Z", 45 * MINUTE);
        }

        @Test
        void nineToFiveWeeksAroundTransitionsStayFortyHours() {
            // Wednesday to Wednesday around each transition: five 8 h days, some before and some after it.
            assertEquals(40 * HOUR, seconds(nineToFive(BERLIN), "2026-03-25T00:00:00Z", "2026-04-01T00:00:00Z"));
            assertEquals(40 * HOUR, seconds(nineToFive(BERLIN), "2026-10-21T00:00:00Z", "2026-10-28T00:00:00Z"));
            assertEquals(40 * HOUR, seconds(nineToFive(NEW_YORK), "2026-03-04T00:00:00Z", "2026-03-11T00:00:00Z"));
            assertEquals(40 * HOUR, seconds(nineToFive(NEW_YORK), "2026-10-28T00:00:00Z", "2026-11-04T00:00:00Z"));
            // Sydney, local midnight to midnight: Wed 04-01 00:00 AEDT = 03-31T13:00Z .. Wed 04-08 00:00 AEST = 04-07T14:00Z,
            // and Wed 09-30 00:00 AEST = 09-29T14:00Z .. Wed 10-07 00:00 AEDT = 10-06T13:00Z.
            assertEquals(40 * HOUR, seconds(nineToFive(SYDNEY), "2026-03-31T13:00:00Z", "2026-04-07T14:00:00Z"));
            assertEquals(40 * HOUR, seconds(nineToFive(SYDNEY), "2026-09-29T14:00:00Z", "2026-10-06T13:00:00Z"));
        }
    }

    // ---- intervals crossing midnight ---------------------------------------------------------------------

    @Nested
    class Overnight {
        /** The spec's night-shift: Monday 22:00 to Tuesday 06:00, New York. */
        private BusinessCalendar nightShift(Set<LocalDate> holidays) {
            return calendar(NEW_YORK, week(EnumSet.of(MONDAY), "22:00-06:00"), holidays, HolidaySource.NONE);
        }

        @Test
        void mondayNightRunsIntoTuesdayMorning() {
            // Monday 2026-03-02 22:00 EST = 03-03T03:00Z .. Tuesday 06:00 EST = 11:00Z.
            assertOnlyOpenSpan(nightShift(Set.of()), "2026-03-03T03:00:00Z", "2026-03-03T11:00:00Z", 8 * HOUR);
        }

        @Test
        void holidayOnTheStartingDayClosesIt() {
            BusinessCalendar c = nightShift(Set.of(LocalDate.of(2026, 3, 2)));
            assertEquals(0, seconds(c, "2026-03-01T00:00:00Z", "2026-03-06T00:00:00Z"));
            assertFalse(c.isOpen(at("2026-03-03T05:00:00Z")), "Tuesday 00:00 EST, in the closed Monday's shift");
            // The next Monday (2026-03-09, after the switch to EDT) is open again: 22:00 EDT = 03-10T02:00Z.
            assertOnlyOpenSpan(c, "2026-03-10T02:00:00Z", "2026-03-10T10:00:00Z", 8 * HOUR);
        }

        @Test
        void holidayOnTheFollowingDayDoesNotCloseIt() {
            BusinessCalendar c = nightShift(Set.of(LocalDate.of(2026, 3, 3)));
            assertOnlyOpenSpan(c, "2026-03-03T03:00:00Z", "2026-03-03T11:00:00Z", 8 * HOUR);
        }

        @Test
        void overnightIntervalsAcrossBerlinTransitions() {
            BusinessCalendar c = calendar(BERLIN, week(EnumSet.of(SATURDAY), "22:00-06:00"));
            // Sat 2026-03-28 22:00 CET = 21:00Z .. Sun 06:00 CEST = 04:00Z: 7 h.
            assertOnlyOpenSpan(c, "2026-03-28T21:00:00Z", "2026-03-29T04:00:00Z", 7 * HOUR);
            // Sat 2026-10-24 22:00 CEST = 20:00Z .. Sun 06:00 CET = 05:00Z: 9 h.
            assertOnlyOpenSpan(c, "2026-10-24T20:00:00Z", "2026-10-25T05:00:00Z", 9 * HOUR);
        }

        @Test
        void overlapWithTheNextDaysHoursCountsOnce() {
            // Mon 22:00 .. Tue 06:00 and Tue 05:00 .. 09:00 merge into Mon 22:00 .. Tue 09:00: 11 h, not 12 h.
            Map<DayOfWeek, List<OpeningHours>> w = week(EnumSet.of(MONDAY), "22:00-06:00");
            w.putAll(week(EnumSet.of(TUESDAY), "05:00-09:00"));
            assertOnlyOpenSpan(calendar(UTC, w), "2026-03-02T22:00:00Z", "2026-03-03T09:00:00Z", 11 * HOUR);
        }

        @Test
        void overnightIntervalFromTwoLocalDaysBeforeTheUtcYearReachesIntoIt() {
            // New York, Wednesday 2026-12-30 22:00 EST = 12-31T03:00Z .. Thursday 12-31 21:00 EST = 2027-01-01T02:00Z.
            BusinessCalendar c = calendar(NEW_YORK, week(EnumSet.of(WEDNESDAY), "22:00-21:00"));
            assertOnlyOpenSpan(c, "2026-12-31T03:00:00Z", "2027-01-01T02:00:00Z", 23 * HOUR);
            assertEquals(2 * HOUR, seconds(c, "2027-01-01T00:00:00Z", "2027-01-01T03:00:00Z"));
            assertEquals(at("2027-01-01T02:00:00Z"), c.plusBusiness(at("2027-01-01T00:00:00Z"), 2 * HOUR));
        }

        @Test
        void overnightIntervalAcrossTheYearEnd() {
            // Thursday 2026-12-31 22:00 .. Friday 2027-01-01 06:00, UTC.
            Map<DayOfWeek, List<OpeningHours>> thursdayNights = week(EnumSet.of(THURSDAY), "22:00-06:00");
            BusinessCalendar plain = calendar(UTC, thursdayNights);
            assertOnlyOpenSpan(plain, "2026-12-31T22:00:00Z", "2027-01-01T06:00:00Z", 8 * HOUR);
            assertEquals(2 * HOUR, seconds(plain, "2026-12-31T23:00:00Z", "2027-01-01T01:00:00Z"));
            assertEquals(at("2027-01-01T01:00:00Z"), plain.plusBusiness(at("2026-12-31T22:00:00Z"), 3 * HOUR));

            BusinessCalendar newYearOff = calendar(UTC, thursdayNights, Set.of(LocalDate.of(2027, 1, 1)), HolidaySource.NONE);
            assertOnlyOpenSpan(newYearOff, "2026-12-31T22:00:00Z", "2027-01-01T06:00:00Z", 8 * HOUR);

            BusinessCalendar eveOff = calendar(UTC, thursdayNights, Set.of(LocalDate.of(2026, 12, 31)), HolidaySource.NONE);
            assertEquals(0, seconds(eveOff, "2026-12-30T00:00:00Z", "2027-01-03T00:00:00Z"));
        }
    }

    // ---- explicit holidays -------------------------------------------------------------------------------

    @Nested
    class ExplicitHolidays {
        /** The spec's berlin-office calendar. */
        private final BusinessCalendar berlinOffice;

        ExplicitHolidays() {
            Map<DayOfWeek, List<OpeningHours>> w = week(EnumSet.of(MONDAY), "09:00-12:30", "13:30-17:30");
            w.putAll(week(EnumSet.of(TUESDAY, WEDNESDAY, THURSDAY), "09:00-17:00"));
            w.putAll(week(EnumSet.of(FRIDAY), "09:00-16:00"));
            w.put(SATURDAY, List.of());
            berlinOffice = BusinessCalendar.of("berlin-office", BERLIN, w,
                    Set.of(LocalDate.of(2026, 12, 24), LocalDate.of(2026, 12, 25), LocalDate.of(2026, 12, 31)),
                    HolidaySource.NONE);
        }

        @Test
        void ordinaryWeek() {
            // Mon 3.5 h + 4 h, Tue-Thu 8 h each, Fri 7 h = 38.5 h.
            assertEquals(38 * HOUR + 30 * MINUTE, seconds(berlinOffice, "2026-03-02T00:00:00Z", "2026-03-09T00:00:00Z"));
        }

        @Test
        void lunchBreakOnMondays() {
            // 12:30 CET = 11:30Z, 13:30 CET = 12:30Z.
            assertTrue(berlinOffice.isOpen(at("2026-03-02T11:29:59Z")));
            assertFalse(berlinOffice.isOpen(at("2026-03-02T11:30:00Z")));
            assertFalse(berlinOffice.isOpen(at("2026-03-02T12:29:59Z")));
            assertTrue(berlinOffice.isOpen(at("2026-03-02T12:30:00Z")));
        }

        @Test
        void christmasWeek() {
            // Mon 21st 7.5 h, Tue 8 h, Wed 8 h; Thu 24th and Fri 25th are holidays: 23.5 h.
            assertEquals(23 * HOUR + 30 * MINUTE, seconds(berlinOffice, "2026-12-21T00:00:00Z", "2026-12-28T00:00:00Z"));
            assertFalse(berlinOffice.isOpen(at("2026-12-24T10:00:00Z")));
        }

        @Test
        void newYearWeekAcrossTheUtcYearEnd() {
            // Mon 28th 7.5 h, Tue 8 h, Wed 8 h, Thu 31st holiday, Fri 2027-01-01 7 h (no public holidays here): 30.5 h.
            assertEquals(30 * HOUR + 30 * MINUTE, seconds(berlinOffice, "2026-12-28T00:00:00Z", "2027-01-04T00:00:00Z"));
            // Friday 2027-01-01 09:00 CET = 08:00Z .. 16:00 CET = 15:00Z.
            assertEquals(7 * HOUR, seconds(berlinOffice, "2027-01-01T00:00:00Z", "2027-01-02T00:00:00Z"));
        }

        @Test
        void holidayOnAClosedDayChangesNothing() {
            BusinessCalendar c = calendar(BERLIN, week(WEEKDAYS, "09:00-17:00"), Set.of(LocalDate.of(2026, 3, 7)), HolidaySource.NONE);
            assertEquals(40 * HOUR, seconds(c, "2026-03-02T00:00:00Z", "2026-03-09T00:00:00Z"));
        }

        @Test
        void holidayClosesTheWholeLocalDayOfATwentyFourSevenCalendar() {
            // Sydney 2026-10-04 is a 23 h day: 00:00 AEST = 10-03T14:00Z .. 24:00 AEDT = 10-04T13:00Z.
            BusinessCalendar c = BusinessCalendar.alwaysOpen("always", SYDNEY, Set.of(LocalDate.of(2026, 10, 4)), HolidaySource.NONE);
            assertEquals(48 * HOUR - 23 * HOUR, seconds(c, "2026-10-03T00:00:00Z", "2026-10-05T00:00:00Z"));
            assertTrue(c.isOpen(at("2026-10-03T13:59:59Z")));
            assertFalse(c.isOpen(at("2026-10-03T14:00:00Z")));
            assertFalse(c.isOpen(at("2026-10-04T12:59:59Z")));
            assertTrue(c.isOpen(at("2026-10-04T13:00:00Z")));
        }
    }

    // ---- public holidays from Jollyday -------------------------------------------------------------------

    @Nested
    class PublicHolidaysFromTheLibrary {
        private final HolidaySource germany = PublicHolidays.of("DE");

        @Test
        void germanUnityDay() {
            // Saturday 2026-10-03, CEST: closed from 10-02T22:00Z to 10-03T22:00Z on a 24x7 calendar.
            BusinessCalendar c = BusinessCalendar.alwaysOpen("always", BERLIN, Set.of(), germany);
            assertEquals(72 * HOUR - 24 * HOUR, seconds(c, "2026-10-02T00:00:00Z", "2026-10-05T00:00:00Z"));
            assertTrue(c.isOpen(at("2026-10-02T21:59:59Z")));
            assertFalse(c.isOpen(at("2026-10-02T22:00:00Z")));
            assertFalse(c.isOpen(at("2026-10-03T21:59:59Z")));
            assertTrue(c.isOpen(at("2026-10-03T22:00:00Z")));
        }

        @Test
        void christmasDaysButNotChristmasEve() {
            // 12-24 is not a public holiday in Germany; 12-25 and 12-26 are (CET: 12-24T23:00Z .. 12-26T23:00Z).
            BusinessCalendar c = BusinessCalendar.alwaysOpen("always", BERLIN, Set.of(), germany);
            assertEquals(96 * HOUR - 48 * HOUR, seconds(c, "2026-12-24T00:00:00Z", "2026-12-28T00:00:00Z"));
            assertTrue(c.isOpen(at("2026-12-24T12:00:00Z")));
            assertFalse(c.isOpen(at("2026-12-25T12:00:00Z")));
            assertFalse(c.isOpen(at("2026-12-26T12:00:00Z")));
            // Friday 2026-12-25 on a weekday calendar: Mon-Thu only, 32 h.
            assertEquals(32 * HOUR, seconds(nineToFive(BERLIN, germany), "2026-12-21T00:00:00Z", "2026-12-28T00:00:00Z"));
        }

        @Test
        void easter() {
            // Easter Sunday is 2026-04-05: Good Friday 04-03 and Easter Monday 04-06 are closed.
            BusinessCalendar c = nineToFive(BERLIN, germany);
            assertEquals(32 * HOUR, seconds(c, "2026-03-30T00:00:00Z", "2026-04-06T00:00:00Z"));
            assertEquals(32 * HOUR, seconds(c, "2026-04-06T00:00:00Z", "2026-04-13T00:00:00Z"));
            assertFalse(c.isOpen(at("2026-04-06T08:00:00Z")), "Easter Monday 10:00 CEST");
            assertTrue(c.isOpen(at("2026-04-07T08:00:00Z")), "Tuesday 10:00 CEST");
        }

        @Test
        void bavariaHasEpiphanyAndCorpusChristiTheCountryDoesNot() {
            BusinessCalendar germanyWide = nineToFive(BERLIN, germany);
            BusinessCalendar bavaria = nineToFive(BERLIN, PublicHolidays.of("DE-BY"));
            // Tuesday 2026-01-06, 09:00 CET = 08:00Z .. 17:00 CET = 16:00Z.
            assertEquals(8 * HOUR, seconds(germanyWide, "2026-01-06T00:00:00Z", "2026-01-07T00:00:00Z"));
            assertEquals(0, seconds(bavaria, "2026-01-06T00:00:00Z", "2026-01-07T00:00:00Z"));
            // Corpus Christi, Thursday 2026-06-04 (Easter + 60 days).
            assertEquals(8 * HOUR, seconds(germanyWide, "2026-06-04T00:00:00Z", "2026-06-05T00:00:00Z"));
            assertEquals(0, seconds(bavaria, "2026-06-04T00:00:00Z", "2026-06-05T00:00:00Z"));
            // The national holidays still apply in the subdivision: Unity Day and Easter Monday.
            assertFalse(bavaria.isOpen(at("2026-04-06T08:00:00Z")));
            assertTrue(PublicHolidays.of("DE-BY").holidaysIn(2026).contains(LocalDate.of(2026, 10, 3)));
        }

        @Test
        void codesAreCaseInsensitive() {
            assertEquals(PublicHolidays.of("DE-BY").holidaysIn(2026), PublicHolidays.of("de-by").holidaysIn(2026));
        }

        @Test
        void usHolidaysOnASaturdayAreObservedOnTheFriday() {
            BusinessCalendar c = nineToFive(NEW_YORK, PublicHolidays.of("US"));
            // Independence Day, Saturday 2026-07-04: Friday 07-03 is closed, so that week is Mon-Thu, 32 h.
            assertEquals(32 * HOUR, seconds(c, "2026-06-29T00:00:00Z", "2026-07-06T00:00:00Z"));
            // New Year's Day 2028 is a Saturday: observed on Friday 2027-12-31, in the year before.
            assertEquals(0, seconds(c, "2027-12-31T00:00:00Z", "2028-01-01T00:00:00Z"));
            assertEquals(32 * HOUR, seconds(c, "2027-12-27T00:00:00Z", "2028-01-03T00:00:00Z"));
        }

        @Test
        void unknownCountryOrSubdivisionIsRejectedByName() {
            IllegalArgumentException country = assertThrows(IllegalArgumentException.class, () -> PublicHolidays.of("XX"));
            assertTrue(country.getMessage().contains("'XX' is not a country"), country.getMessage());
            IllegalArgumentException sub = assertThrows(IllegalArgumentException.class, () -> PublicHolidays.of("DE-XX"));
            assertTrue(sub.getMessage().contains("no subdivision 'XX' of DE"), sub.getMessage());
        }
    }

    // ---- plusBusiness --------------------------------------------------------------------------------------

    @Nested
    class PlusBusiness {
        private final BusinessCalendar berlin = nineToFive(BERLIN);

        @Test
        void zeroReturnsFrom() {
            Instant open = at("2026-03-02T10:00:00Z");
            Instant closed = at("2026-03-07T12:00:00Z"); // a Saturday
            assertEquals(open, berlin.plusBusiness(open, 0));
            assertEquals(closed, berlin.plusBusiness(closed, 0));
        }

        @Test
        void reachesExactlyTheEndOfAnInterval() {
            // Monday 2026-03-02 09:00 CET = 08:00Z; 8 h later is 17:00 CET = 16:00Z, not Tuesday 09:00.
            assertEquals(at("2026-03-02T16:00:00Z"), berlin.plusBusiness(at("2026-03-02T08:00:00Z"), 8 * HOUR));
            // One second more is the first second of Tuesday: 09:00:01 CET.
            assertEquals(at("2026-03-03T08:00:01Z"), berlin.plusBusiness(at("2026-03-02T08:00:00Z"), 8 * HOUR + 1));
            // From the very end of the day, the next second ends Tuesday 09:00:01 CET.
            assertEquals(at("2026-03-03T08:00:01Z"), berlin.plusBusiness(at("2026-03-02T16:00:00Z"), 1));
        }

        @Test
        void startingInClosedTime() {
            // Monday 06:00 CET: the first hour runs 09:00-10:00 CET = 09:00Z.
            assertEquals(at("2026-03-02T09:00:00Z"), berlin.plusBusiness(at("2026-03-02T05:00:00Z"), HOUR));
            // Saturday 2026-03-07: the first hour is Monday 03-09 09:00-10:00 CET.
            assertEquals(at("2026-03-09T09:00:00Z"), berlin.plusBusiness(at("2026-03-07T12:00:00Z"), HOUR));
        }

        @Test
        void acrossAWeekend() {
            // Friday 2026-03-06 15:00 CET = 14:00Z: 2 h on Friday, 2 h on Monday: 11:00 CET = 10:00Z.
            assertEquals(at("2026-03-09T10:00:00Z"), berlin.plusBusiness(at("2026-03-06T14:00:00Z"), 4 * HOUR));
            assertEquals(4 * HOUR, seconds(berlin, "2026-03-06T14:00:00Z", "2026-03-09T10:00:00Z"));
        }

        @Test
        void acrossAWeekendWithAClockChange() {
            // Friday 2026-03-27 15:00 CET = 14:00Z: 2 h on Friday, then Monday 03-30 09:00-11:00 CEST = 09:00Z.
            assertEquals(at("2026-03-30T09:00:00Z"), berlin.plusBusiness(at("2026-03-27T14:00:00Z"), 4 * HOUR));
        }

        @Test
        void acrossTheUtcYearEnd() {
            // Thursday 2026-12-31 15:00 EST = 20:00Z: 2 h to 17:00 EST, then Friday 2027-01-01 09:00-11:00 EST.
            Instant from = at("2026-12-31T20:00:00Z");
            assertEquals(at("2027-01-01T16:00:00Z"), nineToFive(NEW_YORK).plusBusiness(from, 4 * HOUR));
            // With US public holidays, New Year's Day is closed: Monday 2027-01-04 09:00-11:00 EST.
            assertEquals(at("2027-01-04T16:00:00Z"), nineToFive(NEW_YORK, PublicHolidays.of("US")).plusBusiness(from, 4 * HOUR));
        }

        @Test
        void acrossTheUtcYearEndInsideOneOpenInterval() {
            // Sydney Friday 2027-01-01 09:00-17:00 AEDT is 2026-12-31T22:00Z .. 2027-01-01T06:00Z.
            BusinessCalendar sydney = nineToFive(SYDNEY);
            assertEquals(8 * HOUR, seconds(sydney, "2026-12-31T22:00:00Z", "2027-01-01T06:00:00Z"));
            assertEquals(2 * HOUR, seconds(sydney, "2026-12-31T23:00:00Z", "2027-01-01T01:00:00Z"));
            assertEquals(at("2027-01-01T00:00:00Z"), sydney.plusBusiness(at("2026-12-31T22:00:00Z"), 2 * HOUR));
            assertEquals(at("2027-01-01T00:00:01Z"), sydney.plusBusiness(at("2026-12-31T22:00:00Z"), 2 * HOUR + 1));
            // Thursday 16:00 AEDT = 2026-12-31T05:00Z: 1 h on Thursday and all 8 h of Friday.
            assertEquals(at("2027-01-01T06:00:00Z"), sydney.plusBusiness(at("2026-12-31T05:00:00Z"), 9 * HOUR));
            assertTrue(sydney.isOpen(at("2026-12-31T23:59:59Z")));
            assertTrue(sydney.isOpen(at("2027-01-01T00:00:00Z")));
        }

        @Test
        void fourHundredHoursAreTenWeeksOfFortyHours() {
            // From Monday 2026-03-02 09:00 CET the 400th hour ends Friday 2026-05-08 17:00 CEST = 15:00Z (the
            // tenth week is May 4-8), across the spring-forward weekend.
            Instant monday = at("2026-03-02T08:00:00Z");
            assertEquals(at("2026-05-08T15:00:00Z"), berlin.plusBusiness(monday, 400 * HOUR));
            // Ten weeks later to the wall-clock minute (Monday 2026-05-11 09:00 CEST = 07:00Z) is 400 h too.
            assertEquals(400 * HOUR, berlin.businessSeconds(monday, at("2026-05-11T07:00:00Z")));
            // Starting on the Saturday before changes nothing.
            assertEquals(at("2026-05-08T15:00:00Z"), berlin.plusBusiness(at("2026-02-28T12:00:00Z"), 400 * HOUR));
        }

        @Test
        void aTargetOfYears() {
            // 2000 h of a 40 h week is 50 weeks: from Monday 2026-03-02 09:00 CET to Friday 2027-02-12 17:00 CET.
            assertEquals(at("2027-02-12T16:00:00Z"), berlin.plusBusiness(at("2026-03-02T08:00:00Z"), 2000 * HOUR));
        }

        @Test
        void negativeAmountIsRejected() {
            assertThrows(IllegalArgumentException.class, () -> berlin.plusBusiness(at("2026-03-02T08:00:00Z"), -1));
        }

        @Test
        void epochSecondOverloadsAgree() {
            Instant from = at("2026-03-06T14:00:00Z");
            assertEquals(berlin.plusBusiness(from, 4 * HOUR).getEpochSecond(), berlin.plusBusiness(from.getEpochSecond(), 4 * HOUR));
            assertEquals(4 * HOUR, berlin.businessSeconds(from.getEpochSecond(), at("2026-03-09T10:00:00Z").getEpochSecond()));
        }

        @Test
        void zeroReturnsFromEvenWithAFractionOfASecond() {
            Instant from = at("2026-03-02T10:00:00.500Z");
            assertEquals(from, berlin.plusBusiness(from, 0));
        }
    }

    // ---- 24x7 ----------------------------------------------------------------------------------------------

    @Nested
    class TwentyFourSeven {
        @Test
        void equalsWallClockSecondsAcrossClockChanges() {
            BusinessCalendar berlin = BusinessCalendar.alwaysOpen("always", BERLIN, Set.of(), HolidaySource.NONE);
            assertTrue(berlin.isAlwaysOpen());
            assertEquals(48 * HOUR, seconds(berlin, "2026-03-28T12:00:00Z", "2026-03-30T12:00:00Z"));
            assertEquals(48 * HOUR, seconds(berlin, "2026-10-24T12:00:00Z", "2026-10-26T12:00:00Z"));
            assertEquals(2 * HOUR, seconds(berlin, "2026-12-31T23:00:00Z", "2027-01-01T01:00:00Z"));
            Instant from = at("2026-12-20T07:31:12Z");
            assertEquals(from.plusSeconds(2_000_000), berlin.plusBusiness(from, 2_000_000));
        }

        @Test
        void equalsWallClockSecondsInUtcAndSydney() {
            BusinessCalendar utc = BusinessCalendar.alwaysOpen("always", UTC, Set.of(), HolidaySource.NONE);
            BusinessCalendar sydney = BusinessCalendar.alwaysOpen("always", SYDNEY, Set.of(), HolidaySource.NONE);
            // 2026-01-01T00:00Z .. 2028-01-01T00:00Z: 365 + 365 days.
            assertEquals(730 * 24 * HOUR, seconds(utc, "2026-01-01T00:00:00Z", "2028-01-01T00:00:00Z"));
            assertEquals(730 * 24 * HOUR, seconds(sydney, "2026-01-01T00:00:00Z", "2028-01-01T00:00:00Z"));
            assertEquals(at("2026-04-05T12:00:01Z"), sydney.plusBusiness(at("2026-04-04T12:00:00Z"), 24 * HOUR + 1));
        }

        @Test
        void sameAsAWeekOfWholeDays() {
            BusinessCalendar whole = calendar(NEW_YORK, week(EnumSet.allOf(DayOfWeek.class), "00:00-24:00"));
            assertEquals(7 * 24 * HOUR, seconds(whole, "2026-03-05T00:00:00Z", "2026-03-12T00:00:00Z"));
            assertEquals(7 * 24 * HOUR, seconds(whole, "2026-10-29T00:00:00Z", "2026-11-05T00:00:00Z"));
        }
    }

    // ---- merging -----------------------------------------------------------------------------------------

    @Nested
    class Merging {
        @Test
        void touchingIntervalsCountOnce() {
            // On an ordinary day 01:30-02:30 and 02:30-04:00 are 2.5 h.
            assertOnlyOpenSpan(sundaysOnly(UTC, "01:30-02:30", "02:30-04:00"),
                    "2026-03-29T01:30:00Z", "2026-03-29T04:00:00Z", 2 * HOUR + 30 * MINUTE);
        }

        @Test
        void touchingIntervalsOnBerlinClockChanges() {
            BusinessCalendar c = sundaysOnly(BERLIN, "01:30-02:30", "02:30-04:00");
            // 2026-03-29: 01:30 CET = 00:30Z .. (02:30 -> 03:30 CEST) = 01:30Z, then 01:30Z .. 04:00 CEST = 02:00Z.
            assertOnlyOpenSpan(c, "2026-03-29T00:30:00Z", "2026-03-29T02:00:00Z", HOUR + 30 * MINUTE);
            // 2026-10-25: 01:30 CEST = 23:30Z .. 02:30 CEST = 00:30Z, then 00:30Z .. 04:00 CET = 03:00Z.
            assertOnlyOpenSpan(c, "2026-10-24T23:30:00Z", "2026-10-25T03:00:00Z", 3 * HOUR + 30 * MINUTE);
        }

        @Test
        void overlappingIntervalsCountOnce() {
            assertOnlyOpenSpan(sundaysOnly(UTC, "09:00-12:00", "11:00-13:00"), "2026-03-01T09:00:00Z", "2026-03-01T13:00:00Z", 4 * HOUR);
            assertOnlyOpenSpan(sundaysOnly(UTC, "09:00-17:00", "09:00-17:00"), "2026-03-01T09:00:00Z", "2026-03-01T17:00:00Z", 8 * HOUR);
            assertOnlyOpenSpan(sundaysOnly(UTC, "09:00-17:00", "10:00-11:00"), "2026-03-01T09:00:00Z", "2026-03-01T17:00:00Z", 8 * HOUR);
        }

        @Test
        void orderOfIntervalsDoesNotMatter() {
            BusinessCalendar c = sundaysOnly(UTC, "13:00-17:00", "09:00-12:00");
            assertEquals(7 * HOUR, seconds(c, "2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z"));
            assertFalse(c.isOpen(at("2026-03-01T12:30:00Z")));
        }
    }

    // ---- the spec's late-reply rule ---------------------------------------------------------------------

    @Test
    void lateReplyAfterTheLastBusinessMinuteIsLateThoughNoBusinessTimePassed() {
        BusinessCalendar c = nineToFive(BERLIN);
        // A 4 h cycle from Monday 2026-03-02 13:00 CET (12:00Z) reaches its target at 17:00 CET (16:00Z).
        Instant start = at("2026-03-02T12:00:00Z");
        Instant due = c.plusBusiness(start, 4 * HOUR);
        assertEquals(at("2026-03-02T16:00:00Z"), due);
        // The reply comes at 17:30 CET (16:30Z): no business time between 17:00 and 17:30 ...
        Instant reply = at("2026-03-02T16:30:00Z");
        assertEquals(0, c.businessSeconds(due, reply));
        assertEquals(4 * HOUR, c.businessSeconds(start, reply));
        // ... yet the due instant lies before the reply, so the cycle is breached.
        assertTrue(due.isBefore(reply));
    }

    // ---- basics ------------------------------------------------------------------------------------------

    @Nested
    class Basics {
        @Test
        void openIntervalsAreHalfOpen() {
            BusinessCalendar c = nineToFive(UTC);
            assertFalse(c.isOpen(at("2026-03-02T08:59:59Z")));
            assertTrue(c.isOpen(at("2026-03-02T09:00:00Z")));
            assertTrue(c.isOpen(at("2026-03-02T16:59:59Z")));
            assertFalse(c.isOpen(at("2026-03-02T17:00:00Z")));
            assertFalse(c.isOpen(at("2026-03-07T12:00:00Z")), "Saturday");
        }

        @Test
        void reversedOrEmptyRangesHaveNoBusinessTime() {
            BusinessCalendar c = nineToFive(UTC);
            assertEquals(0, seconds(c, "2026-03-02T12:00:00Z", "2026-03-02T12:00:00Z"));
            assertEquals(0, seconds(c, "2026-03-02T13:00:00Z", "2026-03-02T12:00:00Z"));
            assertEquals(0, seconds(c, "2026-03-09T00:00:00Z", "2026-03-02T00:00:00Z"));
        }

        @Test
        void partialOverlapWithAnInterval() {
            BusinessCalendar c = nineToFive(UTC);
            assertEquals(3 * HOUR + 15 * MINUTE, seconds(c, "2026-03-02T06:00:00Z", "2026-03-02T12:15:00Z"));
            assertEquals(HOUR + 1, seconds(c, "2026-03-02T15:59:59Z", "2026-03-02T23:00:00Z"));
        }

        @Test
        void aWeekWithoutOpeningHoursIsRejected() {
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                    () -> BusinessCalendar.of("closed-shop", UTC, Map.of(), Set.of(), HolidaySource.NONE));
            assertTrue(none.getMessage().contains("'closed-shop' is never open"), none.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> BusinessCalendar.of("closed-shop", UTC, Map.of(MONDAY, List.of()), Set.of(), HolidaySource.NONE));
        }

        @Test
        void accessorsDescribeTheCalendar() {
            Map<DayOfWeek, List<OpeningHours>> w = week(EnumSet.of(MONDAY), "09:00-17:00");
            w.put(TUESDAY, List.of());
            BusinessCalendar c = BusinessCalendar.of("office", BERLIN, w, Set.of(LocalDate.of(2026, 1, 2)), HolidaySource.NONE);
            assertEquals("office", c.name());
            assertEquals(BERLIN, c.zone());
            assertEquals(Map.of(MONDAY, List.of(OpeningHours.parse("09:00-17:00"))), c.week(), "empty days are left out");
            assertEquals(Set.of(LocalDate.of(2026, 1, 2)), c.holidays());
            assertFalse(c.isAlwaysOpen());
        }
    }
}
