package io.slabridge.core.report;

import io.slabridge.core.model.Attribute;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.TicketEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A ticket's policy attributes (priority, tier, channel, category, account, source) over time, as the fold sees
 * them: events in apply order ({@code at}, {@code created} first at one instant, then arrival order), nothing
 * before the first {@code created}, a second {@code created} ignored, an absent attribute keeping its value.
 */
public final class AttributeTimeline {
    private static final Comparator<TicketEvent> APPLY_ORDER = Comparator.comparingLong(TicketEvent::atEpochSecond)
            .thenComparing(e -> e.type() != EventType.CREATED);
    private static final int ATTRIBUTES = Attribute.values().length;
    private static final AttributeTimeline EMPTY = new AttributeTimeline(new long[0], new String[0][]);

    /** Instants at which the attributes changed, ascending; {@code values[i]} holds from {@code at[i]} on. */
    private final long[] at;
    private final String[][] values;

    private AttributeTimeline(long[] at, String[][] values) {
        this.at = at;
        this.values = values;
    }

    /** @param events one ticket's events, in arrival order, duplicates allowed (the first copy counts) */
    public static AttributeTimeline of(List<TicketEvent> events) {
        List<TicketEvent> distinct = new ArrayList<>(events.size());
        Set<String> seen = new HashSet<>(events.size() * 2);
        for (TicketEvent e : events) {
            if (seen.add(e.id())) {
                distinct.add(e);
            }
        }
        return ofDistinct(distinct);
    }

    /** {@link #of} for events already free of repeated ids (as {@code EventLinesReader} delivers them). */
    public static AttributeTimeline ofDistinct(List<TicketEvent> events) {
        List<TicketEvent> ordered = events;
        for (int i = 1; i < events.size(); i++) {
            if (APPLY_ORDER.compare(events.get(i - 1), events.get(i)) > 0) {
                ordered = new ArrayList<>(events);
                ordered.sort(APPLY_ORDER);
                break;
            }
        }
        List<Long> instants = new ArrayList<>(2);
        List<String[]> snapshots = new ArrayList<>(2);
        String[] current = null;
        for (TicketEvent e : ordered) {
            boolean created = e.type() == EventType.CREATED;
            if (current == null && !created) {
                continue; // before `created`: the fold ignores it
            }
            if (current != null && (created || (e.type() != EventType.PRIORITY_CHANGED
                    && e.type() != EventType.ATTRIBUTES_CHANGED))) {
                continue;
            }
            String[] next = current == null ? new String[ATTRIBUTES] : current.clone();
            boolean changed = current == null;
            for (Attribute a : Attribute.values()) {
                String v = e.attribute(a);
                if (v != null && !v.equals(next[a.ordinal()])) {
                    next[a.ordinal()] = v;
                    changed = true;
                }
            }
            if (!changed) {
                continue;
            }
            if (!instants.isEmpty() && instants.get(instants.size() - 1) == e.atEpochSecond()) {
                snapshots.set(snapshots.size() - 1, next); // several changes at one instant: the last holds
            } else {
                instants.add(e.atEpochSecond());
                snapshots.add(next);
            }
            current = next;
        }
        if (instants.isEmpty()) {
            return EMPTY;
        }
        long[] at = new long[instants.size()];
        for (int i = 0; i < at.length; i++) {
            at[i] = instants.get(i);
        }
        return new AttributeTimeline(at, snapshots.toArray(new String[0][]));
    }

    /**
     * The attribute's value in force at {@code epochSecond} (every event at or before it applied), or null when
     * the ticket had none then.
     */
    public String valueAt(Attribute attribute, long epochSecond) {
        for (int i = at.length - 1; i >= 0; i--) {
            if (at[i] <= epochSecond) {
                return values[i][attribute.ordinal()];
            }
        }
        return null;
    }
}
