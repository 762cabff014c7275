package io.slabridge.routes.app;

import io.slabridge.core.runtime.PollPacing;
import io.slabridge.core.store.OutboxBacklog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** sla-bridge's own readiness checks, next to Camel's route and consumer checks. */
final class SlaHealthChecks {
    private SlaHealthChecks() {
    }

    /** Ready while the store answers a query. */
    static final class Store extends AbstractHealthCheck {
        private final OutboxBacklog store;

        Store(OutboxBacklog store) {
            super("sla-bridge", "store");
            this.store = store;
        }

        @Override
        public boolean isLiveness() {
            return false;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            try {
                Map<String, Long> counts = store.outboxCounts();
                builder.detail("outbox.pending", counts.getOrDefault("pending", 0L));
                builder.detail("outbox.parked", counts.getOrDefault("parked", 0L));
                builder.up();
            } catch (RuntimeException e) {
                builder.message(e.getMessage()).down();
            }
        }
    }

    /**
     * Ready unless the source's polls have all failed for three poll intervals: one failure is retried and is no
     * news; a lasting one (rejected credentials, the source down) is what an operator must see. On an instance that
     * is not the pollers' leader nothing is polled and the check stays up.
     */
    static final class PolledSource extends AbstractHealthCheck {
        private final Supplier<PollPacing.PollStatus> status;
        private final Duration interval;
        private final Clock clock;
        private Supplier<Optional<Limited>> limit = Optional::empty;

        /** The source refuses every call for a while (Salesforce's org-wide API request limit). */
        record Limited(Instant until, String reason) {
        }

        PolledSource(String source, Supplier<PollPacing.PollStatus> status, Duration interval, Clock clock) {
            super("sla-bridge", "source-" + source);
            this.status = status;
            this.interval = interval;
            this.clock = clock;
        }

        /** For a source read only through webhooks: nothing to poll, always up. */
        static PolledSource webhooksOnly(String source) {
            return new PolledSource(source, null, null, null);
        }

        /** Down, as limited, while {@code value} names a limit: nothing is read from the source until it ends. */
        PolledSource limitedBy(Supplier<Optional<Limited>> value) {
            this.limit = value;
            return this;
        }

        @Override
        public boolean isLiveness() {
            return false;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            Optional<Limited> limited = limit.get();
            if (limited.isPresent()) {
                builder.detail("state", "limited").detail("limited.until", limited.get().until().toString())
                        .detail("limited.reason", limited.get().reason())
                        .message("limited until " + limited.get().until() + ": " + limited.get().reason()).down();
                return;
            }
            if (status == null) {
                builder.detail("mode", "webhooks only").up();
                return;
            }
            PollPacing.PollStatus last = status.get();
            if (!last.polled()) {
                builder.detail("mode", "polling, not yet polled here").up();
                return;
            }
            builder.detail("last.poll", last.lastAttempt().toString());
            if (last.lastSuccess() != null) {
                builder.detail("last.success", last.lastSuccess().toString());
            }
            if (last.failingSince() == null) {
                builder.up();
                return;
            }
            builder.detail("failing.since", last.failingSince().toString()).detail("last.error", last.lastError());
            if (last.failingFor(interval.multipliedBy(3), clock.instant())) {
                builder.message("polls have failed since " + last.failingSince() + ": " + last.lastError()).down();
            } else {
                builder.up();
            }
        }
    }
}
