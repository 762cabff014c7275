package io.slabridge.connector.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the corpus and the fuzz property found in reading headers, each pinned down. */
class ParsedMailBadInputTest {
    private static ParsedMail read(String raw) throws Exception {
        return ParsedMail.read(new MailFixture.RawMessage(raw.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1)),
                Instant.parse("2025-11-20T12:00:00Z"));
    }

    @Test
    void aMessageIdLongerThanTheStoreHoldsIsADigestAndRepliesNamingItStillThread() throws Exception {
        String longId = "x".repeat(3000) + "@globex.example";
        ParsedMail original = read("From: carla@globex.example\nSubject: a\nMessage-ID: <" + longId + ">\n\nhi\n");
        assertTrue(original.messageId().length() < 100, original.messageId());
        assertTrue(original.messageId().endsWith("@sla-bridge.invalid"), original.messageId());
        ParsedMail reply = read("From: bob@acme.example\nSubject: Re: a\nMessage-ID: <r@acme.example>\nIn-Reply-To: <"
                + longId + ">\nReferences: <" + longId + ">\n\nok\n");
        assertEquals(List.of(original.messageId()), reply.inReplyTo());
        assertEquals(List.of(original.messageId()), reply.references());
        MailFixture.RawMessage again = new MailFixture.RawMessage(("From: carla@globex.example\r\nMessage-ID: <" + longId
                + ">\r\n\r\nhi\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(original.messageId(), new EmailRoutes.MessageIdKeys().generateUuid(null, again),
                "the read-once key is the same digest: it fits the store's key column too");
    }

    @Test
    void rawUtf8HeadersAreReadAsUtf8AndRawLatin1OnesStayAsTheyWere() throws Exception {
        String utf8 = new String("Réclamation: facture erronée".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        assertEquals("Réclamation: facture erronée", read("From: zoe@globex.example\nSubject: " + utf8 + "\n\nhi\n").subject());
        assertEquals("Rechnung für März", read("From: j@globex.example\nSubject: Rechnung f\u00fcr M\u00e4rz\n\nhi\n").subject());
    }

    @Test
    void aSubjectIsCutAtTheLongestLineAndAnAddressLongerThanAnyIsNoSender() throws Exception {
        assertEquals(998, read("From: carla@globex.example\nSubject: " + "s".repeat(5000) + "\n\nhi\n").subject().length());
        ParsedMail.Unreadable e = org.junit.jupiter.api.Assertions.assertThrows(ParsedMail.Unreadable.class,
                () -> read("From: " + "c".repeat(300) + "@globex.example\nSubject: a\n\nhi\n"));
        assertTrue(e.getMessage().startsWith("the sender address is 315 characters long"), e.getMessage());
    }

    @Test
    void aDateBeyondTheYear9999OrInTheFutureYieldsToNow() throws Exception {
        // Found by EmailIntakeFuzzProperties: a Date of the year 10000 made an event TicketEvent refuses.
        assertEquals(Instant.parse("2025-11-20T12:00:00Z"), read("From: carla@globex.example\nSubject: a\n"
                + "Date: Sat, 1 Jan 10000 00:00:00 +0000\n\nhi\n").at());
        assertEquals(Instant.parse("2025-11-20T12:00:00Z"), read("From: carla@globex.example\nSubject: a\n"
                + "Date: Mon, 1 Jan 2035 00:00:00 +0000\n\nhi\n").at());
        assertEquals(Instant.parse("2025-11-20T09:15:02Z"), read("From: carla@globex.example\nSubject: a\n"
                + "Date: Thu, 20 Nov 2025 09:15:02 +0000\n\nhi\n").at());
    }
}
