package io.slabridge.core.runtime;

import io.slabridge.core.testing.MutableClock;
import static io.slabridge.core.runtime.SlaRuntime.Outcome.ACCEPTED;
import static io.slabridge.core.runtime.SlaRuntime.Outcome.DUPLICATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.SummaryState;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteBackJson;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.policy.InvalidPolicyException;
import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.store.SlaStore;
import io.slabridge.core.store.TicketRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SlaRuntime#acceptAll}, a page of events in one transaction, against a real store: run for H2
 * ({@link H2BatchAcceptTest}) and PostgreSQL ({@link PostgresBatchAcceptTest}). The policy is
 * {@link RuntimeContractTest#policies}: first response 1 h, resolution 8 h, 24x7, a warn / breached / escalate ladder.
 */
abstract class BatchAcceptContractTest {
    static final Instant T0 = RuntimeContractTest.T0;

    private final List<SlaStore> opened = new ArrayList<>();
    MutableClock clock;
    SlaStore store;
    SlaRuntime runtime;
    private int ids;

    /** A new, empty store; closed by {@link #closeStore}. */
    abstract SlaStore openStore();

    abstract void closeStore(SlaStore store);

    @BeforeEach
    void start() throws InvalidPolicyException {
        clock = new MutableClock(T0);
        store = newStore();
        runtime = SlaRuntime.of(store, policies(), clock);
    }

    @AfterEach
    void stop() {
        opened.forEach(this::closeStore);
    }

    SlaStore newStore() {
        SlaStore s = openStore();
        opened.add(s);
        return s;
    }

    static PolicySet policies() throws InvalidPolicyException {
        return RuntimeContractTest.policies("1h");
    }

    static String ticket(int n) {
        return "jira:SUP-" + n;
    }

    TicketEvent created(String ticket, Instant at) {
        return TicketEvent.builder(ticket + ":" + (++ids), ticket, at, EventType.CREATED).priority(Priority.NORMAL)
                .status(TicketStatus.OPEN).source("jira").title("Printer " + ticket).build();
    }

    TicketEvent event(String ticket, EventType type, Instant at) {
        return TicketEvent.builder(ticket + ":" + (++ids), ticket, at, type).build();
    }

    /** Delivers everything deliverable now; per ticket, the commands in the order they went out. */
    static Map<String, List<OutboxCommand>> deliverAll(SlaStore store, MutableClock clock) {
        Map<String, List<OutboxCommand>> got = new TreeMap<>();
        OutboxDispatcher d = new OutboxDispatcher(store, Map.of("jira", c -> {
            got.computeIfAbsent(c.ticket(), t -> new ArrayList<>()).add(c);
            return WriteResult.done();
        }), clock, RetryPolicy.DEFAULT, new Random(1));
        while (d.dispatchOnce(50) > 0) {
            // until nothing is left
        }
        return got;
    }

    Map<String, List<OutboxCommand>> deliverAll() {
        return deliverAll(store, clock);
    }

    static List<String> kinds(List<OutboxCommand> commands) {
        return commands == null ? List.of() : commands.stream().map(c -> c.payload().kind()).toList();
    }

    static WriteBack.SlaFields lastFields(List<OutboxCommand> commands) {
        WriteBack.SlaFields last = null;
        for (OutboxCommand c : commands) {
            if (c.payload() instanceof WriteBack.SlaFields f) {
                last = f;
            }
        }
        return last;
    }

    static List<String> eventIds(SlaStore store, String ticket) {
        return store.inTransaction(tx -> tx.events(ticket)).stream().map(TicketEvent::id).toList();
    }

    static Map<String, TicketRecord> records(SlaStore store, Set<String> tickets) {
        Map<String, TicketRecord> locked = store.inTransaction(tx -> tx.lockTickets(tickets, t -> "none"));
        return new TreeMap<>(locked);
    }

    @Test
    void eventsAlreadyStoredOrRepeatedInThePageAreDuplicatesAndChangeNothing() {
        String t = ticket(1);
        TicketEvent create = created(t, T0);
        assertEquals(ACCEPTED, runtime.accept(create));
        deliverAll();

        clock.set(T0.plusSeconds(600));
        TicketEvent note = event(t, EventType.INTERNAL_NOTE, T0.plusSeconds(300));
        TicketEvent reply = event(t, EventType.AGENT_REPLY, T0.plusSeconds(540));
        TicketEvent otherCreate = created(ticket(2), T0.plusSeconds(420));
        assertEquals(List.of(DUPLICATE, ACCEPTED, ACCEPTED, DUPLICATE, ACCEPTED, DUPLICATE),
                runtime.acceptAll(List.of(create, note, reply, note, otherCreate, reply)));
        assertEquals(List.of(create.id(), note.id(), reply.id()), eventIds(store, t), "each event once, in page order");
        assertEquals(List.of(otherCreate.id()), eventIds(store, ticket(2)));
        Map<String, List<OutboxCommand>> got = deliverAll();
        assertEquals(List.of("sla_fields"), kinds(got.get(t)), "one refold of the ticket for the whole page");
        assertEquals(T0.plusSeconds(8 * 3600), lastFields(got.get(t)).nextDue(), "replied at 09:09: resolution is next due");
        assertEquals(List.of("sla_fields"), kinds(got.get(ticket(2))));

        assertEquals(List.of(DUPLICATE, DUPLICATE, DUPLICATE, DUPLICATE),
                runtime.acceptAll(List.of(note, reply, otherCreate, create)), "the same page again");
        assertEquals(Map.of(), deliverAll());
        assertEquals(List.of(), runtime.acceptAll(List.of()));
    }

    @Test
    void aPageSpanningManyNewAndKnownTicketsRefoldsEachOfThemOnce() {
        List<TicketEvent> known = new ArrayList<>();
        for (int n = 1; n <= 60; n++) {
            known.add(created(ticket(n), T0));
        }
        runtime.acceptAll(known);
        deliverAll();

        clock.set(T0.plusSeconds(900));
        List<TicketEvent> page = new ArrayList<>();
        for (int n = 1; n <= 60; n++) {
            page.add(event(ticket(n), EventType.AGENT_REPLY, T0.plusSeconds(600)));
            page.add(created(ticket(1000 + n), T0.plusSeconds(700)));
        }
        Collections.shuffle(page, new Random(3));
        assertEquals(Collections.nCopies(120, ACCEPTED), runtime.acceptAll(page));

        Map<String, List<OutboxCommand>> got = deliverAll();
        assertEquals(120, got.size(), "every ticket of the page got its fields");
        for (int n = 1; n <= 60; n++) {
            assertEquals(List.of("sla_fields"), kinds(got.get(ticket(n))));
            WriteBack.SlaFields known1 = lastFields(got.get(ticket(n)));
            assertEquals(T0.plusSeconds(8 * 3600), known1.nextDue(), ticket(n) + " was answered");
            assertEquals(List.of("sla_fields"), kinds(got.get(ticket(1000 + n))));
            WriteBack.SlaFields fresh = lastFields(got.get(ticket(1000 + n)));
            assertEquals(SummaryState.ON_TRACK, fresh.summary());
            assertEquals(T0.plusSeconds(700 + 3600), fresh.dueByMetric().get(Metric.FIRST_RESPONSE));
        }
        Set<String> all = page.stream().map(TicketEvent::ticket).collect(Collectors.toSet());
        Map<String, TicketRecord> records = records(store, all);
        for (int n = 1; n <= 60; n++) {
            assertEquals(2, records.get(ticket(n)).version(), "folded at its creation and once for the page");
            assertEquals(1, records.get(ticket(1000 + n)).version());
            assertEquals("jira", records.get(ticket(1000 + n)).source());
        }
    }

    @Test
    void aLateEventInThePageIsFoldedInItsPlace() {
        String t = ticket(1);
        runtime.accept(created(t, T0));
        deliverAll();
        // At 09:50 a page brings a note of 09:48 and, late, the agent's reply of 09:10.
        clock.set(T0.plusSeconds(3000));
        runtime.acceptAll(List.of(event(t, EventType.INTERNAL_NOTE, T0.plusSeconds(2880)),
                event(t, EventType.AGENT_REPLY, T0.plusSeconds(600))));
        List<OutboxCommand> got = deliverAll().get(t);
        assertEquals(List.of("sla_fields"), kinds(got), "answered at 09:10: never at risk, so no warning either");
        assertEquals(T0.plusSeconds(8 * 3600), lastFields(got).nextDue(), "the first response is met, not next due");
    }

    @Test
    void anEscalationStepReachedByAPageAndAgainByATickFiresOnce() {
        String t = ticket(1);
        runtime.accept(created(t, T0));
        clock.set(T0.plusSeconds(2760)); // 09:46: past the 75% warning
        runtime.acceptAll(List.of(event(t, EventType.INTERNAL_NOTE, clock.instant()), created(ticket(2), clock.instant())));
        assertEquals(List.of("sla_fields", "comment"), kinds(deliverAll().get(t)), "the page fired 'warn'");

        clock.set(T0.plusSeconds(3601)); // breached: the tick reaches 'warn' again, and 'breached'
        assertEquals(1, runtime.tick());
        assertEquals(List.of("sla_fields", "comment", "notify"), kinds(deliverAll().get(t)));

        clock.set(T0.plusSeconds(3700));
        runtime.acceptAll(List.of(event(t, EventType.INTERNAL_NOTE, clock.instant())));
        runtime.reload(runtime.policies());
        assertEquals(List.of(), kinds(deliverAll().get(t)), "neither step again");
    }

    @Test
    void anEscalationStepReachedByATickAndAgainByAPageFiresOnce() {
        String t = ticket(1);
        runtime.accept(created(t, T0));
        clock.set(T0.plusSeconds(2700));
        assertEquals(1, runtime.tick());
        assertEquals(List.of("sla_fields", "comment"), kinds(deliverAll().get(t)));
        clock.set(T0.plusSeconds(2900));
        runtime.acceptAll(List.of(event(t, EventType.INTERNAL_NOTE, clock.instant()), created(ticket(2), clock.instant())));
        assertEquals(List.of(), kinds(deliverAll().get(t)), "'warn' is done: the page enqueues nothing for it");
    }

    /**
     * Pages as a poller delivers them (each ticket at most once per page, events in time order, "now" = the page's
     * last event) give exactly what accepting the same events one by one at the same instants gives: the same
     * commands with the same payloads and idempotency keys, and the same stored state.
     */
    @Test
    void pagesGiveTheSameCommandsAndStateAsOneByOne() throws InvalidPolicyException {
        List<TicketEvent> history = randomHistory(new Random(11), 40, false);
        List<List<TicketEvent>> pages = new ArrayList<>();
        List<TicketEvent> page = new ArrayList<>();
        Set<String> inPage = new HashSet<>();
        for (TicketEvent e : history) {
            if (page.size() == 8 || !inPage.add(e.ticket())) {
                pages.add(page);
                page = new ArrayList<>();
                inPage = new HashSet<>(Set.of(e.ticket()));
            }
            page.add(e);
        }
        pages.add(page);

        SlaStore oneByOneStore = newStore();
        SlaRuntime oneByOne = SlaRuntime.of(oneByOneStore, policies(), clock);
        for (List<TicketEvent> p : pages) {
            clock.set(p.get(p.size() - 1).at());
            assertEquals(Collections.nCopies(p.size(), ACCEPTED), runtime.acceptAll(p));
            for (TicketEvent e : p) {
                assertEquals(ACCEPTED, oneByOne.accept(e));
            }
            runtime.tick();
            oneByOne.tick();
        }
        Set<String> tickets = history.stream().map(TicketEvent::ticket).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(describe(deliverAll(oneByOneStore, clock)), describe(deliverAll()));
        assertEquals(records(oneByOneStore, tickets), records(store, tickets));
        for (String t : tickets) {
            assertEquals(eventIds(oneByOneStore, t), eventIds(store, t));
        }
    }

    /**
     * Pages with several events of a ticket, repeats (within the page and of earlier pages) and late events: the
     * outcomes, the event logs and the state reached are those of accepting the events one by one. (What a
     * page saves is the intermediate refolds: a ticket is folded once per page, with all of its events.)
     */
    @Test
    void pagesWithRepeatsAndLateEventsEndWhereOneByOneEnds() throws InvalidPolicyException {
        Random random = new Random(5);
        List<TicketEvent> history = randomHistory(random, 30, true);
        List<List<TicketEvent>> pages = new ArrayList<>();
        for (int i = 0; i < history.size(); i += 12) {
            List<TicketEvent> page = new ArrayList<>(history.subList(i, Math.min(history.size(), i + 12)));
            for (int r = 0; r < 3; r++) { // repeats of this page's and of earlier pages' events
                page.add(random.nextInt(page.size() + 1), history.get(random.nextInt(Math.min(history.size(), i + 12))));
            }
            pages.add(page);
        }

        SlaStore oneByOneStore = newStore();
        SlaRuntime oneByOne = SlaRuntime.of(oneByOneStore, policies(), clock);
        Instant now = T0;
        for (List<TicketEvent> p : pages) {
            for (TicketEvent e : p) {
                now = e.at().isAfter(now) ? e.at() : now;
            }
            clock.set(now);
            List<SlaRuntime.Outcome> expected = new ArrayList<>();
            for (TicketEvent e : p) {
                expected.add(oneByOne.accept(e));
            }
            assertEquals(expected, runtime.acceptAll(p));
        }
        assertTrue(pages.stream().flatMap(List::stream).count() > history.size(), "the pages did repeat events");
        clock.set(now.plus(Duration.ofDays(2)));
        for (SlaRuntime r : List.of(runtime, oneByOne)) {
            r.tick();
            r.reload(r.policies());
        }
        Set<String> tickets = history.stream().map(TicketEvent::ticket).collect(Collectors.toCollection(TreeSet::new));
        for (String t : tickets) {
            assertEquals(eventIds(oneByOneStore, t), eventIds(store, t));
        }
        assertEquals(withoutVersions(records(oneByOneStore, tickets)), withoutVersions(records(store, tickets)));
        Map<String, List<OutboxCommand>> pagedCommands = deliverAll();
        Map<String, List<OutboxCommand>> oneByOneCommands = deliverAll(oneByOneStore, clock);
        for (String t : tickets) {
            assertEquals(lastFields(oneByOneCommands.get(t)), lastFields(pagedCommands.get(t)), "last fields of " + t);
        }
    }

    /**
     * Two threads sending pages that lock the same known tickets in opposite orders: no transaction deadlocks
     * (none has to be retried), no page fails, and nothing is lost: every event is accepted exactly once.
     */
    @Test
    void concurrentPagesOnOverlappingTicketsNeitherDeadlockNorLoseEvents() throws Exception {
        List<TicketEvent> known = new ArrayList<>();
        for (int n = 1; n <= 40; n++) {
            known.add(created(ticket(n), T0));
        }
        runtime.acceptAll(known);
        clock.set(T0.plusSeconds(1800));
        List<List<TicketEvent>> pagesA = new ArrayList<>();
        List<List<TicketEvent>> pagesB = new ArrayList<>();
        for (int p = 0; p < 25; p++) {
            List<TicketEvent> a = new ArrayList<>();
            List<TicketEvent> b = new ArrayList<>();
            for (int n = 1; n <= 40; n += 2) { // A: tickets 1, 3, ...; B: 40, 38, ...; both touch all 40 over two pages
                int k = p % 2 == 0 ? n : n + 1;
                a.add(event(ticket(k), EventType.INTERNAL_NOTE, T0.plusSeconds(p * 60L + n)));
                b.add(0, event(ticket(41 - k), EventType.INTERNAL_NOTE, T0.plusSeconds(p * 60L + n + 30)));
            }
            // Both also deliver the same few events: each must be taken once.
            TicketEvent shared = event(ticket(1 + p % 40), EventType.CUSTOMER_MESSAGE, T0.plusSeconds(p * 60L + 45));
            a.add(shared);
            b.add(0, shared);
            pagesA.add(a);
            pagesB.add(b);
        }
        RetryCountingStore counting = new RetryCountingStore(store);
        SlaRuntime shared = SlaRuntime.of(counting, policies(), clock);
        Map<String, AtomicInteger> acceptedById = runConcurrently(shared, pagesA, pagesB);

        Set<String> distinct = new HashSet<>();
        known.forEach(e -> distinct.add(e.id()));
        pagesA.forEach(p -> p.forEach(e -> distinct.add(e.id())));
        pagesB.forEach(p -> p.forEach(e -> distinct.add(e.id())));
        acceptedById.forEach((id, n) -> assertEquals(1, n.get(), id + " accepted once"));
        assertEquals(distinct.size() - known.size(), acceptedById.size(), "every event of the pages accepted");
        int stored = 0;
        for (int n = 1; n <= 40; n++) {
            stored += eventIds(store, ticket(n)).size();
        }
        assertEquals(distinct.size(), stored, "every event stored once");
        assertEquals(0, counting.retries.get(), "no transaction had to be retried (deadlock or conflict)");
    }

    /** Two threads creating the same new tickets at once: every page goes through and every event is kept once. */
    @Test
    void concurrentPagesCreatingTheSameNewTicketsLoseNothing() throws Exception {
        List<List<TicketEvent>> pagesA = new ArrayList<>();
        List<List<TicketEvent>> pagesB = new ArrayList<>();
        for (int p = 0; p < 20; p++) {
            List<TicketEvent> a = new ArrayList<>();
            List<TicketEvent> b = new ArrayList<>();
            for (int n = 0; n < 10; n++) {
                int k = p * 5 + n; // consecutive pages overlap by half: a ticket is new in one and known in the next
                Instant at = T0.plusSeconds(p * 60L + n);
                a.add(p == 0 || n >= 5 ? created(ticket(k), at) : event(ticket(k), EventType.CUSTOMER_MESSAGE, at));
                b.add(0, event(ticket(k), EventType.INTERNAL_NOTE, T0.plusSeconds(p * 60L + n + 30)));
            }
            pagesA.add(a);
            pagesB.add(b);
        }
        clock.set(T0.plusSeconds(1800));
        Map<String, AtomicInteger> acceptedById = runConcurrently(runtime, pagesA, pagesB);
        assertEquals(400, acceptedById.size());
        acceptedById.forEach((id, n) -> assertEquals(1, n.get(), id + " accepted once"));
        Set<String> tickets = new TreeSet<>();
        pagesA.forEach(p -> p.forEach(e -> tickets.add(e.ticket())));
        Map<String, TicketRecord> records = records(store, tickets);
        int stored = 0;
        for (String t : tickets) {
            List<String> log = eventIds(store, t);
            stored += log.size();
            assertEquals(SummaryState.ON_TRACK.name(), records.get(t).summary(), t + " folded with its events");
        }
        assertEquals(400, stored);
    }

    /** Runs the two threads' pages at once; per event id, how many times it came back ACCEPTED. */
    private static Map<String, AtomicInteger> runConcurrently(SlaRuntime runtime, List<List<TicketEvent>> pagesA,
            List<List<TicketEvent>> pagesB) throws InterruptedException {
        Map<String, AtomicInteger> acceptedById = new java.util.concurrent.ConcurrentHashMap<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (List<List<TicketEvent>> pages : List.of(pagesA, pagesB)) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                    for (List<TicketEvent> page : pages) {
                        List<SlaRuntime.Outcome> outcomes = runtime.acceptAll(page);
                        for (int i = 0; i < page.size(); i++) {
                            if (outcomes.get(i) == ACCEPTED) {
                                acceptedById.computeIfAbsent(page.get(i).id(), id -> new AtomicInteger()).incrementAndGet();
                            }
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join(60_000);
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("a page failed", failures.get(0));
        }
        return acceptedById;
    }

    /**
     * A random history of {@code tickets} tickets over a working day, in time order (no two events at one instant).
     * With {@code late}, some events are moved to later in the list: they arrive late.
     */
    private List<TicketEvent> randomHistory(Random random, int tickets, boolean late) {
        List<TicketEvent> events = new ArrayList<>();
        Set<Long> used = new HashSet<>();
        for (int n = 1; n <= tickets; n++) {
            String t = ticket(n);
            long at = T0.getEpochSecond() + distinctSecond(random, used, 0, 4 * 3600);
            events.add(created(t, Instant.ofEpochSecond(at)));
            int more = random.nextInt(7);
            for (int i = 0; i < more; i++) {
                at = distinctSecond(random, used, at + 60, at + 2 * 3600);
                Instant when = Instant.ofEpochSecond(at);
                EventType type = List.of(EventType.AGENT_REPLY, EventType.CUSTOMER_MESSAGE, EventType.INTERNAL_NOTE,
                        EventType.STATUS_CHANGED, EventType.PRIORITY_CHANGED).get(random.nextInt(5));
                TicketEvent.Builder b = TicketEvent.builder(t + ":" + (++ids), t, when, type);
                if (type == EventType.STATUS_CHANGED) {
                    b.status(List.of(TicketStatus.WAITING_ON_CUSTOMER, TicketStatus.OPEN, TicketStatus.RESOLVED)
                            .get(random.nextInt(3)));
                } else if (type == EventType.PRIORITY_CHANGED) {
                    b.priority(List.of(Priority.HIGH, Priority.URGENT, Priority.LOW).get(random.nextInt(3)));
                }
                events.add(b.build());
            }
        }
        events.sort((x, y) -> Long.compare(x.atEpochSecond(), y.atEpochSecond()));
        if (late) {
            for (int i = 0; i < events.size() / 8; i++) {
                int from = random.nextInt(events.size() - 1);
                int to = Math.min(events.size() - 1, from + 1 + random.nextInt(30));
                events.add(to, events.remove(from));
            }
        }
        return events;
    }

    private static long distinctSecond(Random random, Set<Long> used, long from, long to) {
        while (true) {
            long s = from + (long) (random.nextDouble() * (to - from));
            if (used.add(s)) {
                return s;
            }
        }
    }

    /** Per ticket, its commands as (kind, payload, idempotency key), in delivery order. */
    private static Map<String, List<String>> describe(Map<String, List<OutboxCommand>> commands) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        commands.forEach((t, list) -> out.put(t, list.stream()
                .map(c -> c.payload().kind() + " " + WriteBackJson.write(c.payload()) + " " + c.idempotencyKey()).toList()));
        return out;
    }

    private static Map<String, TicketRecord> withoutVersions(Map<String, TicketRecord> records) {
        Map<String, TicketRecord> out = new TreeMap<>();
        records.forEach((t, r) -> out.put(t, new TicketRecord(r.ticket(), r.source(), r.summary(), r.nextDueAt(),
                r.nextWakeAt(), r.open(), r.slaFields(), r.cycles(), 0, r.olaCycles())));
        return out;
    }

    /** Counts transactions whose work had to run more than once: the store retried them. */
    private static final class RetryCountingStore implements SlaStore {
        private final SlaStore store;
        final AtomicInteger retries = new AtomicInteger();

        RetryCountingStore(SlaStore store) {
            this.store = store;
        }

        @Override
        public <T> T inTransaction(Work<T> work) {
            AtomicInteger runs = new AtomicInteger();
            return store.inTransaction(tx -> {
                if (runs.incrementAndGet() > 1) {
                    retries.incrementAndGet();
                }
                return work.run(tx);
            });
        }

        @Override
        public java.util.Optional<Instant> oldestPendingCommand() {
            return store.oldestPendingCommand();
        }

        @Override
        public List<OutboxCommand> claimOutbox(Instant now, Duration lease, int limit, Set<String> skipSources) {
            return store.claimOutbox(now, lease, limit, skipSources);
        }

        @Override
        public void markDone(long commandId, Instant now) {
            store.markDone(commandId, now);
        }

        @Override
        public void reschedule(long commandId, Instant nextAttempt, String error) {
            store.reschedule(commandId, nextAttempt, error);
        }

        @Override
        public void postpone(long commandId, Instant nextAttempt, String reason) {
            store.postpone(commandId, nextAttempt, reason);
        }

        @Override
        public boolean renewLease(OutboxCommand claimed, Instant leasedUntil, Instant newUntil) {
            return store.renewLease(claimed, leasedUntil, newUntil);
        }

        @Override
        public void park(long commandId, String error, Instant now) {
            store.park(commandId, error, now);
        }

        @Override
        public List<io.slabridge.core.store.ParkedCommand> parked(int limit) {
            return store.parked(limit);
        }

        @Override
        public boolean requeue(long commandId, Instant now) {
            return store.requeue(commandId, now);
        }

        @Override
        public Map<String, Long> outboxCounts() {
            return store.outboxCounts();
        }

        @Override
        public java.util.Optional<String> cursor(String name) {
            return store.cursor(name);
        }

        @Override
        public void saveCursor(String name, String value, Instant now) {
            store.saveCursor(name, value, now);
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
