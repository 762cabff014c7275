package io.slabridge.core.calendar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of {@link BusinessCalendar} on random calendars: a random zone, a random week of up to three
 * intervals a day (overnight and {@code 24:00} ends included, with extra weight on the hours around DST
 * transitions), random holidays, and instants in 2025-2028 (with extra weight near year ends and DST
 * transitions).
 */
class BusinessCalendarProperties {
    private static final List<ZoneId> ZONES = List.of(ZoneId.of("Europe/Berlin"), ZoneId.of("America/New_York"),
            ZoneId.of("Australia/Sydney"), ZoneId.of("UTC"), ZoneId.of("Asia/Tokyo"));
    private static final long FROM_2025 = epochSecond(2025, 1, 1);
    private static final long TO_2029 = epochSecond(2029, 1, 1);
    private static final long DAY = 86_400;

    // ---- properties --------------------------------------------------------------------------------------

    @Property(tries = 300)
    void roundTrip(@ForAll("calendars") BusinessCalendar c, @ForAll("instants") long t,
            @ForAll @LongRange(min = 1, max = 2_000_000) long s) {
        long due = c.plusBusiness(t, s);
        assertEquals(s, c.businessSeconds(t, due));
    }

    /** The due instant is the earliest: one second before it, one business second is still missing. */
    @Property(tries = 300)
    void dueInstantIsTheEarliest(@ForAll("calendars") BusinessCalendar c, @ForAll("instants") long t,
            @ForAll @LongRange(min = 1, max = 2_000_000) long s) {
        long due = c.plusBusiness(t, s);
        assertEquals(s - 1, c.businessSeconds(t, due - 1));
        assertTrue(c.isOpen(Instant.ofEpochSecond(due - 1)), "the last second before the due instant is open");
    }

    /**
     * Adding the business time up to any later instant {@code u} lands at or before {@code u}: exactly at
     * {@code u} when the second before it is open, else at the end of the last open interval before it. This
     * hits interval ends exactly, which random amounts almost never do.
     */
    @Property(tries = 300)
    void addingTheBusinessTimeUpToAnInstantLandsAtItsLastOpenSecond(@ForAll("calendars") BusinessCalendar c,
            @ForAll("instants") long t, @ForAll @LongRange(min = 0, max = 60 * DAY) long length) {
        long u = t + length;
        long s = c.businessSeconds(t, u);
        long due = c.plusBusiness(t, s);
        assertTrue(due <= u, () -> "plusBusiness(" + s + ") = " + due + " is after " + u);
        assertEquals(s, c.businessSeconds(t, due));
        if (s > 0) {
            assertTrue(c.isOpen(Instant.ofEpochSecond(due - 1)), "the second before the due instant is open");
            assertEquals(0, c.businessSeconds(due, u), "no open time between the due instant and u");
        }
        if (length > 0 && c.isOpen(Instant.ofEpochSecond(u - 1))) {
            assertEquals(u, due);
        }
    }

    @Property(tries = 300)
    void additivity(@ForAll("calendars") BusinessCalendar cal, @ForAll("instants") long x, @ForAll("instants") long y,
            @ForAll("instants") long z) {
        long[] sorted = {x, y, z};
        Arrays.sort(sorted);
        long a = sorted[0];
        long b = sorted[1];
        long c = sorted[2];
        assertEquals(cal.businessSeconds(a, c), cal.businessSeconds(a, b) + cal.businessSeconds(b, c));
    }

    @Property(tries = 300)
    void boundedByWallClockAndZeroWhenNotForward(@ForAll("calendars") BusinessCalendar c, @ForAll("instants") long a,
            @ForAll("instants") long b) {
        long seconds = c.businessSeconds(a, b);
        if (b <= a) {
            assertEquals(0, seconds);
        } else {
            assertTrue(seconds >= 0 && seconds <= b - a, () -> seconds + " business seconds in " + (b - a) + " s");
        }
    }

    /** More business time is strictly later, by at least the extra amount (each business second is a real one). */
    @Property(tries = 300)
    void plusBusinessIsMonotone(@ForAll("calendars") BusinessCalendar c, @ForAll("instants") long t,
            @ForAll @LongRange(min = 0, max = 2_000_000) long s1, @ForAll @LongRange(min = 0, max = 2_000_000) long s2) {
        long lo = Math.min(s1, s2);
        long hi = Math.max(s1, s2);
        long dueLo = c.plusBusiness(t, lo);
        long dueHi = c.plusBusiness(t, hi);
        assertTrue(dueHi - dueLo >= hi - lo, () -> "plusBusiness(" + lo + ") = " + dueLo + ", plusBusiness(" + hi + ") = " + dueHi);
    }

    /** Against a direct reading of the rules, with no year blocks or prefix sums, over spans of up to 10 days. */
    @Property(tries = 300)
    void agreesWithTheRulesReadDirectly(@ForAll("calendars") BusinessCalendar c, @ForAll("instants") long from,
            @ForAll @LongRange(min = 0, max = 10 * DAY) long length) {
        long to = from + length;
        assertEquals(naiveBusinessSeconds(c, from, to), c.businessSeconds(from, to));
    }

    @Property(tries = 300)
    void twentyFourSevenIsWallClock(@ForAll("zones") ZoneId zone, @ForAll("instants") long a,
            @ForAll @LongRange(min = 0, max = 2_000_000) long s) {
        BusinessCalendar c = BusinessCalendar.alwaysOpen("24x7", zone, Set.of(), HolidaySource.NONE);
        assertEquals(s, c.businessSeconds(a, a + s));
        assertEquals(a + s, c.plusBusiness(a, s));
    }

    // ---- the naive reading of the rules ------------------------------------------------------------------

    /**
     * Open seconds in {@code [from, to)}: every interval of every local date that can reach the range, turned
     * into instants with {@link ZonedDateTime#of} (gap: forward, overlap: earlier offset), holidays left out,
     * then merged and clipped.
     */
    private static long naiveBusinessSeconds(BusinessCalendar c, long from, long to) {
        List<long[]> spans = new ArrayList<>();
        // The zones here are UTC-5 to UTC+11 and an interval ends at most two local days after its date began,
        // so two days either side of the UTC dates are plenty.
        LocalDate first = LocalDate.ofEpochDay(Math.floorDiv(from, DAY)).minusDays(2);
        LocalDate last = LocalDate.ofEpochDay(Math.floorDiv(to, DAY)).plusDays(2);
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            if (c.holidays().contains(d)) {
                continue;
            }
            for (OpeningHours h : c.week().getOrDefault(d.getDayOfWeek(), List.of())) {
                long s = ZonedDateTime.of(d, h.start(), c.zone()).toEpochSecond();
                long e = ZonedDateTime.of(h.endsNextDay() ? d.plusDays(1) : d, h.end(), c.zone()).toEpochSecond();
                s = Math.max(s, from);
                e = Math.min(e, to);
                if (e > s) {
                    spans.add(new long[] {s, e});
                }
            }
        }
        spans.sort((x, y) -> Long.compare(x[0], y[0]));
        long sum = 0;
        long coveredUpTo = Long.MIN_VALUE;
        for (long[] span : spans) {
            long s = Math.max(span[0], coveredUpTo);
            if (span[1] > s) {
                sum += span[1] - s;
            }
            coveredUpTo = Math.max(coveredUpTo, span[1]);
        }
        return sum;
    }

    // ---- generators --------------------------------------------------------------------------------------

    @Provide
    Arbitrary<ZoneId> zones() {
        return Arbitraries.of(ZONES);
    }

    @Provide
    Arbitrary<BusinessCalendar> calendars() {
        Arbitrary<Map<DayOfWeek, List<OpeningHours>>> weeks = intervals().list().ofMaxSize(3).list().ofSize(7)
                .map(BusinessCalendarProperties::toWeek)
                .filter(w -> w.values().stream().anyMatch(hours -> !hours.isEmpty()));
        Arbitrary<Set<LocalDate>> holidays = Arbitraries.longs()
                .between(LocalDate.of(2024, 12, 1).toEpochDay(), LocalDate.of(2029, 1, 31).toEpochDay())
                .map(LocalDate::ofEpochDay)
                .set().ofMaxSize(40);
        return Combinators.combine(zones(), weeks, holidays)
                .as((zone, week, days) -> BusinessCalendar.of(describe(zone, week, days), zone, week, days, HolidaySource.NONE));
    }

    /** {@code HH:MM-HH:MM} intervals: any start, an end after it, before it (overnight) or at 24:00. */
    private Arbitrary<OpeningHours> intervals() {
        Arbitrary<Integer> start = minutesOfDay();
        Arbitrary<Integer> end = Arbitraries.frequencyOf(
                Tuple.of(8, minutesOfDay()),
                Tuple.of(1, Arbitraries.just(24 * 60)));
        return Combinators.combine(start, end)
                .filter((s, e) -> !s.equals(e))
                .as((s, e) -> OpeningHours.parse(hhmm(s) + "-" + hhmm(e)));
    }

    /** Minutes of the day, one in four from 00:00-04:30 on the quarter hour, where the transitions are. */
    private static Arbitrary<Integer> minutesOfDay() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(0, 24 * 60 - 1)),
                Tuple.of(1, Arbitraries.integers().between(0, 18).map(q -> q * 15)));
    }

    /** Instants in 2025-2028, a third of them within two days of a year end or a DST transition. */
    @Provide
    Arbitrary<Long> instants() {
        Arbitrary<Long> anywhere = Arbitraries.longs().between(FROM_2025, TO_2029 - 1);
        Arbitrary<Long> nearSpecial = Combinators.combine(Arbitraries.of(specialInstants()),
                Arbitraries.longs().between(-2 * DAY, 2 * DAY)).as(Long::sum);
        return Arbitraries.frequencyOf(Tuple.of(2, anywhere), Tuple.of(1, nearSpecial));
    }

    /** UTC year starts 2025-2029 and the DST transitions of the generated zones in 2025-2028. */
    private static List<Long> specialInstants() {
        Set<Long> special = new TreeSet<>();
        for (int y = 2025; y <= 2029; y++) {
            special.add(epochSecond(y, 1, 1));
        }
        for (ZoneId zone : ZONES) {
            ZoneOffsetTransition transition = zone.getRules().nextTransition(Instant.ofEpochSecond(FROM_2025));
            while (transition != null && transition.toEpochSecond() < TO_2029) {
                special.add(transition.toEpochSecond());
                transition = zone.getRules().nextTransition(transition.getInstant());
            }
        }
        return List.copyOf(special);
    }

    // ---- small helpers -----------------------------------------------------------------------------------

    private static Map<DayOfWeek, List<OpeningHours>> toWeek(List<List<OpeningHours>> perDay) {
        Map<DayOfWeek, List<OpeningHours>> week = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            week.put(d, perDay.get(d.ordinal()));
        }
        return week;
    }

    /** The calendar's name: all of it, so that a failing example can be read from jqwik's report. */
    private static String describe(ZoneId zone, Map<DayOfWeek, List<OpeningHours>> week, Set<LocalDate> holidays) {
        return zone + " " + week + " holidays " + new TreeSet<>(holidays);
    }

    private static String hhmm(int minutes) {
        return String.format("%02d:%02d", minutes / 60, minutes % 60);
    }

    private static long epochSecond(int year, int month, int day) {
        return LocalDate.of(year, month, day).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    }
}
