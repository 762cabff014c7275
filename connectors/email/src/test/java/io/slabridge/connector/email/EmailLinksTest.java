package io.slabridge.connector.email;

import static io.slabridge.connector.email.IntakeHarness.await;
import static io.slabridge.connector.email.MailFixture.mail;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A mail thread escalated to Jira by an agent naming the issue ({@code sla.email.link-pattern}), read over IMAP
 * (GreenMail): notes and replies link, {@code unlink KEY} unlinks, quotes and customers' mail do not, and the same
 * message read twice gives the same events.
 */
class EmailLinksTest {
    private static final String CUSTOMER = "Carla Customer <carla@globex.example>";
    private static final String TICKET = "email:c1@globex.example";
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
    private MailFixture mail;
    private IntakeHarness h;

    @BeforeEach
    void start() throws Exception {
        mail = new MailFixture();
        h = new IntakeHarness(mail, b -> b.linkPattern("(?i)\\b(ENG|PLAT)-\\d+\\b"));
    }

    @AfterEach
    void stop() {
        h.close();
        mail.close();
    }

    private List<String> links() {
        return h.of(TICKET).stream().filter(e -> e.type().namesOther())
                .map(e -> e.id() + " " + e.type().wireName() + " " + e.other() + " " + e.at()).distinct().sorted().toList();
    }

    @Test
    void anAgentsNoteLinksAReplyUnlinksAndQuotesAndCustomersDoNot() throws Exception {
        mail.inbox(mail(CUSTOMER, "support@acme.example", "Checkout returns 500 (is it ENG-1?)").id("c1@globex.example")
                .body("Maybe this is PLAT-9 again?"), t0);
        await(() -> h.events().size() == 1, "the ticket created");

        // An internal note: two keys of the pattern (any case), one of another project.
        mail.inbox(mail("bob@acme.example", "eve@acme.example", "Re: Checkout returns 500").cc("support@acme.example")
                .id("n1@acme.example").inReplyTo("c1@globex.example")
                .body("Escalated to ENG-42, related: plat-7. Not OPS-1."), t0.plusSeconds(60));
        await(() -> links().size() == 2, "two links");
        assertEquals(List.of(
                "email:n1@acme.example:link:jira:ENG-42 linked jira:ENG-42 " + t0.plusSeconds(60),
                "email:n1@acme.example:link:jira:PLAT-7 linked jira:PLAT-7 " + t0.plusSeconds(60)), links(),
                "the customer's own mention of ENG-1 and PLAT-9 links nothing");

        // A reply to the customer, its copy in Sent too: PLAT-7 unlinked; a quoted key is not read.
        MailFixture.Mail reply = mail("bob@acme.example", "carla@globex.example", "Re: Checkout returns 500")
                .cc("support@acme.example").id("a1@acme.example").inReplyTo("n1@acme.example")
                .body("Engineering is on it (ENG-42).\nUnlink: PLAT-7\n\n> Escalated to ENG-99\n");
        mail.inbox(reply, t0.plusSeconds(120));
        mail.sent(reply, t0.plusSeconds(120));
        await(() -> h.events().stream().filter(e -> e.id().startsWith("email:a1@acme.example:")).count() >= 2,
                "the reply read");
        Thread.sleep(500); // a few more polls, of both folders

        assertEquals(List.of(
                "email:a1@acme.example:link:jira:ENG-42 linked jira:ENG-42 " + t0.plusSeconds(120),
                "email:a1@acme.example:unlink:jira:PLAT-7 unlinked jira:PLAT-7 " + t0.plusSeconds(120),
                "email:n1@acme.example:link:jira:ENG-42 linked jira:ENG-42 " + t0.plusSeconds(60),
                "email:n1@acme.example:link:jira:PLAT-7 linked jira:PLAT-7 " + t0.plusSeconds(60)), links(),
                "the second copy of the reply gives the same ids: dropped as duplicates by the store");
    }
}
