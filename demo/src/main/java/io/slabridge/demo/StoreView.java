package io.slabridge.demo;

import io.slabridge.core.model.CycleStatus;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.MetricCycle;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketSla;
import io.slabridge.core.replay.CycleJsonReader;
import io.slabridge.store.JdbcSlaStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the demo shows of the application's store, read through the store's own API: the tickets (from their
 * stored cycles and events), the escalation steps done, the outbox's counts.
 */
final class StoreView {
    /** Tickets read per store transaction: the demo has six. */
    private static final int PAGE = 100;

    private final JdbcSlaStore store;

    StoreView(JdbcSlaStore store) {
        this.store = store;
    }

    /**
     * A stored ticket as the table shows it.
     *
     * @param priority the latest priority of its events (wire name), or "-"
     * @param policies the policies of its cycles, in cycle order, or "-"
     * @param status   its summary state's label, as written into the ticket's SLA field
     * @param nextDue  its earliest due instant of a cycle not stopped, or null
     */
    record Ticket(String ticket, String source, String key, String priority, String policies, String status,
            Instant nextDue, List<MetricCycle> cycles) {
    }

    /** Every stored ticket, by source, then key. */
    List<Ticket> tickets() {
        List<Ticket> tickets = new ArrayList<>();
        store.forEachTicket(PAGE, stored -> tickets.add(ticket(stored)));
        tickets.sort(Comparator.comparing(Ticket::source).thenComparing(Ticket::key));
        return tickets;
    }

    /** Whether the ticket's first response cycle (any of them) has {@code status}. */
    boolean firstResponse(String ticket, CycleStatus status) {
        return tickets().stream().filter(t -> t.ticket().equals(ticket)).flatMap(t -> t.cycles().stream())
                .anyMatch(c -> c.metric() == Metric.FIRST_RESPONSE && c.status() == status);
    }

    /** How many times each escalation step was done, over all tickets, by step name. */
    Map<String, Long> stepsDone() {
        List<String> tickets = tickets().stream().map(Ticket::ticket).toList();
        Map<String, Long> steps = new TreeMap<>();
        store.inTransaction(tx -> tx.stepsDone(tickets)).values().forEach(keys -> keys.forEach(
                // EscalationDue.key(): ticket/metric/cycle/step
                key -> steps.merge(key.substring(key.lastIndexOf('/') + 1), 1L, Long::sum)));
        return steps;
    }

    /** The outbox's rows by status (pending, done, parked). */
    Map<String, Long> outboxCounts() {
        return store.outboxCounts();
    }

    private static Ticket ticket(JdbcSlaStore.StoredTicket stored) {
        String ticket = stored.ticket();
        List<MetricCycle> cycles = stored.cycles().isEmpty() ? List.of() : CycleJsonReader.read(stored.cycles());
        // The summary and earliest due the runtime stored with the cycles are derived from them, as here.
        TicketSla sla = TicketSla.of(ticket, Instant.now().getEpochSecond(), cycles);
        List<String> policies = new ArrayList<>();
        for (MetricCycle c : cycles) {
            if (!policies.contains(c.policy())) {
                policies.add(c.policy());
            }
        }
        String priority = "-";
        String source = null;
        // In event time; an event of the same second accepted later counts as later.
        List<TicketEvent> events = stored.events().stream().sorted(Comparator.comparingLong(TicketEvent::atEpochSecond))
                .toList();
        for (TicketEvent e : events) {
            if (e.priority() != null) {
                priority = e.priority().wireName();
            }
            if (source == null && e.type() == EventType.CREATED && e.source() != null) {
                source = e.source();
            }
        }
        if (source == null) { // as the runtime tells a ticket's system: else by the prefix of its key (jira:...)
            int colon = ticket.indexOf(':');
            source = colon > 0 ? ticket.substring(0, colon) : "unknown";
        }
        String key = ticket.startsWith(source + ":") ? ticket.substring(source.length() + 1) : ticket;
        return new Ticket(ticket, source, key, priority, policies.isEmpty() ? "-" : String.join(",", policies),
                sla.summary().label(), sla.earliestDueAt().orElse(null), cycles);
    }
}
