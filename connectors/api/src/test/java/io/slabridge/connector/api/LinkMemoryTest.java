package io.slabridge.connector.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.store.PollCursors;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A ticket's links as read version after version: what becomes linked and unlinked, and what is read again. */
class LinkMemoryTest {
    private static final String CASE = "salesforce:500000000000001AAA";
    private static final long T1 = Instant.parse("2026-03-02T10:00:00Z").getEpochSecond();
    private static final long T2 = Instant.parse("2026-03-02T11:00:00Z").getEpochSecond();
    private static final long T3 = Instant.parse("2026-03-02T12:00:00Z").getEpochSecond();

    private final Map<String, String> saved = new HashMap<>();
    private final PollCursors cursors = new PollCursors() {
        @Override
        public Optional<String> cursor(String name) {
            return Optional.ofNullable(saved.get(name));
        }

        @Override
        public void saveCursor(String name, String value, Instant now) {
            saved.put(name, value);
        }
    };
    private final LinkMemory memory = new LinkMemory(cursors, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

    private List<String> read(long at, Set<String> others) {
        LinkMemory.Change change = memory.read(CASE, at, others, "salesforce");
        change.remember().run();
        return change.events().stream().map(e -> e.type().wireName() + " " + e.other() + " " + e.at() + " " + e.id())
                .toList();
    }

    @Test
    void aLinkSetChangedAndClearedIsLinkedThenRelinkedThenUnlinked() {
        assertEquals(List.of("linked jira:ENG-1 2026-03-02T10:00:00Z " + CASE + ":link:jira:ENG-1:2026-03-02T10:00:00Z"),
                read(T1, Set.of("jira:ENG-1")));
        assertEquals(List.of("unlinked jira:ENG-1 2026-03-02T11:00:00Z " + CASE + ":unlink:jira:ENG-1:2026-03-02T11:00:00Z",
                "linked jira:ENG-2 2026-03-02T11:00:00Z " + CASE + ":link:jira:ENG-2:2026-03-02T11:00:00Z"),
                read(T2, Set.of("jira:ENG-2")));
        assertEquals(List.of("unlinked jira:ENG-2 2026-03-02T12:00:00Z " + CASE + ":unlink:jira:ENG-2:2026-03-02T12:00:00Z"),
                read(T3, Set.of()));
        assertEquals(List.of(), read(T3 + 60, Set.of()), "nothing linked, nothing to say");
    }

    @Test
    void theSameVersionReadAgainAndAnOlderOneGiveNothing() {
        read(T1, Set.of("jira:ENG-1"));
        read(T2, Set.of("jira:ENG-1", "jira:ENG-2"));
        assertEquals(List.of(), read(T2, Set.of("jira:ENG-1", "jira:ENG-2")), "the same version again");
        assertEquals(List.of(), read(T1, Set.of("jira:ENG-1")), "an old webhook delivered again after a newer read");
        assertEquals(List.of(), read(T3, Set.of("jira:ENG-2", "jira:ENG-1")), "a newer version, same links");
    }

    @Test
    void aCrashBeforeRememberingGivesTheSameIdsOnTheNextRead() {
        List<TicketEvent> first = memory.read(CASE, T1, Set.of("jira:ENG-1"), "salesforce").events();
        // not remembered: the events were stored, then the process died
        List<TicketEvent> again = memory.read(CASE, T1, Set.of("jira:ENG-1"), "salesforce").events();
        assertEquals(first, again);
    }

    @Test
    void aTicketNeverLinkedKeepsNoRow() {
        assertEquals(List.of(), read(T1, Set.of()));
        assertTrue(saved.isEmpty());
    }

    @Test
    void aVeryLongTicketKeyIsRememberedUnderItsHash() {
        String ticket = "email:" + "x".repeat(300) + "@mail.example";
        LinkMemory.Change change = memory.read(ticket, T1, Set.of("jira:ENG-1"), "email");
        change.remember().run();
        assertEquals(1, change.events().size());
        assertTrue(saved.keySet().iterator().next().length() <= 200);
        assertEquals(List.of(), memory.read(ticket, T1, Set.of("jira:ENG-1"), "email").events());
    }
}
