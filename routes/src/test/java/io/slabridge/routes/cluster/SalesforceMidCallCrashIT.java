package io.slabridge.routes.cluster;

import static io.slabridge.routes.cluster.JiraMidCallCrashIT.await;
import static io.slabridge.routes.cluster.JiraMidCallCrashIT.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code kill -9} of {@code java -jar sla-bridge.jar run} on its embedded store (a SQLite file) while Salesforce
 * holds the answer to the sObject Collections create of an escalation CaseComment, the comment already stored in the
 * org (issue 13: after the restart it was created a second time, its marker not looked for). A second Case's
 * comment, created and answered seconds before the kill, checks that done marks committed just before a kill are
 * kept. After the restart on the same file: each comment is in Salesforce once, the held one was looked up (a SOQL
 * query on CaseComment by its Case, the integration user and the time its command was enqueued) and not created
 * again, and no Case update Salesforce acknowledged before the kill is sent again.
 */
class SalesforceMidCallCrashIT {
    /** A 4 s first response, one internal comment (ending with its marker line) at the breach. */
    static final String POLICY = JiraMidCallCrashIT.POLICY;
    /** Longer than the test runs: the writer waits for this answer until it is killed. */
    static final Duration HELD = Duration.ofMinutes(5);

    private final Path dir = ChildInstance.runDirectory("salesforce-mid-call");

    @Test
    @Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
    void killedWhileSalesforceHoldsTheAnswerToACreatedCommentItWritesEachCommentOnce() throws Exception {
        Instant began = Instant.now();
        Files.writeString(dir.resolve("sla.yaml"), POLICY);
        ClusterDatabase store = ClusterDatabase.embedded(dir.resolve("store").resolve("sla-bridge.db"));
        ChildInstance child = null;
        try (FakeSalesforce salesforce = new FakeSalesforce()) {
            child = ChildInstance.startJar("life1", BridgeSettings.salesforce(dir, store, salesforce, "life1"), dir);
            child.awaitReady(Duration.ofSeconds(90));

            String caseA = salesforce.createCase("Checkout fails for customer 1");
            String answered = "salesforce:" + caseA + "/first_response/1/breached/0";
            await(Duration.ofSeconds(40), "Case A's comment answered and done", () -> comments(salesforce, answered) == 1
                    && "done".equals(status(store, answered)));
            salesforce.answerCommentsAfter(HELD);
            String caseB = salesforce.createCase("Checkout fails for customer 2");
            String held = "salesforce:" + caseB + "/first_response/1/breached/0";
            await(Duration.ofSeconds(40), "Case B's comment created", () -> comments(salesforce, held) == 1);
            // Salesforce has stored the comment and holds its answer: the writer is waiting. Case updates it
            // answered (at once) before this moment are acknowledged.
            List<FakeSalesforce.CaseUpdate> acknowledged = salesforce.caseUpdates();
            child.kill();
            Instant killed = Instant.now();

            salesforce.answerCommentsAfter(Duration.ZERO);
            child = ChildInstance.startJar("life2", BridgeSettings.salesforce(dir, store, salesforce, "life2"), dir);
            child.awaitReady(Duration.ofSeconds(90));
            await(Duration.ofSeconds(60), "the held comment's command done after the restart",
                    () -> "done".equals(status(store, held)));
            child.stop();
            Duration took = Duration.between(began, Instant.now());

            Map<String, Long> byCommand = salesforce.comments().stream().filter(c -> c.commandKey() != null)
                    .collect(Collectors.groupingBy(FakeSalesforce.Comment::commandKey, Collectors.counting()));
            List<FakeSalesforce.Call> after = salesforce.calls().stream().filter(c -> c.client().equals("life2")).toList();
            List<FakeSalesforce.Call> lookUps = salesforce.calls().stream().filter(lookUp(caseB)).toList();
            List<FakeSalesforce.CaseUpdate> resent = salesforce.caseUpdates().stream()
                    .filter(u -> u.client().equals("life2") && acknowledged.stream().anyMatch(a ->
                            a.caseId().equals(u.caseId()) && Objects.equals(a.fields(), u.fields())))
                    .toList();
            System.out.printf("SalesforceMidCallCrashIT: comments created %s; comment create calls life1 %d, life2 %d "
                    + "(comments they created: %d, %d); "
                    + "look-ups of Case B's comment life1 %d, life2 %d; Case updates life1 %d (acknowledged before the "
                    + "kill %d), life2 %d (of them sent again %d); %d s%n", byCommand, createCalls(salesforce, "life1"),
                    createCalls(salesforce, "life2"), creates(salesforce, "life1"), creates(salesforce, "life2"),
                    lookUps.stream().filter(c -> c.client().equals("life1")).count(),
                    lookUps.stream().filter(c -> c.client().equals("life2")).count(), updates(salesforce, "life1"),
                    acknowledged.size(), updates(salesforce, "life2"), resent.size(), took.toSeconds());

            assertEquals(Map.of(answered, 1L, held, 1L), byCommand, "each escalation comment in Salesforce once; logs in "
                    + dir);
            assertTrue(after.stream().anyMatch(lookUp(caseB)),
                    "the restarted instance looked for the held comment before writing: " + after);
            assertEquals(0, creates(salesforce, "life2"), "the restarted instance created no comment: " + after);
            assertEquals(1, store.outbox().get(answered).attempts(),
                    "the comment answered before the kill is not claimed again (its done mark was kept)");
            assertEquals(2, store.outbox().get(held).attempts(), "the held comment claimed once per life");
            assertTrue(!acknowledged.isEmpty() && resent.isEmpty(), "Case updates Salesforce acknowledged before the "
                    + "kill at " + killed + " (" + acknowledged + ") sent again after the restart: " + resent);
        } finally {
            if (child != null && child.alive()) {
                child.kill();
            }
            store.close();
        }
    }

    /** Comments in the org made for {@code commandKey} (their marker line names it). */
    static long comments(FakeSalesforce salesforce, String commandKey) {
        return salesforce.comments().stream().filter(c -> commandKey.equals(c.commandKey())).count();
    }

    /** The writer's look-up of its own comments on {@code caseId}: a query on CaseComment by Case and author. */
    static Predicate<FakeSalesforce.Call> lookUp(String caseId) {
        return c -> c.isQueryOf("CaseComment") && c.soql().contains("ParentId IN ('" + caseId + "')")
                && c.soql().contains("CreatedById = '") && c.soql().contains("CreatedDate >= ");
    }

    /** Comment creates (sObject Collections POSTs) one process sent. */
    static long creates(FakeSalesforce salesforce, String client) {
        return salesforce.comments().stream().filter(c -> c.postedBy().equals(client)).count();
    }

    /** sObject Collections create calls (the comments' POSTs) one process sent. */
    static long createCalls(FakeSalesforce salesforce, String client) {
        return salesforce.calls().stream().filter(c -> c.client().equals(client) && c.method().equals("POST")
                && c.path().equals(FakeSalesforce.DATA + "/composite/sobjects")).count();
    }

    /** Case updates one process sent that Salesforce applied. */
    static long updates(FakeSalesforce salesforce, String client) {
        return salesforce.caseUpdates().stream().filter(u -> u.client().equals(client)).count();
    }
}
