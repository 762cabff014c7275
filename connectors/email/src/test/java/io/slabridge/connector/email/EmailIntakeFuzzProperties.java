package io.slabridge.connector.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.testing.EventChecks;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * The email intake fuzzed: raw messages (a customer's request, replies that thread, an agent's answer, multiparts,
 * the broken ones of the corpus) broken further by {@link MimeMutator}, each read by {@link EmailIntake} against a
 * real store. Whatever the message, the intake decides (events, automatic, ignored, skipped, deferred) and never
 * throws; events are each complete ({@link EventChecks}) and go to the runtime in one piece; a message that yields
 * no events leaves the threading tables as they were.
 */
class EmailIntakeFuzzProperties {
    private static final List<String> SEEDS = List.of("mail-seeds/customer-request.eml", "mail-seeds/customer-reply.eml",
            "mail-seeds/agent-reply.eml", "mail-seeds/multipart-alternative.eml", "mail-corpus/nested-multipart-4-levels.eml",
            "mail-corpus/broken-boundary-unterminated.eml", "mail-corpus/8bit-utf8-headers.eml",
            "mail-corpus/huge-message-id.eml");
    private static final Map<EmailIntake.Outcome, AtomicLong> OUTCOMES = new EnumMap<>(EmailIntake.Outcome.class);
    private static final AtomicLong NOT_MIME = new AtomicLong();

    static {
        for (EmailIntake.Outcome o : EmailIntake.Outcome.values()) {
            OUTCOMES.put(o, new AtomicLong());
        }
    }

    private final JdbcSlaStore store = JdbcSlaStore.open(StoreSettings.inMemory("mailfuzz" + UUID.randomUUID()
            .toString().replace("-", "")));
    private final List<List<TicketEvent>> sunk = new ArrayList<>();
    private final EmailIntake intake;

    EmailIntakeFuzzProperties() throws Exception {
        EmailConfig config = EmailConfig.builder().imap("imap", "127.0.0.1", 1).imapLogin("support@acme.example", "pw")
                .smtp("127.0.0.1", 1, EmailConfig.SmtpSecurity.NONE).from("support@acme.example", "Acme Support")
                .supportDomains(List.of("acme.example")).statusTag("[resolved]", io.slabridge.core.model.TicketStatus.RESOLVED)
                .build();
        intake = new EmailIntake(config, new MailStore(store.dataSource()), sunk::add,
                Clock.fixed(Instant.parse("2025-11-20T12:00:00Z"), ZoneOffset.UTC), new EmailStats());
        // The thread the replies name, so that they join a ticket rather than open one.
        intake.read(message(seed("mail-seeds/customer-request.eml")), "INBOX");
        sunk.clear();
    }

    private static byte[] seed(String resource) {
        try (InputStream in = EmailIntakeFuzzProperties.class.getResourceAsStream("/" + resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MailFixture.RawMessage message(byte[] raw) throws MessagingException {
        return new MailFixture.RawMessage(raw);
    }

    @Provide
    Arbitrary<byte[]> messages() {
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            byte[] raw = seed(SEEDS.get(random.nextInt(SEEDS.size())));
            return random.nextInt(12) == 0 ? raw : new MimeMutator(random).mutate(raw, 4);
        });
    }

    @Property(tries = 3000)
    void aMessageIsDecidedNeverThrowsAndItsEventsGoOutWhole(@ForAll("messages") byte[] raw) throws Exception {
        MailFixture.RawMessage message;
        try {
            message = message(raw);
        } catch (MessagingException e) {
            NOT_MIME.incrementAndGet(); // JavaMail itself cannot make a message of it: no IMAP server would hand it over
            return;
        }
        long rowsBefore = threadRows();
        EmailIntake.Outcome outcome = intake.read(message, "INBOX");
        assertNotNull(outcome);
        OUTCOMES.get(outcome).incrementAndGet();
        if (outcome == EmailIntake.Outcome.EVENTS) {
            assertEquals(1, sunk.size(), "a message's events go to the runtime in one piece");
            assertTrue(!sunk.get(0).isEmpty());
            EventChecks.assertAllComplete(sunk.get(0), "email:");
            assertEquals(1, sunk.get(0).stream().map(TicketEvent::ticket).distinct().count(), "one message, one ticket");
        } else {
            assertTrue(sunk.isEmpty(), outcome + ": no events");
            assertEquals(rowsBefore, threadRows(), outcome + ": the threading tables are as they were");
        }
        sunk.clear();
    }

    @AfterProperty
    void closeStore() {
        store.close();
    }

    private long threadRows() throws Exception {
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM mail_message) + (SELECT COUNT(*) FROM "
                        + "mail_ticket)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @AfterContainer
    static void tally() {
        long total = NOT_MIME.get() + OUTCOMES.values().stream().mapToLong(AtomicLong::get).sum();
        System.out.printf("email fuzz: %d messages; %s; %d not MIME at all%n", total, OUTCOMES, NOT_MIME.get());
        if (total > 0) {
            assertTrue(OUTCOMES.get(EmailIntake.Outcome.EVENTS).get() > 0 && OUTCOMES.get(EmailIntake.Outcome.SKIPPED).get() > 0,
                    "the mutations reach both read and skipped mail");
        }
    }
}
