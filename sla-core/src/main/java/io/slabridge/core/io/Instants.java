package io.slabridge.core.io;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * ISO-8601 instants of the wire format, in whole epoch seconds. Parsing takes an offset (or {@code Z}) and
 * drops fractions of a second; formatting writes UTC {@code YYYY-MM-DDTHH:MM:SSZ}.
 *
 * <p>The common shapes are read by hand: {@code OffsetDateTime.parse} costs about a microsecond, which is a
 * whole second of a million-event replay. Anything unusual falls back to the JDK parser.
 */
public final class Instants {
    private Instants() {
    }

    /**
     * @throws DateTimeException naming the text when it is not an instant with an offset
     */
    public static long parseEpochSecond(String text) {
        long fast = tryFast(text.toCharArray(), 0, text.length());
        if (fast != Long.MIN_VALUE) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toEpochSecond();
        } catch (DateTimeParseException e) {
            throw new DateTimeException("'" + text + "' is not an ISO-8601 instant with an offset, such as 2026-03-02T09:15:00Z");
        }
    }

    /** {@code YYYY-MM-DDTHH:MM:SS[.fff][Z|+HH:MM]}, or Long.MIN_VALUE for the slow path to decide. */
    /**
     * {@link #parseEpochSecond(String)} on {@code length} characters at {@code offset}, without allocating
     * for the common shapes.
     */
    public static long parseEpochSecond(char[] chars, int offset, int length) {
        long fast = tryFast(chars, offset, length);
        return fast != Long.MIN_VALUE ? fast : parseEpochSecond(new String(chars, offset, length));
    }

    private static long tryFast(char[] c, int offset, int n) {
        if (n < 20 || c[offset + 4] != '-' || c[offset + 7] != '-' || c[offset + 10] != 'T' || c[offset + 13] != ':'
                || c[offset + 16] != ':') {
            return Long.MIN_VALUE;
        }
        int o = offset;
        int year = digits(c, o, 4);
        int month = digits(c, o + 5, 2);
        int day = digits(c, o + 8, 2);
        int hour = digits(c, o + 11, 2);
        int minute = digits(c, o + 14, 2);
        int second = digits(c, o + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59) {
            return Long.MIN_VALUE;
        }
        int i = 19;
        if (i < n && c[o + i] == '.') {
            i++;
            int fractionStart = i;
            while (i < n && c[o + i] >= '0' && c[o + i] <= '9') {
                i++;
            }
            if (i == fractionStart || i - fractionStart > 9) {
                return Long.MIN_VALUE; // java.time decides (and refuses more than nanoseconds)
            }
        }
        int offsetSeconds;
        if (i == n - 1 && c[o + i] == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (c[o + i] == '+' || c[o + i] == '-') && c[o + i + 3] == ':') {
            int oh = digits(c, o + i + 1, 2);
            int om = digits(c, o + i + 4, 2);
            if (oh < 0 || om < 0 || om > 59 || oh * 60 + om > 18 * 60) {
                return Long.MIN_VALUE; // java.time refuses offsets beyond +-18:00
            }
            offsetSeconds = (oh * 3600 + om * 60) * (c[o + i] == '-' ? -1 : 1);
        } else {
            return Long.MIN_VALUE;
        }
        if (day > 28 && day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return Long.MIN_VALUE;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
    }

    private static int digits(char[] c, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char ch = c[i];
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    /** UTC {@code YYYY-MM-DDTHH:MM:SSZ} for years 0 to 9999. */
    public static String format(long epochSecond) {
        long day = Math.floorDiv(epochSecond, 86_400L);
        int secs = (int) Math.floorMod(epochSecond, 86_400L);
        LocalDate date = LocalDate.ofEpochDay(day);
        char[] c = new char[20];
        put(c, 0, date.getYear(), 4);
        c[4] = '-';
        put(c, 5, date.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, date.getDayOfMonth(), 2);
        c[10] = 'T';
        put(c, 11, secs / 3600, 2);
        c[13] = ':';
        put(c, 14, secs / 60 % 60, 2);
        c[16] = ':';
        put(c, 17, secs % 60, 2);
        c[19] = 'Z';
        return new String(c);
    }

    private static void put(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
