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

    record Done() implements WriteResult {
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
