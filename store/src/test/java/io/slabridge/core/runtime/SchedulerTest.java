package io.slabridge.core.runtime;

import io.slabridge.core.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.store.SlaStore;
import io.slabridge.core.store.StoreException;
import io.slabridge.store.JdbcSlaStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
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

            // With the default maxSleep of 30 s, failed looks still come at least every 5 s: what fell due during an
            // outage goes out seconds after the store is back.
            Scheduler idle = new Scheduler(runtime, clock, Duration.ofSeconds(30));
            down.set(true);
            java.util.List<Duration> idleWaits = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                idleWaits.add(idle.lookOrWait());
            }
            assertEquals(java.util.List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                    Duration.ofSeconds(5), Duration.ofSeconds(5)), idleWaits);
            down.set(false);
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

    @Test
    void aLookThatFailsIsTriedAgainAndTheSchedulerKeepsEscalating() throws Exception {
        MutableClock clock = new MutableClock(T0);
        try (JdbcSlaStore store = TestStores.h2()) {
            SlaRuntime.of(store, RuntimeContractTest.policies("1h"), clock).accept(TicketEvent.builder("e1", "jira:SUP-1",
                    T0, EventType.CREATED).priority(Priority.NORMAL).status(TicketStatus.OPEN).build());
            assertEquals(1L, store.outboxCounts().get("pending"), "the SLA fields");
            clock.set(T0.plusSeconds(2700)); // the 75% warning is due

            // The store fails its first three transactions, as during a database failover.
            AtomicInteger failures = new AtomicInteger(3);
            SlaStore flaky = (SlaStore) Proxy.newProxyInstance(SlaStore.class.getClassLoader(),
                    new Class<?>[] {SlaStore.class}, (proxy, method, args) -> {
                        if (method.getName().equals("inTransaction") && failures.getAndDecrement() > 0) {
                            throw new StoreException("store transaction failed: connection refused", null);
                        }
                        try {
                            return method.invoke(store, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            Scheduler scheduler = new Scheduler(SlaRuntime.of(flaky, RuntimeContractTest.policies("1h"), clock), clock,
                    Duration.ofMillis(20));
            Thread thread = new Thread(scheduler, "scheduler-under-test");
            thread.start();
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (warningsDone(store) == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertEquals(1, warningsDone(store), "the warning step done, once the store answered");
                assertEquals(true, thread.isAlive(), "the scheduler still runs");
            } finally {
                scheduler.stop();
                thread.join(5_000);
            }
        }
    }

    private static int warningsDone(SlaStore store) {
        return store.inTransaction(tx -> tx.stepsDone(java.util.List.of("jira:SUP-1"))).getOrDefault("jira:SUP-1",
                java.util.Set.of()).size();
    }
}
