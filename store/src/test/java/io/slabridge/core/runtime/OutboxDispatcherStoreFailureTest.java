package io.slabridge.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.slabridge.core.escalation.EscalationAction.Visibility;
import io.slabridge.core.outbox.OutboxWriter;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.store.SlaStore;
import io.slabridge.core.store.StoreException;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.store.JdbcSlaStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The store failing in the middle of an outbox round (its connection dropped after a write went out): nothing more
 * is delivered that could not be recorded, the delivered write is recorded once the store is back, and the commands
 * not yet delivered go out at the next round instead of waiting for their two-minute lease to run out.
 */
class OutboxDispatcherStoreFailureTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    private static void enqueueComments(JdbcSlaStore store, String... tickets) {
        store.inTransaction(tx -> {
            for (String ticket : tickets) {
                tx.enqueue(ticket, "jira", new WriteBack.Comment(Visibility.INTERNAL, "Breached."), ticket + "/breached/0", T0);
            }
            return null;
        });
    }

    /** Delivers each command, and takes the store down right after delivering {@code dropAfter}. */
    private static OutboxWriter writer(List<String> delivered, String dropAfter, AtomicBoolean down) {
        return command -> {
            delivered.add(command.ticket());
            if (command.ticket().equals(dropAfter)) {
                down.set(true);
            }
            return WriteResult.done();
        };
    }

    @Test
    void withinTheLeaseTheDeliveredWriteIsRecordedAndTheRestGoOutAtTheNextRound() {
        MutableClock clock = new MutableClock(T0);
        AtomicBoolean down = new AtomicBoolean();
        try (JdbcSlaStore h2 = TestStores.h2()) {
            enqueueComments(h2, "jira:SUP-1", "jira:SUP-2", "jira:SUP-3");
            SlaStore store = TestStores.failingWhile(h2, down);
            List<String> delivered = new ArrayList<>();
            OutboxDispatcher dispatcher = new OutboxDispatcher(store, Map.of("jira", writer(delivered, "jira:SUP-1", down)),
                    clock, RetryPolicy.DEFAULT, new Random(1));

            assertThrows(StoreException.class, () -> dispatcher.dispatchOnce(10));
            assertEquals(List.of("jira:SUP-1"), delivered, "nothing delivered that could not be recorded");
            assertEquals(3, dispatcher.leftovers());
            clock.set(T0.plusSeconds(5));
            assertThrows(StoreException.class, () -> dispatcher.dispatchOnce(10), "still down: kept for later");
            assertEquals(3, dispatcher.leftovers());

            down.set(false);
            clock.set(T0.plusSeconds(10)); // far inside the two-minute lease
            assertEquals(2, dispatcher.dispatchOnce(10));
            assertEquals(List.of("jira:SUP-1", "jira:SUP-2", "jira:SUP-3"), delivered, "each once");
            assertEquals(0, dispatcher.leftovers());
            assertEquals(3L, h2.outboxCounts().getOrDefault("done", 0L));
            assertEquals(0L, h2.outboxCounts().getOrDefault("pending", 0L));
        }
    }

    @Test
    void afterTheLeaseRanOutTheDeliveredWriteIsStillRecordedAndTheRestAreClaimedAsAnyone() {
        MutableClock clock = new MutableClock(T0);
        AtomicBoolean down = new AtomicBoolean();
        try (JdbcSlaStore h2 = TestStores.h2()) {
            enqueueComments(h2, "jira:SUP-1", "jira:SUP-2");
            List<String> delivered = new ArrayList<>();
            OutboxDispatcher dispatcher = new OutboxDispatcher(TestStores.failingWhile(h2, down),
                    Map.of("jira", writer(delivered, "jira:SUP-1", down)), clock, RetryPolicy.DEFAULT, new Random(1));
            assertThrows(StoreException.class, () -> dispatcher.dispatchOnce(10));

            down.set(false);
            clock.set(T0.plus(OutboxDispatcher.DEFAULT_LEASE).plus(Duration.ofMinutes(1)));
            assertEquals(1, dispatcher.dispatchOnce(10));
            assertEquals(List.of("jira:SUP-1", "jira:SUP-2"), delivered, "each once");
            assertEquals(2L, h2.outboxCounts().getOrDefault("done", 0L));
        }
    }
}
