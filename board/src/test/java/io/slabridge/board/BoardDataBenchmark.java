package io.slabridge.board;

import io.slabridge.core.model.SummaryState;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the board's server does per request at scale: the data call ({@link BoardModel#snapshot}: every ticket on
 * the board sorted by due, today's figures, the accounts ranked, written as JSON) and one live change
 * ({@link BoardModel#apply}: a ticket read again, the change with fresh figures and accounts), at 1,000 and 10,000
 * open tickets (the data call also as a repeat with nothing changed), plus as many closed this month (for compliance). Tickets: 3 sources, 800 accounts, four priorities,
 * three policies, a quarter at risk, a tenth breached, a twentieth paused, two decided cycles each; one open ticket in
 * thirty an engineering issue with an OLA row of its own serving the next two, which show it in their "Linked" cell.
 */
@Fork(1)
@Warmup(iterations = 8, time = 1) // 10,000 tickets take a few seconds to settle in the JIT
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class BoardDataBenchmark {
    static final Instant NOW = Instant.parse("2026-03-16T10:00:00Z");

    @Param({"1000", "10000"})
    int open;

    private BoardModel model;
    private long version = 1_000;
    private int next;
    private List<BoardTicket> changes;

    @Setup
    public void setUp() {
        model = new BoardModel(ZoneId.of("UTC"));
        List<BoardTicket> all = tickets(open, new Random(7));
        model.load(all);
        changes = all.subList(0, Math.min(all.size(), 1000));
    }

    /** {@code open} open tickets with an SLA and as many closed this month. */
    static List<BoardTicket> tickets(int open, Random random) {
        String[] sources = {"jira", "salesforce", "email"};
        String[] priorities = {"urgent", "high", "normal", "low"};
        String[] policies = {"enterprise", "standard", "vip"};
        String[] metrics = {"first_response", "next_response", "resolution"};
        long now = NOW.getEpochSecond();
        List<BoardTicket> out = new ArrayList<>();
        for (int i = 0; i < 2 * open; i++) {
            boolean onBoard = i < open;
            String source = sources[i % 3];
            String key = source.equals("jira") ? "SUP-" + i : source.equals("salesforce") ? "500Qy" + String.format("%013d", i)
                    : "c" + i + "@customer" + (i % 800) + ".example";
            int r = random.nextInt(100);
            SummaryState status = r < 10 ? SummaryState.BREACHED : r < 35 ? SummaryState.AT_RISK
                    : r < 40 ? SummaryState.PAUSED : SummaryState.ON_TRACK;
            long due = now + (status == SummaryState.BREACHED ? -random.nextInt(7200) : random.nextInt(86_400 * 3));
            List<BoardTicket.Outcome> outcomes = List.of(
                    new BoardTicket.Outcome(metrics[0], random.nextInt(10) < 8, now - random.nextInt(86_400 * 14)),
                    new BoardTicket.Outcome(metrics[2], random.nextInt(10) < 9, now - random.nextInt(86_400 * 14)));
            out.add(new BoardTicket(source + ":" + key, source, key, "Ticket number " + i + " about something broken",
                    "Customer " + (i % 800), priorities[random.nextInt(4)], policies[i % 3], metrics[random.nextInt(3)],
                    status == SummaryState.PAUSED ? null : due, onBoard ? status : SummaryState.MET,
                    source.equals("email") ? null : "https://acme.atlassian.net/browse/" + key, 1, onBoard, outcomes,
                    onBoard ? links(i, random) : BoardTicket.Links.NONE));
        }
        return out;
    }

    /**
     * One open ticket in thirty (a Jira one) is an engineering issue under an OLA, a second row, serving the next two
     * tickets, which show it in their "Linked" cell.
     */
    private static BoardTicket.Links links(int i, Random random) {
        long now = NOW.getEpochSecond();
        if (i % 30 == 0) {
            SummaryState[] states = {SummaryState.ON_TRACK, SummaryState.AT_RISK, SummaryState.BREACHED};
            return new BoardTicket.Links(new BoardTicket.Ola("engineering", "first_response",
                    now + random.nextInt(7200) - 1800, states[random.nextInt(3)]), List.of(),
                    new BoardTicket.Serves("salesforce:500Qy" + String.format("%013d", i + 1), "500Qy"
                            + String.format("%013d", i + 1), now + random.nextInt(14_400), "Customer " + (i % 800)
                            + " (gold)", 2, "https://acme.my.salesforce.com/" + i));
        }
        int engineering = i - i % 30;
        if (i % 30 == 1 || i % 30 == 2) {
            return new BoardTicket.Links(null, List.of(new BoardTicket.Linked("jira:SUP-" + engineering,
                    "SUP-" + engineering, SummaryState.AT_RISK, now + random.nextInt(7200),
                    "https://acme.atlassian.net/browse/SUP-" + engineering)), null);
        }
        return BoardTicket.Links.NONE;
    }

    /** The data call as the first after a change: everything computed and written anew. */
    @Benchmark
    public byte[] dataCall() {
        model.forgetSnapshot();
        return model.snapshot(NOW, 1.0);
    }

    /** The data call again with nothing changed: the kept snapshot. */
    @Benchmark
    public byte[] dataCallUnchanged() {
        return model.snapshot(NOW, 1.0);
    }

    @Benchmark
    public BoardModel.Change oneLiveChange() {
        BoardTicket t = changes.get(next++ % changes.size());
        return model.apply(List.of(new BoardTicket(t.ticket(), t.source(), t.key(), t.title(), t.account(),
                t.priority(), t.policy(), t.metric(), t.dueAt(), SummaryState.AT_RISK, t.link(), ++version, true,
                t.outcomes(), t.links())), NOW);
    }
}
