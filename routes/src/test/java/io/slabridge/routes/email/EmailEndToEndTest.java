package io.slabridge.routes.email;

import io.slabridge.core.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.slabridge.connector.email.EmailConfig;
import io.slabridge.connector.email.EmailRoutes;
import io.slabridge.connector.email.EmailWriter;
import io.slabridge.connector.email.MailStore;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.runtime.OutboxDispatcher;
import io.slabridge.core.runtime.RetryPolicy;
import io.slabridge.core.runtime.Scheduler;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.routes.runtime.SlaRuntimeRoutes;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path through real Camel routes, a real store (an H2 file) and a real mail server (GreenMail on
 * loopback): a customer's mail opens a ticket and is acknowledged with its first-response due time; the agent's
 * reply, read from the Sent folder, meets the first response; the customer's answer starts a next response; its
 * breach sends the leads one notice, exactly once, though sla-bridge restarts in the middle and after it.
 */
class EmailEndToEndTest {
    private static final String SUPPORT = "support@acme.example";
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final String TICKET = "email:c1@globex.example";

    @TempDir
    Path dir;

    private GreenMail mailServer;
    private GreenMailUser support;
    private final MutableClock clock = new MutableClock(T0.plusSeconds(30));
    private Running running;


    /** One life of sla-bridge: its store, runtime and Camel context with the runtime's and the mailbox's routes. */
    final class Running implements AutoCloseable {
        final JdbcSlaStore store;
        final SlaRuntime runtime;
        final DefaultCamelContext camel;

        Running() throws Exception {
            store = JdbcSlaStore.open(StoreSettings.h2File(dir.resolve("sla")));
            runtime = SlaRuntime.of(store, PolicyFileParser.parse(dir.resolve("sla.yaml")), clock);
            EmailConfig config = EmailConfig.builder().imap("imap", "127.0.0.1", mailServer.getImap().getPort())
                    .imapLogin(SUPPORT, "e2e-secret").smtp("127.0.0.1", mailServer.getSmtp().getPort(),
                            EmailConfig.SmtpSecurity.NONE)
                    .from(SUPPORT, "Acme Support").supportDomains(List.of("acme.example")).ackEnabled(true)
                    .pollInterval(Duration.ofMillis(100)).build();
            camel = new DefaultCamelContext();
            Properties settings = new Properties();
            settings.setProperty("sla.outbox.poll-interval", "50");
            camel.getPropertiesComponent().setInitialProperties(settings);
            EmailWriter writer = EmailWriter.create(camel, config, new MailStore(store.dataSource()), runtime::policies,
                    clock);
            OutboxDispatcher dispatcher = new OutboxDispatcher(store, Map.of("email", writer), clock,
                    new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(2), 5), new Random(7));
            camel.addRoutes(new SlaRuntimeRoutes(runtime, new Scheduler(runtime, clock, Duration.ofMillis(200)), dispatcher,
                    null));
            camel.addRoutes(new EmailRoutes(config, store.dataSource(), SlaRuntimeRoutes.INGEST, clock));
            camel.start();
        }

        String cycles() {
            return new MailStore(store.dataSource()).cycles(TICKET).orElse("");
        }

        @Override
        public void close() {
            camel.stop();
            store.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("sla.yaml"), """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: standard
                    calendar: always
                    targets: { first_response: 1h, next_response: 1h }
                escalations:
                  - name: breached
                    at: breach
                    metrics: [next_response]
                    actions:
                      - notify: { to: [lead@acme.example], text: "Next response on {ticket} breached: it was due {due} ({policy})." }
                """);
        mailServer = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));
        mailServer.start();
        support = mailServer.setUser(SUPPORT, SUPPORT, "e2e-secret");
        mailServer.getManagers().getImapHostManager().createMailbox(support, "Sent");
        running = new Running();
    }

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
        mailServer.stop();
    }

    @Test
    void customerMailAcknowledgedAgentReplyMeetsFirstResponseCustomerReplyBreachNoticedOnce() throws Exception {
        // 1. The customer writes to support@.
        deliver("INBOX", """
                From: Carla Customer <carla@globex.example>
                To: support@acme.example
                Subject: Checkout returns 500
                Message-ID: <c1@globex.example>

                Our checkout fails since this morning.
                """, T0);

        // 2. She gets an acknowledgement, threaded under her mail, with the first response's due time.
        await(() -> to("carla@globex.example").size() == 1, "the acknowledgement");
        MimeMessage ack = to("carla@globex.example").get(0);
        assertEquals("Re: Checkout returns 500", ack.getSubject());
        assertEquals("<c1@globex.example>", ack.getHeader("In-Reply-To")[0]);
        assertEquals("auto-replied", ack.getHeader("Auto-Submitted")[0]);
        assertTrue(ack.getContent().toString().contains("first answer by Monday 2 March 2026, 10:00 UTC"),
                ack.getContent().toString());
        assertTrue(running.cycles().contains("\"metric\":\"first_response\",\"cycle\":1,\"policy\":\"standard\""),
                running.cycles());

        // 3. An agent answers from the shared mailbox; the copy lands in Sent. First response: met.
        clock.set(T0.plus(Duration.ofMinutes(21)));
        deliver("Sent", """
                From: Acme Support <support@acme.example>
                To: Carla Customer <carla@globex.example>
                Subject: Re: Checkout returns 500
                Message-ID: <a1@acme.example>
                In-Reply-To: <c1@globex.example>
                References: <c1@globex.example>

                We are looking into it.
                """, T0.plus(Duration.ofMinutes(20)));
        await(() -> running.cycles().matches("(?s).*\"metric\":\"first_response\".*\"stopped_at\":\"2026-03-02T09:20:00Z\","
                + "\"status\":\"met\".*"), "first response met by the reply in Sent");

        // sla-bridge restarts.
        running.close();
        running = null;
        running = new Running();

        // 4. The customer answers the agent: a next response starts.
        clock.set(T0.plus(Duration.ofMinutes(31)));
        deliver("INBOX", """
                From: Carla Customer <carla@globex.example>
                To: support@acme.example
                Subject: Re: Checkout returns 500
                Message-ID: <c2@globex.example>
                In-Reply-To: <a1@acme.example>
                References: <c1@globex.example> <a1@acme.example>

                Still failing.
                """, T0.plus(Duration.ofMinutes(30)));
        await(() -> running.cycles().contains("\"metric\":\"next_response\",\"cycle\":1"), "a next response running");
        assertTrue(running.cycles().contains("\"due_at\":\"2026-03-02T10:30:00Z\""), running.cycles());

        // 5. No one answers for an hour: the breach sends the leads one notice.
        clock.set(T0.plus(Duration.ofMinutes(91)));
        running.runtime.tick();
        await(() -> to("lead@acme.example").size() == 1, "the breach notice");
        MimeMessage notice = to("lead@acme.example").get(0);
        assertEquals("SLA breached: next_response on " + TICKET, notice.getSubject());
        String text = notice.getContent().toString();
        assertTrue(text.contains("Next response on " + TICKET + " breached: it was due 2026-03-02T10:30:00Z (standard)."),
                text);
        assertTrue(text.contains("Metric: next_response (cycle 1)") && text.contains("Policy: standard"), text);

        // Restarted again, and ticked again: nothing goes out twice.
        running.close();
        running = null;
        clock.set(T0.plus(Duration.ofMinutes(120)));
        running = new Running();
        running.runtime.tick();
        await(() -> running.store.outboxCounts().getOrDefault("pending", 0L) == 0L, "the outbox drained");
        Thread.sleep(500); // more polls and dispatcher rounds, which must find nothing to do
        assertEquals(1, to("lead@acme.example").size(), "one notice");
        assertEquals(1, to("carla@globex.example").size(), "one acknowledgement, nothing else to the customer");
        assertEquals(2, java.util.Arrays.stream(mailServer.getReceivedMessages()).filter(m -> {
            try {
                return m.getHeader("X-SLA-Bridge") != null;
            } catch (MessagingException e) {
                return false;
            }
        }).count(), "sla-bridge sent two mails in all");
        assertTrue(running.store.parked(10).isEmpty(), "nothing parked");
    }

    private void deliver(String folder, String text, Instant receivedAt) throws Exception {
        byte[] raw = text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)) {
            @Override
            protected void updateMessageID() {
                // keep the Message-ID as written
            }
        };
        var host = mailServer.getManagers().getImapHostManager();
        (folder.equals("INBOX") ? host.getInbox(support) : host.getFolder(support, folder))
                .appendMessage(m, new Flags(), Date.from(receivedAt));
    }

    private List<MimeMessage> to(String address) {
        return java.util.Arrays.stream(mailServer.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(address);
            } catch (MessagingException e) {
                return false;
            }
        }).toList();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
