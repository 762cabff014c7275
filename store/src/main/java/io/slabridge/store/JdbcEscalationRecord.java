package io.slabridge.store;

import static io.slabridge.store.JdbcTransactions.sql;

import io.slabridge.core.model.EscalationDue;
import io.slabridge.core.model.OlaEscalationDue;
import io.slabridge.core.store.EscalationRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The escalation steps done, on JDBC ({@code escalation_done}, {@code ola_escalation_done}), on one transaction's connection. */
final class JdbcEscalationRecord implements EscalationRecord {
    private final Connection c;
    private final SqlRows rows;

    JdbcEscalationRecord(Connection c, SqlRows rows) {
        this.c = c;
        this.rows = rows;
    }

    @Override
    public Map<String, Set<String>> stepsDone(Collection<String> tickets) {
        Map<String, Set<String>> keys = new HashMap<>();
        if (tickets.isEmpty()) {
            return keys;
        }
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT ticket, metric, cycle, step FROM escalation_done WHERE " + rows.byTicket(tickets))) {
                rows.bindTickets(c, ps, tickets);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String ticket = rs.getString(1);
                        keys.computeIfAbsent(ticket, t -> new HashSet<>())
                                .add(ticket + "/" + rs.getString(2) + "/" + rs.getInt(3) + "/" + rs.getString(4));
                    }
                }
                return keys;
            }
        });
    }

    @Override
    public void markStepsDone(List<EscalationDue> steps, Instant now) {
        if (steps.isEmpty()) {
            return;
        }
        sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO escalation_done (ticket, metric, cycle, step, "
                    + "done_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (EscalationDue step : steps) {
                    ps.setString(1, step.ticket());
                    ps.setString(2, step.metric().wireName());
                    ps.setInt(3, step.cycle());
                    ps.setString(4, step.step());
                    ps.setLong(5, now.getEpochSecond());
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
    }

    @Override
    public Set<String> olaStepsDone(Collection<String> engineeringTickets) {
        Set<String> keys = new HashSet<>();
        if (engineeringTickets.isEmpty()) {
            return keys;
        }
        return sql(() -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT step_key FROM ola_escalation_done WHERE " + rows.byTicket(engineeringTickets))) {
                rows.bindTickets(c, ps, engineeringTickets);
                keys.addAll(SqlRows.strings(ps));
                return keys;
            }
        });
    }

    @Override
    public void markOlaStepsDone(List<OlaEscalationDue> steps, Instant now) {
        if (steps.isEmpty()) {
            return;
        }
        sql(() -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ola_escalation_done (step_key, ticket, done_at) "
                    + "VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                for (OlaEscalationDue step : steps) {
                    ps.setString(1, step.key());
                    ps.setString(2, step.engineering());
                    ps.setLong(3, now.getEpochSecond());
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
    }
}
