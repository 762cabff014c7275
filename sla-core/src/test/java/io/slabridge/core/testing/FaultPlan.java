package io.slabridge.core.testing;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which calls of a fake source system fail, and how, for fault-injection tests: of the calls made while the plan
 * is on, a share ({@code rate}) gets one of the {@link Fault}s, each as likely as the others.
 *
 * <p>Decisions are drawn from a seeded random stream per {@code stream} name (a Jira issue, a Salesforce call
 * kind): the n-th call of a stream always gets the same decision, however the threads of a run interleave.
 * Some faults lose the answer of a write that landed: a latency fault always (the server did the work, the
 * answer came too late), a reset, an empty reply or a 502 half of the time (a proxy lost the backend's answer).
 * These are what make a retried comment a possible duplicate.
 */
public final class FaultPlan {

    /** How a call fails. */
    public enum Fault {
        CONNECTION_RESET("connection reset", true),
        EMPTY_REPLY("empty reply", true),
        HTTP_500("500", false),
        HTTP_502("502", true),
        HTTP_503("503", false),
        HTTP_429("429 + Retry-After", false),
        LATENCY("10 s latency", true);

        private final String label;
        private final boolean mayLand;

        Fault(String label, boolean mayLand) {
            this.label = label;
            this.mayLand = mayLand;
        }

        public String label() {
            return label;
        }
    }

    /** The answer the server stalls before a {@link Fault#LATENCY} answer, far beyond the client's timeout. */
    public static final int LATENCY_MILLIS = 10_000;

    /**
     * What happens to one call.
     *
     * @param fault             null: the call is served normally
     * @param landsFirst        the server does the work before the answer is lost
     * @param retryAfterSeconds the wait a 429 asks for (1 to 20 s)
     */
    public record Call(Fault fault, boolean landsFirst, int retryAfterSeconds) {
        static final Call OK = new Call(null, true, 0);

        public boolean ok() {
            return fault == null;
        }

        /** Whether the server does the work: always without a fault, else when it lands before the answer is lost. */
        public boolean serves() {
            return fault == null || landsFirst;
        }
    }

    private final long seed;
    private final double rate;
    private volatile boolean on = true;
    private final Map<String, Random> streams = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong callsWhileOn = new AtomicLong();
    private final AtomicLongArray byFault = new AtomicLongArray(Fault.values().length);
    private final AtomicLong landedThenLost = new AtomicLong();

    public FaultPlan(long seed, double rate) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("rate must be within [0, 1], got " + rate);
        }
        this.seed = seed;
        this.rate = rate;
    }

    /** The decision for the next call of {@code stream}. */
    public Call next(String stream) {
        calls.incrementAndGet();
        Random random = streams.computeIfAbsent(stream, s -> new Random(mix(seed ^ mix(s.hashCode()))));
        double draw;
        Fault fault;
        boolean coin;
        int after;
        synchronized (random) {
            // Every value is drawn on every call, so that a stream's sequence does not depend on the plan being on.
            draw = random.nextDouble();
            fault = Fault.values()[random.nextInt(Fault.values().length)];
            coin = random.nextBoolean();
            after = 1 + random.nextInt(20);
        }
        if (!on) {
            return Call.OK;
        }
        callsWhileOn.incrementAndGet();
        if (draw >= rate) {
            return Call.OK;
        }
        byFault.incrementAndGet(fault.ordinal());
        boolean lands = fault == Fault.LATENCY || (fault.mayLand && coin);
        return new Call(fault, lands, after);
    }

    /**
     * A 64-bit mix (Stafford's variant 13): java.util.Random's first draws for neighbouring seeds are correlated,
     * and stream names such as FLT-1, FLT-2 have neighbouring hash codes.
     */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** From now on every call is served normally. */
    public void stop() {
        on = false;
    }

    public boolean on() {
        return on;
    }

    /** A fake tells the plan that a write it served had its answer lost. */
    public void landedThenLost() {
        landedThenLost.incrementAndGet();
    }

    public long calls() {
        return calls.get();
    }

    public long callsWhileOn() {
        return callsWhileOn.get();
    }

    public long landedThenLostCount() {
        return landedThenLost.get();
    }

    public long faults() {
        long total = 0;
        for (int i = 0; i < byFault.length(); i++) {
            total += byFault.get(i);
        }
        return total;
    }

    public Map<Fault, Long> faultsByKind() {
        Map<Fault, Long> out = new EnumMap<>(Fault.class);
        for (Fault f : Fault.values()) {
            out.put(f, byFault.get(f.ordinal()));
        }
        return out;
    }

    /** "connection reset 312, empty reply 298, ..." */
    public String describeFaults() {
        StringBuilder sb = new StringBuilder();
        faultsByKind().forEach((f, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(f.label()).append(' ').append(n));
        return sb.toString();
    }
}
