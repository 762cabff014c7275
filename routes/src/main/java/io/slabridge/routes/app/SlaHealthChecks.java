package io.slabridge.routes.app;

import io.slabridge.connector.jira.JiraRoutes;
import io.slabridge.core.store.SlaStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** sla-bridge's own readiness checks, next to Camel's route and consumer checks. */
final class SlaHealthChecks {
    private SlaHealthChecks() {
    }

    /** Ready while the store answers a query. */
    static final class Store extends AbstractHealthCheck {
        private final SlaStore store;

        Store(SlaStore store) {
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
     * Ready unless Jira's latest poll failed and none has succeeded for three poll intervals (one failure is
     * retried; a lasting one, such as rejected credentials, is what an operator must see).
     */
    static final class Jira extends AbstractHealthCheck {
        private final JiraRoutes routes;
        private final Duration interval;
        private final Clock clock;

        Jira(JiraRoutes routes, Duration interval, Clock clock) {
            super("sla-bridge", "source-jira");
            this.routes = routes;
            this.interval = interval;
            this.clock = clock;
        }

        @Override
        public boolean isLiveness() {
            return false;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            if (!routes.polling()) {
                builder.detail("mode", "webhooks only").up();
                return;
            }
            JiraRoutes.PollStatus last = routes.lastPoll();
            if (last == null) {
                builder.detail("mode", "polling, not yet polled").up();
                return;
            }
            builder.detail("last.poll", last.at().toString()).detail("last.poll.ok", last.ok());
            if (last.ok() || last.at().isAfter(clock.instant().minus(interval.multipliedBy(3)))) {
                builder.up();
            } else {
                builder.message("Jira polls fail: " + last.message()).down();
            }
        }
    }
}
