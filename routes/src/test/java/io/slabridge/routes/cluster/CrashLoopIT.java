package io.slabridge.routes.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code sla-bridge run} killed with {@code kill -9} at random moments under load, again and again, and
 * restarted: starting up, migrating, ingesting webhooks, polling, escalating, writing to Jira. A Jira (WireMock with
 * state) in this JVM outlives every kill; webhooks are delivered at least once, as Jira does, so those cut off by a
 * kill come again. After a last clean run that drains the outbox: every event is stored once, every escalation step
 * is done once and its comment is in Jira once, none is missing.
 *
 * <p>{@code -Dsla.crash.kills=20} (at least 20) and {@code -Dsla.crash.seed=1} set the number of kills and the seed of
 * the kill moments and the workload; the run prints one line of figures.
 */
class CrashLoopIT {
    private static final int KILLS = Integer.getInteger("sla.crash.kills", 20);
    private static final long SEED = Long.getLong("sla.crash.seed", 1L);
    /** The share of kills aimed at the start (JVM, settings, migration, Camel's start), the rest while it runs. */
    private static final double KILLS_WHILE_STARTING = 0.35;
    /** A kill aimed at the start comes up to this long after the process started (it is ready after 1.3 to 2.5 s). */
    private static final Duration STARTING = Duration.ofMillis(1500);
    /** A kill aimed at the running process comes up to this long after it is ready. */
    private static final Duration RUNNING = Duration.ofMillis(5000);

    /** Each life's settings and log, kept after the run: {@code target/cluster-it/crash-loop-<time>/}. */
    private final Path dir = ChildInstance.runDirectory("crash-loop");

    @Test
    @Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
    void killedAtRandomMomentsUnderLoadItLosesNoEventAndWritesEachEscalationOnce() throws Exception {
        try (ClusterDatabase db = ClusterDatabase.create("sla_crash")) {
            loop("CrashLoopIT", dir, db, null);
        }
    }

    /**
     * The loop: {@link #KILLS} lives of {@code sla-bridge run} on {@code db}, each killed, then a last one that drains,
     * and the audit. With {@code mail} (a GreenMail with SMTP and IMAP, and the users {@link BridgeSettings#MAILBOX}
     * and {@link #LEAD}), the instances run the jar, a share of the tickets are customers' mail read over IMAP, and
     * every escalation step also sends a notice over SMTP: the audit counts them by Message-ID.
     */
    static void loop(String test, Path dir, ClusterDatabase db, GreenMail mail) throws Exception {
        assertTrue(KILLS >= 1, "sla.crash.kills must be positive");
        long begun = System.nanoTime();
        Random random = new Random(SEED);
        AtomicReference<ChildInstance> current = new AtomicReference<>();
        int killedStarting = 0;
        List<Long> startTimes = new java.util.ArrayList<>();
        try (FakeJira jira = new FakeJira(Duration.ofMillis(250));
                WebhookSender webhooks = new WebhookSender(BridgeSettings.WEBHOOK_SECRET, () -> {
                    ChildInstance c = current.get();
                    return c == null ? List.<URI>of() : List.of(c.webhook());
                }, 0.05, SEED, 4);
                Workload workload = new Workload(jira, webhooks, SEED, 0.8)) {
            if (mail != null) {
                Files.writeString(dir.resolve("sla.yaml"), Workload.POLICY_WITH_NOTICES);
                workload.withMail(mail.getUserManager().getUser(BridgeSettings.MAILBOX), MAIL_SHARE);
            }
            workload.run(Duration.ofMillis(600), Duration.ofHours(1));
            for (int i = 1; i <= KILLS; i++) {
                String name = String.format("life%02d", i);
                ChildInstance child = start(name, dir, db, jira, mail);
                current.set(child);
                Instant killAt;
                // The first life is always killed while starting: it may be in the middle of creating the schema.
                if (i == 1 || random.nextDouble() < KILLS_WHILE_STARTING) {
                    long after = 200 + (long) (random.nextDouble() * (STARTING.toMillis() - 200));
                    killAt = child.started().plusMillis(after);
                    try {
                        child.awaitReady(Duration.between(Instant.now(), killAt));
                    } catch (AssertionError notReadyYet) {
                        if (!child.alive()) {
                            throw notReadyYet; // it died by itself: that is a failure, not a kill
                        }
                    }
                } else {
                    child.awaitReady(Duration.ofSeconds(90));
                    killAt = child.ready().plusMillis(100 + (long) (random.nextDouble() * (RUNNING.toMillis() - 100)));
                }
                if (child.ready() == null) {
                    killedStarting++;
                } else {
                    startTimes.add(Duration.between(child.started(), child.ready()).toMillis());
                }
                long wait = Duration.between(Instant.now(), killAt).toMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                if (!child.alive()) {
                    throw new AssertionError(child + " ended by itself:\n" + child.tail(60));
                }
                child.kill();
            }
            workload.finish(Duration.ofSeconds(30));

            // The last run: not killed; it takes over what the killed ones left (leased commands, due tickets).
            ChildInstance last = start("final", dir, db, jira, mail);
            current.set(last);
            last.awaitReady(Duration.ofSeconds(90));
            webhooks.awaitDelivered(Duration.ofSeconds(90));
            Instant allDue = workload.lastEvent().plus(Workload.LAST_STEP_AFTER).plusSeconds(2);
            awaitDrained(db, jira, allDue, Duration.ofSeconds(120));
            last.stop();

            Audit.Result audit = Audit.of(workload, jira, db, mail == null ? null : mailsSent(mail));
            double seconds = (System.nanoTime() - begun) / 1e9;
            java.util.Collections.sort(startTimes);
            long medianStart = startTimes.isEmpty() ? 0 : startTimes.get(startTimes.size() / 2);
            long longestStart = startTimes.isEmpty() ? 0 : startTimes.get(startTimes.size() - 1);
            String summary = String.format(test + " seed=%d kills=%d (%d while starting; start to ready: median %d ms,"
                    + " longest %d ms) webhooks=%d deliveries=%d (%d refused, %d cut off by a kill or timed out, %d not 200"
                    + " %s, %d repeated after their 200) | %s | %.0f s", SEED, KILLS, killedStarting, medianStart,
                    longestStart, webhooks.webhooks(), webhooks.attempts(), webhooks.refused(), webhooks.cutOff(),
                    webhooks.notOk(), webhooks.notOkStatuses(), webhooks.redelivered(), audit.figures().summary(), seconds);
            System.out.println(summary);
            assertTrue(audit.problems().isEmpty(), summary + "\n" + String.join("\n", audit.problems()) + "\nlogs in "
                    + dir);
            assertTrue(audit.figures().escalationsRequired() > 0 && audit.figures().eventsCaused() > KILLS,
                    "the workload must escalate and be bigger than the number of kills: " + summary);
        } finally {
            ChildInstance c = current.get();
            if (c != null && c.alive()) {
                c.kill();
            }
        }
    }

    /** The lead the notices go to. */
    static final String LEAD = "lead@acme.example";
    /** With mail, the share of new tickets that are a customer's mail rather than a Jira issue. */
    private static final double MAIL_SHARE = 0.3;

    private static ChildInstance start(String name, Path dir, ClusterDatabase db, FakeJira jira, GreenMail mail)
            throws java.io.IOException {
        Properties settings = BridgeSettings.of(dir, db, jira, name);
        if (mail == null) {
            return ChildInstance.start(name, settings, dir);
        }
        BridgeSettings.withMail(settings, mail.getImap().getPort(), mail.getSmtp().getPort());
        return ChildInstance.startJar(name, settings, dir);
    }

    /**
     * The Message-IDs of the mail sla-bridge sent, each as often as it came: the notices {@link #LEAD} received and
     * the mail tickets' comments in the support mailbox (all but the customers' mail).
     */
    private static List<String> mailsSent(GreenMail mail) throws jakarta.mail.MessagingException {
        List<String> ids = new java.util.ArrayList<>();
        for (jakarta.mail.internet.MimeMessage m : mail.getReceivedMessages()) {
            String id = m.getMessageID();
            if (id != null && id.startsWith("<sla-bridge.")) {
                ids.add(id);
            }
        }
        return ids;
    }

    /**
     * Waits until every escalation is due ({@code allDue}), the last instance has polled after that, nothing is
     * pending in the outbox and no ticket is overdue for the scheduler.
     */
    static void awaitDrained(ClusterDatabase db, FakeJira jira, Instant allDue, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Instant now = Instant.now();
            boolean polled = jira.searches().stream().anyMatch(c -> c.at().isAfter(allDue));
            boolean idle = db.pendingCommands() == 0 && db.overdueTickets(now.getEpochSecond()) == 0;
            if (now.isAfter(allDue) && polled && idle) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not drained after " + timeout.toSeconds() + " s: " + db.pendingCommands()
                        + " commands pending, " + db.overdueTickets(now.getEpochSecond()) + " tickets overdue, polled "
                        + polled);
            }
            Thread.sleep(250);
        }
    }
}
