package io.slabridge.routes.app;

import io.slabridge.core.store.OutboxBacklog;
import java.util.Map;
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
}
