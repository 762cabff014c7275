package io.slabridge.connector.salesforce;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.LongSupplier;

/** The Salesforce connector's meters on {@code /observe/metrics}; docs/run.md lists them. */
public final class SalesforceMetrics {
    private SalesforceMetrics() {
    }

    /** {@code sla_salesforce_api_limit_hits_total}, read from the client's own count at each scrape. */
    public static void limitHits(MeterRegistry registry, LongSupplier hits) {
        FunctionCounter.builder("sla_salesforce_api_limit_hits_total", hits, h -> (double) h.getAsLong())
                .description("Salesforce calls answered REQUEST_LIMIT_EXCEEDED (the org's API request limit); every "
                        + "Salesforce call then waits sla.salesforce.limit-retry-after")
                .register(registry);
    }
}
