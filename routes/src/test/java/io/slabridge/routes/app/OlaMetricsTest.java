package io.slabridge.routes.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.slabridge.core.model.Metric;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.runtime.SlaRuntime.Transition;
import io.slabridge.core.store.OutboxBacklog;
import io.slabridge.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code sla_ola_warnings_total} and {@code sla_ola_breaches_total{ola,metric}}: exported from 0 for every OLA and
 * metric of the policy in force (a series that appeared at 1 would never show in {@code increase()}, so an alert would
 * miss the first OLA breach), and counted apart from the SLA counters.
 */
class OlaMetricsTest {
    private static final String POLICY = """
            calendars: { always: { zone: UTC, week: 24x7 } }
            policies: [{ name: support, calendar: always, targets: { first_response: 1h } }]
            olas:
              - { name: eng, when: { engineering: { source: jira }, customer: { source: salesforce } }, calendar: always, targets: { first_response: 2h } }
            """;

    @Test
    void olaCountersStartAtZeroAndCountOlaTransitionsOnly() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
        AtomicReference<PolicySet> policies = new AtomicReference<>(PolicyFileParser.parse("sla.yaml", POLICY));
        OutboxBacklog backlog = new OutboxBacklog() {
            @Override
            public Optional<Instant> oldestPendingCommand() {
                return Optional.empty();
            }

            @Override
            public Map<String, Long> outboxCounts() {
                return Map.of();
            }
        };
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SlaMetrics metrics = new SlaMetrics(backlog, clock, policies::get);
        metrics.bindTo(registry);
        assertTrue(registry.scrape().contains("sla_ola_breaches_total{metric=\"first_response\",ola=\"eng\"} 0.0"),
                registry.scrape());
        assertTrue(registry.scrape().contains("sla_ola_warnings_total{metric=\"first_response\",ola=\"eng\"} 0.0"));

        metrics.transition(new Transition("jira:ENG-1", "jira", Metric.FIRST_RESPONSE, "eng", Transition.Condition.BREACHED,
                "salesforce:500A"));
        metrics.transition(new Transition("salesforce:500A", "salesforce", Metric.FIRST_RESPONSE, "support",
                Transition.Condition.BREACHED));
        assertEquals(1.0, registry.get("sla_ola_breaches_total").tag("ola", "eng").counter().count());
        assertEquals(0.0, registry.get("sla_ola_warnings_total").tag("ola", "eng").counter().count());
        assertEquals(1.0, registry.get("sla_breaches_total").tag("policy", "support").counter().count());
        assertTrue(registry.find("sla_breaches_total").tag("policy", "eng").counters().isEmpty(),
                "an OLA breach is not an SLA breach");

        // A reload adds an OLA: its counters are there from the next scrape on.
        policies.set(PolicyFileParser.parse("sla.yaml", POLICY + """
                  - { name: platform, when: { engineering: { source: jira }, customer: { source: salesforce } }, calendar: always, targets: { resolution: 8h } }
                """));
        clock.advance(Duration.ofSeconds(10));
        assertTrue(registry.scrape().contains("sla_ola_breaches_total{metric=\"resolution\",ola=\"platform\"} 0.0"),
                registry.scrape());
    }
}
