package io.slabridge.board;

import io.slabridge.connector.api.TicketLinks;
import io.slabridge.core.fold.OlaFold;
import io.slabridge.core.model.CycleStatus;
import io.slabridge.core.model.LinkSummary;
import io.slabridge.core.model.MetricCycle;
import io.slabridge.core.model.OlaCycle;
import io.slabridge.core.model.SummaryState;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.replay.CycleJsonReader;
import io.slabridge.store.JdbcBoardReads.StateRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ticket as the board shows it: what its stored state and its events say, read once when it changes.
 *
 * @param dueAt    the due instant of its metric due first (epoch seconds), or null (paused, or nothing due)
 * @param outcomes its cycles decided so far (met or breached), for compliance
 * @param onBoard  whether the board lists its SLA row: open, with an SLA
 * @param links    what it shows of its linked tickets (SLA-SPEC section 7): its own OLA clock as an engineering
 *                 ticket, the engineering tickets serving it, the customer it serves
 */
record BoardTicket(String ticket, String source, String key, String title, String account, String priority,
        String policy, String metric, Long dueAt, SummaryState status, String link, long version, boolean onBoard,
        List<Outcome> outcomes, Links links) {

    /** A cycle decided: met when it stopped in time, breached at its due instant. */
    record Outcome(String metric, boolean met, long decidedAt) {
    }

    /**
     * A ticket's links as the board shows them.
     *
     * @param ola     its OLA clock as an engineering ticket (a row of its own), or null when no OLA cycle of it runs
     * @param linked  as a customer ticket: each engineering ticket serving it, the earliest due first
     * @param serves  as an engineering ticket: the most urgent customer waiting on it, or null when none waits
     */
    record Links(Ola ola, List<Linked> linked, Serves serves) {
        static final Links NONE = new Links(null, List.of(), null);
    }

    /** An engineering ticket's OLA clock: the OLA and metric due first of its running cycles, and their state. */
    record Ola(String name, String metric, Long dueAt, SummaryState status) {
    }

    /** An engineering ticket serving a customer ticket: its OLA state for that customer, and the due first. */
    record Linked(String ticket, String key, SummaryState status, Long dueAt, String link) {
    }

    /**
     * The customer ticket an engineering ticket serves most urgently (its SLA due first), and how many wait.
     *
     * @param customer the customer ticket, or null when no waiting one has a due (all paused, say)
     */
    record Serves(String customer, String key, Long dueAt, String account, int waiting, String link) {
    }

    static BoardTicket of(StateRow row, List<TicketEvent> events, TicketLinks links) {
        String title = null;
        String account = null;
        String priority = null;
        for (TicketEvent e : events) { // in the order accepted: the latest value wins
            title = e.title() != null ? e.title() : title;
            account = e.account() != null ? e.account() : account;
            priority = e.priority() != null ? e.priority().wireName() : priority;
        }
        List<MetricCycle> cycles = row.cycles() == null || row.cycles().isBlank() ? List.of()
                : CycleJsonReader.read(row.cycles());
        MetricCycle first = null;
        List<Outcome> outcomes = new ArrayList<>();
        for (MetricCycle c : cycles) {
            if (c.status() == CycleStatus.MET) {
                outcomes.add(new Outcome(c.metric().wireName(), true, c.stoppedAtEpochSecond()));
            } else if (c.status() == CycleStatus.BREACHED && c.dueAt().isPresent()) {
                outcomes.add(new Outcome(c.metric().wireName(), false, c.dueAtEpochSecond()));
            }
            if (!c.isStopped() && (first == null || dueBefore(c, first))) {
                first = c;
            }
        }
        SummaryState status;
        try {
            status = SummaryState.valueOf(row.summary());
        } catch (IllegalArgumentException e) {
            status = SummaryState.NONE;
        }
        boolean onBoard = row.open() && first != null && status != SummaryState.NONE && status != SummaryState.MET;
        return new BoardTicket(row.ticket(), row.source(), keyOf(row.ticket()), title, account, priority,
                first == null ? null : first.policy(), first == null ? null : first.metric().wireName(),
                first == null || first.dueAt().isEmpty() ? null : first.dueAtEpochSecond(), status,
                links.link(row.ticket()).orElse(null), row.version(), onBoard, List.copyOf(outcomes),
                links(row.ticket(), row.olaCycles(), links));
    }

    /** What {@code ola} (the stored OLA cycles and link summary of the ticket's pairs) shows of its links. */
    static Links links(String ticket, String ola, TicketLinks links) {
        if (ola == null || ola.isBlank()) {
            return Links.NONE;
        }
        OlaFold.Result read = CycleJsonReader.readOla(ola);
        OlaCycle first = null;
        List<OlaCycle> running = new ArrayList<>();
        for (OlaCycle c : read.cycles()) {
            if (c.engineering().equals(ticket) && !c.isStopped()) {
                running.add(c);
                if (first == null || dueBefore(c.dueAt(), first.dueAt())) {
                    first = c;
                }
            }
        }
        Ola own = first == null ? null : new Ola(first.ola(), first.metric().wireName(), due(first.dueAt()),
                OlaFold.Result.state(running));
        // As the customer ticket's "linked" fields: per engineering ticket (the order of ofCustomer: running and due
        // first), its state for this customer and its running cycles' earliest due. An unlinked one is not shown.
        Map<String, List<OlaCycle>> byEngineering = new LinkedHashMap<>();
        for (OlaCycle c : read.ofCustomer(ticket)) {
            if (c.stoppedBy() != OlaCycle.StopCause.UNLINKED) {
                byEngineering.computeIfAbsent(c.engineering(), e -> new ArrayList<>()).add(c);
            }
        }
        List<Linked> linked = new ArrayList<>();
        byEngineering.forEach((engineering, cycles) -> linked.add(new Linked(engineering, keyOf(engineering),
                OlaFold.Result.state(cycles), cycles.stream().filter(c -> !c.isStopped() && c.dueAt() != MetricCycle.NONE)
                        .map(c -> c.dueAt()).findFirst().orElse(null), links.link(engineering).orElse(null))));
        Serves serves = null;
        LinkSummary summary = read.summaryOf(ticket).orElse(null);
        if (summary != null && summary.customersWaiting() > 0) {
            String customer = summary.mostUrgentCustomer();
            String account = summary.account() == null ? null
                    : summary.account() + (summary.tier() == null ? "" : " (" + summary.tier() + ")");
            serves = new Serves(customer, customer == null ? null : keyOf(customer),
                    due(summary.mostUrgentCustomerDueAt()), account, summary.customersWaiting(),
                    customer == null ? null : links.link(customer).orElse(null));
        }
        return own == null && linked.isEmpty() && serves == null ? Links.NONE
                : new Links(own, List.copyOf(linked), serves);
    }

    /** A ticket's key as its system shows it: {@code jira:ENG-7} is ENG-7. */
    static String keyOf(String ticket) {
        int colon = ticket.indexOf(':');
        return colon < 0 ? ticket : ticket.substring(colon + 1);
    }

    private static Long due(long epochSecond) {
        return epochSecond == MetricCycle.NONE ? null : epochSecond;
    }

    /** Whether due {@code a} comes before {@code b}; a due comes before none (paused). */
    private static boolean dueBefore(long a, long b) {
        return a != MetricCycle.NONE && (b == MetricCycle.NONE || a < b);
    }

    /** Whether {@code a} is due before {@code b}; a cycle with a due instant comes before one without (paused). */
    private static boolean dueBefore(MetricCycle a, MetricCycle b) {
        return dueBefore(a.dueAtEpochSecond(), b.dueAtEpochSecond());
    }
}
