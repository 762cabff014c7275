package io.slabridge.core.runtime;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter for write-back commands: the n-th retry waits between half and all of
 * {@code min(max, base * 2^(n-1))}, so that many commands failing together do not come back together.
 *
 * @param maxAttempts after this many failed deliveries a command is parked with its last error
 */
public record RetryPolicy(Duration base, Duration max, int maxAttempts) {
    /**
     * 2 s doubling to 10 min, parked after 20 failed attempts: about an hour and a half of failing. Not fewer: a
     * comment retried after a lost answer needs two calls (a look for itself, then the post), so with 30% of calls
     * failing almost one attempt in two fails, and with 12 attempts about one comment in 35,000 was parked
     * although the system kept answering most calls; with 20 it is about one in 25 million.
     */
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(2), Duration.ofMinutes(10), 20);

    public RetryPolicy {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(max, "max");
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= max, got " + base + " and " + max);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** The wait before the next try after {@code failures} failed deliveries (1 for the first failure). */
    public Duration delayAfter(int failures, RandomGenerator random) {
        long baseMillis = base.toMillis();
        int shift = Math.min(Math.max(failures - 1, 0), 30);
        long full = Math.min(max.toMillis(), baseMillis << shift);
        long half = full / 2;
        return Duration.ofMillis(half + (half == 0 ? 0 : random.nextLong(full - half + 1)));
    }
}
