package io.slabridge.core.testing;

import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.outbox.BatchOutboxWriter;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.OutboxWriter;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.runtime.OutboxDispatcher;
import io.slabridge.core.runtime.RetryPolicy;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.core.store.SlaStore;
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
 * <p>Two things keep the fast clock honest:
 * <ul>
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
     */
    public record Settings(int dispatchers, int batch, double speed, Duration maxStep, Duration leaseGuard) {
        public Settings {
            if (leaseGuard.compareTo(Duration.ofSeconds(110)) > 0) {
                throw new IllegalArgumentException("the lease is 2 min: guard at most 110 s, got " + leaseGuard);
            }
        }
    }

    private final SlaStore store;
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
    private volatile String lastDispatcherError;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public FaultRun(SlaStore store, SlaRuntime runtime, MutableClock clock, Settings settings, long seed) {
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
        Instant from = clock.instant();
        int next = 0;
        while (true) {
            double elapsed = (System.nanoTime() - started) / 1e9;
            Instant paced = from.plusMillis((long) (elapsed * settings.speed() * 1000));
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
        Instant from = clock.instant();
        while (true) {
            double elapsed = (System.nanoTime() - started) / 1e9;
            advanceTowards(from.plusMillis((long) (elapsed * speed * 1000)));
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
