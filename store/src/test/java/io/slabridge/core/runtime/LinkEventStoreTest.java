package io.slabridge.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.store.JdbcSlaStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code linked} and {@code unlinked} events (SLA-SPEC section 7) survive the event log: the store keeps events as
 * their JSON, so {@code other} needs no column of its own; a repeat is stored once.
 */
class LinkEventStoreTest {
    private static final TicketEvent LINKED = TicketEvent.builder("salesforce:500A:link:jira:ENG-42", "salesforce:500A",
            Instant.parse("2026-03-02T10:00:00Z"), EventType.LINKED).other("jira:ENG-42").source("salesforce").build();
    private static final TicketEvent UNLINKED = TicketEvent.builder("salesforce:500A:unlink:jira:ENG-42",
            "salesforce:500A", Instant.parse("2026-03-02T11:00:00Z"), EventType.UNLINKED).other("jira:ENG-42").build();

    private static void roundTrip(JdbcSlaStore store) {
        Instant now = Instant.parse("2026-03-02T11:00:05Z");
        assertEquals(List.of(LINKED, UNLINKED),
                store.inTransaction(tx -> tx.appendEvents(List.of(LINKED, UNLINKED, LINKED), now)));
        assertEquals(List.of(), store.inTransaction(tx -> tx.appendEvents(List.of(LINKED), now)),
                "a repeated link is stored once");
        assertEquals(List.of(LINKED, UNLINKED), store.inTransaction(tx -> tx.events("salesforce:500A")));
    }

    @Test
    void sqliteKeepsTheOtherTicket() {
        try (JdbcSlaStore store = TestStores.sqlite()) {
            roundTrip(store);
        }
    }

    @Test
    void postgresKeepsTheOtherTicket() {
        TestStores.PostgresStore pg = TestStores.postgres();
        try {
            roundTrip(pg.store());
        } finally {
            pg.dropSchema();
        }
    }
}
