package io.slabridge.connector.email;

import static io.slabridge.connector.email.IntakeHarness.await;
import static io.slabridge.connector.email.MailFixture.mail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.testing.EventChecks;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A corpus of broken mail ({@code src/test/resources/mail-corpus/*.eml}: broken MIME boundaries, multiparts nested
 * 4 and 15 levels, 200 KB headers, unknown and invalid charsets, 8-bit headers, missing or unusable senders, base64
 * garbage...) delivered through GreenMail to the real inbox route, followed by a good mail. Each is either read
 * (when a person's request can be made out of it: a ticket, whatever its body) or skipped with a reason and
 * counted; each is read exactly once, never again at every poll; and the good mail after them is read.
 */
class EmailCorpusRouteTest {
    private static final String CORPUS = "/mail-corpus/";

    /** What becomes of a corpus file. */
    enum Outcome { TICKET, SKIPPED }

    /**
     * @param titleStart how the ticket's created event's title starts (TICKET), or what the skip reason says
     *                   (SKIPPED)
     * @param priority   the priority the body's keywords give (urgent when the text was read), or null
     */
    record Expect(String file, Outcome outcome, String titleStart, Priority priority) {
    }

    private static Expect ticket(String file, String titleStart, Priority priority) {
        return new Expect(file, Outcome.TICKET, titleStart, priority);
    }

    private static Expect skipped(String file, String reason) {
        return new Expect(file, Outcome.SKIPPED, reason, null);
    }

    /**
     * Every corpus file and the decision for it. A customer's mail that can be told apart (it has a sender) opens a
     * ticket even when its body cannot be read: someone is waiting for an answer. Only mail without a usable sender
     * is skipped: there is no one to answer and no one to thread replies to.
     */
    static List<Expect> corpus() {
        return List.of(
                // Broken structure: the ticket opens, the body is read as far as it can be.
                ticket("broken-boundary-never-appears.eml", "Broken boundary", Priority.NORMAL),
                ticket("broken-boundary-unterminated.eml", "Unterminated multipart", Priority.URGENT),
                ticket("multipart-without-boundary.eml", "Multipart without boundary", Priority.NORMAL),
                ticket("content-type-garbage.eml", "Garbage content type", null),
                // The text four levels down is read: its "down" and "urgent" make the ticket urgent.
                ticket("nested-multipart-4-levels.eml", "Nested parts", Priority.URGENT),
                // Fifteen levels: below the reader's depth limit (10) the text is not read; no stack overflow.
                ticket("nested-multipart-15-levels.eml", "Very deeply nested", Priority.NORMAL),
                // 200 KB headers: read; a subject that long is cut to 998 characters (RFC 5322's longest line).
                ticket("huge-subject-200kb.eml", "Invoice wrong amount wrong amount", null),
                ticket("huge-custom-header-200kb.eml", "Huge custom header", null),
                ticket("huge-folded-references.eml", "Thousands of references", null),
                // A 3000-character Message-ID cannot be a key of the store: the ticket gets an id derived from it.
                ticket("huge-message-id.eml", "Huge message id", null),
                // Charsets: the ticket opens; a body in a charset no one knows is not read (counted).
                ticket("unknown-charset-body.eml", "Unknown charset", Priority.NORMAL),
                ticket("invalid-charset-name.eml", "Invalid charset name", null),
                ticket("unknown-charset-encoded-word.eml", "=?x-unknown?Q?Hello_there?=", null),
                ticket("8bit-utf8-headers.eml", "Réclamation: facture erronée", null),
                ticket("8bit-latin1-headers.eml", "Rechnung f", null),
                // Encodings: the ticket opens with whatever text decodes.
                ticket("base64-garbage.eml", "Base64 garbage", null),
                ticket("base64-truncated.eml", "Base64 truncated", null),
                ticket("quoted-printable-broken.eml", "Broken quoted-printable", null),
                ticket("unknown-transfer-encoding.eml", "Unknown transfer encoding", null),
                ticket("nul-bytes-in-body.eml", "NUL bytes", null),
                // Other headers: a missing or unusable Message-ID gets one derived from the mail; a bad Date
                // yields to the time the server received the mail.
                ticket("missing-message-id.eml", "No message id", null),
                ticket("message-id-garbage.eml", "Empty message id", null),
                ticket("date-garbage.eml", "Garbage date", null),
                ticket("in-reply-to-garbage.eml", "Garbage in-reply-to", null),
                ticket("headers-only-no-body.eml", "Headers only", null),
                // No one to answer: skipped, with the reason.
                skipped("missing-from.eml", "no sender address"),
                skipped("from-without-address.eml", "no sender address"),
                skipped("from-empty-group.eml", "no sender address"),
                skipped("from-garbage.eml", "no sender address"),
                // Longer than any deliverable address (RFC 5321: 254 characters).
                skipped("huge-sender-address.eml", "the sender address is 415 characters long"));
    }

    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
    private MailFixture mail;
    private IntakeHarness h;

    @BeforeEach
    void start() throws Exception {
        mail = new MailFixture();
        h = new IntakeHarness(mail, b -> b);
    }

    @AfterEach
    void stop() {
        h.close();
        mail.close();
    }

    @Test
    void everyCorpusFileHasADecision() throws IOException, URISyntaxException {
        Path dir = Path.of(EmailCorpusRouteTest.class.getResource(CORPUS).toURI());
        Set<String> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".eml"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(corpus().stream().map(Expect::file).collect(Collectors.toCollection(TreeSet::new)), files);
    }

    @Test
    void brokenMailIsReadOrSkippedWithAReasonOnceAndTheMailAfterItIsRead() throws Exception {
        List<Expect> corpus = corpus();
        h.whileStopped(() -> {
            int n = 0;
            for (Expect e : corpus) {
                try {
                    mail.append("INBOX", raw(e.file()), t0.plusSeconds(n++));
                } catch (RuntimeException ex) {
                    throw new IllegalStateException("GreenMail cannot take " + e.file(), ex);
                }
            }
        });
        mail.inbox(mail("Dora Customer <dora@initech.example>", "support@acme.example", "After the corpus")
                .id("after@initech.example"), t0.plusSeconds(600));

        await(() -> h.events().stream().anyMatch(e -> e.id().equals("email:after@initech.example")),
                "the good mail after the corpus read");
        await(() -> h.stats().read() == corpus.size() + 1, "every message read");
        long skipped = corpus.stream().filter(e -> e.outcome() == Outcome.SKIPPED).count();
        assertEquals(skipped, h.stats().skipped(), "every skipped mail counted: " + h.stats());
        // Nothing is read again: a message that failed would be taken again at every poll (100 ms here).
        Thread.sleep(600);
        assertEquals(corpus.size() + 1, h.stats().read(), "each message read once: " + h.stats());

        List<TicketEvent> events = h.events();
        EventChecks.assertAllComplete(events, "email:");
        for (Expect e : corpus) {
            List<TicketEvent> created = events.stream().filter(ev -> ev.type() == EventType.CREATED
                    && ev.title() != null && ev.title().startsWith(e.titleStart())).toList();
            if (e.outcome() == Outcome.SKIPPED) {
                continue;
            }
            assertEquals(1, created.size(), () -> e.file() + ": one ticket opened, titles: " + events.stream()
                    .map(ev -> ParsedMail.cut(ev.title())).toList() + "; " + h.stats());
            if (e.priority() != null) {
                assertEquals(e.priority(), created.get(0).priority(), e.file() + ": what its body's keywords say");
            }
            assertTrue(created.get(0).title().length() <= ParsedMail.MAX_SUBJECT_CHARS, e.file());
        }
        long tickets = events.stream().filter(ev -> ev.type() == EventType.CREATED).count();
        assertEquals(corpus.size() - skipped + 1, tickets, "one ticket per mail read, none for a skipped one");
        assertTrue(h.stats().unreadableBodies() >= 2, "bodies that could not be read are counted: " + h.stats());
        assertTrue(h.camel.getRouteController().getRouteStatus("email-inbox").isStarted());
    }

    @Test
    void eachSkippedMailSaysWhy() throws Exception {
        for (Expect e : corpus()) {
            if (e.outcome() != Outcome.SKIPPED) {
                continue;
            }
            ParsedMail.Unreadable u = assertThrows(ParsedMail.Unreadable.class,
                    () -> ParsedMail.read(raw(e.file()), Instant.now()), e.file());
            assertTrue(u.getMessage().contains(e.titleStart()), e.file() + ": " + u.getMessage());
            assertFalse(u.getMessage().length() > 500, e.file() + ": a reason fits a log line: " + u.getMessage().length());
        }
    }

    private static MailFixture.RawMessage raw(String file) {
        try (InputStream in = EmailCorpusRouteTest.class.getResourceAsStream(CORPUS + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no corpus file " + file);
            }
            return new MailFixture.RawMessage(in.readAllBytes());
        } catch (IOException | jakarta.mail.MessagingException e) {
            throw new IllegalStateException(file, e);
        }
    }
}
