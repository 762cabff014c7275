package io.slabridge.core.outbox;

import java.time.Duration;
import java.util.Objects;

/** How a writer's attempt went. A writer may also throw: that counts as a transient failure. */
public sealed interface WriteResult {
    WriteResult DONE = new Done();

    static WriteResult done() {
        return DONE;
    }

    /** The system said when to try again (HTTP 429 or 503 with {@code Retry-After}). */
    static WriteResult retryAfter(Duration delay, String reason) {
        return new RetryAfter(delay, reason);
    }

    /** Trying again cannot help (HTTP 400, 404, a deleted ticket): the command is parked with the reason. */
    static WriteResult failed(String reason) {
        return new Failed(reason);
    }

    /**
     * This command could not be written this time, for a reason that may pass (a 5xx, no answer), while a batch
     * writer's other commands went through (or were not tried): retried with backoff, counting towards giving up,
     * as if the writer had thrown for this command alone.
     */
    static WriteResult failedForNow(String reason) {
        return new FailedForNow(reason);
    }

    record Done() implements WriteResult {
    }

    record FailedForNow(String reason) implements WriteResult {
        public FailedForNow {
            Objects.requireNonNull(reason, "reason");
        }
    }

    record RetryAfter(Duration delay, String reason) implements WriteResult {
        public RetryAfter {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("cannot wait a negative time");
            }
        }
    }

    record Failed(String reason) implements WriteResult {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
