package io.slabridge.board;

import io.slabridge.connector.api.TicketLinks;
import io.slabridge.core.model.CycleStatus;
import io.slabridge.core.model.MetricCycle;
import io.slabridge.core.model.SummaryState;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.replay.CycleJsonReader;
import io.slabridge.store.JdbcBoardReads.StateRow;
import java.util.ArrayList;
import java.util.List;

/**
 * One ticket as the board shows it: what its stored state and its events say, read once when it changes.
 *
 * @param dueAt    the due instant of its metric due first (epoch seconds), or null (paused, or nothing due)
 * @param outcomes its cycles decided so far (met or breached), for compliance
 * @param onBoard  whether the board lists it: open, with an SLA
 */
record BoardTicket(String ticket, String source, String key, String title, String account, String priority,
        String policy, String metric, Long dueAt, SummaryState status, String link, long version, boolean onBoard,
        List<Outcome> outcomes) {

    /** A cycle decided: met when it stopped in time, breached at its due instant. */
    record Outcome(String metric, boolean met, long decidedAt) {
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
        int colon = row.ticket().indexOf(':');
        String key = colon < 0 ? row.ticket() : row.ticket().substring(colon + 1);
        return new BoardTicket(row.ticket(), row.source(), key, title, account, priority,
                first == null ? null : first.policy(), first == null ? null : first.metric().wireName(),
                first == null || first.dueAt().isEmpty() ? null : first.dueAtEpochSecond(), status,
                links.link(row.ticket()).orElse(null), row.version(), onBoard, List.copyOf(outcomes));
    }

    /** Whether {@code a} is due before {@code b}; a cycle with a due instant comes before one without (paused). */
    private static boolean dueBefore(MetricCycle a, MetricCycle b) {
        if (a.dueAt().isEmpty()) {
            return false;
        }
        return b.dueAt().isEmpty() || a.dueAtEpochSecond() < b.dueAtEpochSecond();
    }
}
