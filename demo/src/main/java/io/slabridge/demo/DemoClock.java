package io.slabridge.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The demo's accelerated clock: starts at {@code start} and runs {@code factor} times faster than the wall clock
 * (measured with {@link System#nanoTime()}) once {@link #begin()} is called, so one real second is
 * {@code factor} seconds on it. Until then (the application starting) it stands still.
 */
public final class DemoClock extends Clock {
    private static final DateTimeFormatter DAY_AND_TIME = DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Instant start;
    private final long factor;
    private volatile long startNanos;
    private volatile boolean running;

    public DemoClock(Instant start, long factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("factor must be at least 1, got " + factor);
        }
        this.start = start;
        this.factor = factor;
    }

    /** Sets the clock going; until then it shows {@code start}. */
    public void begin() {
        startNanos = System.nanoTime();
        running = true;
    }

    public long factor() {
        return factor;
    }

    /** How long on this clock since it started. */
    public Duration elapsed() {
        return running ? Duration.ofNanos((System.nanoTime() - startNanos) * factor) : Duration.ZERO;
    }

    /** How long in real time until this clock shows {@code at} (zero if it already does). */
    public Duration realTimeUntil(Instant at) {
        Duration d = Duration.between(instant(), at);
        return d.isNegative() ? Duration.ZERO : d.dividedBy(factor);
    }

    /** {@code at} as the demo prints times: day and time in UTC ({@code Mon 09:30}). */
    public static String dayAndTime(Instant at) {
        return DAY_AND_TIME.format(at);
    }

    /** Now on this clock, as the demo prints times. */
    public String now() {
        return dayAndTime(instant());
    }

    @Override
    public Instant instant() {
        return start.plus(elapsed());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
