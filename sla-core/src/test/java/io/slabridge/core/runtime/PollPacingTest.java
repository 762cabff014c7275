package io.slabridge.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PollPacingTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void backoffDoublesFromTheIntervalToTenMinutesAndASuccessEndsIt() {
        PollPacing pacing = new PollPacing(Duration.ofSeconds(60));
        assertTrue(pacing.due(T0));
        assertEquals(Duration.ofSeconds(60), pacing.failed(T0, null, "HTTP 503"));
        assertFalse(pacing.due(T0.plusSeconds(59)));
        assertTrue(pacing.due(T0.plusSeconds(60)));
        assertEquals(Duration.ofSeconds(120), pacing.failed(T0, null, "HTTP 503"));
        assertEquals(Duration.ofSeconds(240), pacing.failed(T0, null, "HTTP 503"));
        assertEquals(Duration.ofSeconds(480), pacing.failed(T0, null, "HTTP 503"));
        assertEquals(Duration.ofMinutes(10), pacing.failed(T0, null, "HTTP 503"));
        pacing.succeeded(T0);
        assertEquals(Duration.ofSeconds(60), pacing.failed(T0, null, "HTTP 503"));
    }

    @Test
    void theWaitTheSourceAskedForWinsAndDoesNotCountAsABackoffStep() {
        PollPacing pacing = new PollPacing(Duration.ofSeconds(60));
        assertEquals(Duration.ofSeconds(300), pacing.failed(T0, Duration.ofSeconds(300), "HTTP 429"));
        assertFalse(pacing.due(T0.plusSeconds(299)));
        assertTrue(pacing.due(T0.plusSeconds(300)));
        assertEquals(Duration.ofSeconds(60), pacing.failed(T0, null, "HTTP 503"));
    }

    @Test
    void pollsFailingForThreeIntervalsShowAsFailingAndOneSuccessClearsIt() {
        PollPacing pacing = new PollPacing(Duration.ofSeconds(60));
        assertFalse(pacing.status().polled());
        pacing.succeeded(T0);
        assertEquals(T0, pacing.status().lastSuccess());

        Instant firstFailure = T0.plusSeconds(60);
        pacing.failed(firstFailure, null, "HTTP 401: Unauthorized");
        pacing.failed(firstFailure.plusSeconds(60), null, "HTTP 401: Unauthorized");
        PollPacing.PollStatus status = pacing.status();
        assertEquals(firstFailure, status.failingSince(), "the first failure of the run, not the latest");
        assertEquals("HTTP 401: Unauthorized", status.lastError());
        assertEquals(T0, status.lastSuccess());
        assertFalse(status.failingFor(Duration.ofSeconds(180), firstFailure.plusSeconds(179)));
        assertTrue(status.failingFor(Duration.ofSeconds(180), firstFailure.plusSeconds(180)));

        pacing.succeeded(firstFailure.plusSeconds(200));
        assertFalse(pacing.status().failingFor(Duration.ofSeconds(180), firstFailure.plusSeconds(1000)));
        assertEquals(null, pacing.status().lastError());
    }
}
