package io.slabridge.routes.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.slabridge.connector.api.PollHealthCheck;
import io.slabridge.core.runtime.PollPacing;
import io.slabridge.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** What an alert rule reads: {@code sla_source_up} and the last success, as the readiness check of each source says. */
class SourceMetricsTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(60);

    private final MutableClock clock = new MutableClock(T0);
    private final PollPacing pacing = new PollPacing(INTERVAL);

    /** The org's API limit on the Salesforce check: {@code limit} is what the client says now. */
    private PollHealthCheck limitedCheck(AtomicReference<Optional<PollHealthCheck.Limited>> limit) {
        PollHealthCheck check = new PollHealthCheck("salesforce", pacing::status, INTERVAL, clock).limitedBy(limit::get);
        check.setCamelContext(new DefaultCamelContext());
        return check;
    }

    /** What an alert rule reads: sla_source_up follows the readiness check, poll by poll. */
    @Test
    void theSourceUpGaugeAgreesWithTheReadinessCheckAndTheLastSuccessIsItsTime() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        PollHealthCheck jira = new PollHealthCheck("jira", pacing::status, INTERVAL, clock);
        jira.setCamelContext(new DefaultCamelContext());
        PollHealthCheck webhooks = PollHealthCheck.webhooksOnly("jira-cloud");
        SlaMetrics.sources(registry, List.of(jira, webhooks));
        assertEquals("NaN", sample(registry, "sla_source_last_success_timestamp_seconds{source=\"jira\"}"),
                "not yet polled");
        assertEquals("", sample(registry, "sla_source_last_success_timestamp_seconds{source=\"jira-cloud\"}"),
                "nothing polled, no such series");

        pacing.succeeded(T0);
        assertEquals(Double.toString(T0.getEpochSecond()),
                sample(registry, "sla_source_last_success_timestamp_seconds{source=\"jira\"}"));
        for (int i = 0; i < 4; i++) {
            Instant at = T0.plus(INTERVAL.multipliedBy(i + 1));
            clock.set(at);
            pacing.failed(at, null, "HTTP 503");
            String expected = jira.call().getState() == HealthCheck.State.UP ? "1.0" : "0.0";
            assertEquals(i < 3 ? "1.0" : "0.0", expected, "the check after " + (i + 1) + " failed polls");
            assertEquals(expected, sample(registry, "sla_source_up{source=\"jira\"}"), "after " + (i + 1) + " failed polls");
        }
        assertEquals(Double.toString(T0.getEpochSecond()),
                sample(registry, "sla_source_last_success_timestamp_seconds{source=\"jira\"}"), "the last success stays");
        assertEquals("1.0", sample(registry, "sla_source_up{source=\"jira-cloud\"}"), "webhooks only: always up");

        pacing.succeeded(clock.instant());
        assertEquals("1.0", sample(registry, "sla_source_up{source=\"jira\"}"), "one success ends it");
    }

    @Test
    void theSourceUpGaugeStaysOneWhileOnlyTheApiLimitHolds() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicReference<Optional<PollHealthCheck.Limited>> limit = new AtomicReference<>(
                Optional.of(new PollHealthCheck.Limited(T0.plus(INTERVAL), "REQUEST_LIMIT_EXCEEDED")));
        SlaMetrics.sources(registry, List.of(limitedCheck(limit)));
        pacing.succeeded(T0);
        assertEquals("1.0", sample(registry, "sla_source_up{source=\"salesforce\"}"),
                "waiting for the limit is not being down, as readiness says");
        limit.set(Optional.empty());
        assertEquals("1.0", sample(registry, "sla_source_up{source=\"salesforce\"}"));
    }

    /** The value of the sample {@code series} (name and labels as Prometheus text writes them); "" when absent. */
    private static String sample(PrometheusMeterRegistry registry, String series) {
        return registry.scrape().lines().filter(l -> l.startsWith(series + " ")).map(l -> l.substring(series.length() + 1))
                .findFirst().orElse("");
    }

    @Test
    void aSourceReadOnlyThroughWebhooksIsAlwaysUp() {
        PollHealthCheck check = PollHealthCheck.webhooksOnly("jira");
        check.setCamelContext(new DefaultCamelContext());
        assertEquals(HealthCheck.State.UP, check.call().getState());
        assertEquals("webhooks only", check.call().getDetails().get("mode"));
    }
}
