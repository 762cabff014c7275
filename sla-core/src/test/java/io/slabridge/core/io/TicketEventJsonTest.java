package io.slabridge.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Ticket events on the wire (SLA-SPEC section 1). JSON is written with single quotes here, then swapped. */
class TicketEventJsonTest {
    private final TicketEventJson json = new TicketEventJson();

    /** {@code 'x'} to {@code "x"}, so that JSON in Java strings stays readable. */
    private static String q(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private TicketEvent read(String singleQuoted) throws InvalidEventException {
        return json.read(q(singleQuoted));
    }

    private String rejected(String singleQuoted) {
        return assertThrows(InvalidEventException.class, () -> read(singleQuoted)).getMessage();
    }

    @Test
    void readsEveryField() throws Exception {
        TicketEvent e = read("{'id':'jira:SUP-12:1','ticket':'jira:SUP-12','at':'2026-03-02T09:15:00Z','type':'created',"
                + "'priority':'high','status':'open','tier':'enterprise','channel':'email','category':'billing',"
                + "'account':'ACME','source':'jira','title':'Printer on fire','author':'ann@acme.example'}");

        assertEquals("jira:SUP-12:1", e.id());
        assertEquals("jira:SUP-12", e.ticket());
        assertEquals(Instant.parse("2026-03-02T09:15:00Z"), e.at());
        assertEquals(1_772_442_900L, e.atEpochSecond());
        assertEquals(EventType.CREATED, e.type());
        assertEquals(Priority.HIGH, e.priority());
        assertEquals(TicketStatus.OPEN, e.status());
        assertEquals("enterprise", e.tier());
        assertEquals("email", e.channel());
        assertEquals("billing", e.category());
        assertEquals("ACME", e.account());
        assertEquals("jira", e.source());
        assertEquals("Printer on fire", e.title());
        assertEquals("ann@acme.example", e.author());
    }

    @Test
    void createdEventRoundTrips() throws Exception {
        TicketEvent e = TicketEvent.builder("salesforce:5003x00000ABCdE:1", "salesforce:5003x00000ABCdE",
                        Instant.parse("2026-03-02T09:15:00Z"), EventType.CREATED)
                .priority(Priority.URGENT).status(TicketStatus.OPEN).tier("enterprise").channel("portal")
                .category("security").account("ACME").source("salesforce")
                .title("Ünïcödé, \"quotes\", back\\slash and a\nnewline").author("bob").build();

        String written = TicketEventJson.write(e);

        assertTrue(written.startsWith(q("{'id':'salesforce:5003x00000ABCdE:1','ticket':'salesforce:5003x00000ABCdE',"
                + "'at':'2026-03-02T09:15:00Z','type':'created','priority':'urgent','status':'open'")), written);
        assertEquals(-1, written.indexOf('\n'), "one event is one line");
        assertEquals(e, json.read(written));
    }

    @ParameterizedTest
    @ValueSource(strings = {"customer_message", "agent_reply", "internal_note"})
    void minimalEventsRoundTrip(String type) throws Exception {
        TicketEvent e = TicketEvent.builder("e1", "email:<root@mail.example>", Instant.parse("1999-12-31T23:59:59Z"),
                EventType.fromWire(type)).build();

        String written = TicketEventJson.write(e);

        assertEquals(q("{'id':'e1','ticket':'email:<root@mail.example>','at':'1999-12-31T23:59:59Z','type':'" + type + "'}"),
                written);
        assertEquals(e, json.read(written));
    }

    @Test
    void changeEventsRoundTrip() throws Exception {
        TicketEvent status = TicketEvent.builder("e2", "t", 0L, EventType.STATUS_CHANGED)
                .status(TicketStatus.WAITING_ON_CUSTOMER).build();
        TicketEvent priority = TicketEvent.builder("e3", "t", 1L, EventType.PRIORITY_CHANGED)
                .priority(Priority.LOW).build();
        TicketEvent attributes = TicketEvent.builder("e4", "t", 2L, EventType.ATTRIBUTES_CHANGED)
                .tier("pro").account("Initech").build();

        assertEquals(status, json.read(TicketEventJson.write(status)));
        assertEquals(priority, json.read(TicketEventJson.write(priority)));
        assertEquals(attributes, json.read(TicketEventJson.write(attributes)));
        assertTrue(TicketEventJson.write(status).contains(q("'at':'1970-01-01T00:00:00Z'")));
    }

    @ParameterizedTest(name = "without {0}")
    @ValueSource(strings = {"id", "ticket", "at", "type"})
    void requiredFieldMissing(String field) {
        String full = "{'id':'e1','ticket':'t','at':'2026-03-02T09:15:00Z','type':'agent_reply'}";
        String without = full.replaceFirst("'" + field + "':'[^']*',?", "").replace(",}", "}");

        assertEquals("missing field '" + field + "'", rejected(without));
    }

    @ParameterizedTest(name = "{0} set to null")
    @ValueSource(strings = {"id", "ticket", "at", "type"})
    void requiredFieldNull(String field) {
        String full = "{'id':'e1','ticket':'t','at':'2026-03-02T09:15:00Z','type':'agent_reply'}";
        String nulled = full.replaceFirst("'" + field + "':'[^']*'", "'" + field + "':null");

        assertEquals("missing field '" + field + "'", rejected(nulled));
    }

    @ParameterizedTest(name = "{0} empty")
    @ValueSource(strings = {"id", "ticket"})
    void requiredTextEmpty(String field) {
        String full = "{'id':'e1','ticket':'t','at':'2026-03-02T09:15:00Z','type':'agent_reply'}";
        String emptied = full.replaceFirst("'" + field + "':'[^']*'", "'" + field + "':'  '");

        assertEquals("field '" + field + "' is empty", rejected(emptied));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"created", "priority_changed"})
    void priorityRequired(String type) {
        String status = type.equals("created") ? ",'status':'open'" : "";
        String message = rejected("{'id':'e1','ticket':'t','at':'2026-03-02T09:15:00Z','type':'" + type + "'" + status + "}");

        assertEquals("missing field 'priority' (required on " + type + ")", message);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"created", "status_changed"})
    void statusRequired(String type) {
        String priority = type.equals("created") ? ",'priority':'low'" : "";
        String message = rejected("{'id':'e1','ticket':'t','at':'2026-03-02T09:15:00Z','type':'" + type + "'" + priority + "}");

        assertEquals("missing field 'status' (required on " + type + ")", message);
    }

    @Test
    void unknownType() {
        String message = rejected("{'id':'e1','ticket':'t','at':'2026-03-02T09:15:00Z','type':'reopened'}");

        assertEquals("unknown type 'reopened' (types: created, customer_message, agent_reply, internal_note, "
                + "status_changed, priority_changed, attributes_changed, linked, unlinked)", message);
    }

    @Test
    void unknownPriority() {
        String message = rejected("{'id':'e1','ticket':'t','at':'2026-03-02T09:15:00Z','type':'priority_changed',"
                + "'priority':'Urgent'}");

        assertEquals("unknown priority 'Urgent' (priorities: urgent, high, normal, low)", message);
    }

    @Test
    void unknownStatus() {
        String message = rejected("{'id':'e1','ticket':'t','at':'2026-03-02T09:15:00Z','type':'status_changed',"
                + "'status':'pending'}");

        assertEquals("unknown status 'pending' (statuses: open, in_progress, waiting_on_customer, on_hold, resolved, "
                + "closed)", message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {'id':'e1','ticket':12,'at':'2026-03-02T09:15:00Z','type':'agent_reply'}              | field 'ticket' must be a string, found a number
            {'id':1.5,'ticket':'t','at':'2026-03-02T09:15:00Z','type':'agent_reply'}              | field 'id' must be a string, found a number
            {'id':'e1','ticket':'t','at':1772442900,'type':'agent_reply'}                         | field 'at' must be a string, found a number
            {'id':'e1','ticket':'t','at':'2026-03-02T09:15:00Z','type':true}                      | field 'type' must be a string, found a boolean
            {'id':'e1','ticket':{'key':'t'},'at':'2026-03-02T09:15:00Z','type':'agent_reply'}     | field 'ticket' must be a string, found an object
            {'id':'e1','ticket':'t','at':'2026-03-02T09:15:00Z','type':'status_changed','status':['open']} | field 'status' must be a string, found an array
            """)
    void wrongJsonTypes(String line, String expected) {
        assertEquals(expected, rejected(line));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not json                                                        | not JSON: Unrecognized token 'not'
            {'id':'e1','ticket':'t'                                         | not JSON: Unexpected end-of-input
            [{'id':'e1'}]                                                   | not a JSON object
            42                                                              | not a JSON object
            {'id':'e1','ticket':'t','at':'2026-03-02T09:15:00Z','type':'agent_reply'} {} | more than one JSON value on the line
            """)
    void notAnEventObject(String line, String expected) {
        assertTrue(rejected(line).startsWith(expected), () -> rejected(line));
    }

    @Test
    void emptyInputIsNotAnObject() {
        assertEquals("not a JSON object", assertThrows(InvalidEventException.class, () -> json.read("")).getMessage());
    }

    @Test
    void keysTheStoreCannotHoldAndInstantsTheLogCannotWriteAreRefused() {
        // Found by EventLinesFuzzProperties: both used to be read, and then fail where they were stored or written.
        String longTicket = "t".repeat(1001);
        assertEquals("field 'ticket' is 1001 characters long; at most 1000",
                rejected("{'id':'e1','ticket':'" + longTicket + "','at':'2026-03-02T09:15:00Z','type':'agent_reply'}"));
        assertEquals("field 'id' is 1001 characters long; at most 1000",
                rejected("{'id':'" + longTicket + "','ticket':'t','at':'2026-03-02T09:15:00Z','type':'agent_reply'}"));
        String message = rejected("{'id':'e1','ticket':'t','at':'+10000-01-01T00:00:00Z','type':'agent_reply'}");
        assertTrue(message.contains("outside the years 0000 to 9999"), message);
        message = rejected("{'id':'e1','ticket':'t','at':'-0001-12-31T00:00:00Z','type':'agent_reply'}");
        assertTrue(message.contains("outside the years 0000 to 9999"), message);
    }

    @Test
    void badInstantNamesTheFieldAndTheText() {
        String message = rejected("{'id':'e1','ticket':'t','at':'2026-03-02 09:15','type':'agent_reply'}");

        assertTrue(message.startsWith("field 'at': "), message);
        assertTrue(message.contains("'2026-03-02 09:15'"), message);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "2026-03-02T09:15:00.999Z, 2026-03-02T09:15:00Z",          // fractions are dropped, not rounded
            "2026-03-02T09:15:00.000000001Z, 2026-03-02T09:15:00Z",
            "2026-03-02T09:15:00+02:00, 2026-03-02T07:15:00Z",
            "2026-03-02T09:15:00-05:30, 2026-03-02T14:45:00Z",
            "2026-03-02T01:00:00+02:00, 2026-03-01T23:00:00Z",          // the UTC date is the day before
            "2026-03-01T23:30:00.5-01:00, 2026-03-02T00:30:00Z",
            "2024-02-29T12:00:00+00:00, 2024-02-29T12:00:00Z",
    })
    void instantsAreWholeSecondsInUtc(String at, String utc) throws Exception {
        TicketEvent e = read("{'id':'e1','ticket':'t','at':'" + at + "','type':'agent_reply'}");

        assertEquals(Instant.parse(utc), e.at());
        assertTrue(TicketEventJson.write(e).contains(q("'at':'" + utc + "'")));
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        TicketEvent plain = read("{'id':'e1','ticket':'t','at':'2026-03-02T09:15:00Z','type':'created',"
                + "'priority':'normal','status':'open'}");
        TicketEvent extended = read("{'schema':2,'id':'e1','ticket':'t','labels':['a',{'b':[1,2,{'c':null}]}],"
                + "'at':'2026-03-02T09:15:00Z','type':'created','priority':'normal','raw':{'type':'bogus','id':7},"
                + "'status':'open','sla_hint':true,'due':null}");

        assertEquals(plain, extended);
        assertEquals(EventType.CREATED, extended.type(), "a nested 'type' of an unknown field is not the event's type");
    }

    @Test
    void fieldsTheTypeDoesNotCarryAreDropped() throws Exception {
        TicketEvent e = read("{'id':'e1','ticket':'t','at':'2026-03-02T09:15:00Z','type':'agent_reply',"
                + "'priority':'urgent','status':'closed','tier':'gold','author':'agent7'}");

        assertNull(e.priority());
        assertNull(e.status());
        assertNull(e.tier());
        assertEquals("agent7", e.author());
    }

    @Test
    void readsFromASliceOfBytes() throws Exception {
        byte[] bytes = q("xx{'id':'e1','ticket':'t','at':'2026-03-02T09:15:00Z','type':'agent_reply'}yy")
                .getBytes(StandardCharsets.UTF_8);

        TicketEvent e = json.read(bytes, 2, bytes.length - 4);

        assertEquals("e1", e.id());
        assertEquals(Instant.parse("2026-03-02T09:15:00Z"), e.at());
    }
}
