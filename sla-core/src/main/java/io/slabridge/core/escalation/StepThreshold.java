package io.slabridge.core.escalation;

import io.slabridge.core.policy.TargetDuration;
import io.slabridge.core.policy.WarningThreshold;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * When an escalation step fires, as a point on a cycle's clock: a share of the target ({@code "75%"}), a time
 * before the due instant ({@code "-15m"}), the breach itself ({@code "breach"}), or a time after it
 * ({@code "+1h"}). Every form is an amount of elapsed business time in the cycle's calendar, so pauses hold
 * an escalation back exactly as they hold back the breach ("+1h" is one more business hour past the target).
 */
public final class StepThreshold {
    private enum Kind { BEFORE_OR_AT_TARGET, BREACH, AFTER_BREACH }

    /** A share written in {@link WarningThreshold}'s form; when it does not parse, its value is out of range. */
    private static final Pattern SHARE = Pattern.compile("\\d{1,3}(?:\\.\\d{1,2})?%");

    private final Kind kind;
    private final WarningThreshold warning;
    private final long secondsAfterDue;
    private final String text;

    private StepThreshold(Kind kind, WarningThreshold warning, long secondsAfterDue, String text) {
        this.kind = kind;
        this.warning = warning;
        this.secondsAfterDue = secondsAfterDue;
        this.text = text;
    }

    /**
     * @throws IllegalArgumentException naming the forms that are allowed
     */
    public static StepThreshold parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        if (t.equals("breach")) {
            return new StepThreshold(Kind.BREACH, null, 0, t);
        }
        if (t.startsWith("+")) {
            try {
                return new StepThreshold(Kind.AFTER_BREACH, null, TargetDuration.parseSeconds(t.substring(1)), t);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("step threshold '" + text + "': the time after the breach "
                        + e.getMessage().replaceFirst("^(duration )?'[^']*' ", ""), e);
            }
        }
        try {
            return new StepThreshold(Kind.BEFORE_OR_AT_TARGET, WarningThreshold.parse(t), 0, t);
        } catch (IllegalArgumentException e) {
            if (t.startsWith("-") || SHARE.matcher(t).matches()) {
                // The right form with a wrong value ("150%", "-5d", "-0m"): the warning's reason says what is wrong.
                throw new IllegalArgumentException("step threshold " + e.getMessage().replaceFirst("^warning ", ""), e);
            }
            throw new IllegalArgumentException("step threshold '" + text
                    + "' is none of \"75%\", \"-15m\", \"breach\", \"+1h\"", e);
        }
    }

    /** The elapsed business seconds at which a cycle with this target reaches the step. */
    public long elapsedAt(long targetSeconds) {
        switch (kind) {
            case BREACH:
                return targetSeconds;
            case AFTER_BREACH:
                return targetSeconds + secondsAfterDue;
            default:
                return warning.elapsedAt(targetSeconds);
        }
    }

    /**
     * True for {@code breach}: it fires one second after the due instant, when the cycle first counts as
     * breached (at the due instant itself a cycle is not yet breached).
     */
    public boolean firesAfterReaching() {
        return kind == Kind.BREACH;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepThreshold && ((StepThreshold) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** As written in the policy file. */
    @Override
    public String toString() {
        return text;
    }
}
