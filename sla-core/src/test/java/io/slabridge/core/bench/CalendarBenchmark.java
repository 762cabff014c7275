package io.slabridge.core.bench;

import io.slabridge.core.calendar.BusinessCalendar;
import io.slabridge.core.calendar.OpeningHours;
import io.slabridge.core.calendar.PublicHolidays;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one due-instant computation ({@link BusinessCalendar#plusBusiness(long, long)}) and of one
 * business-time measurement ({@link BusinessCalendar#businessSeconds(long, long)}) on a Berlin office
 * calendar, for targets of 1, 8, 40 and 400 business hours. The claim under test: the cost does not grow
 * with the target (no minute- or day-stepping) and stays well under a microsecond.
 *
 * <p>Start instants are 1024 fixed pseudo-random seconds spread over 2026 and 2027 (nights, weekends and
 * holidays included, as ticket events arrive), visited in array order, so consecutive calls hit unrelated
 * days. Setup computes every due instant once, which builds the year blocks (2026 to 2028) before timing:
 * what is measured is the warm path, not the one-off construction of a year.
 *
 * <p>Run: see docs/explanation/benchmarks.md ({@code mvn -B -f sla-core/pom.xml test-compile exec:exec@jmh}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class CalendarBenchmark {
    private static final int INSTANTS = 1024; // a power of two: the cursor wraps with a mask
    private static final long FROM = LocalDate.of(2026, 1, 1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    private static final long UNTIL = LocalDate.of(2028, 1, 1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();

    @Param({"1", "8", "40", "400"})
    public int targetHours;

    private BusinessCalendar calendar;
    private long targetSeconds;
    private final long[] starts = new long[INSTANTS];
    /** dues[i] = plusBusiness(starts[i], target): the pairs businessSeconds measures. */
    private final long[] dues = new long[INSTANTS];
    private int cursor;

    /** mon-thu 09:00-12:30 and 13:30-17:30, fri 09:00-16:00, Europe/Berlin, two explicit holidays and DE's. */
    static BusinessCalendar berlinOffice() {
        List<OpeningHours> longDay = List.of(OpeningHours.parse("09:00-12:30"), OpeningHours.parse("13:30-17:30"));
        Map<DayOfWeek, List<OpeningHours>> week = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY)) {
            week.put(d, longDay);
        }
        week.put(DayOfWeek.FRIDAY, List.of(OpeningHours.parse("09:00-16:00")));
        Set<LocalDate> holidays = Set.of(LocalDate.of(2026, 12, 24), LocalDate.of(2026, 12, 31),
                LocalDate.of(2027, 12, 24), LocalDate.of(2027, 12, 31));
        return BusinessCalendar.of("berlin-office", ZoneId.of("Europe/Berlin"), week, holidays, PublicHolidays.of("DE"));
    }

    @Setup(Level.Trial)
    public void setUp() {
        calendar = berlinOffice();
        targetSeconds = targetHours * 3600L;
        SplittableRandom random = new SplittableRandom(20260105L);
        for (int i = 0; i < INSTANTS; i++) {
            starts[i] = FROM + random.nextLong(UNTIL - FROM);
            dues[i] = calendar.plusBusiness(starts[i], targetSeconds);
            // Not a test, but a benchmark of wrong answers is worthless: the round trip must hold.
            long back = calendar.businessSeconds(starts[i], dues[i]);
            if (back != targetSeconds) {
                throw new IllegalStateException("businessSeconds(start, plusBusiness(start, " + targetSeconds
                        + ")) = " + back + " for start " + starts[i]);
            }
        }
        cursor = 0;
    }

    @Benchmark
    public long plusBusiness() {
        int i = cursor++ & (INSTANTS - 1);
        return calendar.plusBusiness(starts[i], targetSeconds);
    }

    @Benchmark
    public long businessSeconds() {
        int i = cursor++ & (INSTANTS - 1);
        return calendar.businessSeconds(starts[i], dues[i]);
    }
}
