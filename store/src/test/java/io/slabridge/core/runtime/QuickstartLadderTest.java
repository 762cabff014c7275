package io.slabridge.core.runtime;

import io.slabridge.core.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.escalation.EscalationAction.Visibility;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.store.JdbcSlaStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ladder of the bundled quickstart policy file, parsed and run: what a new user sees first. */
class QuickstartLadderTest {

    @Test
    void aSecurityReportWithoutAnswerClimbsTheLadderOnce() throws Exception {
        // Security: first response 30 min, 24x7. Created Friday 6 March 10:00 UTC.
        Instant t0 = Instant.parse("2026-03-06T10:00:00Z");
        MutableClock clock = new MutableClock(t0);
        try (JdbcSlaStore store = TestStores.h2()) {
            SlaRuntime runtime = SlaRuntime.of(store, PolicyFileParser.parse(Path.of("../examples/quickstart/sla.yaml")),
                    clock);
            runtime.accept(TicketEvent.builder("m1", "email:<c1a2@example.com>", t0, EventType.CREATED)
                    .priority(Priority.URGENT).status(TicketStatus.OPEN).category("security").source("email")
                    .title("Password reset mails point to a strange domain").build());
            List<WriteBack> written = new ArrayList<>();
            OutboxDispatcher d = new OutboxDispatcher(store, Map.of("email", c -> {
                written.add(c.payload());
                return WriteResult.done();
            }), clock, RetryPolicy.DEFAULT, new Random(1));
            for (int minute = 0; minute <= 4 * 60; minute++) { // the scheduler, looking every minute for 4 hours
                clock.set(t0.plusSeconds(minute * 60L));
                runtime.tick();
                while (d.dispatchOnce(10) > 0) {
                    // drain
                }
            }
            List<String> kinds = written.stream().map(WriteBack::kind).toList();
            assertEquals(2, kinds.stream().filter("notify"::equals).count(), "breach and two-hours-late notify once each: " + kinds);
            assertEquals(1, kinds.stream().filter("set_priority"::equals).count(), kinds.toString());
            List<WriteBack.Comment> comments = written.stream().filter(w -> w instanceof WriteBack.Comment)
                    .map(w -> (WriteBack.Comment) w).toList();
            assertTrue(comments.stream().allMatch(c -> c.visibility() == Visibility.INTERNAL), "internal only");
            assertTrue(comments.stream().anyMatch(c -> c.text().contains("email:<c1a2@example.com>")), comments.toString());
            WriteBack.Notify notify = (WriteBack.Notify) written.stream().filter(w -> w instanceof WriteBack.Notify)
                    .findFirst().orElseThrow();
            assertTrue(notify.text().contains("Password reset mails point to a strange domain"), notify.text());
        }
    }
}
