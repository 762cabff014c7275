package io.slabridge.routes.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.runtime.SlaRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The summary line an operator reads at INFO: what happened since the last one, and nothing when nothing did. */
class ActivityLogTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void countsWhatHappenedSinceTheLastLineAndStaysQuietOtherwise() {
        ActivityLog log = new ActivityLog(Duration.ofMinutes(5));
        assertNull(log.summary(), "nothing happened: no line");

        TicketEvent event = TicketEvent.builder("e1", "jira:SUP-1", T0, EventType.CREATED).priority(Priority.NORMAL)
                .status(TicketStatus.OPEN).build();
        log.eventIn(event, SlaRuntime.Outcome.ACCEPTED);
        log.eventIn(event, SlaRuntime.Outcome.ACCEPTED);
        log.eventIn(event, SlaRuntime.Outcome.DUPLICATE);
        OutboxCommand command = new OutboxCommand(1, "jira:SUP-1", "jira",
                new WriteBack.Notify(List.of("lead@example.com"), "s", "b"), "k", T0, 0);
        log.delivered(command, "done");
        log.delivered(command, "retry_after");
        log.delivered(command, "error");
        log.delivered(command, "failed");

        assertEquals("last 5m: 2 events in (1 already known), 1 write-backs delivered, 2 to retry, 1 parked "
                + "(sla-bridge outbox --failed lists them)", log.summary());
        assertNull(log.summary(), "counted once: the next line starts from zero");
    }
}
