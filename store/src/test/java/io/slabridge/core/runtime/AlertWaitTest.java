package io.slabridge.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.SummaryState;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.store.JdbcSlaStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A Slack alert told to wait (429, Retry-After 30 min) holds back the ticket's later alerts to Slack, in order, but
 * not its SLA fields in Jira: the breach shows in the ticket when it happens, on every store shipped.
 */
class AlertWaitTest {
    private static final Instant T0 = Instant.parse("2026-03-06T10:00:00Z");
    private static final String POLICY = """
            calendars: { always: { zone: UTC, week: 24x7 } }
            policies: [ { name: standard, calendar: always, targets: { first_response: 1h } } ]
            escalations:
              - { name: at-risk, at: "75%", actions: [ { slack: { channel: "#support-escalations" } } ] }
              - { name: breached, at: breach, actions: [ { slack: { channel: "#support-escalations" } } ] }
            """;

    @Test
    void onTheEmbeddedStore() throws Exception {
        try (JdbcSlaStore store = TestStores.sqlite()) {
            breachReachesJiraWhileTheAtRiskAlertWaits(store);
        }
    }

    @Test
    void onH2() throws Exception {
        try (JdbcSlaStore store = TestStores.h2()) {
            breachReachesJiraWhileTheAtRiskAlertWaits(store);
        }
    }

    @Test
    void onPostgresql() throws Exception {
        TestStores.PostgresStore pg = TestStores.postgres();
        try {
            breachReachesJiraWhileTheAtRiskAlertWaits(pg.store());
        } finally {
            pg.dropSchema();
        }
    }

    private static void breachReachesJiraWhileTheAtRiskAlertWaits(JdbcSlaStore store) throws Exception {
        MutableClock clock = new MutableClock(T0);
        SlaRuntime runtime = SlaRuntime.of(store, PolicyFileParser.parse("sla.yaml", POLICY), clock);
        runtime.accept(TicketEvent.builder("e1", "jira:SUP-9", T0, EventType.CREATED).priority(Priority.HIGH)
                .status(TicketStatus.OPEN).source("jira").title("Checkout fails").account("Acme").build());
        Map<SummaryState, Instant> jiraFirstShows = new LinkedHashMap<>();
        List<String> slackSent = new ArrayList<>();
        boolean[] slackLimited = {true};
        OutboxDispatcher dispatcher = new OutboxDispatcher(store, Map.of(
                "jira", c -> {
                    if (c.payload() instanceof WriteBack.SlaFields f) {
                        jiraFirstShows.putIfAbsent(f.summary(), clock.instant());
                    }
                    return WriteResult.done();
                },
                "slack", c -> {
                    if (slackLimited[0]) {
                        return WriteResult.retryAfter(Duration.ofMinutes(30), "429 ratelimited");
                    }
                    slackSent.add(((WriteBack.SlackMessage) c.payload()).alert().condition());
                    return WriteResult.done();
                }), clock, RetryPolicy.DEFAULT, new Random(1));
        for (int minute = 0; minute <= 120; minute++) {
            clock.set(T0.plusSeconds(minute * 60L));
            slackLimited[0] = minute < 90;
            runtime.tick();
            while (dispatcher.dispatchOnce(10) > 0) {
                // drain what may go out now
            }
        }
        // The due is 11:00; a breach is past the due, so the minute's tick after it sees it (11:45 before the fix).
        assertEquals(T0.plus(Duration.ofMinutes(61)), jiraFirstShows.get(SummaryState.BREACHED),
                "Jira shows the breach at the breach, while Slack's at-risk alert waits out its 429: " + jiraFirstShows);
        assertEquals(List.of("at risk", "breached"), slackSent, "the alerts still reach Slack, in order, once");
    }
}
