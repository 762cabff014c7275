package io.slabridge.connector.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.runtime.PollPacing;
import io.slabridge.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The readiness of a polled source as an operator sees it on /observe/health/ready. */
class PollHealthCheckTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(60);

    private final MutableClock clock = new MutableClock(T0);
    private final PollPacing pacing = new PollPacing(INTERVAL);

    private HealthCheck.Result check() {
        PollHealthCheck check = new PollHealthCheck("jira", pacing::status, INTERVAL, clock);
        check.setCamelContext(new DefaultCamelContext());
        return check.call();
    }

    @Test
    void staysUpThroughShortFailuresAndGoesDownWhenEveryPollForThreeIntervalsFailed() {
        assertEquals(HealthCheck.State.UP, check().getState(), "not yet polled");
        pacing.succeeded(T0);
        Instant failing = T0.plus(INTERVAL);
        // Polls keep failing (every minute, backoff aside): the latest failure is always recent, yet this is down.
        for (int i = 0; i < 4; i++) {
            Instant at = failing.plus(INTERVAL.multipliedBy(i));
            clock.set(at);
            pacing.failed(at, null, "HTTP 401: Unauthorized");
            HealthCheck.Result result = check();
            HealthCheck.State expected = i < 3 ? HealthCheck.State.UP : HealthCheck.State.DOWN;
            assertEquals(expected, result.getState(), "after " + (i + 1) + " failed polls");
        }
        HealthCheck.Result down = check();
        assertTrue(down.getMessage().orElse("").contains("HTTP 401: Unauthorized"), down.getMessage().toString());
        assertEquals("HTTP 401: Unauthorized", down.getDetails().get("last.error"));

        pacing.succeeded(clock.instant());
        assertEquals(HealthCheck.State.UP, check().getState(), "one success ends it");
    }

    @Test
    void aSourceWaitingForItsApiLimitIsShownLimitedWithTheReasonAndUntilWhenThenUpAgain() {
        Instant until = T0.plus(Duration.ofMinutes(15));
        java.util.concurrent.atomic.AtomicReference<java.util.Optional<PollHealthCheck.Limited>> limit =
                new java.util.concurrent.atomic.AtomicReference<>(java.util.Optional.of(new PollHealthCheck
                        .Limited(until, "REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.")));
        PollHealthCheck check = new PollHealthCheck("salesforce", pacing::status, INTERVAL, clock)
                .limitedBy(limit::get);
        check.setCamelContext(new DefaultCamelContext());
        pacing.succeeded(T0);
        pacing.failed(T0, Duration.ofMinutes(15), "the org's API request limit was reached");

        HealthCheck.Result limited = check.call();
        assertEquals(HealthCheck.State.DOWN, limited.getState(), "limited at once, not after three intervals");
        assertEquals("limited", limited.getDetails().get("state"));
        assertEquals(until.toString(), limited.getDetails().get("limited.until"));
        assertEquals("REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.", limited.getDetails().get("limited.reason"));
        assertTrue(limited.getMessage().orElse("").contains("limited until " + until), limited.getMessage().toString());

        limit.set(java.util.Optional.empty());
        clock.set(until);
        pacing.succeeded(until);
        assertEquals(HealthCheck.State.UP, check.call().getState(), "up once the wait is over and a poll went through");
    }

    @Test
    void aSourceReadOnlyThroughWebhooksIsAlwaysUp() {
        PollHealthCheck check = PollHealthCheck.webhooksOnly("jira");
        check.setCamelContext(new DefaultCamelContext());
        assertEquals(HealthCheck.State.UP, check.call().getState());
        assertEquals("webhooks only", check.call().getDetails().get("mode"));
    }
}
