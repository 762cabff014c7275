package io.slabridge.board;

import io.slabridge.connector.api.TicketLinks;
import io.slabridge.core.store.StoreException;
import io.slabridge.store.JdbcBoardReads;
import io.slabridge.store.JdbcBoardReads.StateRow;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the board's model in step with the store. Every few hundred milliseconds it asks the store which tickets were
 * saved since it last looked (through the {@code updated_at} index), and reads again those whose version moved: that
 * works the same for changes made by this instance and by others on a shared PostgreSQL.
 *
 * <p>A transaction stamps {@code updated_at} with its clock before it commits, so a row may appear with a stamp older
 * than rows already seen: each look goes back {@link #LOOK_BACK_SECONDS} (in the store's clock) behind the newest
 * stamp seen, and versions tell what is new.
 */
final class StoreFollower {
    private static final Logger LOG = LoggerFactory.getLogger(StoreFollower.class);
    static final long LOOK_BACK_SECONDS = 60;
    private static final int PAGE = 500;

    private final JdbcBoardReads reads;
    private final BoardModel model;
    private final TicketLinks links;
    private final Clock clock;
    private final ZoneId zone;
    private long newestSeen = Long.MIN_VALUE;
    private boolean failing;

    StoreFollower(JdbcBoardReads reads, BoardModel model, TicketLinks links, Clock clock, ZoneId zone) {
        this.reads = reads;
        this.model = model;
        this.links = links;
        this.clock = clock;
        this.zone = zone;
    }

    /** Loads the open tickets and those saved this month, a page per transaction; returns how many. */
    int load() {
        long monthStart = clock.instant().atZone(zone).toLocalDate().withDayOfMonth(1).atStartOfDay(zone).toEpochSecond();
        newestSeen = clock.instant().getEpochSecond();
        String after = null;
        int total = 0;
        while (true) {
            List<StateRow> page = reads.openOrSavedSince(monthStart, after, PAGE);
            if (page.isEmpty()) {
                break;
            }
            List<String> keys = page.stream().map(StateRow::ticket).toList();
            List<BoardTicket> read = read(keys);
            model.load(read);
            total += read.size();
            after = keys.get(keys.size() - 1);
            if (page.size() < PAGE) {
                break;
            }
        }
        return total;
    }

    /** One look at the store; publishes the change to {@code changed}, if any. Never throws: a failure is logged once. */
    void look(Consumer<BoardModel.Change> changed) {
        try {
            Map<String, Long> versions = reads.versionsSince(newestSeen - LOOK_BACK_SECONDS);
            List<String> moved = new ArrayList<>();
            versions.forEach((ticket, version) -> {
                if (version > model.version(ticket)) {
                    moved.add(ticket);
                }
            });
            if (!moved.isEmpty()) {
                BoardModel.Change change = model.apply(read(moved), clock.instant());
                if (change != null) {
                    changed.accept(change);
                }
            }
            if (failing) {
                LOG.info("The SLA board reads the store again");
                failing = false;
            }
        } catch (StoreException | IllegalStateException e) {
            if (!failing) {
                LOG.warn("The SLA board cannot read the store; it shows what it last read: {}", e.getMessage());
                failing = true;
            }
        }
    }

    private List<BoardTicket> read(List<String> keys) {
        List<BoardTicket> out = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i += PAGE) {
            JdbcBoardReads.Tickets page = reads.tickets(keys.subList(i, Math.min(keys.size(), i + PAGE)));
            for (StateRow row : page.states()) {
                newestSeen = Math.max(newestSeen, row.updatedAt());
                out.add(BoardTicket.of(row, page.events().getOrDefault(row.ticket(), List.of()), links));
            }
        }
        return out;
    }
}
