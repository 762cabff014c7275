package io.slabridge.routes.cluster;

import static io.slabridge.routes.cluster.JiraMidCallCrashIT.await;
import static io.slabridge.routes.cluster.JiraMidCallCrashIT.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code kill -9} of {@code java -jar sla-bridge.jar run} on its embedded store (a SQLite file) while the SMTP server
 * holds its answer to an escalation notice's DATA (issue 13: notices went out twice after a kill, because the
 * "sent" records and done marks committed seconds before it were not in the store after the restart). One notice
 * is answered 250 seconds before the kill: after the restart it is not sent again. The held one, which the server
 * has taken in without answering, is sent again after the restart under the same Message-ID (SMTP has no way to
 * look it up: that window is documented in {@code MailNotifier}), and the server acknowledges it once.
 */
class EmailNoticeMidCallCrashIT {
    /** A 4 s first response, a notice at the breach. */
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
                  - notify: { to: [lead@acme.example], text: "SLA {metric} on {ticket} breached: it was due {due}." }
            """;
    private final Path dir = ChildInstance.runDirectory("email-mid-call");

    @Test
    @Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES)
    void killedWhileTheSmtpServerHoldsItsAnswerItSendsEachNoticeUnderOneMessageIdAndNoneAgainThatWasAcknowledged()
            throws Exception {
        Files.writeString(dir.resolve("sla.yaml"), POLICY);
        ClusterDatabase store = ClusterDatabase.embedded(dir.resolve("store").resolve("sla-bridge.db"));
        GreenMail mailbox = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
        mailbox.start();
        mailbox.setUser(BridgeSettings.MAILBOX, BridgeSettings.MAILBOX, BridgeSettings.MAILBOX_PASSWORD);
        ChildInstance child = null;
        try (FakeJira jira = new FakeJira(Duration.ZERO); LoopbackSmtp smtp = new LoopbackSmtp()) {
            child = ChildInstance.startJar("life1", settings(store, jira, mailbox, smtp, "life1"), dir);
            child.awaitReady(Duration.ofSeconds(90));
            String answered = "jira:SUP-1/first_response/1/breached/0";
            String held = "jira:SUP-2/first_response/1/breached/0";

            jira.createIssue("10001", "SUP-1", "557058:cust-1");
            await(Duration.ofSeconds(40), "SUP-1's notice acknowledged and done", () -> smtp.received().size() == 1
                    && "done".equals(status(store, answered)));
            String answeredId = smtp.received().get(0).messageId();
            smtp.holdAnswers(true);
            jira.createIssue("10002", "SUP-2", "557058:cust-2");
            await(Duration.ofSeconds(40), "SUP-2's notice taken in", () -> smtp.received().size() == 2);
            child.kill();

            smtp.holdAnswers(false);
            child = ChildInstance.startJar("life2", settings(store, jira, mailbox, smtp, "life2"), dir);
            child.awaitReady(Duration.ofSeconds(90));
            await(Duration.ofSeconds(60), "the held notice's command done after the restart",
                    () -> "done".equals(status(store, held)));
            child.stop();

            List<LoopbackSmtp.Received> all = smtp.received();
            String heldId = all.get(1).messageId();
            assertTrue(answeredId != null && heldId != null && !answeredId.equals(heldId), "two notices, each with its "
                    + "own Message-ID: " + all + "; logs in " + dir);
            assertEquals(1, all.stream().filter(r -> answeredId.equals(r.messageId())).count(),
                    "the notice acknowledged before the kill is not sent again: " + all);
            List<LoopbackSmtp.Received> heldCopies = all.stream().filter(r -> heldId.equals(r.messageId())).toList();
            assertEquals(2, heldCopies.size(), "the held notice sent again after the restart, under its Message-ID: "
                    + all);
            assertEquals(1, heldCopies.stream().filter(LoopbackSmtp.Received::acknowledged).count(),
                    "the held notice acknowledged once: " + all);
            assertEquals(3, all.size(), "nothing else sent: " + all);
            assertEquals(List.of("lead@acme.example"), heldCopies.get(1).recipients());
            assertEquals(1, store.outbox().get(answered).attempts(),
                    "the notice acknowledged before the kill is not claimed again (its done mark was kept)");
        } finally {
            if (child != null && child.alive()) {
                child.kill();
            }
            mailbox.stop();
            store.close();
        }
    }

    /**
     * One instance's settings: Jira (the source) on the fake, notices over SMTP to {@code smtp}, the mailbox over
     * IMAP on GreenMail; a 5 s {@code sla.outbox.lease} (see {@link JiraMidCallCrashIT}).
     */
    private Properties settings(ClusterDatabase store, FakeJira jira, GreenMail mailbox, LoopbackSmtp smtp,
            String client) throws java.io.IOException {
        Properties p = BridgeSettings.of(dir, store, jira, client);
        BridgeSettings.withMail(p, mailbox.getImap().getPort(), smtp.port());
        return p;
    }
}
