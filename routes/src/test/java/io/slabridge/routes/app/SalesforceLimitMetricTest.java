package io.slabridge.routes.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.slabridge.connector.salesforce.SalesforceMetrics;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The Salesforce API limit hits as /observe/metrics shows them (Prometheus text). */
class SalesforceLimitMetricTest {
    @Test
    void limitHitsAreACounterOnTheMetricsPage() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AtomicLong hits = new AtomicLong();
        SalesforceMetrics.limitHits(registry, hits::get);

        hits.set(2);
        String page = registry.scrape();

        assertTrue(page.contains("# TYPE sla_salesforce_api_limit_hits_total counter"), page);
        assertTrue(page.contains("sla_salesforce_api_limit_hits_total 2.0"), page);
    }
}
