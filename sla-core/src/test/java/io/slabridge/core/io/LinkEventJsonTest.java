package io.slabridge.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.fold.TicketFold;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketSla;
import io.slabridge.core.policy.PolicyFileParser;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code linked} and {@code unlinked} events on the wire (SLA-SPEC section 1 and section 7). */
class LinkEventJsonTest {
    private final TicketEventJson json = new TicketEventJson();

    private static String q(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private String rejected(String singleQuoted) {
        return assertThrows(InvalidEventException.class, () -> json.read(q(singleQuoted))).getMessage();
    }

    @Test
    void readsALinkNamingTheOtherTicket() throws Exception {
        TicketEvent e = json.read(q("{'id':'jira:ENG-42:link:salesforce:5003x00000ABCdE','ticket':'jira:ENG-42',"
                + "'at':'2026-03-02T10:00:00Z','type':'linked','other':'salesforce:5003x00000ABCdE'}"));

        assertEquals(EventType.LINKED, e.type());
        assertEquals("jira:ENG-42", e.ticket());
        assertEquals("salesforce:5003x00000ABCdE", e.other());
    }

    @ParameterizedTest
    @CsvSource({"linked", "unlinked"})
    void linkEventsRoundTrip(String type) throws Exception {
        TicketEvent e = TicketEvent.builder("sf:1:" + type, "salesforce:5003x00000ABCdE",
                Instant.parse("2026-03-02T10:00:00Z"), EventType.fromWire(type)).other("jira:ENG-42").source("salesforce")
                .build();

        String written = TicketEventJson.write(e);

        assertEquals(q("{'id':'sf:1:" + type + "','ticket':'salesforce:5003x00000ABCdE','at':'2026-03-02T10:00:00Z',"
                + "'type':'" + type + "','source':'salesforce','other':'jira:ENG-42'}"), written);
        assertEquals(e, json.read(written));
    }

    @Test
    void aLinkWithoutOtherIsRejected() {
        assertEquals("missing field 'other'", rejected(
                "{'id':'e1','ticket':'jira:ENG-42','at':'2026-03-02T10:00:00Z','type':'linked'}"));
        assertEquals("field 'other' is empty", rejected(
                "{'id':'e1','ticket':'jira:ENG-42','at':'2026-03-02T10:00:00Z','type':'unlinked','other':' '}"));
    }

    @Test
    void otherMustBeAString() {
        assertTrue(rejected("{'id':'e1','ticket':'jira:ENG-42','at':'2026-03-02T10:00:00Z','type':'linked',"
                + "'other':42}").startsWith("field 'other' must be a string, found a number"));
    }

    @ParameterizedTest
    @CsvSource({"ENG-42", "jira:", ":ENG-42", "' jira:ENG-42'"})
    void otherMustBeASourceScopedKey(String other) {
        String message = rejected("{'id':'e1','ticket':'salesforce:500A','at':'2026-03-02T10:00:00Z','type':'linked',"
                + "'other':'" + other + "'}");

        assertTrue(message.startsWith("field 'other' ('" + other + "') is not a ticket key: expected <source>:<key>"),
                message);
    }

    @Test
    void aTicketCannotBeLinkedToItself() {
        assertEquals("field 'other' names the event's own ticket jira:ENG-42: a ticket cannot be linked to itself",
                rejected("{'id':'e1','ticket':'jira:ENG-42','at':'2026-03-02T10:00:00Z','type':'linked',"
                        + "'other':'jira:ENG-42'}"));
    }

    @Test
    void otherOnAnotherTypeIsDropped() throws Exception {
        TicketEvent e = json.read(q("{'id':'e1','ticket':'jira:ENG-42','at':'2026-03-02T10:00:00Z','type':'agent_reply',"
                + "'other':'salesforce:500A'}"));

        assertNull(e.other(), "a stray 'other' can never act");
        assertEquals(-1, TicketEventJson.write(e).indexOf("other"));
    }

    @Test
    void aRepeatedLinkEventIsReadOnce() throws Exception {
        String line = q("{'id':'sf:500A:link:jira:ENG-42','ticket':'salesforce:500A','at':'2026-03-02T10:00:00Z',"
                + "'type':'linked','other':'jira:ENG-42'}\n");
        byte[] twice = (line + line).getBytes(StandardCharsets.UTF_8);

        TicketHistories histories = EventLinesReader.read(() -> new ByteArrayInputStream(twice));

        assertEquals(1, histories.events());
        assertEquals(1, histories.duplicates());
    }

    @Test
    void theTicketFoldIgnoresLinksOfItsOwnTicket() throws Exception {
        TicketFold fold = TicketFold.of(PolicyFileParser.parse("sla.yaml", "calendars: { always: { zone: UTC, week: 24x7 } }\n"
                + "policies:\n  - name: all\n    calendar: always\n    targets: { first_response: 1h }\n"));
        TicketEvent created = json.read(q("{'id':'c','ticket':'salesforce:500A','at':'2026-03-02T09:00:00Z',"
                + "'type':'created','priority':'high','status':'open'}"));
        TicketEvent linked = json.read(q("{'id':'l','ticket':'salesforce:500A','at':'2026-03-02T09:10:00Z',"
                + "'type':'linked','other':'jira:ENG-42'}"));
        TicketEvent unlinked = json.read(q("{'id':'u','ticket':'salesforce:500A','at':'2026-03-02T09:20:00Z',"
                + "'type':'unlinked','other':'jira:ENG-42'}"));
        long at = Instant.parse("2026-03-02T09:30:00Z").getEpochSecond();

        TicketSla without = fold.fold("salesforce:500A", List.of(created), at);
        TicketSla with = fold.fold("salesforce:500A", List.of(created, linked, unlinked), at);

        assertEquals(without.cycles(), with.cycles());
    }
}
