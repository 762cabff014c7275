package io.slabridge.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One OLA cycle of SLA-SPEC section 7: a metric of an engineering ticket timed for the customer ticket it is
 * linked to. Immutable; instants in epoch seconds, {@link MetricCycle#NONE} where absent.
 *
 * @param engineering   the engineering ticket, whose events move the clock
 * @param customer      the customer ticket it serves
 * @param ola           the winning OLA's name
 * @param dueAt         the due instant after the {@code within_customer} cap
 * @param customerDueAt the customer's due for the same metric that capped it (7.5), or NONE
 * @param stoppedBy     what stopped it, or null while it runs
 */
public record OlaCycle(String engineering, String customer, String ola, Metric metric, int cycle, String calendar,
        long targetSeconds, long startedAt, long dueAt, long stoppedAt, CycleStatus status, long elapsedSeconds,
        boolean atRisk, long customerDueAt, StopCause stoppedBy) {
    public OlaCycle {
        Objects.requireNonNull(engineering, "engineering");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(ola, "ola");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(calendar, "calendar");
        Objects.requireNonNull(status, "status");
        if (cycle < 1) {
            throw new IllegalArgumentException("cycle numbers start at 1");
        }
        if ((stoppedAt == MetricCycle.NONE) != (stoppedBy == null)) {
            throw new IllegalArgumentException("a stopped cycle says what stopped it, a running one does not");
        }
    }

    /** What ends an OLA cycle (SLA-SPEC 7.4). */
    public enum StopCause {
        /** The engineering ticket's first reply or note after the link. */
        REPLY,
        /** The engineering ticket was resolved or closed. */
        RESOLUTION,
        /** The link was removed. */
        UNLINKED;

        public String wireName() {
            return WireName.of(this);
        }
    }

    public boolean isStopped() {
        return stoppedAt != MetricCycle.NONE;
    }

    /** Own target minus elapsed: negative once business time has passed the target. */
    public long remainingSeconds() {
        return targetSeconds - elapsedSeconds;
    }

    public Optional<Instant> due() {
        return dueAt == MetricCycle.NONE ? Optional.empty() : Optional.of(Instant.ofEpochSecond(dueAt));
    }
}
