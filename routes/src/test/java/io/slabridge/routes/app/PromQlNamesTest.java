package io.slabridge.routes.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The metric names the dashboard and rules check finds in PromQL: none missed, no label or function taken for one. */
class PromQlNamesTest {
    @Test
    void findsTheMetricsOfAnExpressionAndNotItsFunctionsLabelsKeywordsOrNumbers() {
        assertEquals(Set.of("sla_breaches_total", "up"), PromQlNames.inExpression("""
                sum by (source, policy) (increase(sla_breaches_total{source=~"$source", policy=~"${policy}"}[$__rate_interval]))
                  / on (job) group_left (instance) max without(instance) (up{job="sla-bridge"} offset 1d) > 1e3 * 2"""));
        assertEquals(Set.of("sla_outbox_oldest_pending_age_seconds"),
                PromQlNames.inExpression("max(sla_outbox_oldest_pending_age_seconds) > bool 300"));
        assertEquals(Set.of("sla_source_up"), PromQlNames.inExpression("count(min by(source) (sla_source_up) == 0) or vector(0)"));
        assertEquals(Set.of("camel_exchanges_failed_total", "camel_exchanges_total"), PromQlNames.inExpression(
                "sum(rate(camel_exchanges_failed_total[5m:1m])) / sum(rate(camel_exchanges_total[5m]))"));
        assertEquals(Set.of("http_request_seconds_bucket"), PromQlNames.inExpression(
                "histogram_quantile(0.9, sum by (le) (rate(http_request_seconds_bucket{uri!~\"/x{1,2}\"}[5m])))"));
        assertEquals(Set.of("sla_email_sent_total"), PromQlNames.inExpression(
                "topk(3, sum by (kind) (increase(sla_email_sent_total{kind=~'notice|ack'}[1h])))"));
        assertEquals(Set.of(), PromQlNames.inExpression("time() - 60 + Inf"));
    }

    @Test
    void readsTheSelectorOfAGrafanaLabelValuesQueryOnly() {
        assertEquals(Set.of("sla_events_in_total"), PromQlNames.inVariableQuery("label_values(sla_events_in_total, source)"));
        assertEquals(Set.of("sla_warnings_total"),
                PromQlNames.inVariableQuery("label_values(sla_warnings_total{source=~\"$source\"},policy)"));
        assertEquals(Set.of(), PromQlNames.inVariableQuery("label_values(source)"));
        assertEquals(Set.of("sla_source_up"), PromQlNames.inVariableQuery("query_result(sla_source_up == 0)"));
    }
}
