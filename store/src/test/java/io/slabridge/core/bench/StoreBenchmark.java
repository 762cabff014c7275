package io.slabridge.core.bench;

import io.slabridge.core.io.EventLinesReader;
import io.slabridge.core.io.TicketHistories;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.policy.InvalidPolicyException;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.runtime.GroupCommit;
import io.slabridge.core.runtime.Scheduler;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.core.sample.SyntheticHistory;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures the durable runtime ({@link SlaRuntime} on {@link JdbcSlaStore}) against a real PostgreSQL: ingest
 * rate, the cost of an idle scheduler tick as the number of open tickets grows, and heap with a million open
 * tickets. A plain main, not a JMH benchmark: the work is dominated by database round trips and commits.
 *
 * <p>Subcommands (any of them, in order; none means all three): {@code ingest}, {@code tick}, {@code heap}.
 * Options ({@code --name=value}):
 * <ul>
 *   <li>ingest: {@code --threads=2 --warmup=15 --seconds=15 --batch=1 --tickets=20000 --seed=7 --analyze-every=5}
 *   ({@code --tickets} defaults to 60000 when {@code --batch} is over 1, so that the threads do not run out of
 *   events; {@code --analyze-every=0} turns the periodic ANALYZE off; {@code --group=true} sends single events
 *   through {@link GroupCommit}, as the application's ingest endpoint does)</li>
 *   <li>tick: {@code --sizes=10000,100000,1000000 --reps=2000 --due-reps=20 --analyze=true}</li>
 *   <li>heap: {@code --heap-tickets=1000000 --heap-ticks=2000 --analyze=true}</li>
 * </ul>
 *
 * <p>Database: {@code -Dstore.bench.url} (default {@code jdbc:postgresql://127.0.0.1:5432/test}),
 * {@code -Dstore.bench.user} ({@code postgres}), {@code -Dstore.bench.password} (empty). Every part works in a
 * schema of its own, {@code store_bench_<part>_<random>}, created at its start and dropped at its end (also on
 * Ctrl-C); nothing else in the database is touched. The policy is {@code examples/bench/policy.yaml}, found
 * from the working directory upwards, or {@code -Dbench.policy=...}.
 *
 * <p>Lines starting with {@code RESULT } are for scripts ({@code bench/store-bench.sh}).
 */
public final class StoreBenchmark {
    static final String URL = System.getProperty("store.bench.url", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = System.getProperty("store.bench.user", "postgres");
    static final String PASSWORD = System.getProperty("store.bench.password", "");

    /** "Now" of the tick and heap parts: the tickets' wake-up instants are after it. */
    static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private final Map<String, String> options;

    private StoreBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        List<String> parts = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("options are --name=value, got " + arg);
                }
                options.put(arg.substring(2, eq), arg.substring(eq + 1));
            } else if (!arg.isBlank()) {
                parts.add(arg);
            }
        }
        if (parts.isEmpty() || parts.equals(List.of("all"))) {
            parts = List.of("ingest", "tick", "heap");
        }
        StoreBenchmark bench = new StoreBenchmark(options);
        describeMachine();
        for (String part : parts) {
            switch (part) {
                case "ingest" -> bench.ingest();
                case "tick" -> bench.tick();
                case "heap" -> bench.heap();
                default -> throw new IllegalArgumentException("unknown part '" + part + "': ingest, tick, heap or all");
            }
        }
    }

    private int intOption(String name, int defaultValue) {
        String v = options.get(name);
        return v == null ? defaultValue : Integer.parseInt(v.replace("_", ""));
    }

    private boolean boolOption(String name, boolean defaultValue) {
        String v = options.get(name);
        return v == null ? defaultValue : Boolean.parseBoolean(v);
    }

    private static void describeMachine() {
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "JVM %s %s, %d processors, max heap %d MB; %s as %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                rt.availableProcessors(), rt.maxMemory() >> 20, URL, USER);
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            for (String setting : List.of("server_version", "synchronous_commit", "fsync", "wal_sync_method",
                    "shared_buffers", "autovacuum")) {
                try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
                    rs.next();
                    System.out.print(setting + "=" + rs.getString(1) + "  ");
                }
            }
            System.out.println();
        } catch (SQLException e) {
            throw new IllegalStateException("no PostgreSQL at " + URL + " as " + USER + ": " + e.getMessage(), e);
        }
    }

    // ---- ingest ----------------------------------------------------------------------------------------------

    /**
     * Threads calling {@code runtime.accept(event)} as fast as they can, each on its own tickets (a synthetic
     * history split by ticket; each thread's events in time order, so each ticket's are too). Each thread's
     * clock reads the instant of the event it is accepting, as if events were accepted as they happen. Counts
     * events accepted in a window of {@code --seconds} after {@code --warmup} seconds.
     *
     * <p>With {@code --batch=N} over 1, each thread instead calls {@code runtime.acceptAll(page)} with the next N
     * events of its stream, as a poller's page delivers them: consecutive in time, across many tickets. The
     * clock then reads the instant of the page's last event.
     *
     * <p>Every {@code --analyze-every} seconds the schema's tables are ANALYZEd, as autovacuum's auto-analyze
     * would do on a default server while they grow. The benchmark server runs with {@code autovacuum=off}, and
     * without statistics PostgreSQL plans a page's {@code ticket = ANY(?)} reads as sequential scans.
     */
    private void ingest() throws Exception {
        int threads = intOption("threads", 2);
        int warmup = intOption("warmup", 15);
        int seconds = intOption("seconds", 15);
        int batch = intOption("batch", 1);
        int analyzeEvery = intOption("analyze-every", 5);
        int tickets = intOption("tickets", batch > 1 ? 60_000 : 20_000);
        int seed = intOption("seed", 7);
        PolicySet policies = policies();
        List<List<TicketEvent>> streams = partition(history(tickets, 90, seed,
                Instant.parse("2026-01-05T00:00:00Z")), threads);
        int total = streams.stream().mapToInt(List::size).sum();
        List<List<List<TicketEvent>>> pagesPerThread = new ArrayList<>();
        for (List<TicketEvent> stream : streams) {
            List<List<TicketEvent>> pages = new ArrayList<>();
            for (int i = 0; i < stream.size(); i += batch) {
                pages.add(List.copyOf(stream.subList(i, Math.min(stream.size(), i + batch))));
            }
            pagesPerThread.add(pages);
        }
        System.out.printf(Locale.ROOT, "%n== ingest: %d threads, %d s warm-up, %d s measured; synthetic history of %d "
                + "tickets, %d distinct events (%s per thread)%n", threads, warmup, seconds, tickets, total,
                streams.stream().map(l -> Integer.toString(l.size())).toList());
        if (batch > 1) {
            double ticketsPerPage = pagesPerThread.stream().flatMap(List::stream)
                    .mapToLong(p -> p.stream().map(TicketEvent::ticket).distinct().count()).average().orElse(0);
            System.out.printf(Locale.ROOT, "batch: acceptAll() with pages of %d consecutive events of a thread's stream "
                    + "(%.1f distinct tickets per page on average)%n", batch, ticketsPerPage);
        }

        try (BenchSchema schema = BenchSchema.create("ingest", threads + 2)) {
            EventClock clock = new EventClock();
            SlaRuntime runtime = SlaRuntime.of(schema.store(), policies, clock);
            // --group: single events through GroupCommit, as the application's ingest endpoint takes webhooks.
            GroupCommit group = boolOption("group", false) ? new GroupCommit(runtime) : null;
            AtomicBoolean stop = new AtomicBoolean();
            AtomicBoolean measuring = new AtomicBoolean();
            AtomicLong[] counts = new AtomicLong[threads];
            long[][] latencies = new long[threads][];
            int[] latencyCount = new int[threads];
            AtomicBoolean exhausted = new AtomicBoolean();
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int index = t;
                List<List<TicketEvent>> pages = pagesPerThread.get(t);
                counts[t] = new AtomicLong();
                latencies[t] = new long[pages.size()];
                Thread worker = new Thread(() -> {
                    try {
                        for (List<TicketEvent> page : pages) {
                            if (stop.get()) {
                                return;
                            }
                            TicketEvent last = page.get(page.size() - 1);
                            clock.set(last.at());
                            boolean timed = measuring.get();
                            long start = System.nanoTime();
                            if (batch == 1 && group != null) {
                                if (group.acceptAll(List.of(last)).get(0) != SlaRuntime.Outcome.ACCEPTED) {
                                    throw new IllegalStateException("event " + last.id() + " was not accepted");
                                }
                            } else if (batch == 1) {
                                if (runtime.accept(last) != SlaRuntime.Outcome.ACCEPTED) {
                                    throw new IllegalStateException("event " + last.id() + " was not accepted");
                                }
                            } else {
                                List<SlaRuntime.Outcome> outcomes = runtime.acceptAll(page);
                                for (int i = 0; i < page.size(); i++) {
                                    if (outcomes.get(i) != SlaRuntime.Outcome.ACCEPTED) {
                                        throw new IllegalStateException("event " + page.get(i).id() + " was not accepted");
                                    }
                                }
                            }
                            long took = System.nanoTime() - start;
                            counts[index].addAndGet(page.size());
                            if (timed) {
                                latencies[index][latencyCount[index]++] = took;
                            }
                        }
                        exhausted.set(true);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "ingest-" + t);
                workers.add(worker);
            }
            Thread analyzer = new Thread(() -> {
                try (Connection c = schema.connect(); Statement s = c.createStatement()) {
                    while (!stop.get()) {
                        s.execute("ANALYZE ticket_event, ticket_state, outbox, escalation_done");
                        Thread.sleep(analyzeEvery * 1000L);
                    }
                } catch (SQLException | InterruptedException e) {
                    if (!stop.get()) {
                        failures.add(e);
                    }
                }
            }, "ingest-analyze");
            analyzer.setDaemon(true);
            if (analyzeEvery > 0) {
                analyzer.start();
                System.out.printf(Locale.ROOT, "ANALYZE of the schema every %d s, as auto-analyze would (autovacuum is off "
                        + "here)%n", analyzeEvery);
            }
            workers.forEach(Thread::start);
            Thread.sleep(warmup * 1000L);
            BackendCpu backends = BackendCpu.of(schema);
            long backendCpu0 = backends.cpuNanos();
            long jvmCpu0 = jvmCpuNanos();
            long allocated0 = allocatedBytes(workers);
            long[] gc0 = gcCountAndMillis();
            long before = sum(counts);
            long t0 = System.nanoTime();
            measuring.set(true);
            long[] perSecond = new long[seconds];
            long last = before;
            for (int i = 0; i < seconds; i++) {
                long until = t0 + (i + 1) * 1_000_000_000L;
                Thread.sleep(Math.max(0, (until - System.nanoTime()) / 1_000_000));
                long now = sum(counts);
                perSecond[i] = now - last;
                last = now;
            }
            measuring.set(false);
            long after = sum(counts);
            long t1 = System.nanoTime();
            long jvmCpu = jvmCpuNanos() - jvmCpu0;
            long allocated = allocatedBytes(workers) - allocated0;
            long[] gc1 = gcCountAndMillis();
            long backendCpu = backends.cpuNanos() - backendCpu0;
            stop.set(true);
            for (Thread worker : workers) {
                worker.join();
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException("ingest failed", failures.get(0));
            }
            if (exhausted.get()) {
                throw new IllegalStateException("a thread ran out of events before the end: use more --tickets");
            }
            long accepted = sum(counts);
            double rate = (after - before) / ((t1 - t0) / 1e9);
            long[] all = concat(latencies, latencyCount);
            long stored;
            long outbox;
            long states;
            try (Connection c = schema.connect(); Statement s = c.createStatement()) {
                stored = count(s, "SELECT COUNT(*) FROM ticket_event");
                outbox = count(s, "SELECT COUNT(*) FROM outbox");
                states = count(s, "SELECT COUNT(*) FROM ticket_state");
            }
            if (stored != accepted) {
                throw new IllegalStateException(accepted + " events accepted but " + stored + " stored");
            }
            System.out.printf(Locale.ROOT, "measured: %d events in %.2f s = %.0f events/s (%d threads, batch %d%s)%n",
                    after - before, (t1 - t0) / 1e9, rate, threads, batch, group == null ? "" : String.format(Locale.ROOT,
                            ", group commit: %.1f deliveries per transaction", group.deliveries() / (double) Math.max(1,
                                    group.groups())));
            System.out.printf(Locale.ROOT, "%s latency: median %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms "
                    + "(%d calls)%n", batch == 1 ? "accept()" : "acceptAll() of " + batch + " events", pct(all, 50) / 1e6, pct(all, 90) / 1e6, pct(all, 99) / 1e6,
                    all.length == 0 ? 0 : all[all.length - 1] / 1e6, all.length);
            System.out.printf(Locale.ROOT, "events/s in each second of the window: %s%n", Arrays.toString(perSecond));
            System.out.printf(Locale.ROOT, "CPU per event in the window: JVM %.0f µs, its %d PostgreSQL backends %s "
                    + "(%d processors: %.0f µs of CPU available per event)%n", jvmCpu / 1e3 / (after - before),
                    backends.pids().size(), backendCpu < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f µs",
                            backendCpu / 1e3 / (after - before)), Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().availableProcessors() * ((t1 - t0) / 1e3) / (after - before));
            System.out.printf(Locale.ROOT, "allocated by the ingest threads: %.1f KB per event; GC in the window: %d "
                    + "collections, %d ms%n", allocated / 1024.0 / (after - before), gc1[0] - gc0[0], gc1[1] - gc0[1]);
            System.out.printf(Locale.ROOT, "RESULT ingest.jvm_cpu_us_per_event=%.1f%n", jvmCpu / 1e3 / (after - before));
            System.out.printf(Locale.ROOT, "RESULT ingest.allocated_kb_per_event=%.2f%n", allocated / 1024.0 / (after - before));
            System.out.printf(Locale.ROOT, "in the store at the end: %d events (= accepted, warm-up included), "
                    + "%d tickets, %d outbox commands%n", stored, states, outbox);
            System.out.print(scans(schema));
            System.out.printf(Locale.ROOT, "RESULT ingest.events_per_s=%.1f%n", rate);
            System.out.printf(Locale.ROOT, "RESULT ingest.latency_median_ms=%.3f%n", pct(all, 50) / 1e6);
            System.out.printf(Locale.ROOT, "RESULT ingest.latency_p99_ms=%.3f%n", pct(all, 99) / 1e6);
        }
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Bytes allocated so far by the given threads (HotSpot's per-thread allocation counters). */
    private static long allocatedBytes(List<Thread> threads) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : threads) {
            total += Math.max(0, mx.getThreadAllocatedBytes(t.getId()));
        }
        return total;
    }

    private static long[] gcCountAndMillis() {
        long count = 0;
        long millis = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /** The CPU time of the backends serving a schema's pool, read from /proc (the database must be local). */
    private record BackendCpu(List<Integer> pids) {
        static BackendCpu of(BenchSchema schema) throws SQLException {
            List<Integer> pids = new ArrayList<>();
            try (Connection c = schema.connect();
                    PreparedStatement ps = c.prepareStatement("SELECT pid FROM pg_stat_activity WHERE application_name = ? "
                            + "AND pid <> pg_backend_pid()")) {
                ps.setString(1, schema.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        pids.add(rs.getInt(1));
                    }
                }
            }
            return new BackendCpu(pids);
        }

        /** Total user + system CPU of the backends in ns, or -1 when /proc does not show them. */
        long cpuNanos() {
            long ticks = 0;
            for (int pid : pids) {
                try {
                    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
                } catch (IOException | RuntimeException e) {
                    return -1;
                }
            }
            return ticks * 10_000_000L; // USER_HZ = 100 on Linux
        }
    }

    /** Sequential and index scans per table of the schema, from PostgreSQL's counters. */
    private static String scans(BenchSchema schema) throws SQLException, InterruptedException {
        Thread.sleep(11_000); // backends flush their counters at most once a second, else after 10 s idle
        StringBuilder out = new StringBuilder("scans (pg_stat_user_tables): ");
        try (Connection c = schema.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT relname, seq_scan, seq_tup_read, idx_scan FROM pg_stat_user_tables "
                        + "WHERE schemaname = current_schema() AND relname <> 'flyway_schema_history' ORDER BY relname")) {
            while (rs.next()) {
                out.append(String.format(Locale.ROOT, "%s seq %d (%d rows read) idx %d; ", rs.getString(1), rs.getLong(2),
                        rs.getLong(3), rs.getLong(4)));
            }
        }
        return out.append('\n').toString();
    }

    private static long sum(AtomicLong[] counts) {
        long s = 0;
        for (AtomicLong c : counts) {
            s += c.get();
        }
        return s;
    }

    private static long[] concat(long[][] parts, int[] lengths) {
        int n = Arrays.stream(lengths).sum();
        long[] all = new long[n];
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            System.arraycopy(parts[i], 0, all, at, lengths[i]);
            at += lengths[i];
        }
        Arrays.sort(all);
        return all;
    }

    /** The history read back as replay reads it: per ticket, duplicates removed. */
    private static Map<String, List<TicketEvent>> history(int tickets, int days, long seed, Instant start)
            throws IOException {
        Path file = Files.createTempFile("store-bench", ".jsonl");
        try {
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                SyntheticHistory.of(tickets, days, seed, start.getEpochSecond()).writeTo(out);
            }
            TicketHistories read = EventLinesReader.read(file);
            if (read.badLines() != 0) {
                throw new IllegalStateException("synthetic history read back wrong: " + read.problems());
            }
            return new TreeMap<>(read.byTicket());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Tickets dealt to the streams in turn, by key; each stream in time order (stable: ties keep arrival order). */
    private static List<List<TicketEvent>> partition(Map<String, List<TicketEvent>> byTicket, int streams) {
        List<List<TicketEvent>> out = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            out.add(new ArrayList<>());
        }
        int i = 0;
        for (List<TicketEvent> events : byTicket.values()) {
            out.get(i++ % streams).addAll(events);
        }
        for (List<TicketEvent> stream : out) {
            stream.sort(Comparator.comparingLong(TicketEvent::atEpochSecond));
        }
        return out;
    }

    // ---- tick ------------------------------------------------------------------------------------------------

    /**
     * An idle {@code tick()} + {@code nextWake()} with 10^4, 10^5, 10^6 open tickets whose wake-up instants are
     * all in the future, and a tick with 100 due tickets. Each size has a store of its own, so that the sizes can
     * be measured in turn, in small blocks, round after round: a slow spell of the machine then hits all sizes
     * alike instead of one. Each store holds a few hundred real tickets (ingested through the runtime) plus
     * filler rows copied from one of them by SQL, with wake-up instants spread over the 30 days after "now".
     */
    private void tick() throws Exception {
        int[] sizes = Arrays.stream(options.getOrDefault("sizes", "10000,100000,1000000").split(","))
                .map(String::strip).mapToInt(s -> Integer.parseInt(s.replace("_", ""))).toArray();
        int reps = intOption("reps", 2000);
        int block = intOption("block", 100);
        int dueReps = intOption("due-reps", 20);
        boolean analyze = boolOption("analyze", true);
        int n = sizes.length;
        System.out.printf(Locale.ROOT, "%n== tick: sizes %s, each in a store of its own; %d idle tick() + nextWake() "
                + "per size (after %d warm-up), in blocks of %d taking turns; %d ticks with 100 due tickets per size, "
                + "taking turns; ANALYZE after the fill: %s%n", Arrays.toString(sizes), reps, reps / 5, block, dueReps,
                analyze);
        List<BenchSchema> schemas = new ArrayList<>();
        try {
            Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
            PolicySet policies = policies();
            SlaRuntime[] runtimes = new SlaRuntime[n];
            List<List<String>> due = new ArrayList<>();
            long[] open = new long[n];
            for (int k = 0; k < n; k++) {
                BenchSchema schema = BenchSchema.create("tick", 4);
                schemas.add(schema);
                runtimes[k] = SlaRuntime.of(schema.store(), policies, clock);
                due.add(realTickets(runtimes[k], schema));
                open[k] = fill(schema, sizes[k], analyze);
            }
            for (int k = 0; k < n; k++) {
                for (int i = 0; i < reps / 5; i++) {
                    requireIdle(runtimes[k].tick());
                    runtimes[k].nextWake().orElseThrow();
                }
            }
            TableStats[] before = new TableStats[n];
            for (int k = 0; k < n; k++) {
                before[k] = TableStats.read(schemas.get(k), k == 0);
            }
            long[][] tickNs = new long[n][reps];
            long[][] wakeNs = new long[n][reps];
            long[][] bothNs = new long[n][reps];
            long[] touched = new long[n];
            for (int done = 0, round = 0; done < reps; done += block, round++) {
                for (int j = 0; j < n; j++) {
                    int k = (j + round) % n; // each round starts with another size
                    SlaRuntime runtime = runtimes[k];
                    for (int i = done; i < Math.min(reps, done + block); i++) {
                        long a = System.nanoTime();
                        int refolded = runtime.tick();
                        long b = System.nanoTime();
                        Instant next = runtime.nextWake().orElseThrow();
                        long c = System.nanoTime();
                        touched[k] += refolded;
                        if (!next.isAfter(NOW)) {
                            throw new IllegalStateException("earliest wake " + next + " is not after now");
                        }
                        tickNs[k][i] = b - a;
                        wakeNs[k][i] = c - b;
                        bothNs[k][i] = c - a;
                    }
                }
            }
            TableStats[] after = new TableStats[n];
            for (int k = 0; k < n; k++) {
                after[k] = TableStats.read(schemas.get(k), k == 0);
            }
            String[] plans = new String[n];
            for (int k = 0; k < n; k++) {
                plans[k] = explain(schemas.get(k));
            }
            long[][] dueNs = new long[n][dueReps];
            for (int i = 0; i < dueReps; i++) {
                for (int j = 0; j < n; j++) {
                    int k = (j + i) % n;
                    makeDue(schemas.get(k), due.get(k));
                    long a = System.nanoTime();
                    int refolded = runtimes[k].tick();
                    dueNs[k][i] = System.nanoTime() - a;
                    if (refolded != due.get(k).size()) {
                        throw new IllegalStateException("a tick with " + due.get(k).size() + " due tickets refolded "
                                + refolded);
                    }
                }
            }
            List<String[]> rows = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                BenchSchema schema = schemas.get(k);
                requireIdle(runtimes[k].tick());
                Arrays.sort(tickNs[k]);
                Arrays.sort(wakeNs[k]);
                Arrays.sort(bothNs[k]);
                Arrays.sort(dueNs[k]);
                String[] onDisk = relationSizes(schema);
                System.out.printf(Locale.ROOT, "%n-- %,d open tickets (ticket_state %s, index ticket_state_by_wake %s)%n",
                        open[k], onDisk[0], onDisk[1]);
                System.out.print(plans[k]);
                System.out.printf(Locale.ROOT, "idle tick():            median %7.1f µs  p90 %7.1f  p99 %7.1f  min %6.1f%n",
                        pct(tickNs[k], 50) / 1e3, pct(tickNs[k], 90) / 1e3, pct(tickNs[k], 99) / 1e3, tickNs[k][0] / 1e3);
                System.out.printf(Locale.ROOT, "nextWake():             median %7.1f µs  p90 %7.1f  p99 %7.1f  min %6.1f%n",
                        pct(wakeNs[k], 50) / 1e3, pct(wakeNs[k], 90) / 1e3, pct(wakeNs[k], 99) / 1e3, wakeNs[k][0] / 1e3);
                System.out.printf(Locale.ROOT, "tick() + nextWake():    median %7.1f µs  p90 %7.1f  p99 %7.1f  min %6.1f%n",
                        pct(bothNs[k], 50) / 1e3, pct(bothNs[k], 90) / 1e3, pct(bothNs[k], 99) / 1e3, bothNs[k][0] / 1e3);
                System.out.printf(Locale.ROOT, "tickets touched by %d idle ticks: %d (sum of tick()'s results); in "
                        + "ticket_state meanwhile: sum(version) %d -> %d, rows inserted/updated/deleted (pg_stat) %d/%d/%d%n",
                        reps, touched[k], before[k].versions, after[k].versions, after[k].inserted - before[k].inserted,
                        after[k].updated - before[k].updated, after[k].deleted - before[k].deleted);
                if (touched[k] != 0 || after[k].versions != before[k].versions || after[k].updated != before[k].updated
                        || after[k].inserted != before[k].inserted || after[k].deleted != before[k].deleted) {
                    throw new IllegalStateException("idle ticks wrote to ticket_state");
                }
                System.out.printf(Locale.ROOT, "tick() with %d due tickets: median %.1f ms  min %.1f  max %.1f (%d ticks)%n",
                        due.get(k).size(), pct(dueNs[k], 50) / 1e6, dueNs[k][0] / 1e6, dueNs[k][dueReps - 1] / 1e6, dueReps);
                String key = "tick." + sizes[k];
                System.out.printf(Locale.ROOT, "RESULT %s.idle_tick_median_us=%.1f%n", key, pct(tickNs[k], 50) / 1e3);
                System.out.printf(Locale.ROOT, "RESULT %s.next_wake_median_us=%.1f%n", key, pct(wakeNs[k], 50) / 1e3);
                System.out.printf(Locale.ROOT, "RESULT %s.both_median_us=%.1f%n", key, pct(bothNs[k], 50) / 1e3);
                System.out.printf(Locale.ROOT, "RESULT %s.touched=%d%n", key, touched[k]);
                System.out.printf(Locale.ROOT, "RESULT %s.due100_median_ms=%.2f%n", key, pct(dueNs[k], 50) / 1e6);
                rows.add(new String[] {String.format(Locale.ROOT, "%,d", open[k]), onDisk[0], onDisk[1],
                        fmt(pct(tickNs[k], 50) / 1e3), fmt(pct(wakeNs[k], 50) / 1e3), fmt(pct(bothNs[k], 50) / 1e3),
                        fmt(pct(bothNs[k], 90) / 1e3), fmt(pct(bothNs[k], 99) / 1e3), Long.toString(touched[k]),
                        String.format(Locale.ROOT, "%.1f", pct(dueNs[k], 50) / 1e6)});
            }
            System.out.println();
            System.out.println("| open tickets | ticket_state | wake index | idle tick() median µs | nextWake() median µs "
                    + "| both: median µs | p90 µs | p99 µs | tickets touched | tick with 100 due: median ms |");
            System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (String[] r : rows) {
                System.out.println("| " + String.join(" | ", r) + " |");
            }
        } finally {
            for (BenchSchema schema : schemas) {
                schema.close();
            }
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static void requireIdle(int refolded) {
        if (refolded != 0) {
            throw new IllegalStateException("an idle tick refolded " + refolded + " tickets");
        }
    }

    /**
     * Ingests a small real history (ending just before "now") through the runtime and returns 100 of its open
     * tickets that have a wake-up instant: the ones made due for the tick with due tickets.
     */
    private static List<String> realTickets(SlaRuntime runtime, BenchSchema schema) throws IOException, SQLException {
        Map<String, List<TicketEvent>> history = history(400, 3, 11, NOW.minus(Duration.ofDays(3)));
        List<TicketEvent> events = partition(history, 1).get(0);
        int accepted = 0;
        for (TicketEvent event : events) {
            if (!event.at().isAfter(NOW)) {
                runtime.accept(event);
                accepted++;
            }
        }
        List<String> due = new ArrayList<>();
        try (Connection c = schema.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT ticket FROM ticket_state WHERE is_open AND next_wake_at > "
                        + NOW.getEpochSecond() + " ORDER BY ticket LIMIT 100")) {
            while (rs.next()) {
                due.add(rs.getString(1));
            }
        }
        if (due.size() < 100) {
            throw new IllegalStateException("only " + due.size() + " open tickets with a wake-up instant");
        }
        requireIdle(runtime.tick());
        System.out.printf(Locale.ROOT, "real tickets: %d events of %d tickets accepted through the runtime at %s; "
                + "100 open ones are made due for the due-tick measurement%n", accepted, history.size(), NOW);
        return due;
    }

    /** Adds filler rows (copies of a real open ticket's state) until ticket_state holds {@code size} rows. */
    private static long fill(BenchSchema schema, int size, boolean analyze) throws SQLException {
        return fill(schema, size, analyze, schema.name());
    }

    /** The same, copying a ticket of the store in {@code templateSchema}. */
    private static long fill(BenchSchema schema, int size, boolean analyze, String templateSchema) throws SQLException {
        try (Connection c = schema.connect(); Statement s = c.createStatement()) {
            long have = count(s, "SELECT COUNT(*) FROM ticket_state");
            long from = count(s, "SELECT COUNT(*) FROM ticket_state WHERE ticket LIKE 'fill:%'") + 1;
            long add = size - have;
            long start = System.nanoTime();
            if (add > 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO ticket_state (ticket, source, summary, "
                        + "next_due_at, next_wake_at, is_open, sla_fields, cycles, version, updated_at) "
                        + "SELECT 'fill:' || lpad(g::text, 8, '0'), t.source, t.summary, t.next_due_at, "
                        + "? + 3600 + (g * 7919) % 2592000, TRUE, t.sla_fields, t.cycles, 1, ? "
                        + "FROM generate_series(?::bigint, ?::bigint) g, "
                        + "(SELECT * FROM " + templateSchema + ".ticket_state WHERE is_open AND next_wake_at IS NOT NULL "
                        + "ORDER BY ticket LIMIT 1) t")) {
                    ps.setLong(1, NOW.getEpochSecond());
                    ps.setLong(2, NOW.getEpochSecond());
                    ps.setLong(3, from);
                    ps.setLong(4, from + add - 1);
                    ps.executeUpdate();
                }
            }
            double filled = (System.nanoTime() - start) / 1e9;
            start = System.nanoTime();
            if (analyze) {
                s.execute("ANALYZE ticket_state");
            }
            long open = count(s, "SELECT COUNT(*) FROM ticket_state WHERE is_open");
            System.out.printf(Locale.ROOT, "%nfilled %,d rows in %.1f s%s; %,d tickets, %,d open%n", Math.max(add, 0),
                    filled, analyze ? String.format(Locale.ROOT, ", ANALYZE %.1f s", (System.nanoTime() - start) / 1e9)
                            : "", count(s, "SELECT COUNT(*) FROM ticket_state"), open);
            return open;
        }
    }

    private static void makeDue(BenchSchema schema, List<String> tickets) throws SQLException {
        try (Connection c = schema.connect();
                PreparedStatement ps = c.prepareStatement("UPDATE ticket_state SET next_wake_at = ? WHERE ticket = ANY (?)")) {
            ps.setLong(1, NOW.getEpochSecond() - 60);
            ps.setArray(2, c.createArrayOf("varchar", tickets.toArray()));
            if (ps.executeUpdate() != tickets.size()) {
                throw new IllegalStateException("could not make the tickets due");
            }
        }
    }

    /** The plans of the tick's and nextWake's queries: with this "now" as a literal, and as a generic prepared plan. */
    private static String explain(BenchSchema schema) throws SQLException {
        String tick = "SELECT ticket FROM ticket_state WHERE next_wake_at <= %s ORDER BY next_wake_at LIMIT 100 "
                + "FOR UPDATE SKIP LOCKED";
        StringBuilder out = new StringBuilder();
        try (Connection c = schema.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            out.append("EXPLAIN (ANALYZE, BUFFERS) of the idle tick's query:\n");
            plan(s, "EXPLAIN (ANALYZE, BUFFERS) " + tick.formatted(NOW.getEpochSecond()), out);
            s.execute("PREPARE bench_tick(bigint) AS " + tick.formatted("$1"));
            s.execute("SET LOCAL plan_cache_mode = force_generic_plan");
            out.append("the same as a generic prepared plan (what a server-side prepared statement may use):\n");
            plan(s, "EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_tick(" + NOW.getEpochSecond() + ")", out);
            s.execute("DEALLOCATE bench_tick");
            out.append("EXPLAIN (ANALYZE, BUFFERS) of nextWake's query:\n");
            plan(s, "EXPLAIN (ANALYZE, BUFFERS) SELECT MIN(next_wake_at) FROM ticket_state", out);
            c.rollback();
        }
        String text = out.toString();
        if (!text.contains("ticket_state_by_wake")) {
            throw new IllegalStateException("a query does not use ticket_state_by_wake:\n" + text);
        }
        return text;
    }

    private static void plan(Statement s, String sql, StringBuilder out) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.append("    ").append(rs.getString(1)).append('\n');
            }
        }
    }

    private static String[] relationSizes(BenchSchema schema) throws SQLException {
        try (Connection c = schema.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_size_pretty(pg_total_relation_size('ticket_state')), "
                        + "pg_size_pretty(pg_relation_size('ticket_state_by_wake'))")) {
            rs.next();
            return new String[] {rs.getString(1), rs.getString(2)};
        }
    }

    /**
     * What says whether ticket_state was written: the sum of the rows' versions (every refold increments its
     * ticket's), and PostgreSQL's cumulative row counters. A backend flushes its counters at the end of a
     * transaction at most once a second, else after 10 s idle: hence the wait.
     */
    private record TableStats(long versions, long inserted, long updated, long deleted) {
        static TableStats read(BenchSchema schema, boolean wait) throws SQLException, InterruptedException {
            if (wait) {
                Thread.sleep(11_000);
            }
            try (Connection c = schema.connect(); Statement s = c.createStatement()) {
                s.execute("SELECT pg_stat_clear_snapshot()");
                long versions = count(s, "SELECT SUM(version) FROM ticket_state");
                try (ResultSet rs = s.executeQuery("SELECT n_tup_ins, n_tup_upd, n_tup_del "
                        + "FROM pg_stat_user_tables WHERE relid = 'ticket_state'::regclass")) {
                    rs.next();
                    return new TableStats(versions, rs.getLong(1), rs.getLong(2), rs.getLong(3));
                }
            }
        }
    }

    // ---- heap ------------------------------------------------------------------------------------------------

    /**
     * Heap used after full GCs with the runtime ticking (through {@link Scheduler#runOnce()}: tick, then
     * nextWake) over an empty store, then over the same store holding 10^6 open tickets. A second store, of
     * the same policies, first takes a small real history through the runtime: that loads the code and builds the
     * calendars' year blocks before the first measurement, and gives the ticket state the filler copies.
     */
    private void heap() throws Exception {
        int tickets = intOption("heap-tickets", 1_000_000);
        int ticks = intOption("heap-ticks", 2000);
        boolean analyze = boolOption("analyze", true);
        System.out.printf(Locale.ROOT, "%n== heap: %d scheduler looks over an empty store, then over %,d open tickets "
                + "(heap used: the least of 5 System.gc() rounds, MemoryMXBean)%n", ticks, tickets);
        try (BenchSchema warm = BenchSchema.create("heapwarm", 2); BenchSchema schema = BenchSchema.create("heap", 4)) {
            Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
            PolicySet policies = policies();
            SlaRuntime warmRuntime = SlaRuntime.of(warm.store(), policies, clock);
            Map<String, List<TicketEvent>> history = history(20, 1, 5, NOW.minus(Duration.ofDays(1)));
            for (TicketEvent event : partition(history, 1).get(0)) {
                if (!event.at().isAfter(NOW)) {
                    warmRuntime.accept(event);
                }
            }
            history = null;
            warmRuntime.tick();

            SlaRuntime runtime = SlaRuntime.of(schema.store(), policies, clock);
            Scheduler scheduler = new Scheduler(runtime, clock, Duration.ofSeconds(60));
            long[][] empty = new long[2][];
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < ticks; i++) {
                    scheduler.runOnce();
                }
                empty[round] = heapAfterGc();
            }
            long emptyCount;
            try (Connection c = schema.connect(); Statement s = c.createStatement()) {
                emptyCount = count(s, "SELECT COUNT(*) FROM ticket_state");
            }
            System.out.printf(Locale.ROOT, "%,d tickets: heap used %.2f MB, then %.2f MB after %d more looks (committed "
                    + "%.0f MB)%n", emptyCount, empty[0][0] / 1048576.0, empty[1][0] / 1048576.0, ticks,
                    empty[1][1] / 1048576.0);

            long open = fill(schema, tickets, analyze, warm.name());
            long[][] full = new long[2][];
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < ticks; i++) {
                    if (scheduler.runOnce().isZero()) {
                        throw new IllegalStateException("a ticket is due: the heap test wants only future wake-ups");
                    }
                }
                full[round] = heapAfterGc();
            }
            if (runtime.tick() != 0) {
                throw new IllegalStateException("unexpected due tickets");
            }
            System.out.printf(Locale.ROOT, "%,d open tickets: heap used %.2f MB, then %.2f MB after %d more looks "
                    + "(committed %.0f MB)%n", open, full[0][0] / 1048576.0, full[1][0] / 1048576.0, ticks,
                    full[1][1] / 1048576.0);
            System.out.printf(Locale.ROOT, "difference (second measurements): %+.2f MB%n",
                    (full[1][0] - empty[1][0]) / 1048576.0);
            System.out.printf(Locale.ROOT, "RESULT heap.empty_used_mb=%.2f%n", empty[1][0] / 1048576.0);
            System.out.printf(Locale.ROOT, "RESULT heap.full_used_mb=%.2f%n", full[1][0] / 1048576.0);
            System.out.printf(Locale.ROOT, "RESULT heap.full_tickets=%d%n", open);
        }
    }

    /** Heap used and committed after {@link System#gc()}: the least used of five rounds. */
    private static long[] heapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        long committed = 0;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            MemoryUsage heap = memory.getHeapMemoryUsage();
            if (heap.getUsed() < used) {
                used = heap.getUsed();
                committed = heap.getCommitted();
            }
        }
        return new long[] {used, committed};
    }

    // ---- shared ----------------------------------------------------------------------------------------------

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The p-th percentile of sorted values (nearest rank). */
    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static PolicySet policies() throws IOException, InvalidPolicyException {
        String configured = System.getProperty("bench.policy");
        if (configured != null) {
            return PolicyFileParser.parse(Path.of(configured));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("examples/bench/policy.yaml");
            if (Files.isRegularFile(candidate)) {
                return PolicyFileParser.parse(candidate);
            }
        }
        throw new IllegalStateException("examples/bench/policy.yaml not found from " + Path.of("").toAbsolutePath()
                + "; set -Dbench.policy=/path/to/policy.yaml");
    }

    /** A schema of the benchmark's own, with the store migrated into it; closing drops it. */
    private static final class BenchSchema implements AutoCloseable {
        private final String name;
        private final JdbcSlaStore store;
        private final Thread dropOnExit;
        private boolean dropped;

        private BenchSchema(String name, JdbcSlaStore store) {
            this.name = name;
            this.store = store;
            this.dropOnExit = new Thread(this::drop, "drop-" + name);
            Runtime.getRuntime().addShutdownHook(dropOnExit);
        }

        static BenchSchema create(String part, int poolSize) throws SQLException {
            String name = "store_bench_" + part + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
                s.execute("CREATE SCHEMA " + name);
            }
            System.out.println("schema " + name + " created");
            JdbcSlaStore store;
            try {
                store = JdbcSlaStore.open(new StoreSettings(url(name), USER, PASSWORD, poolSize));
            } catch (RuntimeException e) {
                dropSchema(name);
                throw e;
            }
            return new BenchSchema(name, store);
        }

        /** The schema's URL; its connections show up in pg_stat_activity under the schema's name. */
        private static String url(String schema) {
            return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema + "&ApplicationName=" + schema;
        }

        String name() {
            return name;
        }

        JdbcSlaStore store() {
            return store;
        }

        /** A plain autocommit connection into the schema. */
        Connection connect() throws SQLException {
            return DriverManager.getConnection(url(name), USER, PASSWORD);
        }

        private synchronized void drop() {
            if (dropped) {
                return;
            }
            dropped = true;
            store.close();
            try {
                dropSchema(name);
                System.out.println("schema " + name + " dropped");
            } catch (SQLException e) {
                System.err.println("could not drop schema " + name + ": " + e.getMessage());
            }
        }

        private static void dropSchema(String name) throws SQLException {
            try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            }
        }

        @Override
        public void close() {
            drop();
            try {
                Runtime.getRuntime().removeShutdownHook(dropOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        }
    }

    /** Each thread's clock reads the instant it was last set to on that thread. */
    private static final class EventClock extends Clock {
        private final ThreadLocal<Instant> now = ThreadLocal.withInitial(() -> Instant.EPOCH);

        void set(Instant instant) {
            now.set(instant);
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
