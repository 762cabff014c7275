package io.slabridge.connector.email;

import java.util.Locale;
import java.util.regex.Pattern;

/** Subjects as threading compares them: without reply and forward prefixes, bracketed tags and spacing. */
final class Subjects {
    /** Reply and forward prefixes of common mail clients and languages, with optional counters ({@code Re[2]:}). */
    private static final Pattern PREFIX = Pattern.compile(
            "^\\s*(re|fw|fwd|aw|wg|sv|vs|antw|tr|rif|r|ref|odp|vl|res|enc)\\s*(\\[\\d+]|\\(\\d+\\))?\\s*[:：]\\s*",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern TAG = Pattern.compile("^\\s*\\[[^\\]]*]\\s*");

    private Subjects() {
    }

    /** {@code "RE: [Acme #12] Fwd: Login broken "} → {@code "login broken"}. */
    static String normalize(String subject) {
        if (subject == null) {
            return "";
        }
        String s = subject;
        String before;
        do {
            before = s;
            s = PREFIX.matcher(s).replaceFirst("");
            s = TAG.matcher(s).replaceFirst("");
        } while (!s.equals(before));
        // Tags anywhere ([resolved], [internal]) say what to do, not what the thread is about.
        s = s.replaceAll("\\[[^\\]]*]", " ");
        return s.replaceAll("\\s+", " ").strip().toLowerCase(Locale.ROOT);
    }
}
