package io.slabridge.connector.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.connector.email.MailStore.MailTicket;
import io.slabridge.core.escalation.EscalationAction.Visibility;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.OutboxWriter;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The email writer against GreenMail's SMTP server: acknowledgements, notices, comments, each sent once. */
class EmailWriterTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final String TICKET = "email:c1@globex.example";

    private MailFixture mail;
    private JdbcSlaStore store;
    private MailStore mailStore;
    private SlaRuntime runtime;
    private DefaultCamelContext camel;
    private final Clock clock = Clock.fixed(T0.plusSeconds(5), ZoneOffset.UTC);

    @BeforeEach
    void start() throws Exception {
        mail = new MailFixture();
        store = JdbcSlaStore.open(StoreSettings.inMemory("w" + UUID.randomUUID().toString().replace("-", "")));
        mailStore = new MailStore(store.dataSource());
        PolicySet policies = PolicyFileParser.parse("sla.yaml", """
                calendars:
                  berlin: { zone: Europe/Berlin, week: 24x7 }
                policies:
                  - name: standard
                    calendar: berlin
                    targets: { first_response: 4h }
                """);
        runtime = SlaRuntime.of(store, policies, clock);
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        store.close();
        mail.close();
    }

    private EmailWriter writer(boolean ack) {
        EmailConfig config = mail.config().ackEnabled(ack).ticketLink("jira", "https://acme.atlassian.net/browse/{key}")
                .ticketLink("email", "https://mail.example/search?q=rfc822msgid:{key}").build();
        return EmailWriter.create(camel, config, mailStore, runtime::policies, clock);
    }

    /** A customer's new mail, as the intake records it, and the runtime's fold of it. */
    private void newTicket(boolean ackWanted) {
        mailStore.recordTicket(new MailTicket(TICKET, "c1@globex.example", "carla@globex.example", "carla@globex.example",
                "checkout returns 500", "Checkout returns 500", "open", T0.getEpochSecond(), T0.getEpochSecond(), null,
                null, ackWanted, null));
        runtime.accept(TicketEvent.builder(TICKET, TICKET, T0, EventType.CREATED).status(TicketStatus.OPEN)
                .priority(Priority.HIGH).source("email").title("Checkout returns 500").build());
    }

    private List<OutboxCommand> pending() {
        List<OutboxCommand> out = new ArrayList<>(store.claimOutbox(T0.plus(Duration.ofDays(1)), Duration.ofMinutes(1), 50));
        return out;
    }

    @Test
    void theAcknowledgementTellsTheFirstResponseDueInTheCalendarsZoneThreadedAndMarkedAutomatic() throws Exception {
        newTicket(true);
        List<OutboxCommand> commands = pending();
        assertEquals(1, commands.size());
        assertInstanceOf(WriteBack.SlaFields.class, commands.get(0).payload());

        assertEquals(WriteResult.done(), writer(true).write(commands.get(0)));

        assertEquals(1, mail.outgoing().size());
        MimeMessage ack = mail.outgoing().get(0);
        assertEquals("carla@globex.example", ack.getAllRecipients()[0].toString());
        assertEquals("Re: Checkout returns 500", ack.getSubject());
        assertEquals("<c1@globex.example>", ack.getHeader("In-Reply-To")[0]);
        assertEquals("<c1@globex.example>", ack.getHeader("References")[0]);
        assertEquals("auto-replied", ack.getHeader("Auto-Submitted")[0]);
        assertEquals("All", ack.getHeader("X-Auto-Response-Suppress")[0]);
        assertTrue(ack.getFrom()[0].toString().contains("support@acme.example"));
        String body = ack.getContent().toString();
        // 09:00 UTC + 4 h is 14:00 in Berlin (CET, UTC+1).
        assertTrue(body.contains("You can expect a first answer by Monday 2 March 2026, 14:00 CET."), body);
        assertTrue(body.contains("we received your request \"Checkout returns 500\""), body);
        String ackId = ack.getMessageID();
        assertTrue(ackId.matches("<sla-bridge\\.[0-9a-f]{32}@acme\\.example>"), ackId);

        // The customer's answer to the acknowledgement joins the ticket: our Message-ID is part of the thread.
        assertEquals(TICKET, mailStore.message(ackId.substring(1, ackId.length() - 1)).orElseThrow().ticket());

        // Delivered again (a retry after a lost answer) and after a restart (a new writer): no second one.
        OutboxCommand again = new OutboxCommand(commands.get(0).id(), TICKET, "email", commands.get(0).payload(),
                commands.get(0).idempotencyKey(), commands.get(0).createdAt(), 1);
        assertEquals(WriteResult.done(), writer(true).write(again));
        assertEquals(1, mail.outgoing().size());
    }

    @Test
    void theAcknowledgementNeverPromisesEarlierThanTheDueItRoundsUpToTheMinute() throws Exception {
        // Opened at 09:00:30: 4 h later is 13:00:30 UTC, 14:00:30 in Berlin. "14:00" would promise 30 s too early.
        mailStore.recordTicket(new MailTicket(TICKET, "c1@globex.example", "carla@globex.example", "carla@globex.example",
                "checkout returns 500", "Checkout returns 500", "open", T0.getEpochSecond(), T0.getEpochSecond(), null,
                null, true, null));
        runtime.accept(TicketEvent.builder(TICKET, TICKET, T0.plusSeconds(30), EventType.CREATED)
                .status(TicketStatus.OPEN).priority(Priority.HIGH).source("email").title("Checkout returns 500").build());

        assertEquals(WriteResult.done(), writer(true).write(pending().get(0)));

        String body = mail.outgoing().get(0).getContent().toString();
        assertTrue(body.contains("You can expect a first answer by Monday 2 March 2026, 14:01 CET."), body);
    }

    @Test
    void repliesToARepliedSubjectCarryOneReplyPrefixAndForwardsKeepTheirs() throws Exception {
        String[][] cases = {
            {"Re: Checkout returns 500", "Re: Checkout returns 500"},
            {"RE: re: Checkout returns 500", "Re: Checkout returns 500"},
            {"AW: Checkout returns 500", "Re: Checkout returns 500"},
            {"SV: Re[2]: Checkout returns 500", "Re: Checkout returns 500"},
            {"Antw: Checkout returns 500", "Re: Checkout returns 500"},
            {"Fwd: Checkout returns 500", "Re: Fwd: Checkout returns 500"},
            {"Re: Fwd: Re: Checkout returns 500", "Re: Fwd: Re: Checkout returns 500"},
            {"Return of goods", "Re: Return of goods"},
            {"Aware: the checkout", "Re: Aware: the checkout"},
        };
        for (int i = 0; i < cases.length; i++) {
            String ticket = "email:r" + i + "@globex.example";
            String customer = "customer" + i + "@globex.example"; // one each: at most 5 acknowledgements a day to one
            mailStore.recordTicket(new MailTicket(ticket, "r" + i + "@globex.example", customer, customer,
                    Subjects.normalize(cases[i][0]), cases[i][0], "open", T0.getEpochSecond(),
                    T0.getEpochSecond(), null, null, true, null));
            runtime.accept(TicketEvent.builder(ticket, ticket, T0, EventType.CREATED).status(TicketStatus.OPEN)
                    .priority(Priority.HIGH).source("email").title(cases[i][0]).build());
        }
        EmailWriter writer = writer(true);
        for (OutboxCommand c : pending()) {
            assertEquals(WriteResult.done(), writer.write(c)); // the acknowledgements
        }
        for (int i = 0; i < cases.length; i++) {
            String ticket = "email:r" + i + "@globex.example";
            assertEquals(WriteResult.done(), writer.write(new OutboxCommand(100 + i, ticket, "email",
                    new WriteBack.Comment(Visibility.PUBLIC, "We are on it."), ticket + "/first_response/1/warn/0", T0, 0)));
            assertEquals(WriteResult.done(), writer.write(new OutboxCommand(200 + i, ticket, "email",
                    new WriteBack.Comment(Visibility.INTERNAL, "Due soon."), ticket + "/first_response/1/warn/1", T0, 0)));
        }
        for (int i = 0; i < cases.length; i++) {
            String parent = "<r" + i + "@globex.example>";
            List<String> subjects = mail.outgoing().stream().filter(m -> header(m, "In-Reply-To").equals(parent))
                    .map(EmailWriterTest::subject).sorted().toList();
            String reply = cases[i][1];
            assertEquals(List.of(reply, reply, "[internal] " + reply), subjects,
                    "the acknowledgement, the reply and the internal note to '" + cases[i][0] + "'");
        }
    }

    @Test
    void theNoticeAtTheWarningSaysAtRiskAndTheOneAtTheBreachSaysBreached() throws Exception {
        MutableClock now = new MutableClock(T0);
        runtime = SlaRuntime.of(store, PolicyFileParser.parse("sla.yaml", """
                calendars:
                  berlin: { zone: Europe/Berlin, week: 24x7 }
                policies:
                  - name: standard
                    calendar: berlin
                    targets: { first_response: 4h }
                escalations:
                  - name: warn
                    at: "75%"
                    actions:
                      - notify: { to: lead@acme.example }
                  - name: breached
                    at: breach
                    actions:
                      - notify: { to: lead@acme.example }
                """), now);
        newTicket(false);
        EmailWriter writer = writer(false);
        now.set(T0.plus(Duration.ofHours(3)));
        runtime.tick();
        now.set(T0.plus(Duration.ofHours(4)).plusSeconds(1));
        runtime.tick();
        // The outbox hands out one command of a ticket at a time, in order: deliver until none is left.
        for (List<OutboxCommand> claimed = pending(); !claimed.isEmpty(); claimed = pending()) {
            for (OutboxCommand c : claimed) {
                assertEquals(WriteResult.done(), writer.write(c));
                store.markDone(c.id(), T0);
            }
        }
        assertEquals(List.of("SLA at risk: first_response on " + TICKET, "SLA breached: first_response on " + TICKET),
                mail.outgoing().stream().map(EmailWriterTest::subject).toList());
        // The default text opens the same way (it said "SLA running:" at the warning too).
        assertTrue(mail.outgoing().get(0).getContent().toString().startsWith("SLA at risk: first_response of " + TICKET),
                () -> bodyOf(mail.outgoing().get(0)));
        assertTrue(mail.outgoing().get(1).getContent().toString().startsWith("SLA breached: first_response of " + TICKET),
                () -> bodyOf(mail.outgoing().get(1)));
    }

    private static String bodyOf(MimeMessage m) {
        try {
            return m.getContent().toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void noAcknowledgementWhenTheyWereOffAtCreationOrAnAgentAnsweredFirst() throws Exception {
        newTicket(false);
        assertEquals(WriteResult.done(), writer(true).write(pending().get(0)));
        assertEquals(0, mail.outgoing().size(), "acknowledgements were off when the mail came in");

        store.close();
        store = JdbcSlaStore.open(StoreSettings.inMemory("w" + UUID.randomUUID().toString().replace("-", "")));
        mailStore = new MailStore(store.dataSource());
        runtime = SlaRuntime.of(store, runtime.policies(), clock);
        newTicket(true);
        mailStore.agentReplied(TICKET, T0.getEpochSecond() + 2, "a1@acme.example", null);
        assertEquals(WriteResult.done(), writer(true).write(pending().get(0)));
        assertEquals(0, mail.outgoing().size(), "an agent answered before the acknowledgement went out");
    }

    @Test
    void aTicketResolvedBeforeTheAcknowledgementWentOutIsPromisedNoTime() throws Exception {
        newTicket(true);
        runtime.accept(TicketEvent.builder(TICKET + "/resolved", TICKET, T0.plusSeconds(2), EventType.STATUS_CHANGED)
                .status(TicketStatus.RESOLVED).build());
        List<OutboxCommand> commands = pending();
        OutboxCommand fields = commands.get(commands.size() - 1);
        assertEquals(T0.plus(Duration.ofHours(4)),
                ((WriteBack.SlaFields) fields.payload()).dueByMetric().get(Metric.FIRST_RESPONSE),
                "the fields keep the due the first response was met against");

        assertEquals(WriteResult.done(), writer(true).write(fields));

        assertEquals(1, mail.outgoing().size());
        String body = mail.outgoing().get(0).getContent().toString();
        assertFalse(body.contains("first answer by"), body);
        assertTrue(body.contains("will answer as soon as we can"), body);
    }

    @Test
    void aBreachNoticeGoesOutOnceAcrossRestartsWithLinkMetricDueAndPolicy() throws Exception {
        newTicket(false);
        pending(); // the fields command
        OutboxCommand notice = new OutboxCommand(7, TICKET, "email", new WriteBack.Notify(List.of("lead@acme.example",
                "duty@acme.example"), "SLA breached: first_response on " + TICKET, "First response on " + TICKET
                + " is breached."), TICKET + "/first_response/1/breached/1", T0, 0);

        assertEquals(WriteResult.done(), writer(false).write(notice));
        // The process restarts before the dispatcher records the command as done: delivered again to a new writer.
        OutboxCommand redelivered = new OutboxCommand(7, TICKET, "email", notice.payload(), notice.idempotencyKey(), T0, 1);
        assertEquals(WriteResult.done(), writer(false).write(redelivered));

        List<MimeMessage> sent = mail.outgoing();
        // One message, delivered to its two recipients.
        assertEquals(2, sent.size());
        assertEquals(sent.get(0).getMessageID(), sent.get(1).getMessageID());
        MimeMessage m = sent.get(0);
        assertEquals("SLA breached: first_response on " + TICKET, m.getSubject());
        assertEquals("auto-generated", m.getHeader("Auto-Submitted")[0]);
        String body = m.getContent().toString();
        assertTrue(body.startsWith("First response on " + TICKET + " is breached."), body);
        assertTrue(body.contains("Ticket: " + TICKET), body);
        assertTrue(body.contains("Link:   https://mail.example/search?q=rfc822msgid:c1%40globex.example"), body);
        assertTrue(body.contains("Metric: first_response (cycle 1)"), body);
        assertTrue(body.contains("Due:    Monday 2 March 2026, 14:00 CET (2026-03-02 13:00 UTC)"), body);
        assertTrue(body.contains("Policy: standard"), body);
    }

    @Test
    void otherSourcesNoticesGoOutByMailAndTheRestToTheirOwnWriter() throws Exception {
        List<OutboxCommand> delegated = new ArrayList<>();
        OutboxWriter jira = c -> {
            delegated.add(c);
            return WriteResult.done();
        };
        OutboxWriter routed = MailNotifier.withNotices(jira, writer(false).notifier());
        OutboxCommand notice = new OutboxCommand(1, "jira:SUP-12", "jira", new WriteBack.Notify(List.of("lead@acme.example"),
                "SLA breached: first_response on jira:SUP-12", "Breached."), "jira:SUP-12/first_response/1/breached/0", T0, 0);
        OutboxCommand comment = new OutboxCommand(2, "jira:SUP-12", "jira", new WriteBack.Comment(Visibility.INTERNAL,
                "Breached."), "jira:SUP-12/first_response/1/breached/1", T0, 0);
        assertEquals(WriteResult.done(), routed.write(notice));
        assertEquals(WriteResult.done(), routed.write(comment));
        assertEquals(List.of(comment), delegated);
        assertEquals(1, mail.outgoing().size());
        assertTrue(mail.outgoing().get(0).getContent().toString()
                .contains("Link:   https://acme.atlassian.net/browse/SUP-12"));
    }

    @Test
    void commentsGoToTheCustomerOrTheSupportAddressInTheThread() throws Exception {
        newTicket(false);
        EmailWriter writer = writer(false);
        assertEquals(WriteResult.done(), writer.write(new OutboxCommand(1, TICKET, "email", new WriteBack.Comment(
                Visibility.PUBLIC, "We are on it."), TICKET + "/first_response/1/warn/0", T0, 0)));
        assertEquals(WriteResult.done(), writer.write(new OutboxCommand(2, TICKET, "email", new WriteBack.Comment(
                Visibility.INTERNAL, "Due in 1h."), TICKET + "/first_response/1/warn/1", T0, 0)));
        assertEquals(WriteResult.done(), writer.write(new OutboxCommand(3, TICKET, "email",
                new WriteBack.SetPriority(Priority.URGENT), TICKET + "/first_response/1/warn/2", T0, 0)));
        List<MimeMessage> sent = mail.outgoing();
        assertEquals(2, sent.size(), "set_priority sends nothing");
        MimeMessage toCustomer = sent.stream().filter(m -> subject(m).equals("Re: Checkout returns 500")).findFirst()
                .orElseThrow();
        assertEquals("carla@globex.example", toCustomer.getAllRecipients()[0].toString());
        assertEquals("<c1@globex.example>", toCustomer.getHeader("In-Reply-To")[0]);
        MimeMessage internal = sent.stream().filter(m -> !subject(m).equals("Re: Checkout returns 500")).findFirst()
                .orElseThrow();
        assertEquals("[internal] Re: Checkout returns 500", internal.getSubject());
        assertEquals("support@acme.example", internal.getAllRecipients()[0].toString());
    }

    @Test
    void aCommentOnATicketWhoseThreadIsNotRecordedYetIsTriedAgainAndGoesOutOnceItIs() throws Exception {
        // A kill between the intake's storing of the ticket's events and of its thread: the runtime has the ticket,
        // the mailbox side not yet (it records it when it reads the mail again). Found by EmbeddedCrashLoopIT.
        runtime.accept(TicketEvent.builder(TICKET, TICKET, T0, EventType.CREATED).status(TicketStatus.OPEN)
                .priority(Priority.HIGH).source("email").title("Checkout returns 500").build());
        EmailWriter writer = writer(false);
        String key = TICKET + "/first_response/1/breached/0";
        WriteResult early = writer.write(new OutboxCommand(1, TICKET, "email", new WriteBack.Comment(Visibility.INTERNAL,
                "Breached."), key, T0, 0));
        assertInstanceOf(WriteResult.FailedForNow.class, early, "tried again, not parked: " + early);
        assertEquals(0, mail.outgoing().size());

        mailStore.recordTicket(new MailTicket(TICKET, "c1@globex.example", "carla@globex.example", "carla@globex.example",
                "checkout returns 500", "Checkout returns 500", "open", T0.getEpochSecond(), T0.getEpochSecond(), null,
                null, false, null));
        assertEquals(WriteResult.done(), writer.write(new OutboxCommand(1, TICKET, "email", new WriteBack.Comment(
                Visibility.INTERNAL, "Breached."), key, T0, 1)));
        assertEquals(1, mail.outgoing().size());
        assertEquals("<c1@globex.example>", mail.outgoing().get(0).getHeader("In-Reply-To")[0]);
    }

    @Test
    void badAddressesAndAMissingSmtpServerAreParkedWithAReason() throws Exception {
        OutboxCommand bad = new OutboxCommand(1, TICKET, "email", new WriteBack.Notify(List.of("not an address"), "s", "t"),
                TICKET + "/first_response/1/breached/0", T0, 0);
        WriteResult r = writer(false).write(bad);
        assertInstanceOf(WriteResult.Failed.class, r);
        assertTrue(((WriteResult.Failed) r).reason().contains("'not an address' is not an e-mail address"), r.toString());

        EmailConfig noSmtp = EmailConfig.builder().imap("imap", "127.0.0.1", mail.imapPort())
                .imapLogin(MailFixture.SUPPORT, MailFixture.PASSWORD).from(MailFixture.SUPPORT, null).build();
        OutboxCommand ok = new OutboxCommand(1, TICKET, "email", new WriteBack.Notify(List.of("lead@acme.example"), "s",
                "t"), TICKET + "/first_response/1/breached/0", T0, 0);
        WriteResult none = EmailWriter.create(camel, noSmtp, mailStore, runtime::policies, clock).write(ok);
        assertInstanceOf(WriteResult.Failed.class, none);
        assertTrue(((WriteResult.Failed) none).reason().contains("sla.email.smtp.url"), none.toString());
        assertEquals(0, mail.outgoing().size());
    }

    @Test
    void refusedSendsAreLoggedWithTheirReasonAndTheFirstAcceptedOneOnceWithoutAPassword() throws Exception {
        OutboxCommand notice = new OutboxCommand(1, "jira:SUP-12", "jira", new WriteBack.Notify(List.of("lead@acme.example"),
                "SLA breached: first_response on jira:SUP-12", "Breached."), "jira:SUP-12/first_response/1/breached/0",
                T0, 0);
        OutboxCommand badAddress = new OutboxCommand(2, "jira:SUP-12", "jira", new WriteBack.Notify(List.of(
                "lead at acme"), "SLA breached: first_response on jira:SUP-12", "Breached."),
                "jira:SUP-12/first_response/1/breached/1", T0, 0);
        EmailConfig wrongPassword = mail.config().set(EmailSettings.SMTP_USER, MailFixture.SUPPORT)
                .set(EmailSettings.SMTP_PASSWORD, "wrong-smtp-secret-do-not-log").build();
        EmailConfig right = mail.config().set(EmailSettings.SMTP_USER, MailFixture.SUPPORT)
                .set(EmailSettings.SMTP_PASSWORD, MailFixture.PASSWORD).build();

        String log = stderrOf(() -> {
            assertInstanceOf(WriteResult.RetryAfter.class, EmailWriter.create(camel, wrongPassword, mailStore,
                    runtime::policies, clock).write(notice));
            assertInstanceOf(WriteResult.Failed.class, writer(false).write(badAddress));
            EmailWriter working = EmailWriter.create(camel, right, mailStore, runtime::policies, clock);
            assertEquals(WriteResult.done(), working.write(notice));
            assertEquals(WriteResult.done(), working.write(new OutboxCommand(3, "jira:SUP-12", "jira", new WriteBack.Notify(
                    List.of("lead@acme.example"), "s", "t"), "jira:SUP-12/first_response/1/breached/2", T0, 0)));
        });

        assertTrue(log.contains("WARN io.slabridge.connector.email.Outgoing - email: not sent, tried again in PT5M: "
                + "notice for jira:SUP-12 to lead@acme.example: the SMTP server rejected the credentials (535"), log);
        assertTrue(log.contains("WARN io.slabridge.connector.email.Outgoing - email: not sent: notice for jira:SUP-12 "
                + "to lead at acme: 'lead at acme' is not an e-mail address"), log);
        String works = "INFO io.slabridge.connector.email.MailTransport - email: SMTP works: smtp://127.0.0.1:"
                + mail.smtpPort() + " as " + MailFixture.SUPPORT + " accepted the first mail sla-bridge sent";
        assertEquals(1, log.split(java.util.regex.Pattern.quote(works), -1).length - 1, "said once: " + log);
        assertFalse(log.contains("wrong-smtp-secret-do-not-log") || log.contains(MailFixture.PASSWORD), log);
    }

    /** What slf4j-simple wrote to stderr while {@code action} ran (it writes to whatever System.err is then). */
    private static String stderrOf(ThrowingRunnable action) throws Exception {
        java.io.PrintStream real = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(real);
        }
        String text = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        real.print(text);
        return text;
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Header lines a ticket's text tries to add to our mail, and an HTML body it tries to sneak in. */
    private static final String INJECTED = "\r\nBcc: attacker@evil.example\r\nX-Injected: yes\nContent-Type: text/html";
    private static final String HTML = "<script>alert(1)</script><a href=\"http://evil.example\">click</a>";

    @Test
    void aNoticeSubjectCarryingLineBreaksAddsNoHeaderAndNoRecipient() throws Exception {
        OutboxCommand notice = new OutboxCommand(7, "jira:SUP-12", "jira", new WriteBack.Notify(List.of("lead@acme.example"),
                "SLA breached: first_response on jira:SUP-12" + INJECTED, "Breached: " + HTML + INJECTED),
                "jira:SUP-12/first_response/1/breached/0", T0, 0);

        assertEquals(WriteResult.done(), writer(false).write(notice));

        assertInert(mail.outgoing(), "lead@acme.example");
        MimeMessage m = mail.outgoing().get(0);
        assertEquals("SLA breached: first_response on jira:SUP-12 Bcc: attacker@evil.example X-Injected: yes "
                + "Content-Type: text/html", m.getSubject(), "one line, the text as written");
        assertTrue(m.getContent().toString().startsWith("Breached: " + HTML), "the body is the text as written");
    }

    @Test
    void aCustomersSubjectCarryingLineBreaksAddsNoHeaderToTheReplyOrTheAcknowledgement() throws Exception {
        mailStore.recordTicket(new MailTicket(TICKET, "c1@globex.example", "carla@globex.example", "carla@globex.example",
                "checkout returns 500", "Checkout returns 500" + INJECTED, "open", T0.getEpochSecond(), T0.getEpochSecond(),
                null, null, true, null));
        runtime.accept(TicketEvent.builder(TICKET, TICKET, T0, EventType.CREATED).status(TicketStatus.OPEN)
                .priority(Priority.HIGH).source("email").title("Checkout returns 500" + INJECTED).build());
        EmailWriter writer = writer(true);

        assertEquals(WriteResult.done(), writer.write(pending().get(0))); // the acknowledgement
        assertEquals(WriteResult.done(), writer.write(new OutboxCommand(2, TICKET, "email", new WriteBack.Comment(
                Visibility.PUBLIC, "About: " + HTML), TICKET + "/first_response/1/warn/0", T0, 0)));

        List<MimeMessage> sent = mail.outgoing();
        assertEquals(2, sent.size(), "the acknowledgement and the reply, to the customer alone");
        assertInert(sent, "carla@globex.example");
        for (MimeMessage m : sent) {
            assertEquals("Re: Checkout returns 500 Bcc: attacker@evil.example X-Injected: yes Content-Type: text/html",
                    m.getSubject());
        }
    }

    /** Each message went to {@code recipient} alone, as plain text, with no header the text tried to add. */
    private static void assertInert(List<MimeMessage> sent, String recipient) throws Exception {
        for (MimeMessage m : sent) {
            assertEquals(List.of(recipient), java.util.Arrays.stream(m.getAllRecipients()).map(Object::toString).toList());
            assertEquals(null, m.getHeader("Bcc"));
            assertEquals(null, m.getHeader("X-Injected"));
            assertTrue(m.getContentType().startsWith("text/plain"), m.getContentType());
            assertEquals(1, m.getHeader("Content-Type").length);
            java.util.Enumeration<String> lines = m.getAllHeaderLines();
            while (lines.hasMoreElements()) {
                String line = lines.nextElement();
                assertFalse(line.matches("(?s).*\\r?\\n(Bcc|X-Injected|Content-Type):.*"), "an injected header: " + line);
            }
        }
    }

    private static String header(MimeMessage m, String name) {
        try {
            String[] values = m.getHeader(name);
            return values == null ? "" : values[0];
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
