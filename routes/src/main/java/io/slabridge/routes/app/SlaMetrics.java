package io.slabridge.routes.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.slabridge.connector.api.PollHealthCheck;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.policy.OlaPolicy;
import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.core.store.OutboxBacklog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * sla-bridge's own metrics, next to Camel's route metrics on {@code /observe/metrics}:
 * {@code sla_events_in_total{source,outcome}}, {@code sla_writebacks_total{source,kind,outcome}},
 * {@code sla_warnings_total} and {@code sla_breaches_total{source,metric,policy}}, {@code sla_ola_warnings_total} and
 * {@code sla_ola_breaches_total{ola,metric}},
 * {@code sla_outbox_commands{status}}, {@code sla_outbox_oldest_pending_age_seconds}, and for each polled or
 * webhook source {@code sla_source_up{source}} and (when polled) {@code sla_source_last_success_timestamp_seconds{source}};
 * each enabled source adds its own ({@code sla_<source>_...}). The outbox gauges read the store at most every few
 * seconds, whatever the scrape rate.
 */
final class SlaMetrics {
    private static final Duration STORE_READ_EVERY = Duration.ofSeconds(5);

    private volatile MeterRegistry registry;
    private final OutboxBacklog store;
    private final Clock clock;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private volatile Snapshot snapshot = new Snapshot(Instant.MIN, Map.of(), Optional.empty());

    private record Snapshot(Instant readAt, Map<String, Long> counts, Optional<Instant> oldestPending) {
    }

    /** The policies in force, whose OLAs' counters are exported from 0. */
    private final Supplier<PolicySet> policies;

    SlaMetrics(OutboxBacklog store, Clock clock, Supplier<PolicySet> policies) {
        this.store = store;
        this.clock = clock;
        this.policies = policies;
    }

    /** Binds the meters to Camel's registry, once the context has made it. */
    void bindTo(MeterRegistry value) {
        this.registry = value;
        for (String status : new String[] {"pending", "done", "parked"}) {
            Gauge.builder("sla_outbox_commands", this, m -> m.read().counts().getOrDefault(status, 0L))
                    .description("Write-back commands in the outbox, by status").tag("status", status).register(value);
        }
        Gauge.builder("sla_outbox_oldest_pending_age_seconds", this, m -> m.read().oldestPending()
                        .map(t -> (double) Duration.between(t, clock.instant()).toSeconds()).orElse(0.0))
                .description("Age of the oldest command waiting to go out (0 when none waits)").register(value);
        olaCountersFromZero();
    }

    /**
     * Registers {@code sla_ola_warnings_total} and {@code sla_ola_breaches_total} at 0 for each OLA and metric of the
     * policies in force: an OLA breach is rare, and a series that appeared at 1 would never show in
     * {@code increase()}, so the first one would escape the dashboard and the alert. Called at binding and at each
     * store read of the gauges (a scrape), which picks up OLAs a policy reload added.
     */
    private void olaCountersFromZero() {
        PolicySet p = policies.get();
        if (p == null || registry == null) {
            return;
        }
        for (OlaPolicy ola : p.olas()) {
            for (Metric m : ola.targets().keySet()) {
                olaCounter(SlaRuntime.Transition.Condition.AT_RISK, ola.name(), m);
                olaCounter(SlaRuntime.Transition.Condition.BREACHED, ola.name(), m);
            }
        }
    }

    private Counter olaCounter(SlaRuntime.Transition.Condition condition, String ola, Metric metric) {
        boolean breached = condition == SlaRuntime.Transition.Condition.BREACHED;
        return counter(breached ? "sla_ola_breaches_total" : "sla_ola_warnings_total",
                breached ? "OLA cycles (engineering's, for a linked customer ticket) that breached, by OLA and metric"
                        : "OLA cycles that reached their warning (at risk), by OLA and metric",
                "ola", ola, "metric", metric.wireName());
    }

    /**
     * {@code sla_source_up{source}}: 1 while the source's readiness check is up, 0 while it is down (every poll for
     * three poll intervals failed; waiting for an API limit alone is not down): the check's own rule, so that an
     * alert and {@code /observe/health/ready} agree. {@code sla_source_last_success_timestamp_seconds{source}}: when a
     * poll last succeeded on this instance (NaN until one has, as on an instance that has never led the pollers);
     * only for a polled source.
     */
    static void sources(MeterRegistry registry, List<PollHealthCheck> sources) {
        for (PollHealthCheck s : sources) {
            Gauge.builder("sla_source_up", s, c -> c.up() ? 1 : 0)
                    .description("1 while the source's readiness check (source-<name>) is up, 0 while down")
                    .tag("source", s.source()).register(registry);
            if (s.polled()) {
                Gauge.builder("sla_source_last_success_timestamp_seconds", s, c -> c.lastSuccess()
                                .map(t -> t.toEpochMilli() / 1000.0).orElse(Double.NaN))
                        .description("When a poll of the source last succeeded on this instance (Unix time)")
                        .tag("source", s.source()).register(registry);
            }
        }
    }

    private Snapshot read() {
        Snapshot s = snapshot;
        Instant now = clock.instant();
        if (s.readAt().plus(STORE_READ_EVERY).isBefore(now)) {
            try {
                olaCountersFromZero();
                s = new Snapshot(now, store.outboxCounts(), store.oldestPendingCommand());
            } catch (RuntimeException e) {
                s = new Snapshot(now, s.counts(), s.oldestPending()); // the health check reports the store
            }
            snapshot = s;
        }
        return s;
    }

    void eventIn(TicketEvent event, SlaRuntime.Outcome outcome) {
        count("sla_events_in_total", "Ticket events received, by source and outcome", "source",
                event.source() == null ? sourceOf(event.ticket()) : event.source(), "outcome",
                outcome.name().toLowerCase(java.util.Locale.ROOT));
    }

    void transition(SlaRuntime.Transition t) {
        if (t.isOla()) {
            Counter c = olaCounter(t.condition(), t.policy(), t.metric());
            if (c != null) {
                c.increment();
            }
            return;
        }
        count(t.condition() == SlaRuntime.Transition.Condition.BREACHED ? "sla_breaches_total" : "sla_warnings_total",
                t.condition() == SlaRuntime.Transition.Condition.BREACHED ? "Cycles that breached, by metric and policy"
                        : "Cycles that reached their warning (at risk), by metric and policy",
                "source", t.source(), "metric", t.metric().wireName(), "policy", t.policy());
    }

    void delivered(OutboxCommand command, String outcome) {
        count("sla_writebacks_total", "Write-back deliveries, by source, kind and outcome", "source", command.source(),
                "kind", command.payload().kind(), "outcome", outcome);
    }

    private void count(String name, String description, String... tags) {
        Counter c = counter(name, description, tags);
        if (c != null) {
            c.increment();
        }
    }

    /** The counter of this name and these tags, registered on first use; null before the registry is bound. */
    private Counter counter(String name, String description, String... tags) {
        MeterRegistry r = registry;
        if (r == null) {
            return null;
        }
        String key = name + String.join("|", tags);
        return counters.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags).register(r));
    }

    private static String sourceOf(String ticket) {
        int colon = ticket.indexOf(':');
        return colon > 0 ? ticket.substring(0, colon) : "unknown";
    }
}
