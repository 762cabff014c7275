package io.slabridge.core.fold;

import io.slabridge.core.calendar.BusinessCalendar;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.MetricCycle;
import io.slabridge.core.policy.SlaPolicy;
import java.util.Arrays;

/**
 * The mutable clock of one metric cycle while a ticket's events are folded: its start, its stop, and the
 * spans of wall time during which it counted (started or resumed, until paused or stopped).
 *
 * <p>It keeps spans rather than a single elapsed number because elapsed time depends on the calendar:
 * when attributes change, every candidate policy's elapsed time is measured over the same spans in that
 * policy's own calendar. Spans are half-open {@code [start, end)} in epoch seconds.
 */
final class CycleClock {
    static final long NONE = MetricCycle.NONE;

    final Metric metric;
    final long startedAt;
    /** The winning policy: a cycle exists only once some matching policy has a target for its metric. */
    SlaPolicy policy;
    long stoppedAt = NONE;
    /** Start of the span being counted now; NONE while paused or stopped. */
    long countingSince = NONE;
    private long[] spans = new long[4];
    private int spanCount;

    CycleClock(Metric metric, long startedAt) {
        this.metric = metric;
        this.startedAt = startedAt;
    }

    boolean isStopped() {
        return stoppedAt != NONE;
    }

    boolean isCounting() {
        return countingSince != NONE;
    }

    void resume(long t) {
        if (countingSince == NONE) {
            countingSince = t;
        }
    }

    void pause(long t) {
        if (countingSince != NONE) {
            if (t > countingSince) {
                if (spanCount * 2 == spans.length) {
                    spans = Arrays.copyOf(spans, spans.length * 2);
                }
                spans[spanCount * 2] = countingSince;
                spans[spanCount * 2 + 1] = t;
                spanCount++;
            }
            countingSince = NONE;
        }
    }

    void stop(long t) {
        pause(t);
        stoppedAt = t;
    }

    /** Reopened with {@code on_reopen: resume}: counts on from {@code t} unless the new status pauses it. */
    void reopen(long t, boolean paused) {
        stoppedAt = NONE;
        if (!paused) {
            countingSince = t;
        }
    }

    /** Counted time in {@code calendar} up to {@code now} (at or after every event applied so far). */
    long elapsed(BusinessCalendar calendar, long now) {
        long sum = 0;
        for (int i = 0; i < spanCount; i++) {
            sum += calendar.businessSeconds(spans[i * 2], spans[i * 2 + 1]);
        }
        if (countingSince != NONE) {
            sum += calendar.businessSeconds(countingSince, now);
        }
        return sum;
    }

    /**
     * Counted time in {@code calendar} before {@code until}, which may lie anywhere: spans after it are not
     * counted, a span across it only up to it.
     */
    long elapsedUntil(BusinessCalendar calendar, long until) {
        long sum = 0;
        for (int i = 0; i < spanCount; i++) {
            long s = spans[i * 2];
            long e = Math.min(spans[i * 2 + 1], until);
            if (e > s) {
                sum += calendar.businessSeconds(s, e);
            }
        }
        if (countingSince != NONE && until > countingSince) {
            sum += calendar.businessSeconds(countingSince, until);
        }
        return sum;
    }

    /**
     * The earliest instant at which counted time in {@code calendar} reaches {@code amount}.
     *
     * <p>If the closed spans do not reach it: counting on through the current span when the clock is
     * counting; else from {@code resumeFrom}, as if no further pause came; else (paused, and nothing to
     * count on from) {@link #NONE}.
     */
    long reach(BusinessCalendar calendar, long amount, long resumeFrom) {
        if (amount <= 0) {
            return startedAt;
        }
        long counted = 0;
        for (int i = 0; i < spanCount; i++) {
            long s = spans[i * 2];
            long inSpan = calendar.businessSeconds(s, spans[i * 2 + 1]);
            if (counted + inSpan >= amount) {
                return calendar.plusBusiness(s, amount - counted);
            }
            counted += inSpan;
        }
        if (countingSince != NONE) {
            return calendar.plusBusiness(countingSince, amount - counted);
        }
        if (resumeFrom != NONE) {
            return calendar.plusBusiness(resumeFrom, amount - counted);
        }
        return NONE;
    }
}
