package io.slabridge.core.runtime;

import io.slabridge.core.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.store.JdbcSlaStore;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void sleepsUntilTheEarliestWakeUpButNeverLongerThanItsCap() throws Exception {
        MutableClock clock = new MutableClock(T0);
        try (JdbcSlaStore store = TestStores.h2()) {
            SlaRuntime runtime = SlaRuntime.of(store, RuntimeContractTest.policies("1h"), clock);
            Scheduler scheduler = new Scheduler(runtime, clock, Duration.ofMinutes(10));
            assertEquals(Duration.ofMinutes(10), scheduler.runOnce(), "no ticket: the cap");

            runtime.accept(TicketEvent.builder("e1", "jira:SUP-1", T0, EventType.CREATED).priority(Priority.NORMAL)
                    .status(TicketStatus.OPEN).build());
            clock.set(T0.plusSeconds(2100));
            assertEquals(Duration.ofSeconds(600), scheduler.runOnce(), "the 75% warning at 09:45 is 10 min away");

            clock.set(T0.plusSeconds(2700));
            assertEquals(Duration.ofMinutes(10), scheduler.runOnce(), "the warning refolded; the breach (10:00:01) is 15 min away");
            assertEquals(T0.plusSeconds(3601), runtime.nextWake().orElseThrow());

            Scheduler eager = new Scheduler(runtime, clock, Duration.ofSeconds(1));
            assertEquals(Duration.ofSeconds(1), eager.runOnce(), "a short cap notices other instances' tickets");
        }
    }
}
