package io.slabridge.store.testing;

import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.outbox.BatchOutboxWriter;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.OutboxWriter;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.runtime.OutboxDispatcher;
import io.slabridge.core.runtime.RetryPolicy;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.store.JdbcSlaStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs the SLA core as the service does, on a {@link MutableClock} that runs faster than real time: a driver
 * (this object's caller) accepts ticket events at their instants and ticks the runtime as the scheduler would,
 * while dispatcher threads (one {@link OutboxDispatcher} each, as several instances would have) deliver the
 * outbox through the real writers with {@link RetryPolicy#DEFAULT}.
 *
 * <p>Three things keep the fast clock honest:
 * <ul>
 * <li>it waits while more than {@code maxReady} commands are ready to go out: the dispatchers keep up with the
 * tickets as the service's would, rather than the run ending with a backlog that is written after the faults;</li>
 * <li>it never moves more than {@code leaseGuard} past the instant a dispatcher's current claim began. A claim
 * is leased for two minutes; at real speed a batch is delivered well within that, so a lease that ran out only
 * because the test's clock raced ahead would be a fault of the test, not of the code;</li>
 * <li>each writer call is watched: a ticket with a delivery under way is "in flight" (a fake system uses that to
 * tell a request it got in time from one it processed after the writer gave up), and two deliveries of one
 * ticket at once are counted: the dispatcher promises there are none.</li>
 * </ul>
 */
public final class FaultRun implements AutoCloseable {

    /**
     * @param dispatchers threads, each with its own dispatcher
     * @param batch       commands claimed per {@link OutboxDispatcher#dispatchOnce} (the service's default is 50)
     * @param speed       simulated seconds per real second while events are fed
     * @param maxStep     the most the clock moves in one step of the driver
     * @param leaseGuard  how far past the start of the oldest claim under way the clock may go (under 2 min)
     * @param maxReady    how many commands may be ready to go out before the clock waits for the dispatchers
     */
    public record Settings(int dispatchers, int batch, double speed, Duration maxStep, Duration leaseGuard,
            int maxReady) {
        public Settings {
            if (leaseGuard.compareTo(Duration.ofSeconds(110)) > 0) {
                throw new IllegalArgumentException("the lease is 2 min: guard at most 110 s, got " + leaseGuard);
            }
        }
    }

    private final JdbcSlaStore store;
    private final SlaRuntime runtime;
    private final MutableClock clock;
    private final Settings settings;
    private final long seed;
    private final Map<String, Long> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong overlaps = new AtomicLong();
    private final AtomicReferenceArray<Instant> claims;
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final AtomicLong dispatcherErrors = new AtomicLong();
    private final AtomicLong guardWaits = new AtomicLong();
    private final AtomicLong backlogWaits = new AtomicLong();
    private long readyCheckedAt;
    private boolean backlogged;
    private volatile String lastDispatcherError;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public FaultRun(JdbcSlaStore store, SlaRuntime runtime, MutableClock clock, Settings settings, long seed) {
        this.store = store;
        this.runtime = runtime;
        this.clock = clock;
        this.settings = settings;
        this.seed = seed;
        this.claims = new AtomicReferenceArray<>(settings.dispatchers());
    }

    /** Starts the dispatcher threads, delivering to {@code writersBySource} (watched). */
    public void start(Map<String, OutboxWriter> writersBySource) {
        Map<String, OutboxWriter> watched = new LinkedHashMap<>();
        writersBySource.forEach((source, writer) -> watched.put(source, watch(writer)));
        running = true;
        for (int i = 0; i < settings.dispatchers(); i++) {
            int slot = i;
            OutboxDispatcher dispatcher = new OutboxDispatcher(store, watched, clock, RetryPolicy.DEFAULT,
                    new Random(seed + i)).onDelivery((command, outcome) -> outcomes
                            .computeIfAbsent(command.payload().kind() + " " + outcome, k -> new LongAdder()).increment());
            Thread t = new Thread(() -> dispatch(slot, dispatcher), "fault-run-dispatcher-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void dispatch(int slot, OutboxDispatcher dispatcher) {
        while (running) {
            int handled = 0;
            claims.set(slot, clock.instant());
            try {
                handled = dispatcher.dispatchOnce(settings.batch());
            } catch (RuntimeException e) {
                // A store error: the service's timer route would log it and come back; so do we, counting it.
                dispatcherErrors.incrementAndGet();
                lastDispatcherError = e.toString();
            } finally {
                claims.set(slot, null);
            }
            if (handled == 0) {
                sleep(2);
            }
        }
    }

    private OutboxWriter watch(OutboxWriter writer) {
        if (writer instanceof BatchOutboxWriter batch) {
            return new BatchOutboxWriter() {
                @Override
                public int maxBatch() {
                    return batch.maxBatch();
                }

                @Override
                public List<WriteResult> writeAll(List<OutboxCommand> commands) throws Exception {
                    commands.forEach(FaultRun.this::enter);
                    try {
                        return batch.writeAll(commands);
                    } finally {
                        commands.forEach(FaultRun.this::leave);
                    }
                }
            };
        }
        return command -> {
            enter(command);
            try {
                return writer.write(command);
            } finally {
                leave(command);
            }
        };
    }

    private void enter(OutboxCommand command) {
        if (inFlight.putIfAbsent(command.ticket(), command.id()) != null) {
            overlaps.incrementAndGet();
        }
    }

    private void leave(OutboxCommand command) {
        inFlight.remove(command.ticket(), command.id());
    }

    /** Whether a writer is delivering a command of {@code ticket} right now. */
    public boolean inFlight(String ticket) {
        return inFlight.containsKey(ticket);
    }

    /**
     * Accepts {@code events} (in time order) at their instants and ticks the runtime, the clock running at the
     * settings' speed, until every event is in and the clock has reached {@code until}.
     *
     * @throws AssertionError when that takes longer than {@code realLimit}
     */
    public void feed(List<TicketEvent> events, Instant until, Duration realLimit) {
        long started = System.nanoTime();
        long last = started;
        int next = 0;
        while (true) {
            long tick = System.nanoTime();
            double elapsed = (tick - started) / 1e9;
            // At most `speed` times real time since the last step: time the clock waited is not made up for.
            Instant paced = clock.instant().plusMillis((long) ((tick - last) / 1e6 * settings.speed()));
            last = tick;
            advanceTowards(paced.isAfter(until) ? until : paced);
            Instant now = clock.instant();
            int first = next;
            while (next < events.size() && !events.get(next).at().isAfter(now) && next - first < 500) {
                next++;
            }
            if (next > first) {
                runtime.acceptAll(events.subList(first, next));
            }
            runtime.tick();
            if (next == events.size() && !now.isBefore(until)) {
                return;
            }
            if (elapsed > realLimit.toSeconds()) {
                throw new AssertionError("feeding took more than " + realLimit + ": at " + now + " with "
                        + (events.size() - next) + " events left; outbox " + store.outboxCounts());
            }
            sleep(1);
        }
    }

    /**
     * Keeps the clock running (at {@code speed}) and the runtime ticking until no command is pending, and returns
     * how much simulated time that took.
     *
     * @throws AssertionError when the outbox is not empty after {@code simulatedLimit} or {@code realLimit}
     */
    public Duration drain(double speed, Duration simulatedLimit, Duration realLimit) {
        long started = System.nanoTime();
        long last = started;
        Instant from = clock.instant();
        while (true) {
            long tick = System.nanoTime();
            double elapsed = (tick - started) / 1e9;
            advanceTowards(clock.instant().plusMillis((long) ((tick - last) / 1e6 * speed)));
            last = tick;
            runtime.tick();
            Instant now = clock.instant();
            if (store.outboxCounts().getOrDefault("pending", 0L) == 0) {
                return Duration.between(from, now);
            }
            if (Duration.between(from, now).compareTo(simulatedLimit) > 0 || elapsed > realLimit.toSeconds()) {
                throw new AssertionError("the outbox did not drain within " + Duration.between(from, now)
                        + " (simulated) and " + Math.round(elapsed) + " s: " + store.outboxCounts());
            }
            sleep(2);
        }
    }

    /** One step towards {@code target}: at most {@code maxStep}, and never past the lease guard of a claim under way. */
    private void advanceTowards(Instant target) {
        Instant now = clock.instant();
        if (System.nanoTime() - readyCheckedAt > 10_000_000L) {
            readyCheckedAt = System.nanoTime();
            backlogged = ready(now) > settings.maxReady();
        }
        if (backlogged) {
            backlogWaits.incrementAndGet();
            return;
        }
        Instant next = now.plus(settings.maxStep());
        if (target.isBefore(next)) {
            next = target;
        }
        for (int i = 0; i < claims.length(); i++) {
            Instant claimed = claims.get(i);
            if (claimed != null && claimed.plus(settings.leaseGuard()).isBefore(next)) {
                next = claimed.plus(settings.leaseGuard());
                guardWaits.incrementAndGet();
            }
        }
        if (next.isAfter(now)) {
            clock.set(next);
        }
    }

    /**
     * Commands a claim at {@code now} could take: pending, due, not leased, and their ticket's oldest pending one
     * for their writer (as {@code claimOutbox} picks them). A command held back by an older one that waits is not counted: the
     * clock must move for that wait to end.
     */
    private long ready(Instant now) {
        try (Connection c = store.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM outbox o WHERE o.status = 'pending' "
                        + "AND o.next_attempt_at <= ? AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.ticket = o.ticket "
                        + "AND e.source = o.source AND e.status = 'pending' AND e.id < o.id)")) {
            ps.setLong(1, now.getEpochSecond());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long n = rs.getLong(1);
                c.rollback();
                return n;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deliveries by payload kind and outcome, e.g. {@code comment done}, {@code sla_fields error}. */
    public Map<String, Long> outcomes() {
        Map<String, Long> out = new TreeMap<>();
        outcomes.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public long outcomes(String outcome) {
        return outcomes().entrySet().stream().filter(e -> e.getKey().endsWith(" " + outcome))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Times two deliveries of one ticket were under way at once (the dispatcher promises none). */
    public long overlaps() {
        return overlaps.get();
    }

    /** Store errors the dispatcher threads met (and went on after). */
    public long dispatcherErrors() {
        return dispatcherErrors.get();
    }

    public String lastDispatcherError() {
        return lastDispatcherError;
    }

    /** Steps of the driver that the lease guard held back. */
    public long guardWaits() {
        return guardWaits.get();
    }

    /** Steps of the driver that waited for the dispatchers to catch up. */
    public long backlogWaits() {
        return backlogWaits.get();
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
