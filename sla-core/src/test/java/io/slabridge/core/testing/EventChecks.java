package io.slabridge.core.testing;

import io.slabridge.core.io.InvalidEventException;
import io.slabridge.core.io.TicketEventJson;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.TicketEvent;
import java.util.Collection;

/**
 * What every event a normalizer hands to the runtime must be: what {@link TicketEvent}'s own checks require of its
 * type (a {@code created} has a status and a priority...), unchanged through the wire format (it can be written to
 * the event log and read back), and storable (its id and ticket fit the store's columns).
 */
public final class EventChecks {
    /** The store's {@code ticket_event.event_id} and {@code ticket} columns hold this many characters. */
    public static final int MAX_STORED_KEY = 1000;
    static {
        if (TicketEvent.MAX_KEY_LENGTH > MAX_STORED_KEY) {
            throw new AssertionError("TicketEvent allows keys the store cannot hold");
        }
    }

    private EventChecks() {
    }

    /**
     * @throws AssertionError naming the event and what is wrong with it
     */
    public static void assertComplete(TicketEvent e, String idAndTicketPrefix) {
        String shown = e.toString();
        String where = "event " + (shown.length() > 300 ? shown.substring(0, 300) + "..." : shown);
        check(e.id() != null && !e.id().isBlank(), where + ": no id");
        check(e.ticket() != null && !e.ticket().isBlank(), where + ": no ticket");
        check(e.type() != null, where + ": no type");
        check(e.id().startsWith(idAndTicketPrefix), where + ": id not under " + idAndTicketPrefix);
        check(e.ticket().startsWith(idAndTicketPrefix), where + ": ticket not under " + idAndTicketPrefix);
        check(e.id().length() <= MAX_STORED_KEY, where + ": id of " + e.id().length() + " characters does not fit the store");
        check(e.ticket().length() <= MAX_STORED_KEY, where + ": ticket of " + e.ticket().length()
                + " characters does not fit the store");
        if (e.type() == EventType.CREATED || e.type() == EventType.PRIORITY_CHANGED) {
            check(e.priority() != null, where + ": no priority");
        }
        if (e.type() == EventType.CREATED || e.type() == EventType.STATUS_CHANGED) {
            check(e.status() != null, where + ": no status");
        }
        check(e.atEpochSecond() >= TicketEvent.MIN_EPOCH_SECOND && e.atEpochSecond() <= TicketEvent.MAX_EPOCH_SECOND,
                where + ": instant outside the years 0000 to 9999");
        // The builder's own checks, again, on exactly these values.
        TicketEvent rebuilt = TicketEvent.builder(e.id(), e.ticket(), e.atEpochSecond(), e.type()).priority(e.priority())
                .status(e.status()).tier(e.tier()).channel(e.channel()).category(e.category()).account(e.account())
                .source(e.source()).title(e.title()).author(e.author()).build();
        check(rebuilt.equals(e), where + ": changes when built again");
        String line = TicketEventJson.write(e);
        try {
            TicketEvent read = new TicketEventJson().read(line);
            check(read.equals(e), where + ": the event log would read it back as " + read);
        } catch (InvalidEventException ex) {
            throw new AssertionError(where + ": the event log cannot read it back: " + ex.getMessage() + " in " + line);
        }
    }

    public static void assertAllComplete(Collection<TicketEvent> events, String idAndTicketPrefix) {
        for (TicketEvent e : events) {
            assertComplete(e, idAndTicketPrefix);
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }
}
