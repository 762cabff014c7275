package io.slabridge.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.store.SlaStore;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.store.JdbcSlaStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Concurrent deliveries share a transaction, and each caller still learns only its own, committed, outcome. */
class GroupCommitTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    private final JdbcSlaStore store = TestStores.h2();
    private final CountDownLatch gate = new CountDownLatch(1);
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void close() {
        gate.countDown();
        callers.shutdownNow();
        store.close();
    }

    private static TicketEvent created(String ticket) {
        return TicketEvent.builder(ticket + ":created", ticket, T0, EventType.CREATED).priority(Priority.NORMAL)
                .status(TicketStatus.OPEN).source("jira").build();
    }

    /**
     * The store, except that the first transaction waits for {@link #gate}, and events of the ticket {@code bad}
     * cannot be stored (a connection dropping on that delivery, every time).
     */
    private SlaStore gatedStore(String bad) {
        boolean[] first = {true};
        return (SlaStore) Proxy.newProxyInstance(SlaStore.class.getClassLoader(), new Class<?>[] {SlaStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("inTransaction")) {
                        boolean wait;
                        synchronized (first) {
                            wait = first[0];
                            first[0] = false;
                        }
                        if (wait) {
                            assertTrue(gate.await(10, TimeUnit.SECONDS), "the test opens the gate");
                        }
                        SlaStore.Work<?> work = (SlaStore.Work<?>) args[0];
                        return store.inTransaction(tx -> work.run(failingOn(tx, bad)));
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static SlaStore.Transaction failingOn(SlaStore.Transaction tx, String bad) {
        return (SlaStore.Transaction) Proxy.newProxyInstance(SlaStore.class.getClassLoader(),
                new Class<?>[] {SlaStore.Transaction.class}, (proxy, method, args) -> {
                    if (method.getName().equals("appendEvents") && ((List<?>) args[0]).stream()
                            .anyMatch(e -> ((TicketEvent) e).ticket().equals(bad))) {
                        throw new IllegalStateException("connection reset while storing " + bad);
                    }
                    try {
                        return method.invoke(tx, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private Future<List<SlaRuntime.Outcome>> deliver(GroupCommit ingest, TicketEvent event) {
        return callers.submit(() -> ingest.acceptAll(List.of(event)));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for: " + what);
            Thread.sleep(5);
        }
    }

    @Test
    void deliveriesThatArriveDuringATransactionGoInTogetherEachCallerWithItsOwnOutcome() throws Exception {
        SlaRuntime runtime = SlaRuntime.of(gatedStore("none"), RuntimeContractTest.policies("1h"), new MutableClock(T0));
        GroupCommit ingest = new GroupCommit(runtime, GroupCommit.DEFAULT_MAX_EVENTS, 1);

        Future<List<SlaRuntime.Outcome>> first = deliver(ingest, created("jira:SUP-1"));
        await(() -> ingest.deliveries() == 1 && ingest.groups() == 1, "the first delivery's transaction");
        List<Future<List<SlaRuntime.Outcome>>> later = new ArrayList<>();
        for (String ticket : List.of("jira:SUP-2", "jira:SUP-3", "jira:SUP-4", "jira:SUP-1")) {
            later.add(deliver(ingest, created(ticket))); // SUP-1 again: Jira delivering once more
        }
        await(() -> ingest.waiting() == 4, "four deliveries waiting");
        gate.countDown();

        assertEquals(List.of(SlaRuntime.Outcome.ACCEPTED), first.get(10, TimeUnit.SECONDS));
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(SlaRuntime.Outcome.ACCEPTED), later.get(i).get(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of(SlaRuntime.Outcome.DUPLICATE), later.get(3).get(10, TimeUnit.SECONDS));
        assertEquals(2, ingest.groups(), "the four waiting deliveries shared one transaction");
        for (String ticket : List.of("jira:SUP-1", "jira:SUP-2", "jira:SUP-3", "jira:SUP-4")) {
            assertEquals(1, store.inTransaction(tx -> tx.events(ticket)).size(), ticket + " stored once");
        }
        assertEquals(Map.of("pending", 4L, "done", 0L, "parked", 0L), store.outboxCounts(), "each ticket's fields");
    }

    @Test
    void aDeliveryThatCannotBeStoredFailsOnlyItsOwnCaller() throws Exception {
        SlaRuntime runtime = SlaRuntime.of(gatedStore("jira:BAD-1"), RuntimeContractTest.policies("1h"),
                new MutableClock(T0));
        GroupCommit ingest = new GroupCommit(runtime, GroupCommit.DEFAULT_MAX_EVENTS, 1);

        Future<List<SlaRuntime.Outcome>> first = deliver(ingest, created("jira:SUP-1"));
        await(() -> ingest.groups() == 1, "the first delivery's transaction");
        Future<List<SlaRuntime.Outcome>> before = deliver(ingest, created("jira:SUP-2"));
        await(() -> ingest.waiting() == 1, "SUP-2 waiting");
        Future<List<SlaRuntime.Outcome>> bad = deliver(ingest, created("jira:BAD-1"));
        await(() -> ingest.waiting() == 2, "BAD-1 waiting");
        Future<List<SlaRuntime.Outcome>> after = deliver(ingest, created("jira:SUP-3"));
        await(() -> ingest.waiting() == 3, "SUP-3 waiting");
        gate.countDown();

        assertEquals(List.of(SlaRuntime.Outcome.ACCEPTED), first.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(SlaRuntime.Outcome.ACCEPTED), before.get(10, TimeUnit.SECONDS));
        assertEquals(List.of(SlaRuntime.Outcome.ACCEPTED), after.get(10, TimeUnit.SECONDS));
        java.util.concurrent.ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> bad.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, failed.getCause());
        assertEquals(List.of(), store.inTransaction(tx -> tx.events("jira:BAD-1")), "nothing of it stored");
        for (String ticket : List.of("jira:SUP-1", "jira:SUP-2", "jira:SUP-3")) {
            assertEquals(1, store.inTransaction(tx -> tx.events(ticket)).size(), ticket + " stored once");
        }
    }

    @Test
    void aSecondGroupGoesInWhileTheFirstIsStillCommitting() throws Exception {
        SlaRuntime runtime = SlaRuntime.of(gatedStore("none"), RuntimeContractTest.policies("1h"), new MutableClock(T0));
        GroupCommit ingest = new GroupCommit(runtime, GroupCommit.DEFAULT_MAX_EVENTS, 2);

        Future<List<SlaRuntime.Outcome>> slow = deliver(ingest, created("jira:SUP-1"));
        await(() -> ingest.groups() == 1, "the first delivery's transaction");
        assertEquals(List.of(SlaRuntime.Outcome.ACCEPTED), deliver(ingest, created("jira:SUP-2")).get(10, TimeUnit.SECONDS),
                "stored while the first transaction is held");
        assertTrue(!slow.isDone());
        gate.countDown();
        assertEquals(List.of(SlaRuntime.Outcome.ACCEPTED), slow.get(10, TimeUnit.SECONDS));
    }

    @Test
    void manyCallersAtOnceLoseNothingAndDuplicateNothing() throws Exception {
        SlaRuntime runtime = SlaRuntime.of(store, RuntimeContractTest.policies("1h"), new MutableClock(T0));
        GroupCommit ingest = new GroupCommit(runtime, 20, GroupCommit.DEFAULT_MAX_CONCURRENT);
        gate.countDown();
        List<Future<List<SlaRuntime.Outcome>>> calls = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            // Every ticket delivered twice, as Jira may: exactly one of the two is accepted.
            calls.add(deliver(ingest, created("jira:SUP-" + (i % 200))));
        }
        long accepted = 0;
        for (Future<List<SlaRuntime.Outcome>> call : calls) {
            accepted += call.get(30, TimeUnit.SECONDS).stream().filter(o -> o == SlaRuntime.Outcome.ACCEPTED).count();
        }
        assertEquals(200, accepted);
        for (int t = 0; t < 200; t++) {
            String ticket = "jira:SUP-" + t;
            assertEquals(1, store.inTransaction(tx -> tx.events(ticket)).size(), ticket);
        }
    }
}
