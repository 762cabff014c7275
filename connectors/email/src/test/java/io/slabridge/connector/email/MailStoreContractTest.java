package io.slabridge.connector.email;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.connector.email.MailStore.MailTicket;
import io.slabridge.store.JdbcSlaStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The email connector's tables (db/email, migrated by MailStore) on a real store: run for H2 and for PostgreSQL. */
abstract class MailStoreContractTest {
    JdbcSlaStore sla;
    MailStore store;

    abstract JdbcSlaStore open();

    abstract void close();

    @BeforeEach
    void start() {
        sla = open();
        store = new MailStore(sla.dataSource());
    }

    @AfterEach
    void stop() {
        close();
    }

    private static MailTicket ticket(String id, String subjectKey, long created) {
        return new MailTicket("email:" + id, id, "carla@globex.example", "carla@globex.example", subjectKey, subjectKey,
                "open", created, created, null, null, true, null);
    }

    @Test
    void threadsAreFoundByAnyKnownMessageAndBySubjectWithinTheWindow() {
        store.recordTicket(ticket("c1@x", "invoice", 1000));
        store.recordTicket(ticket("c1@x", "changed", 5000)); // the same ticket again changes nothing
        store.recordMessage("a1@acme", "email:c1@x", "agent", 1100);
        assertEquals("email:c1@x", store.firstKnown(List.of("unknown@x", "a1@acme")).orElseThrow().ticket());
        assertEquals("invoice", store.ticket("email:c1@x").orElseThrow().subjectKey());
        assertTrue(store.ticketBySubject("carla@globex.example", "invoice", 900).isPresent());
        assertFalse(store.ticketBySubject("carla@globex.example", "invoice", 1200).isPresent(), "no activity since");
        assertFalse(store.ticketBySubject("dora@initech.example", "invoice", 0).isPresent(), "another customer");
        store.setStatus("email:c1@x", "closed");
        assertFalse(store.ticketBySubject("carla@globex.example", "invoice", 0).isPresent(), "closed tickets are done");
    }

    @Test
    void autoResolveCandidatesAreTicketsLeftWaitingByAnAgent() {
        store.recordTicket(ticket("c1@x", "a", 1000));
        store.recordTicket(ticket("c2@x", "b", 1000));
        store.agentReplied("email:c1@x", 2000, "a1@acme", null);
        store.agentReplied("email:c2@x", 2000, "a2@acme", null);
        store.customerWrote("email:c2@x", 2500, null);
        List<MailTicket> waiting = store.waitingSince(3000, 10);
        assertEquals(List.of("email:c1@x"), waiting.stream().map(MailTicket::ticket).toList());
        assertEquals("a1@acme", waiting.get(0).lastAgentMessage());
        assertTrue(store.waitingSince(1999, 10).isEmpty());
    }

    @Test
    void theIdempotentRepositoryRemembersConfirmedMessagesAndRetakesUnfinishedOnes() {
        Clock clock = Clock.fixed(Instant.parse("2026-03-02T09:00:00Z"), ZoneOffset.UTC);
        MailIdempotentRepository repo = new MailIdempotentRepository(store, "support@imap.example", clock);
        MailIdempotentRepository other = new MailIdempotentRepository(store, "sales@imap.example", clock);
        assertTrue(repo.add("m1@x"));
        assertTrue(repo.confirm("m1@x"));
        assertFalse(repo.add("m1@x"), "processed: never again");
        assertTrue(repo.contains("m1@x"));
        assertTrue(other.add("m1@x"), "another mailbox has its own keys");
        assertTrue(repo.add("m2@x"));
        assertTrue(repo.add("m2@x"), "taken but never confirmed (a crash): taken again");
        repo.remove("m2@x");
        assertFalse(repo.contains("m2@x"));
        assertTrue(repo.add("m3@x"));
        repo.defer("m3@x");
        repo.confirm("m3@x");
        assertFalse(repo.contains("m3@x"), "deferred: read again at the next poll");
        assertTrue(repo.add("m3@x"));
        assertEquals(Instant.parse("2026-03-02T09:00:00Z"), repo.firstTaken("m3@x").orElseThrow());
    }

    @Test
    void sentMailIsRememberedAndCountedPerRecipient() {
        store.recordTicket(ticket("c1@x", "a", 1000));
        assertFalse(store.wasSent("sla-bridge.1@acme"));
        store.recordSent("sla-bridge.1@acme", "email:c1@x", "ack", "carla@globex.example", "k1", 2000, true);
        store.recordSent("sla-bridge.1@acme", "email:c1@x", "ack", "carla@globex.example", "k1", 2001, true);
        assertTrue(store.wasSent("sla-bridge.1@acme"));
        assertEquals(1, store.sentTo("carla@globex.example", "ack", 1500));
        assertEquals(0, store.sentTo("carla@globex.example", "ack", 2001));
        assertEquals("ours", store.message("sla-bridge.1@acme").orElseThrow().role());
    }
}
