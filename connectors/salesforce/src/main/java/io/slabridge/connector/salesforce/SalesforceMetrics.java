package io.slabridge.connector.salesforce;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToLongFunction;

/** The Salesforce connector's meters on {@code /observe/metrics}; docs/reference/metrics.md lists them. */
public final class SalesforceMetrics {
    private SalesforceMetrics() {
    }

    /**
     * {@code sla_salesforce_api_limit_hits_total}, read from {@code source}'s own count at each scrape. Micrometer holds
     * {@code source} only weakly: it must be an object the application keeps (the Salesforce client), not a lambda
     * made for the call, which the first GC takes, after which the counter stays at 0.
     */
    public static <T> void limitHits(MeterRegistry registry, T source, ToLongFunction<T> hits) {
        FunctionCounter.builder("sla_salesforce_api_limit_hits_total", source, s -> (double) hits.applyAsLong(s))
                .description("Salesforce calls answered REQUEST_LIMIT_EXCEEDED (the org's API request limit); every "
                        + "Salesforce call then waits sla.salesforce.limit-retry-after")
                .register(registry);
    }
}
