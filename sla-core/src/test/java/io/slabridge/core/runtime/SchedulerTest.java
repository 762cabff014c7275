package io.slabridge.core.runtime;

import io.slabridge.core.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void aFailedLookIsToldAndTriedAgainAfterAWaitThatDoublesUpToTheCap() throws Exception {
        MutableClock clock = new MutableClock(T0);
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        try (JdbcSlaStore store = TestStores.h2()) {
            SlaRuntime runtime = SlaRuntime.of(TestStores.failingWhile(store, down), RuntimeContractTest.policies("1h"), clock);
            Scheduler scheduler = new Scheduler(runtime, clock, Duration.ofSeconds(5));
            java.util.List<String> told = new java.util.ArrayList<>();
            scheduler.onFailure((failure, retryIn) -> told.add(retryIn.toSeconds() + "s: " + failure.getMessage()));

            down.set(true);
            java.util.List<Duration> waits = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                waits.add(scheduler.lookOrWait());
            }
            assertEquals(java.util.List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                    Duration.ofSeconds(5), Duration.ofSeconds(5)), waits);
            assertEquals("1s: the store is unreachable (test)", told.get(0));
            assertEquals(5, told.size());

            down.set(false);
            assertEquals(Duration.ofSeconds(5), scheduler.lookOrWait(), "back: no ticket, the cap");
            down.set(true);
            assertEquals(Duration.ofSeconds(1), scheduler.lookOrWait(), "a success starts the waits over");
        }
    }

    @Test
    void theLoopOutlivesAStoreOutageAndHandlesWhatFellDueMeanwhile() throws Exception {
        MutableClock clock = new MutableClock(T0);
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        try (JdbcSlaStore store = TestStores.h2()) {
            SlaRuntime runtime = SlaRuntime.of(TestStores.failingWhile(store, down), RuntimeContractTest.policies("1h"), clock);
            runtime.accept(TicketEvent.builder("e1", "jira:SUP-1", T0, EventType.CREATED).priority(Priority.NORMAL)
                    .status(TicketStatus.OPEN).build());
            Instant warning = runtime.nextWake().orElseThrow();
            java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
            Scheduler scheduler = new Scheduler(runtime, clock, Duration.ofMillis(20))
                    .onFailure((failure, retryIn) -> failures.incrementAndGet());
            Thread loop = new Thread(scheduler, "scheduler-under-test");
            loop.start();
            try {
                down.set(true);
                clock.set(warning.plusSeconds(1)); // the 75% warning falls due while the store is gone
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (failures.get() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertTrue(failures.get() >= 3, "looks failed: " + failures.get());
                assertTrue(loop.isAlive(), "the loop goes on");

                down.set(false);
                scheduler.nudge();
                while (runtime.nextWake().orElseThrow().equals(warning) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertTrue(runtime.nextWake().orElseThrow().isAfter(warning), "the warning handled once the store is back");
            } finally {
                scheduler.stop();
                loop.join(5_000);
            }
        }
    }
}
