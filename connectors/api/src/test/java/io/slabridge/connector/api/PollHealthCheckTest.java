package io.slabridge.connector.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.runtime.PollPacing;
import io.slabridge.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
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

    /** The org's API limit on the Salesforce check: {@code limit} is what the client says now. */
    private PollHealthCheck limitedCheck(AtomicReference<Optional<PollHealthCheck.Limited>> limit) {
        PollHealthCheck check = new PollHealthCheck("salesforce", pacing::status, INTERVAL, clock)
                .limitedBy(limit::get);
        check.setCamelContext(new DefaultCamelContext());
        return check;
    }

    @Test
    void aSourceWaitingForItsApiLimitStaysReadyShownLimitedWithTheReasonAndUntilWhenThroughoutTheWait() {
        Instant until = T0.plus(Duration.ofMinutes(15));
        AtomicReference<Optional<PollHealthCheck.Limited>> limit = new AtomicReference<>(Optional.of(
                new PollHealthCheck.Limited(until, "REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.")));
        PollHealthCheck check = limitedCheck(limit);
        pacing.succeeded(T0.minus(INTERVAL));
        pacing.failed(T0, Duration.ofMinutes(15), "the org's API request limit was reached");

        // Every minute of the 15-minute wait (five times the three intervals after which failing polls are down):
        // nothing is broken, sla-bridge waits, and the process stays in its load balancer.
        for (Instant at = T0; at.isBefore(until); at = at.plus(INTERVAL)) {
            clock.set(at);
            HealthCheck.Result limited = check.call();
            assertEquals(HealthCheck.State.UP, limited.getState(), "ready while limited, at " + at);
            assertTrue(check.up(), "sla_source_up says what readiness says while limited, at " + at);
            assertEquals("limited", limited.getDetails().get("state"));
            assertEquals(until.toString(), limited.getDetails().get("limited.until"));
            assertEquals("REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.",
                    limited.getDetails().get("limited.reason"));
            assertEquals("limited until " + until + ": REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.",
                    limited.getMessage().orElse(""));
        }

        limit.set(Optional.empty());
        clock.set(until);
        pacing.succeeded(until);
        HealthCheck.Result after = check.call();
        assertEquals(HealthCheck.State.UP, after.getState(), "up once the wait is over and a poll went through");
        assertEquals(null, after.getDetails().get("state"), "no longer shown limited");
    }

    @Test
    void pollsThatHadFailedForThreeIntervalsBeforeTheLimitAreStillDown() {
        pacing.succeeded(T0);
        for (int i = 1; i <= 4; i++) {
            Instant at = T0.plus(INTERVAL.multipliedBy(i));
            clock.set(at);
            pacing.failed(at, null, "HTTP 500: An unexpected error occurred");
        }
        Instant met = clock.instant().plus(INTERVAL);
        clock.set(met);
        pacing.failed(met, Duration.ofMinutes(15), "the org's API request limit was reached");
        Instant until = met.plus(Duration.ofMinutes(15));
        PollHealthCheck check = limitedCheck(new AtomicReference<>(Optional.of(
                new PollHealthCheck.Limited(until, "REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded."))));

        HealthCheck.Result down = check.call();
        assertEquals(HealthCheck.State.DOWN, down.getState(), "failing for five intervals before the limit");
        assertFalse(check.up(), "sla_source_up says what readiness says");
        assertEquals("limited", down.getDetails().get("state"));
        String message = down.getMessage().orElse("");
        assertTrue(message.contains("polls have failed since " + T0.plus(INTERVAL)) && message.contains("limited until "
                + until), message);
    }

    @Test
    void aLimitMetAfterOneFailedPollDoesNotAddItsWaitToTheFailingTime() {
        pacing.succeeded(T0);
        Instant failed = T0.plus(INTERVAL);
        pacing.failed(failed, null, "HTTP 503: Service unavailable");
        Instant met = failed.plus(INTERVAL);
        pacing.failed(met, Duration.ofMinutes(15), "the org's API request limit was reached");
        clock.set(met.plus(Duration.ofMinutes(14)));
        PollHealthCheck check = limitedCheck(new AtomicReference<>(Optional.of(
                new PollHealthCheck.Limited(met.plus(Duration.ofMinutes(15)), "REQUEST_LIMIT_EXCEEDED"))));

        assertEquals(HealthCheck.State.UP, check.call().getState(), "one failed poll before a 15-minute wait");
    }
}
