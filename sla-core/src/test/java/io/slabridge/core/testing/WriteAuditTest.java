package io.slabridge.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slabridge.core.escalation.EscalationAction.Visibility;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.SummaryState;
import io.slabridge.core.outbox.WriteBack;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fault-injection tests' audit finds what it is there to find: writes out of order, twice, or not at all. */
class WriteAuditTest {
    private static final Instant DUE = Instant.parse("2026-03-02T10:00:00Z");

    private static WriteAudit.OutboxRow fields(long id, String ticket, SummaryState summary, String status, String error) {
        return new WriteAudit.OutboxRow(id, ticket, "sla_fields", new WriteBack.SlaFields(summary, DUE, Map.of()),
                ticket + "/fields/" + id, status, 1, error);
    }

    private static WriteAudit.OutboxRow comment(long id, String ticket) {
        return new WriteAudit.OutboxRow(id, ticket, "comment", new WriteBack.Comment(Visibility.INTERNAL, "late"),
                ticket + "/step/" + id, "done", 1, null);
    }

    private static WriteAudit.OutboxRow priority(long id, String ticket) {
        return new WriteAudit.OutboxRow(id, ticket, "set_priority", new WriteBack.SetPriority(Priority.URGENT),
                ticket + "/step/" + id, "done", 1, null);
    }

    /** Content as a fake would show it: the summary for fields, the key for comments, the priority's name. */
    private static String content(WriteAudit.OutboxRow row) {
        if (row.payload() instanceof WriteBack.SlaFields f) {
            return f.summary().name();
        }
        return row.payload() instanceof WriteBack.Comment ? row.idempotencyKey() : "Highest";
    }

    private static WriteAudit.Applied applied(String ticket, String kind, String content) {
        return new WriteAudit.Applied(ticket, kind, content);
    }

    private final List<WriteAudit.OutboxRow> outbox = List.of(
            fields(1, "A", SummaryState.ON_TRACK, "done", null),
            comment(2, "A"),
            fields(3, "A", SummaryState.AT_RISK, "done", "superseded by a newer sla_fields command"),
            priority(4, "A"),
            fields(5, "A", SummaryState.BREACHED, "done", null));

    @Test
    void writesInOutboxOrderWithAResentFieldWriteAndASkippedSupersededOnePass() {
        WriteAudit.Result r = WriteAudit.audit(outbox, List.of(applied("A", "sla_fields", "ON_TRACK"),
                applied("A", "sla_fields", "ON_TRACK"), applied("A", "comment", "A/step/2"),
                applied("A", "set_priority", "Highest"), applied("A", "sla_fields", "BREACHED")), WriteAuditTest::content);

        assertEquals(List.of(), r.outOfOrder());
        assertEquals(List.of(), r.duplicates());
        assertEquals(List.of(), r.lost());
        assertEquals(1, r.reapplied());
        assertEquals(1, r.superseded());
        assertEquals(4, r.commandsLanded());
    }

    @Test
    void anOlderFieldWriteAfterANewerOneIsOutOfOrder() {
        WriteAudit.Result r = WriteAudit.audit(outbox, List.of(applied("A", "sla_fields", "ON_TRACK"),
                applied("A", "comment", "A/step/2"), applied("A", "set_priority", "Highest"),
                applied("A", "sla_fields", "BREACHED"), applied("A", "sla_fields", "ON_TRACK")), WriteAuditTest::content);

        assertEquals(List.of("A: sla_fields ON_TRACK (commands [1]) applied after command 5"), r.outOfOrder());
    }

    @Test
    void aCommentTwiceIsADuplicateAndAMissingWriteIsLost() {
        WriteAudit.Result r = WriteAudit.audit(outbox, List.of(applied("A", "sla_fields", "ON_TRACK"),
                applied("A", "comment", "A/step/2"), applied("A", "comment", "A/step/2"),
                applied("A", "sla_fields", "BREACHED")), WriteAuditTest::content);

        assertEquals(List.of("A comment A/step/2 x2"), r.duplicates());
        assertEquals(List.of("4 A set_priority Highest"), r.lost());
    }
}
