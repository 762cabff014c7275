package io.slabridge.routes.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code kill -9} of {@code java -jar sla-bridge.jar run} on its embedded store (a SQLite file) while Jira holds the
 * answer to an escalation comment's POST, the comment already stored (issue 13: after the restart it was posted a
 * second time). A second issue's comment, posted and answered seconds before the kill, checks what the old embedded
 * store lost: the done marks committed just before a kill. After the restart on the same file: each comment is in
 * Jira once, the held one was looked up ({@code GET .../comment?expand=properties}) and not posted again, and no
 * field write Jira acknowledged before the kill is sent again.
 */
class JiraMidCallCrashIT {
    /** A 4 s first response, one comment at the breach. */
    static final String POLICY = """
            calendars:
              always: { zone: UTC, week: 24x7 }
            policies:
              - name: crash
                calendar: always
                targets: { first_response: 4s }
            escalations:
              - name: breached
                at: breach
                actions:
                  - comment: { visibility: internal, text: "SLA {metric} on {ticket} breached: it was due {due}." }
            """;
    /** Longer than the test runs: the poster waits for this answer until it is killed. */
    static final Duration HELD = Duration.ofMinutes(5);

    private final Path dir = ChildInstance.runDirectory("jira-mid-call");

    @Test
    @Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
    void killedWhileJiraHoldsTheAnswerToAPostedCommentItWritesEachCommentOnce() throws Exception {
        Files.writeString(dir.resolve("sla.yaml"), POLICY);
        ClusterDatabase store = ClusterDatabase.embedded(dir.resolve("store").resolve("sla-bridge.db"));
        ChildInstance child = null;
        try (FakeJira jira = new FakeJira(Duration.ZERO)) {
            child = ChildInstance.startJar("life1", settings(store, jira, "life1"), dir);
            child.awaitReady(Duration.ofSeconds(90));
            String answered = "jira:SUP-1/first_response/1/breached/0";
            String held = "jira:SUP-2/first_response/1/breached/0";

            jira.createIssue("10001", "SUP-1", "557058:cust-1");
            await(Duration.ofSeconds(40), "SUP-1's comment answered and done", () -> commentPosts(jira, answered) == 1
                    && "done".equals(status(store, answered)));
            jira.answerCommentsAfter(HELD);
            jira.createIssue("10002", "SUP-2", "557058:cust-2");
            await(Duration.ofSeconds(40), "SUP-2's comment posted", () -> commentPosts(jira, held) == 1);
            // Jira has stored the comment and holds its answer: the poster is waiting. Fields Jira answered (at once)
            // before this moment are acknowledged.
            List<FakeJira.FieldWrite> acknowledged = jira.fieldWrites();
            child.kill();
            Instant killed = Instant.now();

            jira.answerCommentsAfter(Duration.ZERO);
            child = ChildInstance.startJar("life2", settings(store, jira, "life2"), dir);
            child.awaitReady(Duration.ofSeconds(90));
            await(Duration.ofSeconds(60), "the held comment's command done after the restart",
                    () -> "done".equals(status(store, held)));
            child.stop();

            Map<String, Long> comments = jira.comments().stream().filter(c -> c.commandKey() != null)
                    .collect(Collectors.groupingBy(FakeJira.Comment::commandKey, Collectors.counting()));
            assertEquals(Map.of(answered, 1L, held, 1L), comments, "each escalation comment in Jira once; logs in " + dir);
            List<FakeJira.Call> after = jira.calls().stream().filter(c -> c.client().equals("life2")).toList();
            // The writer's look-up of its own recent comments (the poller reads comments too, oldest first).
            assertTrue(after.stream().anyMatch(c -> c.method().equals("GET")
                    && c.path().equals("/rest/api/3/issue/SUP-2/comment") && c.query() != null
                    && c.query().contains("expand=properties") && c.query().contains("orderBy=-created")),
                    "the restarted instance looked for the held comment before writing: " + after);
            assertTrue(after.stream().noneMatch(c -> c.commandKey() != null),
                    "the restarted instance posted no comment: " + after);
            assertEquals(1, store.outbox().get(answered).attempts(),
                    "the comment answered before the kill is not claimed again (its done mark was kept)");
            assertEquals(2, store.outbox().get(held).attempts(), "the held comment claimed once per life");

            List<FakeJira.FieldWrite> resent = jira.fieldWrites().stream()
                    .filter(w -> w.client().equals("life2") && acknowledged.stream().anyMatch(a ->
                            a.issueKey().equals(w.issueKey()) && java.util.Objects.equals(a.status(), w.status())))
                    .toList();
            assertTrue(!acknowledged.isEmpty() && resent.isEmpty(), "field writes Jira acknowledged before the kill at "
                    + killed + " (" + acknowledged + ") sent again after the restart: " + resent);
        } finally {
            if (child != null && child.alive()) {
                child.kill();
            }
            store.close();
        }
    }

    /**
     * One instance's settings: the fake Jira, the embedded store's file, this test's policy (written before, so
     * kept) and a 5 s {@code sla.outbox.lease}: until an instance on the embedded store takes back its
     * predecessor's leases at start, the restarted one waits that long for the held command.
     */
    private Properties settings(ClusterDatabase store, FakeJira jira, String client) throws java.io.IOException {
        return BridgeSettings.of(dir, store, jira, client);
    }

    static long commentPosts(FakeJira jira, String commandKey) {
        return jira.calls().stream().filter(c -> commandKey.equals(c.commandKey())).count();
    }

    static String status(ClusterDatabase store, String commandKey) {
        try {
            ClusterDatabase.Command c = store.outbox().get(commandKey);
            return c == null ? null : c.status();
        } catch (java.sql.SQLException e) {
            return null; // no schema yet
        }
    }

    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
    }
}
