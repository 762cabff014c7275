package io.slabridge.core.policy;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An at-risk threshold: a share of the target ({@code "75%"}) or a time before the due instant
 * ({@code "-15m"}, counted in the policy's calendar).
 */
public final class WarningThreshold {
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3})(?:\\.(\\d{1,2}))?%");

    /** Either a share in hundredths of a percent, or a lead time in seconds. */
    private final int basisPoints;
    private final long secondsBeforeDue;
    private final String text;

    private WarningThreshold(int basisPoints, long secondsBeforeDue, String text) {
        this.basisPoints = basisPoints;
        this.secondsBeforeDue = secondsBeforeDue;
        this.text = text;
    }

    /**
     * Parses {@code "75%"}, {@code "87.5%"} or {@code "-15m"}, {@code "-1h30m"}.
     *
     * @throws IllegalArgumentException saying what form was expected
     */
    public static WarningThreshold parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        Matcher m = PERCENT.matcher(t);
        if (m.matches()) {
            String fraction = m.group(2) == null ? "00" : (m.group(2) + "0").substring(0, 2);
            int bp = Integer.parseInt(m.group(1)) * 100 + Integer.parseInt(fraction);
            if (bp <= 0 || bp > 10_000) {
                throw new IllegalArgumentException("warning '" + text + "' must be a share above 0% and at most 100%");
            }
            return new WarningThreshold(bp, -1, t);
        }
        if (t.startsWith("-")) {
            try {
                return new WarningThreshold(-1, TargetDuration.parseSeconds(t.substring(1)), t);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("warning '" + text + "': the time before the due instant "
                        + e.getMessage().replaceFirst("^(duration )?'[^']*' ", ""), e);
            }
        }
        throw new IllegalArgumentException("warning '" + text
                + "' is neither a share of the target (\"75%\") nor a time before the due instant (\"-15m\")");
    }

    /**
     * The elapsed business seconds at which a cycle with this target reaches this threshold: never below zero,
     * so a lead time longer than the target is reached at once.
     */
    public long elapsedAt(long targetSeconds) {
        if (basisPoints > 0) {
            // Smallest whole second with elapsed * 10000 >= target * bp.
            return Math.floorDiv(targetSeconds * basisPoints + 9_999, 10_000);
        }
        return Math.max(0, targetSeconds - secondsBeforeDue);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WarningThreshold && ((WarningThreshold) o).basisPoints == basisPoints
                && ((WarningThreshold) o).secondsBeforeDue == secondsBeforeDue;
    }

    @Override
    public int hashCode() {
        return Objects.hash(basisPoints, secondsBeforeDue);
    }

    /** As written in the policy file. */
    @Override
    public String toString() {
        return text;
    }
}
