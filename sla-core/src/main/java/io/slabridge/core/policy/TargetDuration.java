package io.slabridge.core.policy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations of the policy file: {@code 45s}, {@code 30m}, {@code 4h}, {@code 1h30m}, {@code 40h}, counted in
 * the time of the policy's calendar. There is deliberately no {@code d}: "5 days" means different things
 * to different readers, so the file says hours.
 */
public final class TargetDuration {
    private static final Pattern FORM = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
    private static final long MAX_SECONDS = 100L * 365 * 24 * 3600;

    private TargetDuration() {
    }

    /**
     * @return the duration in seconds, always positive
     * @throws IllegalArgumentException saying what form was expected
     */
    public static long parseSeconds(String text) {
        String t = text == null ? "" : text.strip();
        Matcher m = FORM.matcher(t);
        if (t.isEmpty() || !m.matches()) {
            String hint = t.matches("\\d+\\s*d(ays?)?") ? " (there is no 'd': write hours, e.g. 40h for five 8-hour days)"
                    : t.matches("\\d+") ? " (say the unit: 30m, 4h, 45s)" : "";
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 45s, 30m, 4h or 1h30m" + hint);
        }
        long seconds = 0;
        try {
            if (m.group(1) != null) {
                seconds = Math.addExact(seconds, Math.multiplyExact(Long.parseLong(m.group(1)), 3600));
            }
            if (m.group(2) != null) {
                seconds = Math.addExact(seconds, Math.multiplyExact(Long.parseLong(m.group(2)), 60));
            }
            if (m.group(3) != null) {
                seconds = Math.addExact(seconds, Long.parseLong(m.group(3)));
            }
        } catch (ArithmeticException | NumberFormatException e) {
            seconds = Long.MAX_VALUE;
        }
        if (seconds <= 0) {
            throw new IllegalArgumentException("duration '" + text + "' must be longer than zero");
        }
        if (seconds > MAX_SECONDS) {
            throw new IllegalArgumentException("duration '" + text + "' is longer than a hundred years");
        }
        return seconds;
    }

    /** Writes seconds back in the file's form: 5400 is {@code 1h30m}. */
    public static String format(long seconds) {
        StringBuilder b = new StringBuilder();
        if (seconds >= 3600) {
            b.append(seconds / 3600).append('h');
        }
        if (seconds % 3600 >= 60) {
            b.append(seconds % 3600 / 60).append('m');
        }
        if (seconds % 60 != 0 || b.length() == 0) {
            b.append(seconds % 60).append('s');
        }
        return b.toString();
    }
}
