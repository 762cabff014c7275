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
        assertEquals(Duration.ofSeconds(60), pacing.failed(T0, null));
        assertFalse(pacing.due(T0.plusSeconds(59)));
        assertTrue(pacing.due(T0.plusSeconds(60)));
        assertEquals(Duration.ofSeconds(120), pacing.failed(T0, null));
        assertEquals(Duration.ofSeconds(240), pacing.failed(T0, null));
        assertEquals(Duration.ofSeconds(480), pacing.failed(T0, null));
        assertEquals(Duration.ofMinutes(10), pacing.failed(T0, null));
        pacing.succeeded();
        assertEquals(Duration.ofSeconds(60), pacing.failed(T0, null));
    }

    @Test
    void theWaitTheSourceAskedForWinsAndDoesNotCountAsABackoffStep() {
        PollPacing pacing = new PollPacing(Duration.ofSeconds(60));
        assertEquals(Duration.ofSeconds(300), pacing.failed(T0, Duration.ofSeconds(300)));
        assertFalse(pacing.due(T0.plusSeconds(299)));
        assertTrue(pacing.due(T0.plusSeconds(300)));
        assertEquals(Duration.ofSeconds(60), pacing.failed(T0, null));
    }
}
