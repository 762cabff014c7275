package io.slabridge.connector.email;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;

/** The texts of acknowledgements: templates with {@code {name}} placeholders, due times in a zone. */
final class AckText {
    private AckText() {
    }

    /** {@code Tuesday 3 March 2026, 10:00 CET}: a time people read, in the zone of the ticket's calendar. */
    static String format(Instant at, ZoneId zone, Locale locale) {
        return DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm zzz", locale).withZone(zone).format(at);
    }

    /**
     * {@code due} as a promise to a customer: in minutes, rounded up, since a time people read has no seconds and
     * cutting them would promise an answer up to 59 s before the policy's due.
     */
    static String promise(Instant due, ZoneId zone, Locale locale) {
        Instant minute = due.truncatedTo(ChronoUnit.MINUTES);
        return format(minute.equals(due) ? due : minute.plus(1, ChronoUnit.MINUTES), zone, locale);
    }

    static String render(String template, Map<String, String> values) {
        String out = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", e.getValue());
        }
        return out;
    }
}
