package io.slabridge.routes.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator of a mailbox sees of the email connector in a running {@code sla-bridge}: its counters on
 * {@code /observe/metrics}, and log lines at the executable's own log levels (the first IMAP login, the first mail
 * the SMTP server accepted, each automatic mail skipped with its reason), never a password.
 */
class EmailObservabilityTest {
    private static final String SUPPORT = "support@acme.example";
    private static final String PASSWORD = "mailbox-secret-do-not-log";

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void theMailboxCountersAreOnTheMetricsEndpointAndTheLogSaysTheMailboxWorks() throws Exception {
        GreenMail mail = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));
        mail.start();
        GreenMailUser support = mail.setUser(SUPPORT, SUPPORT, PASSWORD);
        mail.getManagers().getImapHostManager().createMailbox(support, "Sent");
        int imap = mail.getImap().getPort();
        int smtp = mail.getSmtp().getPort();
        PrintStream stderr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // slf4j-simple writes to whatever System.err is at each line: the test reads what the executable would print.
        System.setErr(new PrintStream(new TeeStream(log, stderr), true, StandardCharsets.UTF_8));
        int managementPort = freePort();
        try (SlaBridgeApplication app = SlaBridgeApplication.create(settings(mail, managementPort), Map.of(),
                Clock.systemUTC())) {
            app.start();
            deliver(mail, support, """
                    From: Carla Customer <carla@globex.example>
                    To: support@acme.example
                    Subject: Checkout returns 500
                    Message-ID: <c1@globex.example>

                    Our checkout fails since this morning.
                    """);
            deliver(mail, support, """
                    From: Dan Away <dan@globex.example>
                    To: support@acme.example
                    Subject: Out of office
                    Message-ID: <ooo1@globex.example>
                    Auto-Submitted: auto-replied

                    I am away until Monday.
                    """);
            deliver(mail, support, """
                    From: Mail Delivery System <mailer-daemon@globex.example>
                    To: support@acme.example
                    Subject: Undelivered Mail Returned to Sender
                    Message-ID: <bounce1@globex.example>

                    This is the mail system: your message could not be delivered.
                    """);

            await(() -> metric(managementPort, "sla_email_sent_total{", "kind=\"ack\"").equals("1.0"),
                    "the acknowledgement counted as sent");
            // A mail is counted read when its reading starts, automatic when it is found to be.
            await(() -> metric(managementPort, "sla_email_automatic_total", "").equals("2.0"), "two automatic mails");
            String text = scrape(managementPort);
            assertEquals("3.0", metric(text, "sla_email_read_total", ""), text);
            assertEquals("0.0", metric(text, "sla_email_skipped_total", ""), text);
            assertEquals("1.0", metric(text, "sla_email_events_total", ""), "the customer's mail: created");
            assertEquals("0.0", metric(text, "sla_email_sent_total{", "kind=\"notice\""), text);
            assertTrue(text.contains("# TYPE sla_email_read_total counter"), text);
            assertFalse(text.contains(PASSWORD), "no password in the metrics");
        } finally {
            System.setErr(stderr);
            mail.stop();
        }
        String lines = log.toString(StandardCharsets.UTF_8);
        assertEquals(1, count(lines, "email: IMAP works: logged in to imap://127.0.0.1:" + imap + " as " + SUPPORT), lines);
        assertEquals(1, count(lines, "email: SMTP works: smtp://127.0.0.1:" + smtp + " as " + SUPPORT
                + " accepted the first mail sla-bridge sent"), lines);
        assertTrue(lines.contains("INBOX message ooo1@globex.example from dan@globex.example ignored: automatic mail "
                + "(Auto-Submitted: auto-replied)"), lines);
        assertTrue(lines.contains("INBOX message bounce1@globex.example from mailer-daemon@globex.example ignored: "
                + "automatic mail (sender mailer-daemon@globex.example is an automatic address)"), lines);
        assertFalse(lines.contains(PASSWORD), "no password in the log");
    }

    private Properties settings(GreenMail mail, int managementPort) throws Exception {
        Path policy = dir.resolve("sla.yaml");
        Files.writeString(policy, """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: standard
                    calendar: always
                    targets: { first_response: 1h }
                """);
        Properties p = new Properties();
        p.setProperty("sla.policy", policy.toString());
        p.setProperty("sla.store.url", "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
        p.setProperty("sla.store.user", "sa");
        p.setProperty("sla.outbox.poll-interval", "100");
        p.setProperty("sla.email.enabled", "true");
        p.setProperty("sla.email.imap.url", "imap://127.0.0.1:" + mail.getImap().getPort());
        p.setProperty("sla.email.imap.user", SUPPORT);
        p.setProperty("sla.email.imap.password", PASSWORD);
        p.setProperty("sla.email.smtp.url", "smtp://127.0.0.1:" + mail.getSmtp().getPort());
        p.setProperty("sla.email.smtp.starttls", "off");
        p.setProperty("sla.email.support-domains", "acme.example");
        p.setProperty("sla.email.ack.enabled", "true");
        p.setProperty("sla.email.poll-interval", "1s");
        p.setProperty("camel.server.port", Integer.toString(freePort()));
        p.setProperty("camel.management.port", Integer.toString(managementPort));
        return p;
    }

    private static void deliver(GreenMail mail, GreenMailUser user, String text) throws Exception {
        byte[] raw = text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)) {
            @Override
            protected void updateMessageID() {
                // keep the Message-ID as written
            }
        };
        mail.getManagers().getImapHostManager().getInbox(user).appendMessage(m, new Flags(), new Date());
    }

    private String scrape(int managementPort) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (Exception e) {
            return "";
        }
    }

    private String metric(int managementPort, String name, String label) {
        return metric(scrape(managementPort), name, label);
    }

    /** The value of the first sample line starting with {@code name} and holding {@code label}; "" when none. */
    private static String metric(String text, String name, String label) {
        return text.lines().filter(l -> l.startsWith(name) && (l.startsWith(name + " ") || l.startsWith(name + "{")
                        || name.endsWith("{")) && l.contains(label)).map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .findFirst().orElse("");
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Writes to two streams: the captured log and the real stderr (so a failing run still shows it). */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream first;
        private final java.io.OutputStream second;

        TeeStream(java.io.OutputStream first, java.io.OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            second.flush();
        }
    }
}
