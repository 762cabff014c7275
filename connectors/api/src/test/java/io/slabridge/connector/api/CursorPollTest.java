package io.slabridge.connector.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.store.PollCursors;
import io.slabridge.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The shared poll loop: where a poll starts, when the cursor moves, what a crash loses (nothing). */
class CursorPollTest {
    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    private static final Duration LOOKBACK = Duration.ofDays(1);
    private static final Duration OVERLAP = Duration.ofMinutes(2);

    private final MutableClock clock = new MutableClock(NOW);
    private final Map<String, String> saved = new HashMap<>();
    /** What happened, in order: events stored and cursors saved. */
    private final List<String> log = new ArrayList<>();
    private final PollCursors cursors = new PollCursors() {
        @Override
        public Optional<String> cursor(String name) {
            return Optional.ofNullable(saved.get(name));
        }

        @Override
        public void saveCursor(String name, String value, Instant now) {
            saved.put(name, value);
            log.add("cursor " + value);
        }
    };
    private final CursorPoll loop = new CursorPoll(cursors, page -> log.add("stored " + page.size()), clock);

    private static TicketEvent event(String id, Instant at) {
        return TicketEvent.builder(id, "t:" + id, at, EventType.INTERNAL_NOTE).build();
    }

    /** Pages served in order, recording the window's start each poll asked from. */
    private CursorPoll.Pages serve(List<Instant> since, Instant windowStart, CursorPoll.Page... pages) {
        since.add(windowStart);
        Deque<CursorPoll.Page> left = new ArrayDeque<>(List.of(pages));
        return left::poll;
    }

    @Test
    void aFirstPollReadsBackTheLookbackAndRemembersWhereItLookedFromEvenWhenNothingCame() {
        List<Instant> since = new ArrayList<>();
        CursorPoll.Result r = loop.read("s", LOOKBACK, OVERLAP, at -> serve(since, at, new CursorPoll.Page(0, List.of(), null)));
        assertEquals(List.of(NOW.minus(LOOKBACK).minus(OVERLAP)), since);
        assertEquals(new CursorPoll.Result(1, 0, 0, NOW.minus(LOOKBACK)), r);
        assertEquals(NOW.minus(LOOKBACK).toString(), saved.get("s"));

        clock.advance(Duration.ofHours(1));
        loop.read("s", LOOKBACK, OVERLAP, at -> serve(since, at, new CursorPoll.Page(0, List.of(), null)));
        assertEquals(NOW.minus(LOOKBACK).minus(OVERLAP), since.get(1), "the lookback is applied once");
    }

    @Test
    void eachPagesEventsAreStoredBeforeTheCursorMovesPastThem() {
        saved.put("s", NOW.minusSeconds(600).toString());
        Instant a = NOW.minusSeconds(300);
        Instant b = NOW.minusSeconds(100);
        List<Instant> since = new ArrayList<>();
        CursorPoll.Result r = loop.read("s", LOOKBACK, OVERLAP, at -> serve(since, at,
                new CursorPoll.Page(2, List.of(event("1", a), event("2", a)), a, () -> log.add("after 1")),
                new CursorPoll.Page(1, List.of(event("3", b)), b),
                new CursorPoll.Page(1, List.of(), NOW.minusSeconds(900))));
        assertEquals(List.of(NOW.minusSeconds(600).minus(OVERLAP)), since, "from the cursor less the overlap");
        assertEquals(List.of("stored 2", "after 1", "cursor " + a, "stored 1", "cursor " + b), log,
                "a page older than the cursor leaves it");
        assertEquals(new CursorPoll.Result(3, 4, 3, b), r);
    }

    @Test
    void aFailureMidStreamKeepsTheCursorOfThePagesStoredSoTheNextPollReadsTheRestAgain() {
        saved.put("s", NOW.minusSeconds(600).toString());
        Instant a = NOW.minusSeconds(300);
        Deque<CursorPoll.Page> pages = new ArrayDeque<>(List.of(new CursorPoll.Page(1, List.of(event("1", a)), a)));
        assertThrows(IllegalStateException.class, () -> loop.read("s", LOOKBACK, OVERLAP, at -> () -> {
            if (pages.isEmpty()) {
                throw new IllegalStateException("the source stopped answering");
            }
            return pages.poll();
        }));
        assertEquals(a.toString(), saved.get("s"));
    }
}
