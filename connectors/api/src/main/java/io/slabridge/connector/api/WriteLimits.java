package io.slabridge.connector.api;

/**
 * How a source takes write-backs: {@code sla.<name>.write-concurrency} calls (different tickets) at once, by
 * default {@code defaultConcurrency} and at most {@code maxConcurrency}; and up to {@code maxBatch} commands in one
 * call (more than one: the writer is a {@link io.slabridge.core.outbox.BatchOutboxWriter}).
 */
public record WriteLimits(int defaultConcurrency, int maxConcurrency, int maxBatch) {
    /** One command per call, two calls at once. */
    public static final WriteLimits ONE_AT_A_TIME = new WriteLimits(2, 16, 1);

    public WriteLimits {
        if (defaultConcurrency < 1 || maxConcurrency < defaultConcurrency || maxBatch < 1) {
            throw new IllegalArgumentException("write limits: concurrency " + defaultConcurrency + " (at most "
                    + maxConcurrency + "), batch " + maxBatch);
        }
    }
}
