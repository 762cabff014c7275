package io.slabridge.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Instants of the wire format. {@link Instants} reads common shapes by hand and falls back to java.time for
 * the rest; java.time's {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} is the reference for both.
 */
class InstantsTest {
    private static final long YEAR_1900 = -2_208_988_800L;
    private static final long YEAR_2200 = 7_258_118_400L;

    /** What java.time makes of the text, in whole epoch seconds. */
    private static long reference(String text) {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toEpochSecond();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "2026-03-02T09:15:00Z, 1772442900",
            "2026-03-02T09:15:00+00:00, 1772442900",
            "2026-03-02T09:15:00-00:00, 1772442900",
            "2026-03-02T11:15:00+02:00, 1772442900",
            "2026-03-02T03:45:00-05:30, 1772442900",
            "2026-03-02T09:15:00.999Z, 1772442900",
            "2026-03-02T09:15:00.000000001+00:00, 1772442900",
            "1970-01-01T00:00:00Z, 0",
            "1969-12-31T23:59:59Z, -1",
            "1969-12-31T23:59:59.999Z, -1",   // dropped toward the earlier second, like java.time
            "2024-02-29T00:00:00Z, 1709164800",
            "2000-02-29T23:59:59+14:00, 951818399",
            "2026-03-02T09:15:00+18:00, 1772378100",
            "2026-03-02T09:15:00+02, 1772435700",      // java.time takes an offset of hours alone
            "9999-12-31T23:59:59Z, 253402300799",
            "0001-01-01T00:00:00Z, -62135596800",
    })
    void knownInstants(String text, long epochSecond) {
        assertEquals(epochSecond, Instants.parseEpochSecond(text));
        assertEquals(reference(text), epochSecond, "the expected value agrees with java.time");
    }

    @Test
    void randomInstantsInTheCommonShapeAgreeWithJavaTime() {
        Random random = new Random(20260302);
        for (int i = 0; i < 50_000; i++) {
            long epochSecond = YEAR_1900 + (long) (random.nextDouble() * (YEAR_2200 - YEAR_1900));
            ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(36 * 4 + 1) - 18 * 4) * 15 * 60);
            String text = wallTime(epochSecond, offset) + fraction(random) + offset.getId();

            assertEquals(epochSecond, Instants.parseEpochSecond(text), text);
            assertEquals(epochSecond, reference(text), text);
            char[] padded = ("{\"at\":\"" + text + "\"}").toCharArray();
            assertEquals(epochSecond, Instants.parseEpochSecond(padded, 7, text.length()), text + " inside a buffer");
        }
    }

    @Test
    void randomInstantsInShapesForTheFallbackAgreeWithJavaTime() {
        Random random = new Random(17);
        for (int i = 0; i < 20_000; i++) {
            long epochSecond = YEAR_1900 + (long) (random.nextDouble() * (YEAR_2200 - YEAR_1900));
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(2 * 18 * 3600 + 1) - 18 * 3600);
            String wall = wallTime(epochSecond, offset);
            String offsetWithSeconds = offset.getTotalSeconds() == 0 ? "+00:00:00"
                    : offset.getId().length() == 6 ? offset.getId() + ":00" : offset.getId();
            String[] shapes = {
                    wall + offsetWithSeconds,                                   // +HH:MM:SS
                    wall.replace('T', 't') + (offset.getTotalSeconds() == 0 ? "z" : offset.getId()), // lower case
                    wall.substring(0, 16) + offset.getId(),                     // no seconds
                    wall + "." + offset.getId(),                                // a point without digits
            };
            for (String text : shapes) {
                assertEquals(reference(text), Instants.parseEpochSecond(text), text);
            }
        }
    }

    /** {@code YYYY-MM-DDTHH:MM:SS} of the instant at the offset, written out by hand. */
    private static String wallTime(long epochSecond, ZoneOffset offset) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, offset);
        return String.format("%04d-%02d-%02dT%02d:%02d:%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond());
    }

    /** Nothing, or a point and 1 to 9 random digits. */
    private static String fraction(Random random) {
        int digits = random.nextInt(10);
        StringBuilder b = new StringBuilder(digits == 0 ? "" : ".");
        for (int d = 0; d < digits; d++) {
            b.append((char) ('0' + random.nextInt(10)));
        }
        return b.toString();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "2026-13-02T09:15:00Z",         // month 13
            "2026-00-02T09:15:00Z",
            "2026-02-30T09:15:00Z",         // 30 February
            "2026-02-29T09:15:00Z",         // 2026 is not a leap year
            "1900-02-29T00:00:00Z",         // nor is 1900
            "2026-04-31T09:15:00Z",
            "2026-03-00T09:15:00Z",
            "2026-03-02T24:00:00Z",
            "2026-03-02T09:60:00Z",
            "2026-03-02T09:15:60Z",         // no leap seconds
            "2026-03-02T09:15:00",          // no offset
            "2026-03-02T09:15:00.123",
            "2026-03-02",
            "2026-03-02 09:15:00Z",
            "2026-03-02T9:15:00Z",
            "2026-03-02T09:15:00+0200",
            "2026-03-02T09:15:00+19:00",
            "2026-03-02T09:15:00 Z",
            "2026-03-02T09:15:00ZZ",
            "2026-03-02T09:15:00Europe/Berlin",
            "20260302T091500Z",
            "1772442900",
            "yesterday at noon",
            "",
    })
    void rejectsNamingTheText(String text) {
        DateTimeException e = assertThrows(DateTimeException.class, () -> Instants.parseEpochSecond(text));

        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
        assertThrows(DateTimeException.class, () -> reference(text), "java.time rejects it too");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "2026-03-02T09:15:00+18:30",
            "2026-03-02T09:15:00-18:01",
            "2026-03-02T09:15:00.1234567891Z",
    })
    void rejectsWhatJavaTimeRejects(String text) {
        assertThrows(DateTimeException.class, () -> reference(text));
        assertThrows(DateTimeException.class, () -> Instants.parseEpochSecond(text));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "0, 1970-01-01T00:00:00Z",
            "-1, 1969-12-31T23:59:59Z",
            "1772442900, 2026-03-02T09:15:00Z",
            "951782400, 2000-02-29T00:00:00Z",
            "253402300799, 9999-12-31T23:59:59Z",
            "-62135596800, 0001-01-01T00:00:00Z",
    })
    void formats(long epochSecond, String text) {
        assertEquals(text, Instants.format(epochSecond));
    }

    @Test
    void formatAgreesWithJavaTimeAndReadsBack() {
        Random random = new Random(99);
        for (int i = 0; i < 50_000; i++) {
            long epochSecond = YEAR_1900 + (long) (random.nextDouble() * (YEAR_2200 - YEAR_1900));
            String text = Instants.format(epochSecond);

            assertEquals(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(epochSecond)), text);
            assertEquals(epochSecond, Instants.parseEpochSecond(text));
        }
    }
}
