package io.slabridge.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.fold.OlaFold;
import io.slabridge.core.model.CycleStatus;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.OlaCycle;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.replay.CycleJsonReader;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.store.JdbcBoardReads;
import io.slabridge.store.JdbcSlaStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the SLA board reads of linked tickets (issue 16): the runtime stores the OLA cycles of a ticket's pairs and
 * its link summary beside its SLA state (V7, {@code ticket_state.ola_cycles}) while any of it is live, and the board
 * loads an engineering issue whose only clock is an OLA. On the embedded SQLite file, H2 and PostgreSQL.
 */
class BoardOlaReadsTest {
    private static final String CASE = OlaRuntimeTest.CASE;
    private static final String ENG = OlaRuntimeTest.ENG;

    @Test
    void onTheEmbeddedStore() throws Exception {
        try (JdbcSlaStore store = TestStores.sqlite()) {
            theBoardReadsBothSidesOfALinkWhileItIsLive(store);
        }
    }

    @Test
    void onH2() throws Exception {
        try (JdbcSlaStore store = TestStores.h2()) {
            theBoardReadsBothSidesOfALinkWhileItIsLive(store);
        }
    }

    @Test
    void onPostgresql() throws Exception {
        TestStores.PostgresStore pg = TestStores.postgres();
        try {
            theBoardReadsBothSidesOfALinkWhileItIsLive(pg.store());
        } finally {
            pg.dropSchema();
        }
    }

    private static void theBoardReadsBothSidesOfALinkWhileItIsLive(JdbcSlaStore store) throws Exception {
        Instant t0 = OlaRuntimeTest.T0;
        MutableClock clock = new MutableClock(t0.plusSeconds(600));
        SlaRuntime runtime = SlaRuntime.of(store, OlaRuntimeTest.policies(), clock);
        runtime.acceptAll(OlaRuntimeTest.caseAndIssue());
        JdbcBoardReads reads = store.boardReads();
        assertNull(rows(reads).get(ENG).olaCycles(), "not linked yet: nothing of links stored");

        Instant linkedAt = t0.plusSeconds(1200);
        clock.set(linkedAt);
        runtime.accept(OlaRuntimeTest.linkFromJira(linkedAt));
        Map<String, JdbcBoardReads.StateRow> rows = rows(reads);
        OlaFold.Result onIssue = CycleJsonReader.readOla(rows.get(ENG).olaCycles());
        OlaCycle ola = onIssue.cycles().get(0);
        assertEquals(List.of("eng first_response running due " + linkedAt.plusSeconds(7200).getEpochSecond()),
                onIssue.cycles().stream().map(c -> c.ola() + " " + c.metric().wireName() + " " + c.status().wireName()
                        + " due " + c.dueAt()).toList());
        assertEquals(CASE, ola.customer());
        assertEquals(1, onIssue.summaryOf(ENG).orElseThrow().customersWaiting());
        assertEquals("Acme", onIssue.summaryOf(ENG).orElseThrow().account());
        assertEquals(List.of(ola), CycleJsonReader.readOla(rows.get(CASE).olaCycles()).ofCustomer(CASE),
                "the Case holds the same cycle, as the customer side");
        // The issue has no SLA of its own (the policy is for Salesforce): the board loads it for its OLA alone.
        assertTrue(!rows.get(ENG).open());
        assertEquals(List.of(ENG, CASE), loaded(reads));

        // Engineering answers: the OLA is met; the Case still waits, so both sides stay on the board.
        clock.set(linkedAt.plusSeconds(600));
        runtime.accept(TicketEvent.builder("jira:r1", ENG, linkedAt.plusSeconds(600), EventType.AGENT_REPLY)
                .source("jira").build());
        rows = rows(reads);
        assertEquals(CycleStatus.MET, CycleJsonReader.readOla(rows.get(CASE).olaCycles()).cycles().get(0).status());
        assertEquals(List.of(ENG, CASE), loaded(reads));

        // The Case is resolved: nothing of the link is live any more, and neither is loaded for it.
        clock.set(linkedAt.plusSeconds(1200));
        runtime.accept(TicketEvent.builder("sf:resolved", CASE, linkedAt.plusSeconds(1200), EventType.STATUS_CHANGED)
                .status(TicketStatus.RESOLVED).source("salesforce").build());
        rows = rows(reads);
        assertNull(rows.get(CASE).olaCycles());
        assertNull(rows.get(ENG).olaCycles());
        assertEquals(List.of(), loaded(reads));
    }

    private static Map<String, JdbcBoardReads.StateRow> rows(JdbcBoardReads reads) {
        return reads.tickets(List.of(CASE, ENG)).states().stream()
                .collect(Collectors.toMap(JdbcBoardReads.StateRow::ticket, Function.identity()));
    }

    /** What a board starting now loads, leaving out what it loads only for this month's compliance. */
    private static List<String> loaded(JdbcBoardReads reads) {
        return reads.openOrSavedSince(Long.MAX_VALUE, null, 100).stream().map(JdbcBoardReads.StateRow::ticket).toList();
    }
}
