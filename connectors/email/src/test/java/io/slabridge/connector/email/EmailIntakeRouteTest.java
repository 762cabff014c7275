package io.slabridge.connector.email;

import static io.slabridge.connector.email.IntakeHarness.await;
import static io.slabridge.connector.email.MailFixture.mail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The inbox and Sent folder read over IMAP (GreenMail): threading, who wrote what, status tags, rules, read once. */
class EmailIntakeRouteTest {
    private static final String CUSTOMER = "Carla Customer <carla@globex.example>";
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
    private MailFixture mail;
    private IntakeHarness h;

    @BeforeEach
    void start() throws Exception {
        mail = new MailFixture();
        h = new IntakeHarness(mail, b -> b.account("globex.example", "Globex").tier("globex.example", "enterprise"));
    }

    @AfterEach
    void stop() {
        h.close();
        mail.close();
    }

    @Test
    void repliesJoinTheTicketThroughInReplyToAndReferencesInTheInboxAndTheSentFolder() throws Exception {
        mail.inbox(mail(CUSTOMER, "support@acme.example", "Checkout returns 500").id("c1@globex.example")
                .body("Our shop is down since 9:00, urgent!"), t0);
        await(() -> h.events().size() == 1, "the ticket created");
        TicketEvent created = h.events().get(0);
        assertEquals("email:c1@globex.example", created.ticket());
        assertEquals("email:c1@globex.example", created.id());
        assertEquals(EventType.CREATED, created.type());
        assertEquals(t0, created.at(), "the time the mail was received");
        assertEquals(Priority.URGENT, created.priority(), "'down' and 'urgent' are urgent keywords");
        assertEquals("Globex", created.account());
        assertEquals("enterprise", created.tier());
        assertEquals("email", created.source());
        assertEquals("Checkout returns 500", created.title());

        // The agent answers from the shared mailbox; the copy lands in Sent.
        mail.sent(mail("Acme Support <support@acme.example>", CUSTOMER, "Re: Checkout returns 500").id("a1@acme.example")
                .inReplyTo("c1@globex.example").references("c1@globex.example"), t0.plusSeconds(600));
        // The customer answers; her client keeps only References.
        mail.inbox(mail(CUSTOMER, "support@acme.example", "Re: Checkout returns 500").id("c2@globex.example")
                .references("c1@globex.example", "a1@acme.example"), t0.plusSeconds(1200));
        await(() -> h.of("email:c1@globex.example").size() == 3, "the reply and the answer on the same ticket");
        List<TicketEvent> thread = h.of("email:c1@globex.example");
        TicketEvent agent = thread.stream().filter(e -> e.id().equals("email:a1@acme.example")).findFirst().orElseThrow();
        assertEquals(EventType.AGENT_REPLY, agent.type());
        assertEquals(t0.plusSeconds(600), agent.at());
        TicketEvent customer = thread.stream().filter(e -> e.id().equals("email:c2@globex.example")).findFirst().orElseThrow();
        assertEquals(EventType.CUSTOMER_MESSAGE, customer.type());
        assertEquals(3, h.events().size(), "no other ticket");
    }

    @Test
    void withoutHeadersARepliesGoesByNormalizedSubjectAndCustomerAddress() throws Exception {
        mail.inbox(mail(CUSTOMER, "support@acme.example", "[Globex] Invoice 2026-03 is wrong").id("c1@globex.example"), t0);
        await(() -> h.events().size() == 1, "the ticket created");
        // Headers stripped by a gateway; prefixes in two languages and a tag.
        mail.inbox(mail("carla@globex.example", "support@acme.example", "AW: Re: [Globex] Invoice 2026-03 is WRONG")
                .id("c2@globex.example"), t0.plusSeconds(60));
        // The agent's reply from Outlook without threading headers, to the customer.
        mail.sent(mail("bob@acme.example", "carla@globex.example", "RE: Invoice 2026-03 is wrong").id("a1@acme.example"),
                t0.plusSeconds(120));
        // Another customer with the same subject: a ticket of her own.
        mail.inbox(mail("dora@initech.example", "support@acme.example", "Re: Invoice 2026-03 is wrong")
                .id("d1@initech.example"), t0.plusSeconds(180));
        await(() -> h.events().size() == 4, "four events");
        assertEquals(EventType.CREATED, byId("email:c1@globex.example").type());
        assertEquals(EventType.CUSTOMER_MESSAGE, byId("email:c2@globex.example").type());
        assertEquals("email:c1@globex.example", byId("email:c2@globex.example").ticket());
        assertEquals(EventType.AGENT_REPLY, byId("email:a1@acme.example").type());
        assertEquals("email:c1@globex.example", byId("email:a1@acme.example").ticket());
        assertEquals(EventType.CREATED, h.of("email:d1@initech.example").get(0).type());
    }

    @Test
    void agentsAreTheSupportDomainInternalMailIsANoteAndTagsSetTheStatus() throws Exception {
        mail.inbox(mail(CUSTOMER, "support@acme.example", "Cannot log in").id("c1@globex.example"), t0);
        await(() -> h.events().size() == 1, "the ticket created");
        // An agent asks a colleague, copying the support address: only support-side recipients, an internal note.
        mail.inbox(mail("bob@acme.example", "eve@acme.example", "Re: Cannot log in").cc("support@acme.example")
                .id("n1@acme.example").inReplyTo("c1@globex.example"), t0.plusSeconds(60));
        // A reply to the customer, Cc support (the inbox copy), marked resolved.
        mail.inbox(mail("bob@acme.example", "carla@globex.example", "Re: Cannot log in [resolved]")
                .cc("support@acme.example").id("a1@acme.example").inReplyTo("c1@globex.example")
                .body("Fixed: your account was locked.\n\n> [pending] an old quote is no tag\n"), t0.plusSeconds(120));
        await(() -> h.events().size() == 4, "note, reply and status");
        assertEquals(EventType.INTERNAL_NOTE, byId("email:n1@acme.example").type());
        assertEquals(EventType.AGENT_REPLY, byId("email:a1@acme.example").type());
        TicketEvent status = byId("email:a1@acme.example:status");
        assertEquals(EventType.STATUS_CHANGED, status.type());
        assertEquals(TicketStatus.RESOLVED, status.status());

        // The customer writes again on the resolved ticket: a message and a reopen.
        mail.inbox(mail(CUSTOMER, "support@acme.example", "Re: Cannot log in").id("c2@globex.example")
                .inReplyTo("a1@acme.example").body("[resolved] It is locked again."), t0.plusSeconds(300));
        await(() -> h.events().size() == 6, "message and reopen");
        assertEquals(EventType.CUSTOMER_MESSAGE, byId("email:c2@globex.example").type());
        assertEquals(TicketStatus.OPEN, byId("email:c2@globex.example:reopen").status(),
                "a customer's tag sets no status; her mail reopens");
    }

    @Test
    void autoRepliesBulkAndBouncesAreNeverActivity() throws Exception {
        mail.inbox(mail(CUSTOMER, "support@acme.example", "Order 77 missing").id("c1@globex.example"), t0);
        await(() -> h.events().size() == 1, "the ticket created");
        String[][] automatic = {
            {"Auto-Submitted", "auto-replied"},
            {"Auto-Submitted", "auto-generated"},
            {"Precedence", "bulk"},
            {"Precedence", "junk"},
            {"Precedence", "list"},
            {"X-Autoreply", "yes"},
            {"X-Autorespond", "Out of office"},
            {"X-Auto-Response-Suppress", "All"},
            {"List-Id", "<news.globex.example>"},
            {"Return-Path", "<>"},
        };
        int[] count = {0};
        h.whileStopped(() -> {
        int n = 0;
        for (String[] header : automatic) {
            // Each names the ticket, and each would open a new one if it were read as a person's mail.
            mail.inbox(mail(CUSTOMER, "support@acme.example", "Re: Order 77 missing").id("auto" + n++ + "@globex.example")
                    .inReplyTo("c1@globex.example").header(header[0], header[1]), t0.plusSeconds(60 + n));
            mail.inbox(mail(CUSTOMER, "support@acme.example", "Automatic " + n).id("auto" + n++ + "@globex.example")
                    .header(header[0], header[1]), t0.plusSeconds(60 + n));
        }
        for (String sender : List.of("MAILER-DAEMON@mx.globex.example", "noreply@globex.example",
                "no-reply@globex.example", "postmaster@globex.example")) {
            mail.inbox(mail(sender, "support@acme.example", "Undelivered Mail Returned to Sender").id("auto" + n++ + "@x"),
                    t0.plusSeconds(60 + n));
        }
        mail.inbox(mail(CUSTOMER, "support@acme.example", "Delivery report").id("auto" + n++ + "@x")
                .raw("Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n--b\n"
                        + "Content-Type: text/plain\n\nfailed\n--b--\n"), t0.plusSeconds(60 + n));
        count[0] = n;
        });
        int expected = count[0];
        // A person's mail after all of them is read.
        mail.inbox(mail(CUSTOMER, "support@acme.example", "Re: Order 77 missing").id("c2@globex.example")
                .inReplyTo("c1@globex.example"), t0.plusSeconds(600));
        await(() -> h.events().size() == 2, "the person's reply");
        await(() -> h.stats().automatic() == expected, "every automatic mail counted");
        assertEquals(List.of("email:c1@globex.example", "email:c2@globex.example"),
                h.events().stream().map(TicketEvent::id).toList());
    }

    @Test
    void badMailIsSkippedAndCountedAndWhatFollowsIsRead() throws Exception {
        h.close();
        h = new IntakeHarness(mail, b -> b.set(EmailSettings.MAX_MESSAGE_SIZE, "512KB"));
        h.whileStopped(() -> {
        // A multipart whose boundary never appears: broken MIME.
        mail.inbox(mail(CUSTOMER, "support@acme.example", "Broken").id("broken@globex.example")
                .raw("Content-Type: multipart/mixed; boundary=\"nowhere\"\n\nno parts at all\n"), t0);
        // A charset no JVM knows.
        mail.inbox(mail(CUSTOMER, "support@acme.example", "Odd charset").id("odd@globex.example")
                .raw("Content-Type: text/plain; charset=x-klingon-8\nContent-Transfer-Encoding: 8bit\n\nqapla' urgent\n"),
                t0.plusSeconds(1));
        // 2 MB of attachment against a 512 KB limit.
        String big = "A".repeat(76) + "\n";
        mail.inbox(mail(CUSTOMER, "support@acme.example", "Logs attached").id("huge@globex.example")
                .raw("Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nsee logs\n--b\n"
                        + "Content-Type: application/octet-stream\nContent-Disposition: attachment; filename=logs.bin\n"
                        + "Content-Transfer-Encoding: base64\n\n" + big.repeat(2 * 1024 * 1024 / 77) + "--b--\n"),
                t0.plusSeconds(2));
        // No sender at all.
        mail.inbox(mail(null, "support@acme.example", "Who am I").id("nofrom@globex.example"), t0.plusSeconds(3));
        // And a good one after them.
        mail.inbox(mail(CUSTOMER, "support@acme.example", "Fine").id("fine@globex.example"), t0.plusSeconds(4));
        });

        await(() -> h.events().stream().anyMatch(e -> e.id().equals("email:fine@globex.example")), "the good mail read");
        await(() -> h.stats().skipped() == 2, "the huge and the sender-less mail skipped");
        List<String> ids = h.events().stream().map(TicketEvent::id).toList();
        assertTrue(!ids.contains("email:huge@globex.example") && !ids.contains("email:nofrom@globex.example"), ids.toString());
        // Broken MIME and an unknown charset: the mail counts (a customer wrote), its body is left unread.
        assertTrue(ids.contains("email:broken@globex.example"), ids.toString());
        assertTrue(ids.contains("email:odd@globex.example"), ids.toString());
        assertEquals(Priority.NORMAL, h.events().stream().filter(e -> e.id().equals("email:odd@globex.example"))
                .findFirst().orElseThrow().priority(), "an unread body gives no keyword");
        assertTrue(h.stats().unreadableBodies() >= 1, "bodies not read are counted: " + h.stats());
        assertTrue(h.camel.getRouteController().getRouteStatus("email-inbox").isStarted());
    }

    @Test
    void eachMessageIsReadOnceAcrossRestarts() throws Exception {
        mail.inbox(mail(CUSTOMER, "support@acme.example", "First").id("c1@globex.example"), t0);
        mail.inbox(mail(CUSTOMER, "support@acme.example", "Second").id("c2@globex.example"), t0.plusSeconds(1));
        await(() -> h.events().size() == 2, "both read");
        long reads = h.stats().read();
        h.restart();
        mail.inbox(mail(CUSTOMER, "support@acme.example", "Third").id("c3@globex.example"), t0.plusSeconds(2));
        await(() -> h.events().size() == 3, "the new one read");
        Thread.sleep(400); // a few more polls, which must read nothing
        assertEquals(3, h.events().size());
        assertEquals(1, h.stats().read(), "after the restart only the new message was read (before: " + reads + ")");
    }

    @Test
    void anAgentsReplyWhoseThreadIsNotReadYetWaitsForIt() throws Exception {
        // The Sent copy is there before the customer's mail reaches the inbox.
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        mail.sent(mail("support@acme.example", CUSTOMER, "Re: VPN").id("a1@acme.example").inReplyTo("c1@globex.example"),
                now);
        await(() -> h.stats().deferred() >= 2, "the reply deferred, poll after poll");
        assertTrue(h.events().isEmpty());
        mail.inbox(mail(CUSTOMER, "support@acme.example", "VPN").id("c1@globex.example"), now.minusSeconds(60));
        await(() -> h.events().size() == 2, "the ticket and then the reply");
        assertEquals(EventType.AGENT_REPLY, byId("email:a1@acme.example").type());
        assertEquals("email:c1@globex.example", byId("email:a1@acme.example").ticket());
    }

    @Test
    void aTicketTheCustomerLeavesUnansweredAfterAnAgentsReplyIsResolvedAfterTheConfiguredTime() throws Exception {
        h.close();
        h = new IntakeHarness(mail, b -> b.set(EmailSettings.AUTO_RESOLVE_AFTER, "1h"));
        mail.inbox(mail(CUSTOMER, "support@acme.example", "Export fails").id("c1@globex.example"), t0);
        mail.inbox(mail("dora@initech.example", "support@acme.example", "Import fails").id("d1@initech.example"), t0);
        mail.sent(mail("support@acme.example", CUSTOMER, "Re: Export fails").id("a1@acme.example")
                .inReplyTo("c1@globex.example"), t0.plusSeconds(600));
        mail.sent(mail("support@acme.example", "dora@initech.example", "Re: Import fails").id("a2@acme.example")
                .inReplyTo("d1@initech.example"), t0.plusSeconds(600));
        // Dora answers; Carla does not.
        mail.inbox(mail("dora@initech.example", "support@acme.example", "Re: Import fails").id("d2@initech.example")
                .inReplyTo("a2@acme.example"), t0.plusSeconds(1200));
        await(() -> h.events().size() == 5, "five mails read");

        assertEquals(1, h.routes.autoResolve());
        TicketEvent resolved = byId("email:a1@acme.example:auto-resolved");
        assertEquals("email:c1@globex.example", resolved.ticket());
        assertEquals(TicketStatus.RESOLVED, resolved.status());
        assertEquals(t0.plusSeconds(600 + 3600), resolved.at(), "an hour after the agent's reply");
        assertEquals(0, h.routes.autoResolve(), "once");
        assertTrue(h.of("email:d1@initech.example").stream().noneMatch(e -> e.type() == EventType.STATUS_CHANGED));
    }

    private TicketEvent byId(String id) {
        TicketEvent e = h.events().stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
        if (e == null) {
            assertNull(e, "no event " + id + " in " + h.events().stream().map(TicketEvent::id).toList());
        }
        return e;
    }
}
