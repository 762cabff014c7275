package io.slabridge.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.store.StoreException;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * When a command may go out again: never before the wait a system asked for, and, after a restart, at once if the
 * dead predecessor held it (issue 13: a restarted instance waited out its own 2-minute leases).
 */
class OutboxWaitAndLeaseTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    @TempDir
    Path dir;

    private JdbcSlaStore open(String kind) {
        return switch (kind) {
            case "h2" -> TestStores.h2();
            case "sqlite" -> JdbcSlaStore.open(StoreSettings.embedded(dir));
            default -> TestStores.postgres().store();
        };
    }

    private static void enqueueFields(JdbcSlaStore store, MutableClock clock) throws Exception {
        SlaRuntime runtime = SlaRuntime.of(store, RuntimeContractTest.policies("1h"), clock);
        runtime.accept(TicketEvent.builder("e1", "jira:SUP-1", clock.instant(), EventType.CREATED)
                .priority(Priority.NORMAL).status(TicketStatus.OPEN).source("jira").build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "sqlite", "postgres"})
    void aRetryAfterIsWaitedOutToTheMillisecondFromWhenItWasReceived(String kind) throws Exception {
        // The 429 arrives at 09:00:00.500: with Retry-After 6 the retry may come at 09:00:06.500, not a moment before.
        MutableClock clock = new MutableClock(T0.plusMillis(500));
        try (JdbcSlaStore store = open(kind)) {
            enqueueFields(store, clock);
            List<Instant> tries = new ArrayList<>();
            OutboxDispatcher dispatcher = new OutboxDispatcher(store, Map.of("jira", c -> {
                tries.add(clock.instant());
                return tries.size() == 1 ? WriteResult.retryAfter(Duration.ofSeconds(6), "429") : WriteResult.done();
            }), clock, RetryPolicy.DEFAULT, new Random(1));
            assertEquals(1, dispatcher.dispatchOnce(10));
            for (long ms : new long[] {1_000, 5_000, 5_500, 5_999}) {
                clock.set(T0.plusMillis(500 + ms));
                assertEquals(0, dispatcher.dispatchOnce(10), "tried again " + ms + " ms after the 429 asked for 6 s");
            }
            // The outbox keeps whole seconds and rounds a wait up: due at 09:00:07, at most a second after the wait.
            clock.set(T0.plusMillis(500 + 6_000));
            assertEquals(0, dispatcher.dispatchOnce(10), "rounded down, 09:00:06.500 would have been 09:00:06: early");
            clock.set(T0.plusSeconds(7));
            assertEquals(1, dispatcher.dispatchOnce(10), "due once the 6 s have passed");
            assertEquals(List.of(T0.plusMillis(500), T0.plusSeconds(7)), tries);
        }
    }

    @Test
    void aRestartOnTheEmbeddedStoreTakesBackTheLeasesItsPredecessorHeld() throws Exception {
        MutableClock clock = new MutableClock(T0);
        StoreSettings embedded = StoreSettings.embedded(dir);
        try (JdbcSlaStore store = JdbcSlaStore.open(embedded)) {
            enqueueFields(store, clock);
            // The process claims the command and dies during the call: nothing is recorded, the lease stays.
            assertEquals(1, store.claimOutbox(clock.instant(), Duration.ofMinutes(2), 10).size());
        }
        clock.advance(Duration.ofSeconds(5));
        try (JdbcSlaStore restarted = JdbcSlaStore.open(embedded)) {
            assertEquals(0, restarted.claimOutbox(clock.instant(), Duration.ofMinutes(2), 10).size(),
                    "without taking it back, the command waits out the lease");
            assertEquals(1, restarted.takeBackLeases(null, clock.instant()));
            List<OutboxCommand> again = restarted.claimOutbox(clock.instant(), Duration.ofMinutes(2), 10);
            assertEquals(1, again.size(), "out at once after the restart, not 2 minutes later");
            assertEquals(1, again.get(0).attempts(), "counted as tried: writers look before doing it again");
        }
    }

    @Test
    void aSharedStoreGivesBackOnlyTheLeasesHeldUnderTheSameInstanceName() throws Exception {
        MutableClock clock = new MutableClock(T0);
        TestStores.PostgresStore pg = TestStores.postgres();
        try {
            JdbcSlaStore store = pg.store();
            assertEquals(0, store.takeBackLeases("bridge-1", clock.instant()));
            enqueueFields(store, clock);
            assertEquals(1, store.claimOutbox(clock.instant(), Duration.ofMinutes(2), 10).size());
            clock.advance(Duration.ofSeconds(5));
            assertEquals(0, store.takeBackLeases("bridge-2", clock.instant()), "another instance's lease is not ours");
            assertEquals(0, store.claimOutbox(clock.instant(), Duration.ofMinutes(2), 10).size());
            assertEquals(1, store.takeBackLeases("bridge-1", clock.instant()), "bridge-1 restarted: its own lease");
            assertEquals(1, store.claimOutbox(clock.instant(), Duration.ofMinutes(2), 10).size());
        } finally {
            pg.dropSchema();
        }
    }

    @Test
    void theEmbeddedStoreHasOneProcessAtATime() {
        StoreSettings embedded = StoreSettings.embedded(dir);
        try (JdbcSlaStore first = JdbcSlaStore.open(embedded)) {
            StoreException e = assertThrows(StoreException.class, () -> JdbcSlaStore.open(embedded).close());
            assertTrue(e.getMessage().contains("in use by another sla-bridge process"), e.getMessage());
            assertTrue(e.getMessage().contains("sla-bridge.db.lock"), e.getMessage());
        }
        JdbcSlaStore.open(embedded).close(); // free again once the first has closed
    }
}
