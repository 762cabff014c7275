package io.slabridge.connector.salesforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slabridge.core.model.TicketEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records the fuzz properties found crashing the normalizer, now refused (or read) with a reason. */
class SalesforceEventsBadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SalesforceEvents events = new SalesforceEvents(SalesforceConfig.builder()
            .loginUrl("https://login.salesforce.example").clientCredentials("key", "secret").tierField("Tier__c").build(),
            () -> "005000000000001");

    private static ObjectNode record(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void anIdTheStoreCouldNotHoldIsARecordErrorNotACrashOfThePoll() throws Exception {
        ObjectNode c = record("{\"Id\":\"500000000000001AAA\",\"Status\":\"New\",\"Priority\":\"High\","
                + "\"CreatedDate\":\"2025-11-20T09:00:00.000+0000\"}");
        c.put("Id", "5".repeat(5000));
        SalesforcePayloadException e = assertThrows(SalesforcePayloadException.class, () -> events.fromCase(c, List.of()));
        assertTrue(e.getMessage().startsWith("a Case record's Id '5555"), e.getMessage());
        assertTrue(e.getMessage().contains("is not a Salesforce id"), e.getMessage());
    }

    @Test
    void aTimeBeyondTheYear9999IsARecordError() throws Exception {
        JsonNode email = record("{\"Id\":\"02s000000000001AAA\",\"ParentId\":\"500000000000001AAA\",\"Incoming\":true,"
                + "\"MessageDate\":\"9999-12-31T23:59:59.000-1800\"}");
        SalesforcePayloadException e = assertThrows(SalesforcePayloadException.class, () -> events.fromEmail(email));
        assertEquals("Case 500000000000001AAA: not a valid event: field 'at' (253402365599 s since 1970) is outside the "
                + "years 0000 to 9999", e.getMessage());
    }

    @Test
    void aHugeTierStillGivesAnAttributesEventWithAnIdTheStoreHolds() throws Exception {
        ObjectNode c = record("{\"Id\":\"500000000000001AAA\",\"SystemModstamp\":\"2025-11-20T09:00:00.000+0000\"}");
        c.put("Tier__c", "Gold ".repeat(1000));
        TicketEvent e = events.attributes(c);
        assertEquals("Gold ".repeat(1000), e.tier());
        assertTrue(e.id().startsWith("salesforce:500000000000001AAA:attrs:sha256:") && e.id().length() < 200, e.id());
        assertEquals(e.id(), events.attributes(c).id(), "the same values, the same id: a re-read is a duplicate");
    }
}
