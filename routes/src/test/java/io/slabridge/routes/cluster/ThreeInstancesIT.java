package io.slabridge.routes.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three {@code sla-bridge run} processes on one PostgreSQL database, sharing a lock directory: they poll Jira from
 * one leader at a time (Camel's file-lock cluster service), take webhooks all three, and claim due tickets and
 * outbox commands with {@code FOR UPDATE SKIP LOCKED}. Under load the leader is killed with {@code kill -9} and
 * restarted: another instance takes over the polls from the durable cursor (issues changed meanwhile, known only to
 * the poller, are read), and every escalation is written exactly once.
 *
 * <p>Who polled is told apart by the base URL each process is given ({@code /<process>/rest/api/3/...}).
 * {@code -Dsla.cluster.seed=1} sets the workload's seed; the run prints one line of figures, the takeover time
 * among them (from the kill to the first poll of the new leader).
 */
class ThreeInstancesIT {
    private static final long SEED = Long.getLong("sla.cluster.seed", 1L);
    private static final Duration LOCK_INTERVAL = Duration.ofSeconds(1);
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    private final Path dir = ChildInstance.runDirectory("three-instances");
    private final Map<String, ChildInstance> running = new ConcurrentHashMap<>();

    @Test
    @Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
    void theLeaderKilledAnotherPollsOnFromTheCursorAndEveryEscalationIsWrittenOnce() throws Exception {
        long begun = System.nanoTime();
        Path locks = Files.createDirectories(dir.resolve("locks"));
        try (ClusterDatabase db = ClusterDatabase.create("sla_cluster");
                FakeJira jira = new FakeJira(Duration.ofMillis(250));
                WebhookSender webhooks = new WebhookSender(BridgeSettings.WEBHOOK_SECRET, this::liveWebhooks, 0.05, SEED, 4);
                Workload workload = new Workload(jira, webhooks, SEED, 0.5)) {
            // The first instance creates the schema; the other two start together.
            start("a1", settings(db, jira, locks, "a1")).awaitReady(Duration.ofSeconds(90));
            ChildInstance b = start("b1", settings(db, jira, locks, "b1"));
            ChildInstance c = start("c1", settings(db, jira, locks, "c1"));
            b.awaitReady(Duration.ofSeconds(90));
            c.awaitReady(Duration.ofSeconds(90));

            Duration load = Duration.ofSeconds(45);
            Instant loadEnds = Instant.now().plus(load);
            workload.burst(40);
            workload.run(Duration.ofMillis(700), load);
            Thread.sleep(15_000);
            List<FakeJira.Call> before = jira.searches();
            assertTrue(!before.isEmpty(), "nobody polled");
            String leader = before.get(before.size() - 1).client();
            Instant killAt = Instant.now();
            running.remove(leader).kill();
            // Changes that only the poller can find, made while there is no leader.
            List<Workload.Planned> duringTakeover = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                duringTakeover.add(workload.raise(false));
            }
            FakeJira.Call firstAfter = awaitSearch(jira, killAt, leader, Duration.ofSeconds(60));
            Thread.sleep(2_000);
            String restartedName = leader.charAt(0) + "2";
            start(restartedName, settings(db, jira, locks, restartedName)).awaitReady(Duration.ofSeconds(90));

            Thread.sleep(Math.max(0, Duration.between(Instant.now(), loadEnds).toMillis()));
            workload.finish(Duration.ofSeconds(60));
            webhooks.awaitDelivered(Duration.ofSeconds(60));
            Instant allDue = workload.lastEvent().plus(Workload.LAST_STEP_AFTER).plusSeconds(2);
            CrashLoopIT.awaitDrained(db, jira, allDue, Duration.ofSeconds(120));
            Instant stopping = Instant.now();
            for (ChildInstance child : running.values()) {
                child.stop();
            }
            running.clear();

            // Leadership, from the searches each process made before the stop.
            List<FakeJira.Call> searches = jira.searches().stream().filter(s -> s.at().isBefore(stopping))
                    .collect(Collectors.toList());
            List<String> leaders = new ArrayList<>();
            Instant takenOver = firstAfter.at();
            for (FakeJira.Call s : searches) {
                if (s.client().equals(leader) && !s.at().isBefore(killAt) && s.at().isBefore(takenOver)) {
                    continue; // on its way at the kill (see awaitSearch)
                }
                if (leaders.isEmpty() || !leaders.get(leaders.size() - 1).equals(s.client())) {
                    leaders.add(s.client());
                }
            }
            Map<String, Long> searchesBy = new TreeMap<>(searches.stream().collect(Collectors.groupingBy(
                    FakeJira.Call::client, Collectors.counting())));
            Map<String, Long> commentsBy = new TreeMap<>(jira.calls().stream().filter(x -> x.commandKey() != null)
                    .collect(Collectors.groupingBy(FakeJira.Call::client, Collectors.counting())));
            Duration takeover = Duration.between(killAt, firstAfter.at());
            Duration longestPause = longestPauseBetweenSearches(searches, killAt);
            long takeoverIssues = duringTakeover.stream().filter(p -> p.created().isBefore(firstAfter.at())).count();
            Audit.Result audit = Audit.of(workload, jira, db);
            String summary = String.format("ThreeInstancesIT seed=%d leaders in turn=%s searches=%s | killed %s, takeover "
                    + "%.1f s by %s (JQL from %s), issues changed meanwhile=%d, longest pause between polls otherwise "
                    + "%.1f s | escalation comments posted by %s | webhooks=%d deliveries=%d (%d refused, %d cut off) | %s "
                    + "| %.0f s", SEED, leaders, searchesBy, leader, takeover.toMillis() / 1000.0, firstAfter.client(),
                    firstAfter.since(), takeoverIssues, longestPause.toMillis() / 1000.0, commentsBy, webhooks.webhooks(),
                    webhooks.attempts(), webhooks.refused(), webhooks.cutOff(), audit.figures().summary(),
                    (System.nanoTime() - begun) / 1e9);
            System.out.println(summary);

            List<String> problems = new ArrayList<>(audit.problems());
            if (leaders.size() != leaders.stream().distinct().count()) {
                problems.add("polls went back and forth between processes (two leaders at a time?): " + leaders);
            }
            if (!leaders.contains(leader) || leaders.indexOf(firstAfter.client()) != leaders.indexOf(leader) + 1) {
                problems.add("the killed leader " + leader + " was not followed by " + firstAfter.client() + ": " + leaders);
            }
            if (firstAfter.since() == null || firstAfter.since().isAfter(killAt)) {
                problems.add("the new leader's first poll read from " + firstAfter.since() + ", after the kill at "
                        + killAt + ": changes in between were skipped");
            } else if (firstAfter.since().isBefore(killAt.minus(Duration.ofMinutes(3)))) {
                problems.add("the new leader's first poll read from " + firstAfter.since() + ", not from the durable "
                        + "cursor (the kill was at " + killAt + ")");
            }
            if (takeoverIssues == 0) {
                problems.add("no issue changed while there was no leader: the takeover was not put to the test");
            }
            if (commentsBy.size() < 2) {
                problems.add("escalations were written by one process only, not shared: " + commentsBy);
            }
            assertTrue(problems.isEmpty(), summary + "\n" + String.join("\n", problems) + "\nlogs in " + dir);
        } finally {
            for (ChildInstance child : running.values()) {
                if (child.alive()) {
                    child.kill();
                }
            }
        }
    }

    private ChildInstance start(String name, Properties settings) {
        ChildInstance child = ChildInstance.start(name, settings, dir);
        running.put(name, child);
        return child;
    }

    private List<URI> liveWebhooks() {
        return running.values().stream().filter(ChildInstance::alive).map(ChildInstance::webhook)
                .collect(Collectors.toList());
    }

    private Properties settings(ClusterDatabase db, FakeJira jira, Path locks, String name) throws Exception {
        Properties p = BridgeSettings.of(dir, db, jira, name);
        p.setProperty("sla.cluster.file-lock-dir", locks.toString());
        p.setProperty("sla.cluster.lock-interval", LOCK_INTERVAL.toMillis() + "ms");
        p.setProperty("sla.jira.poll-interval", POLL_INTERVAL.toMillis() + "ms");
        return p;
    }

    /** The first search made after {@code after} by another process than {@code killed}. */
    private static FakeJira.Call awaitSearch(FakeJira jira, Instant after, String killed, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (FakeJira.Call s : jira.searches()) {
                // A request of the killed leader's that was on its way at the kill may be answered just after it.
                if (s.at().isAfter(after) && !s.client().equals(killed)) {
                    return s;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nobody polled in the " + timeout.toSeconds() + " s after the leader was killed");
            }
            Thread.sleep(20);
        }
    }

    /** The longest time between two searches, leaving out the one the kill at {@code killAt} caused. */
    private static Duration longestPauseBetweenSearches(List<FakeJira.Call> searches, Instant killAt) {
        Duration longest = Duration.ZERO;
        for (int i = 1; i < searches.size(); i++) {
            Instant from = searches.get(i - 1).at();
            Instant to = searches.get(i).at();
            if (!from.isAfter(killAt) && to.isAfter(killAt)) {
                continue;
            }
            Duration pause = Duration.between(from, to);
            longest = pause.compareTo(longest) > 0 ? pause : longest;
        }
        return longest;
    }
}
