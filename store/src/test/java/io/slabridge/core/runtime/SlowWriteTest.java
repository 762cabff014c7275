package io.slabridge.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One slow answer holds one write slot, not every ticket's write-back (issue 13: a Jira comment call held for 8 s
 * delayed the other tickets' writes until it returned), and a ticket's own commands still go out in order.
 */
class SlowWriteTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "sqlite"})
    void aHeldCallDelaysNeitherOtherTicketsNorTheirRetriesAndKeepsItsTicketsOrder(String kind) throws Exception {
        MutableClock clock = new MutableClock(T0);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch answered = new CountDownLatch(1);
        List<String> written = new CopyOnWriteArrayList<>();
        try (JdbcSlaStore store = kind.equals("h2") ? TestStores.h2() : JdbcSlaStore.open(StoreSettings.embedded(dir));
                OutboxDispatcher dispatcher = new OutboxDispatcher(store, Map.of("jira", (OutboxCommand c) -> {
                    if (c.ticket().equals("jira:SLOW-1") && written.stream().noneMatch(w -> w.startsWith("jira:SLOW-1"))) {
                        held.countDown();
                        answered.await(30, TimeUnit.SECONDS); // the system holds its answer
                    }
                    written.add(c.ticket() + " " + c.payload().kind());
                    return WriteResult.done();
                }), clock, RetryPolicy.DEFAULT, new Random(1)).withConcurrency(Map.of("jira", 2))) {
            SlaRuntime runtime = SlaRuntime.of(store, RuntimeContractTest.policies("1h"), clock);
            runtime.accept(created("jira:SLOW-1"));
            runtime.accept(created("jira:FAST-1"));

            long start = System.nanoTime();
            assertEquals(2, dispatcher.dispatchOnce(10));
            assertTrue(held.await(10, TimeUnit.SECONDS), "the slow ticket's call is out");
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 5, "the claim did not wait for it");
            awaitWritten(written, "jira:FAST-1 sla_fields");

            // While the slow call is out: a later ticket's write and the slow ticket's next command.
            clock.advance(Duration.ofMinutes(1));
            runtime.accept(created("jira:LATER-1"));
            runtime.accept(TicketEvent.builder("reply-slow", "jira:SLOW-1", clock.instant(), EventType.AGENT_REPLY).build());
            // As the outbox timer does: look again until it is out (FAST-1's slot is given back just after its write).
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!written.contains("jira:LATER-1 sla_fields") && System.nanoTime() < until) {
                dispatcher.dispatchOnce(10);
                Thread.sleep(20);
            }
            awaitWritten(written, "jira:LATER-1 sla_fields");
            assertTrue(written.stream().noneMatch(w -> w.startsWith("jira:SLOW-1")),
                    "the slow ticket's next command waits for its first: " + written);

            answered.countDown();
            awaitWritten(written, "jira:SLOW-1 sla_fields");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (written.stream().filter(w -> w.startsWith("jira:SLOW-1")).count() < 2 && System.nanoTime() < deadline) {
                dispatcher.dispatchOnce(10);
                Thread.sleep(20);
            }
            List<String> slow = written.stream().filter(w -> w.startsWith("jira:SLOW-1")).toList();
            assertEquals(2, slow.size(), "both of the slow ticket's writes, after its first was answered: " + written);
        }
    }

    private static TicketEvent created(String ticket) {
        return TicketEvent.builder(ticket + ":created", ticket, T0, EventType.CREATED).priority(Priority.NORMAL)
                .status(TicketStatus.OPEN).source("jira").build();
    }

    private static void awaitWritten(List<String> written, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!written.contains(what) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(written.contains(what), "not written: " + what + " (written: " + written + ")");
    }
}
