package io.slabridge.connector.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The subjects of our replies: one reply prefix, whatever the customer's client and language put before. */
class SubjectsTest {
    @Test
    void replyingToOurOwnReplyAddsNoPrefix() {
        for (String subject : new String[] {"Login broken", "Re: Login broken", "AW: Login broken", "Fwd: Login broken",
                "Re: Fwd: Login broken", "SV: Re[3]: Login broken", "", "Re:"}) {
            String once = Subjects.reply(subject);
            assertEquals(once, Subjects.reply(once), "a reply to '" + subject + "' answered again");
        }
        assertEquals("Re: (no subject)", Subjects.reply("RE: (no subject)"));
        assertEquals("Re: Re-install fails", Subjects.reply("Re-install fails"), "a word, not a prefix");
        assertEquals("Re: WG: Login broken", Subjects.reply("AW: WG: Login broken"), "a German forward is kept");
    }

    @Test
    void aSubjectTemplateKeepsItsOwnPrefixAndTagsAndDropsTheCustomersReplyPrefixes() {
        assertEquals("Re: Login broken", Subjects.unstacked("Re: AW: Re: Login broken"));
        assertEquals("AW: Login broken", Subjects.unstacked("AW: Re: Login broken"), "the template's own prefix");
        assertEquals("[Acme #12] Re: Login broken", Subjects.unstacked("[Acme #12] Re: re: Login broken"));
        assertEquals("Re: Fwd: Re: Login broken", Subjects.unstacked("Re: Fwd: Re: Login broken"));
        assertEquals("Re:Login broken", Subjects.unstacked("Re:Login broken"), "one prefix: left as written");
        assertEquals("Your request: Login broken", Subjects.unstacked("Your request: Login broken"));
    }

    @Test
    void aSubjectOfNothingButBlanksAndPrefixesIsReadInLinearTime() {
        String blanks = "Re:" + " ".repeat(200_000) + "x";
        String prefixes = "Re: ".repeat(50_000) + "[" + " ".repeat(100_000);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertEquals("Re: x", Subjects.reply(blanks));
            assertEquals("Re: [", Subjects.reply(prefixes));
            Subjects.unstacked("[" + "[] ".repeat(50_000) + "Re:" + " ".repeat(100_000));
        });
    }
}
