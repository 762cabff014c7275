package io.slabridge.core.bench;

import io.slabridge.core.fold.TicketFold;
import io.slabridge.core.io.EventLinesReader;
import io.slabridge.core.io.TicketHistories;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketSla;
import io.slabridge.core.policy.InvalidPolicyException;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.sample.SyntheticHistory;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of {@link TicketFold#fold(String, List, long)}: one typical ticket (average time, µs/op), and a
 * single thread folding all 10,000 tickets of a synthetic history one after the other (throughput, reported
 * per ticket: ops/s = tickets/s).
 *
 * <p>Input: the policy of examples/bench/policy.yaml (four calendars, four layered policies) and
 * {@code SyntheticHistory.of(10_000, 90, 1, 2026-01-05T00:00:00Z)}, the defaults of {@code sla-bridge
 * generate}, written to a temporary file and read back with {@link EventLinesReader}. Every ticket is
 * evaluated at the latest event instant, as {@code replay} does without {@code --at}. The "typical" ticket
 * is the first, in key order, whose event count is the median count. Setup folds every ticket once before
 * timing, so the calendars' year blocks are built and the numbers are of the warm path.
 *
 * <p>The policy file is found through the system property {@code bench.policy}, or else by looking for
 * examples/bench/policy.yaml in the working directory and its parents.
 */
@Fork(1)
@Warmup(iterations = 5, time = 1) // the fold's code needs longer than the calendar's to settle in the JIT
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class FoldBenchmark {
    static final int TICKETS = 10_000;
    private static final long START = Instant.parse("2026-01-05T00:00:00Z").getEpochSecond();

    private TicketFold fold;
    private String[] keys;
    private List<List<TicketEvent>> histories;
    private long evaluatedAt;
    private String typicalKey;
    private List<TicketEvent> typicalEvents;

    @Setup(Level.Trial)
    public void setUp() throws IOException, InvalidPolicyException {
        Path policyFile = policyFile();
        PolicySet policies = PolicyFileParser.parse(policyFile.toString(), Files.readString(policyFile));
        fold = TicketFold.of(policies);

        Path events = Files.createTempFile("fold-benchmark", ".jsonl");
        try {
            try (Writer out = Files.newBufferedWriter(events, StandardCharsets.UTF_8)) {
                SyntheticHistory.of(TICKETS, 90, 1, START).writeTo(out);
            }
            TicketHistories read = EventLinesReader.read(events);
            if (read.badLines() != 0 || read.byTicket().size() != TICKETS) {
                throw new IllegalStateException("synthetic history read back wrong: " + read.byTicket().size()
                        + " tickets, " + read.badLines() + " bad lines " + read.problems());
            }
            evaluatedAt = read.latestAt().orElseThrow().getEpochSecond();
            Map<String, List<TicketEvent>> sorted = new TreeMap<>(read.byTicket());
            keys = sorted.keySet().toArray(new String[0]);
            histories = new ArrayList<>(sorted.values());
        } finally {
            Files.deleteIfExists(events);
        }

        List<Integer> sizes = new ArrayList<>();
        for (List<TicketEvent> h : histories) {
            sizes.add(h.size());
        }
        sizes.sort(null);
        int median = sizes.get(sizes.size() / 2);
        for (int i = 0; i < keys.length; i++) {
            if (histories.get(i).size() == median) {
                typicalKey = keys[i];
                typicalEvents = histories.get(i);
                break;
            }
        }
        // One untimed pass over every ticket: builds the year blocks of all four calendars (and loads the
        // holiday data) here, so no warmup iteration pays for them.
        for (int i = 0; i < keys.length; i++) {
            fold.fold(keys[i], histories.get(i), evaluatedAt);
        }
        TicketSla typical = fold.fold(typicalKey, typicalEvents, evaluatedAt);
        System.out.println("typical ticket " + typicalKey + ": " + typicalEvents.size() + " events (median), "
                + typical.cycles().size() + " metric cycles, evaluated at " + Instant.ofEpochSecond(evaluatedAt));
    }

    private static Path policyFile() {
        String configured = System.getProperty("bench.policy");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("examples/bench/policy.yaml");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("examples/bench/policy.yaml not found from " + Path.of("").toAbsolutePath()
                + "; set -Dbench.policy=/path/to/policy.yaml");
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public TicketSla foldOneTicket() {
        return fold.fold(typicalKey, typicalEvents, evaluatedAt);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(TICKETS)
    public void foldTenThousandTickets(Blackhole bh) {
        for (int i = 0; i < keys.length; i++) {
            bh.consume(fold.fold(keys[i], histories.get(i), evaluatedAt));
        }
    }
}
