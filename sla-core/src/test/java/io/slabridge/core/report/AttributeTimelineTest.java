package io.slabridge.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.slabridge.core.model.Attribute;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributeTimelineTest {
    static TicketEvent.Builder event(String id, long at, EventType type) {
        return TicketEvent.builder(id, "t", at, type);
    }

    @Test
    void valuesAsTheFoldSeesThemAtEachInstant() {
        AttributeTimeline t = AttributeTimeline.of(List.of(
                event("early", 50, EventType.ATTRIBUTES_CHANGED).tier("ignored-before-created").build(),
                event("c", 100, EventType.CREATED).priority(Priority.NORMAL).status(TicketStatus.OPEN).tier("pro")
                        .account("acme").build(),
                event("p", 200, EventType.PRIORITY_CHANGED).priority(Priority.URGENT).build(),
                event("a", 300, EventType.ATTRIBUTES_CHANGED).tier("enterprise").build(), // account kept
                event("c2", 400, EventType.CREATED).priority(Priority.LOW).status(TicketStatus.OPEN).build(),
                event("p", 500, EventType.PRIORITY_CHANGED).priority(Priority.HIGH).build())); // a repeated id
        assertNull(t.valueAt(Attribute.TIER, 99));
        assertEquals("pro", t.valueAt(Attribute.TIER, 100));
        assertEquals("normal", t.valueAt(Attribute.PRIORITY, 199));
        assertEquals("urgent", t.valueAt(Attribute.PRIORITY, 200));
        assertEquals("enterprise", t.valueAt(Attribute.TIER, 300));
        assertEquals("acme", t.valueAt(Attribute.ACCOUNT, 300));
        assertEquals("urgent", t.valueAt(Attribute.PRIORITY, 1000)); // the second created and the repeat are ignored
        assertNull(t.valueAt(Attribute.CHANNEL, 1000));
    }

    @Test
    void eventsOutOfOrderAreAppliedInTimeOrderCreatedFirstAtOneInstant() {
        AttributeTimeline t = AttributeTimeline.of(List.of(
                event("p2", 300, EventType.PRIORITY_CHANGED).priority(Priority.LOW).build(),
                event("p1", 100, EventType.PRIORITY_CHANGED).priority(Priority.HIGH).build(),
                event("c", 100, EventType.CREATED).priority(Priority.NORMAL).status(TicketStatus.OPEN).build()));
        assertEquals("high", t.valueAt(Attribute.PRIORITY, 100));
        assertEquals("high", t.valueAt(Attribute.PRIORITY, 299));
        assertEquals("low", t.valueAt(Attribute.PRIORITY, 300));
    }
}
