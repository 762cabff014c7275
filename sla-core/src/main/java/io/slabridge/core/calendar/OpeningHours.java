package io.slabridge.core.calendar;

import java.time.LocalTime;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One opening interval of a week day in local wall time, {@code HH:MM-HH:MM}, 24-hour, half-open.
 *
 * <p>An end of {@code 24:00} is midnight at the end of the day; an end before the start crosses midnight
 * and ends on the next day (the interval still belongs to the day it starts on, so a holiday on that day
 * closes it).
 */
public final class OpeningHours {
    private static final Pattern FORM = Pattern.compile("(\\d{2}):(\\d{2})-(\\d{2}):(\\d{2})");

    private final LocalTime start;
    private final LocalTime end;
    private final boolean endsNextDay;

    private OpeningHours(LocalTime start, LocalTime end, boolean endsNextDay) {
        this.start = start;
        this.end = end;
        this.endsNextDay = endsNextDay;
    }

    /**
     * Parses {@code "09:00-17:30"}, {@code "00:00-24:00"} or {@code "22:00-06:00"}.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static OpeningHours parse(String text) {
        Objects.requireNonNull(text, "text");
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an interval of the form HH:MM-HH:MM (24-hour, e.g. 09:00-17:30)");
        }
        int sh = Integer.parseInt(m.group(1));
        int sm = Integer.parseInt(m.group(2));
        int eh = Integer.parseInt(m.group(3));
        int em = Integer.parseInt(m.group(4));
        if (sh > 23 || sm > 59) {
            throw new IllegalArgumentException("'" + text + "' starts at an impossible time " + m.group(1) + ":" + m.group(2)
                    + " (times run from 00:00 to 23:59; 24:00 may only end an interval)");
        }
        if (eh > 24 || em > 59 || (eh == 24 && em != 0)) {
            throw new IllegalArgumentException("'" + text + "' ends at an impossible time " + m.group(3) + ":" + m.group(4)
                    + " (times run from 00:00 to 24:00)");
        }
        LocalTime start = LocalTime.of(sh, sm);
        if (eh == 24) {
            return new OpeningHours(start, LocalTime.MIDNIGHT, true);
        }
        LocalTime end = LocalTime.of(eh, em);
        if (end.equals(start)) {
            throw new IllegalArgumentException("'" + text + "' is empty (start equals end; a whole day is 00:00-24:00)");
        }
        return new OpeningHours(start, end, end.isBefore(start));
    }

    public LocalTime start() {
        return start;
    }

    /** The wall-clock end; on the next day when {@link #endsNextDay()}. */
    public LocalTime end() {
        return end;
    }

    /** True for {@code 24:00} ends and for intervals that cross midnight. */
    public boolean endsNextDay() {
        return endsNextDay;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpeningHours && ((OpeningHours) o).start.equals(start) && ((OpeningHours) o).end.equals(end)
                && ((OpeningHours) o).endsNextDay == endsNextDay;
    }

    @Override
    public int hashCode() {
        return Objects.hash(start, end, endsNextDay);
    }

    @Override
    public String toString() {
        return start + "-" + (endsNextDay && end.equals(LocalTime.MIDNIGHT) ? "24:00" : end.toString());
    }
}
