package io.slabridge.core.calendar;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A business calendar: weekly opening hours in local wall time of an IANA zone, minus holidays
 * (SLA-SPEC section 2). Business time is real elapsed seconds inside open intervals.
 *
 * <p>Wall times become instants with the zone's rules: a wall time in a spring-forward gap moves forward
 * by the gap, an ambiguous one in a fall-back overlap takes the earlier offset ({@link ZonedDateTime#of}
 * does exactly that). An interval belongs to the local date it starts on; a holiday closes the intervals
 * starting on it. Overlapping or touching intervals are merged, so no second is counted twice.
 *
 * <p>How it stays fast: the open intervals of one UTC year are laid out once, sorted, with the open
 * seconds before each one (a prefix sum). Measuring business time between two instants is then two binary
 * searches, and adding business time is one binary search plus, for targets that run past the year, one
 * subtraction per whole year skipped: the cost does not depend on the size of the target. Years are built
 * on first use and kept; instances are immutable and safe to share between threads.
 */
public final class BusinessCalendar {
    private static final long MAX_YEARS_WITHOUT_OPEN_TIME = 50;

    private final String name;
    private final ZoneId zone;
    private final Map<DayOfWeek, List<OpeningHours>> week;
    private final Set<LocalDate> holidays;
    private final HolidaySource publicHolidays;
    private final boolean alwaysOpen;
    private final ConcurrentHashMap<Integer, YearBlock> years = new ConcurrentHashMap<>();
    /** Lock-free front cache for the years 1900 to 2299; final fields of YearBlock make racy publication safe. */
    private final YearBlock[] yearCache = new YearBlock[400];

    private BusinessCalendar(String name, ZoneId zone, Map<DayOfWeek, List<OpeningHours>> week,
            Set<LocalDate> holidays, HolidaySource publicHolidays, boolean alwaysOpen) {
        this.name = name;
        this.zone = zone;
        this.week = week;
        this.holidays = holidays;
        this.publicHolidays = publicHolidays;
        this.alwaysOpen = alwaysOpen;
    }

    /**
     * @param week           opening hours per day; a missing day is closed
     * @param holidays       whole local days closed, besides {@code publicHolidays}
     * @param publicHolidays holidays by country, or {@link HolidaySource#NONE}
     * @throws IllegalArgumentException when the week has no opening hours at all
     */
    public static BusinessCalendar of(String name, ZoneId zone, Map<DayOfWeek, List<OpeningHours>> week,
            Set<LocalDate> holidays, HolidaySource publicHolidays) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(holidays, "holidays");
        Objects.requireNonNull(publicHolidays, "publicHolidays");
        EnumMap<DayOfWeek, List<OpeningHours>> copy = new EnumMap<>(DayOfWeek.class);
        week.forEach((day, hours) -> {
            if (!hours.isEmpty()) {
                copy.put(day, List.copyOf(hours));
            }
        });
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("calendar '" + name + "' is never open: its week has no opening hours");
        }
        return new BusinessCalendar(name, zone, Map.copyOf(copy), Set.copyOf(holidays), publicHolidays, false);
    }

    /** Open around the clock ({@code week: 24x7}), except on the given holidays. */
    public static BusinessCalendar alwaysOpen(String name, ZoneId zone, Set<LocalDate> holidays,
            HolidaySource publicHolidays) {
        OpeningHours wholeDay = OpeningHours.parse("00:00-24:00");
        EnumMap<DayOfWeek, List<OpeningHours>> week = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            week.put(d, List.of(wholeDay));
        }
        return new BusinessCalendar(Objects.requireNonNull(name, "name"), Objects.requireNonNull(zone, "zone"),
                Map.copyOf(week), Set.copyOf(holidays), Objects.requireNonNull(publicHolidays, "publicHolidays"), true);
    }

    public String name() {
        return name;
    }

    public ZoneId zone() {
        return zone;
    }

    /** Opening hours per day; days without any are absent. */
    public Map<DayOfWeek, List<OpeningHours>> week() {
        return week;
    }

    public Set<LocalDate> holidays() {
        return holidays;
    }

    public boolean isAlwaysOpen() {
        return alwaysOpen;
    }

    /** Business seconds in {@code [from, to)}; zero when {@code to} is not after {@code from}. */
    public long businessSeconds(Instant from, Instant to) {
        return businessSeconds(from.getEpochSecond(), to.getEpochSecond());
    }

    /** Business seconds in {@code [from, to)}, both in epoch seconds; zero when {@code to <= from}. */
    public long businessSeconds(long from, long to) {
        if (to <= from) {
            return 0;
        }
        int yearFrom = utcYear(from);
        int yearTo = utcYear(to);
        YearBlock a = block(yearFrom);
        if (yearFrom == yearTo) {
            return a.openBefore(to) - a.openBefore(from);
        }
        long sum = a.total - a.openBefore(from);
        for (int y = yearFrom + 1; y < yearTo; y++) {
            sum += block(y).total;
        }
        return sum + block(yearTo).openBefore(to);
    }

    /**
     * The earliest instant at which {@code seconds} of business time have passed since {@code from}.
     * With a positive amount the result lies inside an open interval or at its end, never in the interior
     * of a closed span; with zero it is {@code from}.
     */
    public Instant plusBusiness(Instant from, long seconds) {
        return seconds == 0 ? from : Instant.ofEpochSecond(plusBusiness(from.getEpochSecond(), seconds));
    }

    /** {@link #plusBusiness(Instant, long)} in epoch seconds. */
    public long plusBusiness(long from, long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("cannot add negative business time: " + seconds);
        }
        if (seconds == 0) {
            return from;
        }
        int year = utcYear(from);
        YearBlock b = block(year);
        long wanted = b.openBefore(from) + seconds;
        int emptyYears = 0;
        while (wanted > b.total) {
            wanted -= b.total;
            emptyYears = b.total == 0 ? emptyYears + 1 : 0;
            if (emptyYears > MAX_YEARS_WITHOUT_OPEN_TIME) {
                throw new IllegalStateException("calendar '" + name + "' has had no open time for "
                        + MAX_YEARS_WITHOUT_OPEN_TIME + " years after " + Instant.ofEpochSecond(from));
            }
            b = block(++year);
        }
        return b.instantAtOpenSecond(wanted);
    }

    /** Whether {@code instant} lies in an open interval (start included, end excluded). */
    public boolean isOpen(Instant instant) {
        long t = instant.getEpochSecond();
        return businessSeconds(t, t + 1) == 1;
    }

    private YearBlock block(int year) {
        int slot = year - 1900;
        if (slot >= 0 && slot < yearCache.length) {
            YearBlock cached = yearCache[slot];
            if (cached == null) {
                cached = years.computeIfAbsent(year, this::buildYear);
                yearCache[slot] = cached;
            }
            return cached;
        }
        return years.computeIfAbsent(year, this::buildYear);
    }

    static int utcYear(long epochSecond) {
        // Guess from the mean Gregorian year, then correct by at most one.
        int year = (int) Math.floorDiv(epochSecond, 31_556_952L) + 1970;
        if (epochSecond < yearStart(year)) {
            return year - 1;
        }
        if (epochSecond >= yearStart(year + 1)) {
            return year + 1;
        }
        return year;
    }

    private static long yearStart(int year) {
        return LocalDate.of(year, 1, 1).toEpochDay() * 86_400L;
    }

    /** Lays out the open intervals of one UTC year. */
    private YearBlock buildYear(int year) {
        long blockStart = yearStart(year);
        long blockEnd = yearStart(year + 1);
        Set<LocalDate> closed = new TreeSet<>(holidays);
        // Local dates whose intervals can reach into this UTC year: offsets are within +-18 h and an
        // interval ends at most one day after the date it starts on.
        LocalDate first = LocalDate.of(year, 1, 1).minusDays(2);
        LocalDate last = LocalDate.of(year, 12, 31).plusDays(1);
        for (int y = first.getYear(); y <= last.getYear(); y++) {
            closed.addAll(publicHolidays.holidaysIn(y));
        }
        List<long[]> spans = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            List<OpeningHours> hours = week.get(d.getDayOfWeek());
            if (hours == null || closed.contains(d)) {
                continue;
            }
            for (OpeningHours h : hours) {
                long s = ZonedDateTime.of(d, h.start(), zone).toEpochSecond();
                long e = ZonedDateTime.of(h.endsNextDay() ? d.plusDays(1) : d, h.end(), zone).toEpochSecond();
                s = Math.max(s, blockStart);
                e = Math.min(e, blockEnd);
                if (e > s) {
                    spans.add(new long[] {s, e});
                }
            }
        }
        spans.sort((x, y) -> Long.compare(x[0], y[0]));
        long[] starts = new long[spans.size()];
        long[] ends = new long[spans.size()];
        int n = 0;
        for (long[] span : spans) {
            if (n > 0 && span[0] <= ends[n - 1]) {
                ends[n - 1] = Math.max(ends[n - 1], span[1]);
            } else {
                starts[n] = span[0];
                ends[n] = span[1];
                n++;
            }
        }
        return new YearBlock(blockStart, blockEnd, Arrays.copyOf(starts, n), Arrays.copyOf(ends, n));
    }

    /**
     * The merged open intervals of one UTC year, with the open seconds up to the end of each, and an index
     * from each UTC day of the year to the first interval that ends after that day begins, so that finding
     * the interval around an instant is a direct lookup plus a step or two, not a search.
     */
    private static final class YearBlock {
        private final long start;
        private final long[] starts;
        private final long[] ends;
        /** openThrough[i]: open seconds of this year up to ends[i]. */
        private final long[] openThrough;
        private final int[] firstOfDay;
        private final long total;

        YearBlock(long start, long end, long[] starts, long[] ends) {
            this.start = start;
            this.starts = starts;
            this.ends = ends;
            this.openThrough = new long[starts.length];
            long sum = 0;
            for (int i = 0; i < starts.length; i++) {
                sum += ends[i] - starts[i];
                openThrough[i] = sum;
            }
            this.total = sum;
            int days = (int) ((end - start) / 86_400L);
            this.firstOfDay = new int[days + 1];
            int i = 0;
            for (int d = 0; d <= days; d++) {
                long dayStart = start + d * 86_400L;
                while (i < ends.length && ends[i] <= dayStart) {
                    i++;
                }
                firstOfDay[d] = i;
            }
        }

        /** Open seconds of this year before instant {@code t} (t inside the year or at its end). */
        long openBefore(long t) {
            int i = firstOfDay[(int) ((t - start) / 86_400L)];
            while (i < ends.length && ends[i] <= t) {
                i++;
            }
            if (i == ends.length) {
                return total;
            }
            long before = openThrough[i] - (ends[i] - starts[i]);
            return t > starts[i] ? before + (t - starts[i]) : before;
        }

        /** The instant at which the {@code n}-th open second of this year ends, 0 < n <= total. */
        long instantAtOpenSecond(long n) {
            int i = Arrays.binarySearch(openThrough, n);
            if (i < 0) {
                i = -i - 1; // the first interval whose end reaches n
            }
            long before = openThrough[i] - (ends[i] - starts[i]);
            return starts[i] + (n - before);
        }
    }

    @Override
    public String toString() {
        return "calendar " + name + " (" + zone + (alwaysOpen ? ", 24x7" : "") + ")";
    }
}
