package io.slabridge.core.runtime;

import io.slabridge.core.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.EscalationDue;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.store.SlaStore;
import io.slabridge.core.store.TicketRecord;
import io.slabridge.store.JdbcSlaStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash at the worst moments loses no accepted event and writes no comment twice. The crashes are real:
 * {@link CrashChild} runs in its own JVM and halts it.
 */
class CrashSafetyTest {

    @TempDir
    Path dir;

    @Test
    void killedBetweenIngestAndDispatchLosesNothingAndRepeatsNothing() throws Exception {
        Path db = dir.resolve("store");
        assertEquals(137, runChild("ingest", db.toString()));

        try (JdbcSlaStore store = JdbcSlaStore.open(CrashChild.settings(db))) {
            for (int t = 1; t <= 3; t++) {
                String ticket = "jira:SUP-" + t;
                assertEquals(2, store.inTransaction(tx -> tx.events(ticket)).size(), "both events of " + ticket + " kept");
            }
            MutableClock clock = new MutableClock(CrashChild.T0.plusSeconds(2700));
            List<OutboxCommand> delivered = new ArrayList<>();
            OutboxDispatcher restarted = new OutboxDispatcher(store, Map.of("jira", c -> {
                delivered.add(c);
                return WriteResult.done();
            }), clock, RetryPolicy.DEFAULT, new Random(1));
            while (restarted.dispatchOnce(10) > 0) {
                // drain
            }
            long comments = delivered.stream().filter(c -> c.payload() instanceof WriteBack.Comment).count();
            assertEquals(3, comments, "one warning comment per ticket");
            assertEquals(delivered.size(), delivered.stream().map(OutboxCommand::idempotencyKey).distinct().count());

            // A restarted runtime refolding everything enqueues no second warning.
            SlaRuntime runtime = SlaRuntime.of(store, RuntimeContractTest.policies("1h"), clock);
            runtime.reload(runtime.policies());
            runtime.tick();
            assertEquals(0, restarted.dispatchOnce(10));
        }
    }

    @Test
    void killedAfterTheRemoteWriteButBeforeItsAcknowledgementWritesOnce() throws Exception {
        Path db = dir.resolve("store");
        Path remote = dir.resolve("remote-system.txt");
        assertEquals(137, runChild("ingest", db.toString()));
        assertEquals(137, runChild("deliver-and-die", db.toString(), remote.toString()));
        assertEquals(1, Files.readAllLines(remote).size(), "the remote system got the first command");

        try (JdbcSlaStore store = JdbcSlaStore.open(CrashChild.settings(db))) {
            // After the lease the command is delivered again, with the same key; the writer's idempotency
            // (here: the remote system remembers keys) keeps the effect single.
            MutableClock clock = new MutableClock(CrashChild.T0.plusSeconds(2700).plus(OutboxDispatcher.DEFAULT_LEASE));
            OutboxDispatcher restarted = new OutboxDispatcher(store, Map.of("jira", c -> {
                Set<String> seen = new HashSet<>(Files.readAllLines(remote));
                if (!seen.contains(c.idempotencyKey())) {
                    Files.writeString(remote, c.idempotencyKey() + "\n", StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.APPEND);
                }
                return WriteResult.done();
            }), clock, RetryPolicy.DEFAULT, new Random(1));
            while (restarted.dispatchOnce(10) > 0) {
                // drain
            }
            List<String> written = Files.readAllLines(remote);
            assertEquals(written.size(), new HashSet<>(written).size(), "no command took effect twice: " + written);
            Map<String, Long> counts = store.outboxCounts();
            assertEquals(0L, counts.get("pending"));
            assertEquals(0L, counts.get("parked"));
            // Done: each command written, plus field writes superseded by a newer one before they went out.
            assertTrue(counts.get("done") >= written.size(), counts::toString);
        }
    }

    @Test
    void aConnectionLostMidTransactionLeavesNothingHalfDone() {
        MutableClock clock = new MutableClock(CrashChild.T0);
        try (JdbcSlaStore store = TestStores.h2()) {
            TicketEvent created = TicketEvent.builder("jira:SUP-9:1", "jira:SUP-9", CrashChild.T0, EventType.CREATED)
                    .priority(Priority.NORMAL).status(TicketStatus.OPEN).build();
            SlaRuntime failing = SlaRuntime.of(new FailingEnqueue(store), policies(), clock);
            assertThrows(IllegalStateException.class, () -> failing.accept(created));
            assertEquals(List.of(), store.inTransaction(tx -> tx.events("jira:SUP-9")), "the event was rolled back too");

            // The source delivers again (at least once): now it is taken, once.
            SlaRuntime healthy = SlaRuntime.of(store, policies(), clock);
            assertEquals(SlaRuntime.Outcome.ACCEPTED, healthy.accept(created));
            assertEquals(SlaRuntime.Outcome.DUPLICATE, healthy.accept(created));
            assertEquals(Map.of("pending", 1L, "done", 0L, "parked", 0L), store.outboxCounts());
        }
    }

    private static io.slabridge.core.policy.PolicySet policies() {
        try {
            return RuntimeContractTest.policies("1h");
        } catch (io.slabridge.core.policy.InvalidPolicyException e) {
            throw new AssertionError(e);
        }
    }

    /** A store whose connection "drops" when the outbox is written: after the event and the state. */
    private static final class FailingEnqueue implements SlaStore {
        private final SlaStore store;

        FailingEnqueue(SlaStore store) {
            this.store = store;
        }

        @Override
        public <T> T inTransaction(Work<T> work) {
            return store.inTransaction(tx -> work.run(new Transaction() {
                public List<TicketEvent> appendEvents(List<TicketEvent> events, Instant receivedAt) {
                    return tx.appendEvents(events, receivedAt);
                }

                public Map<String, List<TicketEvent>> events(Collection<String> tickets) {
                    return tx.events(tickets);
                }

                public Map<String, TicketRecord> lockTickets(Collection<String> tickets, Function<String, String> source) {
                    return tx.lockTickets(tickets, source);
                }

                public void saveTickets(List<TicketRecord> records, Instant now) {
                    tx.saveTickets(records, now);
                }

                public Map<String, Set<String>> stepsDone(Collection<String> tickets) {
                    return tx.stepsDone(tickets);
                }

                public void markStepsDone(List<EscalationDue> steps, Instant now) {
                    tx.markStepsDone(steps, now);
                }

                public Set<String> olaStepsDone(Collection<String> tickets) {
                    return tx.olaStepsDone(tickets);
                }

                public void markOlaStepsDone(List<io.slabridge.core.model.OlaEscalationDue> steps, Instant now) {
                    tx.markOlaStepsDone(steps, now);
                }

                public void indexLinks(List<TicketEvent> linkEvents) {
                    tx.indexLinks(linkEvents);
                }

                public Map<String, Set<String>> linkedTickets(Collection<String> tickets) {
                    return tx.linkedTickets(tickets);
                }

                public void enqueue(List<NewCommand> commands, Instant now) {
                    throw new IllegalStateException("connection reset");
                }

                public List<String> lockDueTickets(Instant now, int limit) {
                    return tx.lockDueTickets(now, limit);
                }

                public List<String> openTickets(String afterTicket, int limit) {
                    return tx.openTickets(afterTicket, limit);
                }

                public Optional<Instant> earliestWake() {
                    return tx.earliestWake();
                }
            }));
        }

        @Override
        public Optional<Instant> oldestPendingCommand() {
            return store.oldestPendingCommand();
        }

        public List<OutboxCommand> claimOutbox(Instant now, Duration lease, int limit, Set<String> skipSources) {
            return store.claimOutbox(now, lease, limit, skipSources);
        }

        public void markDone(long id, Instant now) {
            store.markDone(id, now);
        }

        public void reschedule(long id, Instant next, String error) {
            store.reschedule(id, next, error);
        }

        public void postpone(long id, Instant next, String reason) {
            store.postpone(id, next, reason);
        }

        public boolean renewLease(OutboxCommand claimed, Instant leasedUntil, Instant newUntil) {
            return store.renewLease(claimed, leasedUntil, newUntil);
        }

        public void park(long id, String error, Instant now) {
            store.park(id, error, now);
        }

        public List<io.slabridge.core.store.ParkedCommand> parked(int limit) {
            return store.parked(limit);
        }

        public boolean requeue(long id, Instant now) {
            return store.requeue(id, now);
        }

        public Map<String, Long> outboxCounts() {
            return store.outboxCounts();
        }

        public Optional<String> cursor(String name) {
            return store.cursor(name);
        }

        public void saveCursor(String name, String value, Instant now) {
            store.saveCursor(name, value, now);
        }

        public void close() {
            store.close();
        }
    }

    private static int runChild(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashChild.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child finished");
        if (p.exitValue() != 137) {
            throw new AssertionError("child exited " + p.exitValue() + ":\n" + output);
        }
        return p.exitValue();
    }
}
