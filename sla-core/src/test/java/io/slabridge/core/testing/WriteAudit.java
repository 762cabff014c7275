package io.slabridge.core.testing;

import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteBackJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Checks what a fake source system applied against the outbox that caused it: every command landed, none twice,
 * and in order per ticket.
 *
 * <p><b>In order</b> means: for each ticket, the writes the system applied (field updates, priority changes,
 * comments), taken in the order it applied them, can each be traced to an outbox command of that ticket with
 * that kind and content, such that the commands' ids never go down. The id is the order the runtime enqueued
 * them in, so an older write never lands after a newer one. The same command landing twice in a row (its
 * first answer was lost, it was sent again) is allowed for the idempotent writes and counted as re-applied.
 * A field write whose content matches several commands (the same values enqueued twice) is traced to the
 * earliest one that keeps the order, which is the most lenient choice and still catches any write that no
 * ordered tracing explains.
 */
public final class WriteAudit {

    /** One row of the outbox table. */
    public record OutboxRow(long id, String ticket, String kind, WriteBack payload, String idempotencyKey, String status,
            int attempts, String lastError) {

        /** Done without a call because a newer fields command of its ticket made it moot. */
        public boolean superseded() {
            return "done".equals(status) && lastError != null && lastError.startsWith("superseded");
        }
    }

    /** One write a fake system applied, in the order it applied them; {@code content} as {@code contentOf} says. */
    public record Applied(String ticket, String kind, String content) {
    }

    /**
     * @param applied        writes the system applied
     * @param commandsLanded done commands (not superseded) whose write the system has
     * @param superseded     field commands done without a call
     * @param reapplied      writes applied again right after themselves (lost answer, sent again)
     * @param duplicates     comments applied more than once, with their counts
     * @param lost           done commands whose write the system never got
     * @param outOfOrder     writes that no ordered tracing to commands explains
     */
    public record Result(long applied, long commandsLanded, long superseded, long reapplied, List<String> duplicates,
            List<String> lost, List<String> outOfOrder) {
    }

    private static final String COMMENT = "comment";

    private WriteAudit() {
    }

    /** Every outbox row, in id order. */
    public static List<OutboxRow> outbox(DataSource dataSource) {
        List<OutboxRow> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id, ticket, kind, payload, idempotency_key, status, "
                        + "attempts, last_error FROM outbox ORDER BY id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new OutboxRow(rs.getLong(1), rs.getString(2), rs.getString(3),
                        WriteBackJson.read(rs.getString(3), rs.getString(4)), rs.getString(5), rs.getString(6),
                        rs.getInt(7), rs.getString(8)));
            }
            c.rollback();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    /** Each ticket's SLA fields as the runtime last computed them (what its system should show in the end). */
    public static Map<String, WriteBack.SlaFields> finalFields(DataSource dataSource) {
        Map<String, WriteBack.SlaFields> out = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT ticket, sla_fields FROM ticket_state ORDER BY ticket");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), (WriteBack.SlaFields) WriteBackJson.read("sla_fields", rs.getString(2)));
            }
            c.rollback();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /**
     * @param contentOf what the system would show for a command's write ({@link Applied#content()}); for a
     *                  comment its idempotency key; null for a command that makes no write there
     */
    public static Result audit(List<OutboxRow> rows, List<Applied> applied, Function<OutboxRow, String> contentOf) {
        Map<String, List<Long>> idsByWrite = new HashMap<>();
        long superseded = 0;
        for (OutboxRow row : rows) {
            String content = contentOf.apply(row);
            if (content != null) {
                idsByWrite.computeIfAbsent(key(row.ticket(), row.kind(), content), k -> new ArrayList<>()).add(row.id());
            }
            superseded += row.superseded() ? 1 : 0;
        }
        Map<String, List<Applied>> byTicket = new LinkedHashMap<>();
        Map<Applied, Integer> timesApplied = new HashMap<>();
        for (Applied a : applied) {
            byTicket.computeIfAbsent(a.ticket(), t -> new ArrayList<>()).add(a);
            timesApplied.merge(a, 1, Integer::sum);
        }
        List<String> outOfOrder = new ArrayList<>();
        long reapplied = 0;
        for (Map.Entry<String, List<Applied>> e : byTicket.entrySet()) {
            long previous = 0;
            for (Applied a : e.getValue()) {
                List<Long> ids = idsByWrite.getOrDefault(key(a.ticket(), a.kind(), a.content()), List.of());
                Long traced = null;
                for (long id : ids) { // ascending: the outbox was read in id order
                    if (id >= previous) {
                        traced = id;
                        break;
                    }
                }
                if (traced == null) {
                    outOfOrder.add(e.getKey() + ": " + a.kind() + " " + a.content() + " (commands " + ids
                            + ") applied after command " + previous);
                    continue;
                }
                reapplied += traced == previous && !COMMENT.equals(a.kind()) ? 1 : 0;
                previous = traced;
            }
        }
        List<String> duplicates = new ArrayList<>();
        timesApplied.forEach((a, n) -> {
            if (n > 1 && COMMENT.equals(a.kind())) {
                duplicates.add(a.ticket() + " comment " + a.content() + " x" + n);
            }
        });
        duplicates.sort(null);
        List<String> lost = new ArrayList<>();
        long landed = 0;
        for (OutboxRow row : rows) {
            String content = contentOf.apply(row);
            if (content == null || !"done".equals(row.status()) || row.superseded()) {
                continue;
            }
            if (timesApplied.containsKey(new Applied(row.ticket(), row.kind(), content))) {
                landed++;
            } else {
                lost.add(row.id() + " " + row.ticket() + " " + row.kind() + " " + content);
            }
        }
        return new Result(applied.size(), landed, superseded, reapplied, duplicates, lost, outOfOrder);
    }

    private static String key(String ticket, String kind, String content) {
        return ticket + " " + kind + " " + content;
    }
}
