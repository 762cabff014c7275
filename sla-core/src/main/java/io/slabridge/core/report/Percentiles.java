package io.slabridge.core.report;

/**
 * Percentiles by the nearest-rank method: the p-th percentile of n values sorted ascending is the value at
 * rank {@code ceil(p / 100 * n)} (1-based). It is always one of the values (never an interpolation between
 * two), so "80% of first responses took at most this long" holds exactly. The median is the 50th percentile:
 * the lower of the two middle values when n is even.
 */
public final class Percentiles {
    private Percentiles() {
    }

    /**
     * @param sorted  ascending, at least one value
     * @param percent 1 to 100
     */
    public static long nearestRank(long[] sorted, int count, int percent) {
        if (count < 1 || count > sorted.length) {
            throw new IllegalArgumentException("count must be 1 to " + sorted.length + ", got " + count);
        }
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException("percent must be 1 to 100, got " + percent);
        }
        long rank = ((long) percent * count + 99) / 100; // ceil(percent * count / 100), exactly
        return sorted[(int) rank - 1];
    }

    public static long nearestRank(long[] sorted, int percent) {
        return nearestRank(sorted, sorted.length, percent);
    }
}
