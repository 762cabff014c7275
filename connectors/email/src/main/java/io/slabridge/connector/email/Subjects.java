package io.slabridge.connector.email;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Subjects as threading compares them: without reply and forward prefixes, bracketed tags and spacing. */
final class Subjects {
    /** Reply and forward prefixes of common mail clients and languages, with optional counters ({@code Re[2]:}). */
    private static final Pattern PREFIX = Pattern.compile(
            "^\\s*(re|fw|fwd|aw|wg|sv|vs|antw|tr|rif|r|ref|odp|vl|res|enc)\\s*(\\[\\d+]|\\(\\d+\\))?\\s*[:：]\\s*",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern TAG = Pattern.compile("^\\s*\\[[^\\]]*]\\s*");
    /**
     * One reply prefix (English, German AW, Scandinavian SV, Dutch Antw, Finnish VS, Polish Odp, Italian R and Rif,
     * Portuguese Res) with an optional counter; forward prefixes (Fwd, WG, TR...) are text the reply keeps. Spacing
     * is possessive, so blanks are read once, never backtracked through; runs of prefixes and tags are walked one
     * at a time ({@link #endOfRun}): a repeated regex group recurses, and a long run would overflow the stack.
     */
    private static final Pattern ONE_REPLY_PREFIX = Pattern.compile(
            "\\s*+(re|aw|sv|antw|vs|odp|r|rif|res)\\s*+(\\[\\d+]|\\(\\d+\\))?\\s*+[:：]\\s*+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern ONE_TAG = Pattern.compile("\\s*+\\[[^\\]]*+]");

    private Subjects() {
    }

    /**
     * The subject of our reply to a mail titled {@code subject}: {@code "Re: "} and the subject without the reply
     * prefixes it already has, so that {@code "Re: X"}, {@code "RE: re: X"} or {@code "AW: X"} get {@code "Re: X"},
     * never {@code "Re: Re: X"}; {@code "Fwd: X"} gets {@code "Re: Fwd: X"}.
     */
    static String reply(String subject) {
        return "Re: " + withoutReplyPrefixes(subject);
    }

    /**
     * {@code subject} with a run of reply prefixes at its start (after bracketed tags) cut to the first one: an
     * acknowledgement's subject template {@code "Re: {subject}"} filled with {@code "AW: X"} gives {@code "Re: X"}.
     */
    static String unstacked(String subject) {
        int start = endOfRun(ONE_TAG, subject, 0);
        Matcher first = ONE_REPLY_PREFIX.matcher(subject).region(start, subject.length());
        if (!first.lookingAt()) {
            return subject;
        }
        int end = endOfRun(ONE_REPLY_PREFIX, subject, start);
        if (first.end() == end) {
            return subject; // one prefix: nothing stacked
        }
        return subject.substring(0, first.end()).stripTrailing() + " " + subject.substring(end);
    }

    /** {@code subject} without the reply prefixes it starts with (all of them): {@code "RE: Aw: X"} → {@code "X"}. */
    static String withoutReplyPrefixes(String subject) {
        return subject == null ? "" : subject.substring(endOfRun(ONE_REPLY_PREFIX, subject, 0)).strip();
    }

    /** Where a run of {@code one} that starts at {@code from} ends ({@code from} when there is none). */
    private static int endOfRun(Pattern one, String text, int from) {
        Matcher m = one.matcher(text);
        int end = from;
        while (end < text.length() && m.region(end, text.length()).lookingAt() && m.end() > end) {
            end = m.end();
        }
        return end;
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
