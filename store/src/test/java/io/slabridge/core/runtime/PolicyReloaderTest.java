package io.slabridge.core.runtime;

import io.slabridge.core.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.store.JdbcSlaStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyReloaderTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final String POLICY = """
            calendars:
              always: { zone: UTC, week: 24x7 }
            policies:
              - name: standard
                calendar: always
                targets: { first_response: %s }
            """;

    @TempDir
    Path dir;

    @Test
    void aChangedFileRefoldsOpenTicketsAndABadOneIsRefusedWithTheOldPoliciesKept() throws Exception {
        Path file = dir.resolve("sla.yaml");
        Files.writeString(file, POLICY.formatted("1h"));
        MutableClock clock = new MutableClock(T0);
        try (JdbcSlaStore store = TestStores.h2()) {
            SlaRuntime runtime = SlaRuntime.of(store, PolicyFileParser.parse(file), clock);
            PolicyReloader reloader = new PolicyReloader(file, runtime, Files.readString(file));
            runtime.accept(TicketEvent.builder("e1", "jira:SUP-1", T0, EventType.CREATED).priority(Priority.NORMAL)
                    .status(TicketStatus.OPEN).build());
            assertInstanceOf(PolicyReloader.Outcome.Unchanged.class, reloader.reloadIfChanged());

            Files.writeString(file, POLICY.formatted("9am"));
            PolicyReloader.Outcome refused = reloader.reloadIfChanged();
            assertInstanceOf(PolicyReloader.Outcome.Refused.class, refused);
            assertTrue(((PolicyReloader.Outcome.Refused) refused).problems().get(0).toString()
                    .contains("sla.yaml:6: policy 'standard': target of first_response: '9am' is not a duration"));
            assertEquals(3600, runtime.policies().policies().get(0).targetSeconds(io.slabridge.core.model.Metric.FIRST_RESPONSE),
                    "the old policies stay in force");

            Files.writeString(file, POLICY.formatted("30m"));
            assertEquals(new PolicyReloader.Outcome.Reloaded(1), reloader.reloadIfChanged());
            List<WriteBack> written = new ArrayList<>();
            OutboxDispatcher d = new OutboxDispatcher(store, Map.of("jira", c -> {
                written.add(c.payload());
                return WriteResult.done();
            }), clock, RetryPolicy.DEFAULT, new Random(1));
            while (d.dispatchOnce(10) > 0) {
                // drain
            }
            assertEquals(T0.plusSeconds(1800), ((WriteBack.SlaFields) written.get(written.size() - 1)).nextDue());
        }
    }
}
