package io.slabridge.routes.cluster;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link CrashLoopIT}'s kill -9 loop on the embedded store, a SQLite file, through {@code java -jar sla-bridge.jar
 * run}, with mail besides Jira: a share of the tickets are customers' mail read over IMAP from GreenMail, and every
 * escalation step also sends a notice over SMTP to GreenMail, counted by Message-ID. 0 events lost, 0 written twice
 * (issue 13: on the old embedded store, H2, notices went out twice after a kill). The same
 * {@code -Dsla.crash.kills} and {@code -Dsla.crash.seed}.
 */
class EmbeddedCrashLoopIT {
    private final Path dir = ChildInstance.runDirectory("embedded-crash-loop");

    @Test
    @Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
    void killedAtRandomMomentsOnTheEmbeddedStoreItLosesNoEventAndWritesEachCommentAndNoticeOnce() throws Exception {
        GreenMail mail = new GreenMail(new ServerSetup[] {new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
        mail.start();
        try {
            mail.setUser(BridgeSettings.MAILBOX, BridgeSettings.MAILBOX, BridgeSettings.MAILBOX_PASSWORD);
            mail.setUser(CrashLoopIT.LEAD, CrashLoopIT.LEAD, "lead-secret");
            CrashLoopIT.loop("EmbeddedCrashLoopIT", dir, ClusterDatabase.embedded(dir.resolve("store")
                    .resolve("sla-bridge.db")), mail);
        } finally {
            mail.stop();
        }
    }
}
