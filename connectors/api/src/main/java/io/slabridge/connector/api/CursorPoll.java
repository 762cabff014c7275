package io.slabridge.connector.api;

import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.store.PollCursors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The poll loop every polled source shares: read a stream of changes from its durable cursor less an overlap, page
 * by page, oldest change first. Each page's events go to the sink before the cursor moves past them, so a crash
 * re-reads a page rather than losing it; events read again are duplicates and change nothing. The first poll of a
 * stream reads back {@code lookback}, and remembers where it looked from even when it found nothing, so the lookback
 * is applied once. A source says only how to fetch a page and read it ({@link Pages}); what it does after a failure
 * is {@link io.slabridge.core.runtime.PollPacing}'s.
 */
public final class CursorPoll {
    private final PollCursors cursors;
    private final Consumer<List<TicketEvent>> sink;
    private final Clock clock;

    public CursorPoll(PollCursors cursors, Consumer<List<TicketEvent>> sink, Clock clock) {
        this.cursors = Objects.requireNonNull(cursors, "cursors");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * One page as the source read it.
     *
     * @param records     how many records the page held
     * @param events      the events made of them
     * @param latest      the latest change stamp among them (the cursor's next value); null when none could be read
     * @param afterStored what the source keeps of the page once its events are stored (state to save), or nothing
     */
    public record Page(int records, List<TicketEvent> events, Instant latest, Runnable afterStored) {
        private static final Runnable NOTHING = () -> { };

        public Page {
            events = List.copyOf(events);
            Objects.requireNonNull(afterStored, "afterStored");
        }

        public Page(int records, List<TicketEvent> events, Instant latest) {
            this(records, events, latest, NOTHING);
        }
    }

    /** The pages of one poll, fetched one at a time. */
    @FunctionalInterface
    public interface Pages {
        /** Fetches and reads the next page; null when the page before was the last. */
        Page next();
    }

    /** What one stream's poll did, and where its cursor now stands. */
    public record Result(int pages, int records, int events, Instant cursor) {
    }

    /**
     * Reads the stream {@code cursorName} to its last page.
     *
     * @param pages the stream's pages from a window's start (the cursor less the overlap), oldest change first
     */
    public Result read(String cursorName, Duration lookback, Duration overlap, Function<Instant, Pages> pages) {
        Optional<String> stored = cursors.cursor(cursorName);
        Instant cursor = stored.map(Instant::parse).orElse(clock.instant().minus(lookback));
        Pages stream = pages.apply(cursor.minus(overlap));
        int pageCount = 0;
        int records = 0;
        int events = 0;
        for (Page page = stream.next(); page != null; page = stream.next()) {
            pageCount++;
            records += page.records();
            if (!page.events().isEmpty()) {
                sink.accept(page.events());
                events += page.events().size();
            }
            page.afterStored().run();
            if (page.latest() != null && page.latest().isAfter(cursor)) {
                cursor = page.latest();
                cursors.saveCursor(cursorName, cursor.toString(), clock.instant());
            }
        }
        if (stored.isEmpty() && records == 0) {
            // Nothing yet: still remember where we looked from, so the lookback is applied once.
            cursors.saveCursor(cursorName, cursor.toString(), clock.instant());
        }
        return new Result(pageCount, records, events, cursor);
    }
}
