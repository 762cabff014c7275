package io.slabridge.core.runtime;

import io.slabridge.core.testing.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.escalation.EscalationAction;
import io.slabridge.core.escalation.EscalationAction.Visibility;
import io.slabridge.core.escalation.EscalationStep;
import io.slabridge.core.escalation.StepThreshold;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.SummaryState;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.OutboxWriter;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.policy.InvalidPolicyException;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.store.SlaStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the runtime promises, against a real store: run for H2 ({@link H2RuntimeTest}) and PostgreSQL
 * ({@link PostgresRuntimeTest}). Time is a {@link MutableClock} from Monday 2 March 2026, 09:00 UTC.
 */
abstract class RuntimeContractTest {
    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    static final String TICKET = "jira:SUP-1";

    MutableClock clock;
    SlaStore store;
    SlaRuntime runtime;
    private int ids;

    abstract SlaStore openStore();

    abstract void closeStore();

    @BeforeEach
    void start() throws InvalidPolicyException {
        clock = new MutableClock(T0);
        store = openStore();
        runtime = SlaRuntime.of(store, policies("1h"), clock);
    }

    @AfterEach
    void stop() {
        closeStore();
    }

    /** 24x7: first response {@code firstResponse}, resolution 8 h; a three-step ladder on first response. */
    static PolicySet policies(String firstResponse) throws InvalidPolicyException {
        PolicySet base = PolicyFileParser.parse("runtime.yaml", """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: standard
                    calendar: always
                    targets: { first_response: %s, resolution: 8h }
                warnings: ["75%%"]
                """.formatted(firstResponse));
        List<EscalationStep> ladder = List.of(
                new EscalationStep("warn", StepThreshold.parse("75%"), Set.of(Metric.FIRST_RESPONSE),
                        List.of(new EscalationAction.Comment(Visibility.INTERNAL, "{metric} of {ticket} is due {due}"))),
                new EscalationStep("breached", StepThreshold.parse("breach"), Set.of(Metric.FIRST_RESPONSE),
                        List.of(new EscalationAction.Comment(Visibility.INTERNAL, "{metric} breached ({remaining})"),
                                new EscalationAction.Notify(List.of("lead@example.com"), "{ticket}: {metric} breached"))),
                new EscalationStep("escalate", StepThreshold.parse("+1h"), Set.of(),
                        List.of(new EscalationAction.SetPriority(Priority.URGENT))));
        return PolicySet.of(base.origin(), base.calendars(), base.policies(), base.pauseStatuses(), base.onReopen(),
                base.warnings(), ladder);
    }

    TicketEvent created(Instant at) {
        return TicketEvent.builder(TICKET + ":" + (++ids), TICKET, at, EventType.CREATED).priority(Priority.NORMAL)
                .status(TicketStatus.OPEN).source("jira").title("Printer on fire").build();
    }

    TicketEvent event(EventType type, Instant at) {
        return TicketEvent.builder(TICKET + ":" + (++ids), TICKET, at, type).build();
    }

    /** Delivers everything deliverable now to a writer that records what it got. */
    List<OutboxCommand> deliverAll() {
        List<OutboxCommand> got = new ArrayList<>();
        OutboxDispatcher d = new OutboxDispatcher(store, Map.of("jira", c -> {
            got.add(c);
            return WriteResult.done();
        }), clock, RetryPolicy.DEFAULT, new Random(1));
        while (d.dispatchOnce(10) > 0) {
            // until nothing is left
        }
        return got;
    }

    static List<String> kinds(List<OutboxCommand> commands) {
        return commands.stream().map(c -> c.payload().kind()).toList();
    }

    @Test
    void acceptStoresTheEventAndEnqueuesTheSlaFieldsOnce() {
        assertEquals(SlaRuntime.Outcome.ACCEPTED, runtime.accept(created(T0)));
        List<OutboxCommand> first = deliverAll();
        assertEquals(List.of("sla_fields"), kinds(first));
        WriteBack.SlaFields fields = (WriteBack.SlaFields) first.get(0).payload();
        assertEquals(SummaryState.ON_TRACK, fields.summary());
        assertEquals(T0.plus(Duration.ofHours(1)), fields.nextDue());
        assertEquals(Map.of(Metric.FIRST_RESPONSE, T0.plusSeconds(3600), Metric.RESOLUTION, T0.plusSeconds(8 * 3600)),
                fields.dueByMetric());
        assertEquals("jira", first.get(0).source());

        clock.advance(Duration.ofMinutes(5));
        runtime.accept(event(EventType.INTERNAL_NOTE, clock.instant()));
        assertEquals(List.of(), deliverAll(), "an internal note changes no field: nothing to write");
    }

    @Test
    void aDuplicateEventIsANoOp() {
        TicketEvent e = created(T0);
        runtime.accept(e);
        deliverAll();
        assertEquals(SlaRuntime.Outcome.DUPLICATE, runtime.accept(e));
        assertEquals(List.of(), deliverAll());
    }

    @Test
    void aLateEventIsFoldedInItsPlace() {
        runtime.accept(created(T0));
        clock.advance(Duration.ofMinutes(50));
        runtime.accept(event(EventType.AGENT_REPLY, T0.plusSeconds(600))); // arrives at 09:50, happened at 09:10
        List<OutboxCommand> got = deliverAll();
        WriteBack.SlaFields last = (WriteBack.SlaFields) got.get(got.size() - 1).payload();
        assertEquals(T0.plusSeconds(8 * 3600), last.nextDue(), "answered at 09:10: the first response is not next due");
    }

    @Test
    void aStoppedMetricKeepsItsLastDueInTheFieldsUntilItsNextCycleStarts() throws InvalidPolicyException {
        runtime = SlaRuntime.of(store, PolicyFileParser.parse("periodic.yaml", """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: standard
                    calendar: always
                    targets: { first_response: 1h, periodic_update: 2h, resolution: 8h }
                """), clock);
        runtime.accept(created(T0));
        deliverAll();
        clock.set(T0.plus(Duration.ofMinutes(10)));
        runtime.accept(event(EventType.AGENT_REPLY, clock.instant()));
        WriteBack.SlaFields answered = lastFields(deliverAll());
        assertEquals(Map.of(Metric.FIRST_RESPONSE, T0.plusSeconds(3600), Metric.PERIODIC_UPDATE,
                T0.plus(Duration.ofMinutes(130)), Metric.RESOLUTION, T0.plusSeconds(8 * 3600)), answered.dueByMetric(),
                "the first response met at 09:10 still shows the 10:00 it was due");
        assertEquals(T0.plus(Duration.ofMinutes(130)), answered.nextDue(), "next due: running cycles only");

        clock.set(T0.plus(Duration.ofMinutes(40)));
        runtime.accept(event(EventType.AGENT_REPLY, clock.instant()));
        assertEquals(T0.plus(Duration.ofMinutes(160)), lastFields(deliverAll()).dueByMetric().get(Metric.PERIODIC_UPDATE),
                "a new periodic update cycle: its own due replaces the one met");

        clock.set(T0.plus(Duration.ofMinutes(60)));
        runtime.accept(TicketEvent.builder(TICKET + ":resolved", TICKET, clock.instant(), EventType.STATUS_CHANGED)
                .status(TicketStatus.RESOLVED).build());
        WriteBack.SlaFields resolved = lastFields(deliverAll());
        assertEquals(SummaryState.MET, resolved.summary());
        assertEquals(null, resolved.nextDue(), "nothing runs");
        assertEquals(Map.of(Metric.FIRST_RESPONSE, T0.plusSeconds(3600), Metric.PERIODIC_UPDATE,
                T0.plus(Duration.ofMinutes(160)), Metric.RESOLUTION, T0.plusSeconds(8 * 3600)), resolved.dueByMetric(),
                "every metric keeps the due it was met against");
    }

    private static WriteBack.SlaFields lastFields(List<OutboxCommand> delivered) {
        List<OutboxCommand> fields = delivered.stream().filter(c -> c.payload() instanceof WriteBack.SlaFields).toList();
        assertFalse(fields.isEmpty(), "a field write was sent: " + kinds(delivered));
        return (WriteBack.SlaFields) fields.get(fields.size() - 1).payload();
    }

    @Test
    void anIdleTickTouchesNoTicket() {
        runtime.accept(created(T0));
        assertEquals(0, runtime.tick(), "nothing is due at 09:00");
        assertEquals(T0.plusSeconds(2700), runtime.nextWake().orElseThrow(), "the 75% warning at 09:45");
    }

    @Test
    void theSchedulerEnqueuesWarningBreachAndEscalationsEachOnce() {
        runtime.accept(created(T0));
        deliverAll();

        clock.set(T0.plusSeconds(2700)); // 75%: at risk, and the "warn" step
        assertEquals(1, runtime.tick());
        List<OutboxCommand> atWarning = deliverAll();
        assertEquals(List.of("sla_fields", "comment"), kinds(atWarning));
        assertEquals(SummaryState.AT_RISK, ((WriteBack.SlaFields) atWarning.get(0).payload()).summary());
        assertEquals("first_response of jira:SUP-1 is due 2026-03-02T10:00:00Z",
                ((WriteBack.Comment) atWarning.get(1).payload()).text());
        assertEquals(T0.plusSeconds(3601), runtime.nextWake().orElseThrow(), "the breach, a second after due");

        clock.set(T0.plusSeconds(3601));
        runtime.tick();
        List<OutboxCommand> atBreach = deliverAll();
        assertEquals(List.of("sla_fields", "comment", "notify"), kinds(atBreach));
        assertEquals("first_response breached (-1s)", ((WriteBack.Comment) atBreach.get(1).payload()).text());

        clock.set(T0.plusSeconds(7200)); // +1h after breach (1 h of business time past the 1 h target)
        runtime.tick();
        assertEquals(List.of("set_priority"), kinds(deliverAll()));

        clock.set(T0.plusSeconds(9000));
        runtime.tick();
        runtime.reload(runtime.policies()); // a refold of everything fires nothing again
        assertEquals(List.of(), deliverAll());
    }

    @Test
    void stepsDoneSurviveARestart() throws InvalidPolicyException {
        runtime.accept(created(T0));
        clock.set(T0.plusSeconds(2700));
        runtime.tick();
        assertEquals(List.of("sla_fields", "comment"), kinds(deliverAll()), "the on-track write was superseded");

        SlaRuntime restarted = SlaRuntime.of(store, policies("1h"), clock);
        restarted.reload(restarted.policies());
        restarted.tick();
        assertEquals(List.of(), deliverAll(), "the warn step is recorded: not again after a restart");
    }

    @Test
    void aReplyInTimeStopsTheLadder() {
        runtime.accept(created(T0));
        clock.set(T0.plusSeconds(1200));
        runtime.accept(event(EventType.AGENT_REPLY, clock.instant()));
        clock.set(T0.plusSeconds(4 * 3600));
        runtime.tick();
        assertFalse(kinds(deliverAll()).contains("comment"), "no escalation for a metric that was met");
    }

    @Test
    void aPolicyReloadRefoldsOpenTickets() throws InvalidPolicyException {
        runtime.accept(created(T0));
        deliverAll();
        assertEquals(1, runtime.reload(policies("30m")));
        List<OutboxCommand> got = deliverAll();
        assertEquals(List.of("sla_fields"), kinds(got));
        assertEquals(T0.plusSeconds(1800), ((WriteBack.SlaFields) got.get(0).payload()).nextDue());
    }

    @Test
    void commandsOfOneTicketGoOutInOrderAndFailuresAreRetriedWithBackoff() {
        runtime.accept(created(T0));
        clock.set(T0.plusSeconds(2700));
        runtime.tick(); // fields, comment
        AtomicInteger calls = new AtomicInteger();
        List<String> delivered = new ArrayList<>();
        OutboxWriter flaky = c -> {
            if (calls.incrementAndGet() == 1) {
                throw new java.io.IOException("connection reset");
            }
            delivered.add(c.payload().kind());
            return WriteResult.done();
        };
        OutboxDispatcher d = new OutboxDispatcher(store, Map.of("jira", flaky), clock, RetryPolicy.DEFAULT, new Random(7));
        assertEquals(1, d.dispatchOnce(10), "only the ticket's oldest command is eligible");
        assertEquals(0, d.dispatchOnce(10), "the failed one waits for its backoff, and holds back the rest");
        clock.advance(Duration.ofSeconds(2)); // first retry waits between 1 and 2 s
        while (d.dispatchOnce(10) > 0) {
            // drain
        }
        assertEquals(List.of("sla_fields", "comment"), delivered,
                "in enqueue order; the failed field write was superseded by the newer one");
    }

    @Test
    void atRiskAndBreachedAreToldOncePerCycleAfterCommit() {
        List<SlaRuntime.Transition> told = new ArrayList<>();
        runtime.onTransition(told::add);
        runtime.accept(created(T0));
        assertEquals(List.of(), told);
        clock.set(T0.plusSeconds(2700)); // 75% of the 1 h first response
        runtime.tick();
        clock.set(T0.plusSeconds(2800));
        runtime.accept(event(EventType.INTERNAL_NOTE, clock.instant()));
        assertEquals(List.of(new SlaRuntime.Transition(TICKET, "jira", Metric.FIRST_RESPONSE, "standard",
                SlaRuntime.Transition.Condition.AT_RISK)), told, "at risk once, not again on the next refold");
        clock.set(T0.plusSeconds(3601));
        runtime.tick();
        runtime.reload(runtime.policies());
        assertEquals(2, told.size(), told::toString);
        assertEquals(SlaRuntime.Transition.Condition.BREACHED, told.get(1).condition());
        assertEquals(Metric.FIRST_RESPONSE, told.get(1).metric());
    }

    @Test
    void onlyTheNewestPendingFieldWriteOfATicketGoesOut() {
        runtime.accept(created(T0));
        clock.set(T0.plusSeconds(600));
        runtime.accept(event(EventType.AGENT_REPLY, clock.instant()));
        clock.set(T0.plusSeconds(700));
        runtime.accept(event(EventType.CUSTOMER_MESSAGE, clock.instant()));
        List<OutboxCommand> got = deliverAll();
        assertEquals(List.of("sla_fields"), kinds(got), "three field writes enqueued, one sent");
        WriteBack.SlaFields sent = (WriteBack.SlaFields) got.get(0).payload();
        assertEquals(T0.plusSeconds(8 * 3600), sent.nextDue(), "the newest state: first response met by the reply");
        assertEquals(Map.of("pending", 0L, "done", 2L, "parked", 0L), store.outboxCounts(),
                "the superseded write and the sent one are done; the reply's own write was never enqueued separately");
    }

    @Test
    void aBatchWriterGetsSeveralTicketsInOneCallAndPerRecordResults() {
        for (String key : List.of("jira:SUP-1", "jira:SUP-2", "jira:SUP-3")) {
            runtime.accept(TicketEvent.builder(key + ":c", key, T0, EventType.CREATED).priority(Priority.NORMAL)
                    .status(TicketStatus.OPEN).source("jira").build());
        }
        List<List<String>> calls = new ArrayList<>();
        io.slabridge.core.outbox.BatchOutboxWriter batch = new io.slabridge.core.outbox.BatchOutboxWriter() {
            @Override
            public int maxBatch() {
                return 2;
            }

            @Override
            public List<WriteResult> writeAll(List<OutboxCommand> commands) {
                calls.add(commands.stream().map(OutboxCommand::ticket).toList());
                return commands.stream().map(c -> c.ticket().equals("jira:SUP-2")
                        ? WriteResult.failed("INVALID_FIELD: SLA_Status__c") : WriteResult.done()).toList();
            }
        };
        new OutboxDispatcher(store, Map.of("jira", batch), clock, RetryPolicy.DEFAULT, new Random(1)).dispatchOnce(10);
        assertEquals(List.of(List.of("jira:SUP-1", "jira:SUP-2"), List.of("jira:SUP-3")), calls);
        assertEquals(Map.of("pending", 0L, "done", 2L, "parked", 1L), store.outboxCounts());
        assertEquals("INVALID_FIELD: SLA_Status__c", store.parked(10).get(0).error());
    }

    @Test
    void aBatchCallThatFailsAsAWholeRetriesEveryCommandInIt() {
        runtime.accept(created(T0));
        io.slabridge.core.outbox.BatchOutboxWriter down = new io.slabridge.core.outbox.BatchOutboxWriter() {
            @Override
            public int maxBatch() {
                return 200;
            }

            @Override
            public List<WriteResult> writeAll(List<OutboxCommand> commands) throws java.io.IOException {
                throw new java.io.IOException("REQUEST_LIMIT_EXCEEDED");
            }
        };
        new OutboxDispatcher(store, Map.of("jira", down), clock, RetryPolicy.DEFAULT, new Random(1)).dispatchOnce(10);
        assertEquals(Map.of("pending", 1L, "done", 0L, "parked", 0L), store.outboxCounts());
        clock.advance(Duration.ofSeconds(2));
        assertEquals(List.of("sla_fields"), kinds(deliverAll()));
    }

    @Test
    void aCommandABatchWriterFailedForNowIsRetriedWithBackoffWhileTheOthersAreDone() {
        threeTickets();
        List<String> calls = new ArrayList<>();
        io.slabridge.core.outbox.BatchOutboxWriter writer = new io.slabridge.core.outbox.BatchOutboxWriter() {
            @Override
            public int maxBatch() {
                return 200;
            }

            @Override
            public List<WriteResult> writeAll(List<OutboxCommand> commands) {
                commands.forEach(c -> calls.add(c.ticket() + " " + c.attempts()));
                return commands.stream().map(c -> c.ticket().equals("jira:SUP-2") && c.attempts() == 0
                        ? WriteResult.failedForNow("HTTP 503 on its call") : WriteResult.done()).toList();
            }
        };
        OutboxDispatcher d = new OutboxDispatcher(store, Map.of("jira", writer), clock, RetryPolicy.DEFAULT, new Random(1));
        assertEquals(3, d.dispatchOnce(10));
        assertEquals(Map.of("pending", 1L, "done", 2L, "parked", 0L), store.outboxCounts());
        assertEquals(0, d.dispatchOnce(10), "SUP-2 waits for its backoff");
        clock.advance(Duration.ofSeconds(2));
        assertEquals(1, d.dispatchOnce(10));
        assertEquals(List.of("jira:SUP-1 0", "jira:SUP-2 0", "jira:SUP-3 0", "jira:SUP-2 1"), calls,
                "the retry knows an earlier delivery was tried");
        assertEquals(Map.of("pending", 0L, "done", 3L, "parked", 0L), store.outboxCounts());
    }

    @Test
    void retryAfterIsHonouredAndPermanentFailuresAreParkedAndRequeued() {
        runtime.accept(created(T0));
        OutboxDispatcher busy = new OutboxDispatcher(store,
                Map.of("jira", c -> WriteResult.retryAfter(Duration.ofSeconds(30), "429 Too Many Requests")), clock,
                RetryPolicy.DEFAULT, new Random(1));
        busy.dispatchOnce(10);
        clock.advance(Duration.ofSeconds(29));
        assertEquals(0, busy.dispatchOnce(10), "not before the 30 s the system asked for");
        clock.advance(Duration.ofSeconds(1));
        OutboxDispatcher broken = new OutboxDispatcher(store, Map.of("jira", c -> WriteResult.failed("404 issue SUP-1 deleted")),
                clock, RetryPolicy.DEFAULT, new Random(1));
        assertEquals(1, broken.dispatchOnce(10));
        var parked = store.parked(10);
        assertEquals(1, parked.size());
        assertEquals("404 issue SUP-1 deleted", parked.get(0).error());
        assertEquals(Map.of("pending", 0L, "done", 0L, "parked", 1L), store.outboxCounts());

        assertTrue(store.requeue(parked.get(0).command().id(), clock.instant()));
        assertEquals(List.of("sla_fields"), kinds(deliverAll()));
        assertEquals(List.of(), store.parked(10));
    }

    @Test
    void aWaitTheSystemAsksForDoesNotCountTowardsGivingUp() {
        runtime.accept(created(T0));
        List<Integer> attemptsSeen = new ArrayList<>();
        RetryPolicy three = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(4), 3);
        OutboxDispatcher d = new OutboxDispatcher(store, Map.of("jira", c -> {
            attemptsSeen.add(c.attempts());
            if (attemptsSeen.size() <= 5) {
                return WriteResult.retryAfter(Duration.ofSeconds(30), "429 Too Many Requests");
            }
            throw new java.io.IOException("connection reset");
        }), clock, three, new Random(1));
        for (int i = 0; i < 7; i++) {
            d.dispatchOnce(10);
            clock.advance(Duration.ofMinutes(1));
        }
        assertEquals(List.of(), store.parked(10), "five waits and two failures are two failed attempts of three");
        assertEquals(Map.of("pending", 1L, "done", 0L, "parked", 0L), store.outboxCounts());
        assertEquals(List.of(0, 0, 0, 0, 0, 0, 1), attemptsSeen,
                "a writer is told of earlier deliveries that may have done something, not of waits");
    }

    /** Three tickets with one fields command each, in key order. */
    private void threeTickets() {
        for (String key : List.of("jira:SUP-1", "jira:SUP-2", "jira:SUP-3")) {
            runtime.accept(TicketEvent.builder(key + ":c", key, T0, EventType.CREATED).priority(Priority.NORMAL)
                    .status(TicketStatus.OPEN).source("jira").build());
        }
    }

    @Test
    void aCommandWhoseLeaseRanOutDuringASlowBatchIsLeftToWhoeverTookItOver() {
        leaseRunsOutDuringASlowClaim(writer -> writer);
    }

    @Test
    void aBatchWriterIsNotHandedCommandsItsClaimLost() {
        leaseRunsOutDuringASlowClaim(writer -> new io.slabridge.core.outbox.BatchOutboxWriter() {
            @Override
            public int maxBatch() {
                return 1; // one call per command, as a batch writer's calls follow each other
            }

            @Override
            public List<WriteResult> writeAll(List<OutboxCommand> commands) throws Exception {
                return List.of(writer.write(commands.get(0)));
            }
        });
    }

    private void leaseRunsOutDuringASlowClaim(java.util.function.UnaryOperator<OutboxWriter> as) {
        threeTickets();
        List<String> delivered = new ArrayList<>();
        OutboxDispatcher other = new OutboxDispatcher(store, Map.of("jira", as.apply(c -> {
            delivered.add("other " + c.ticket());
            return WriteResult.done();
        })), clock, RetryPolicy.DEFAULT, new Random(2));
        OutboxDispatcher slow = new OutboxDispatcher(store, Map.of("jira", as.apply(c -> {
            delivered.add("slow " + c.ticket());
            clock.advance(Duration.ofSeconds(70)); // each call of a slow system takes 70 s
            if (c.ticket().equals("jira:SUP-2")) {
                other.dispatchOnce(10); // another instance looks while this one is still busy
            }
            return WriteResult.done();
        })), clock, RetryPolicy.DEFAULT, new Random(1));

        assertEquals(3, slow.dispatchOnce(10), "one claim of all three");
        assertEquals(List.of("slow jira:SUP-1", "slow jira:SUP-2", "other jira:SUP-3"), delivered,
                "SUP-3's lease ran out while SUP-2 was being written: the other instance took it, and the slow one "
                        + "must not write it again; SUP-2, under way, was not taken from it");
        assertEquals(Map.of("pending", 0L, "done", 3L, "parked", 0L), store.outboxCounts());
    }

    @Test
    void aClaimThatOutlastsItsLeaseWritesNothingTwice() {
        for (int t = 1; t <= 3; t++) {
            runtime.accept(TicketEvent.builder("c" + t, "jira:SUP-" + t, T0, EventType.CREATED).priority(Priority.HIGH)
                    .status(TicketStatus.OPEN).build());
        }
        // Another instance's dispatcher, looking for work while the slow one below is busy.
        Duration lease = Duration.ofSeconds(30);
        List<String> written = new ArrayList<>();
        OutboxDispatcher other = new OutboxDispatcher(store, Map.of("jira", c -> {
            written.add("other " + c.ticket());
            return WriteResult.done();
        }), clock, RetryPolicy.DEFAULT, new Random(1)).withLease(lease);
        List<Integer> takenOver = new ArrayList<>();
        // Each call takes 20 s, within the lease; the three of the claim together outlast it.
        OutboxDispatcher slow = new OutboxDispatcher(store, Map.of("jira", c -> {
            written.add("slow " + c.ticket());
            clock.advance(Duration.ofSeconds(20));
            takenOver.add(other.dispatchOnce(10));
            return WriteResult.done();
        }), clock, RetryPolicy.DEFAULT, new Random(1)).withLease(lease);

        assertEquals(3, slow.dispatchOnce(10), "claimed all three");
        // At 40 s the claim's lease is over: SUP-2's was renewed when its call began, SUP-3's was not.
        assertEquals(List.of(0, 1), takenOver, "the other took over SUP-3 only, during the second call");
        assertEquals(List.of("slow jira:SUP-1", "slow jira:SUP-2", "other jira:SUP-3"), written,
                "each written once: the slow dispatcher left SUP-3, which it had lost, to the other");
        assertEquals(Map.of("pending", 0L, "done", 3L, "parked", 0L), store.outboxCounts());
    }

    @Test
    void anOldFieldWriteWhoseLeaseRanOutDoesNotOverwriteANewerOne() {
        for (String key : List.of("jira:SUP-2", "jira:SUP-3")) {
            runtime.accept(TicketEvent.builder(key + ":c", key, T0, EventType.CREATED).priority(Priority.NORMAL)
                    .status(TicketStatus.OPEN).source("jira").build());
        }
        runtime.accept(created(T0)); // jira:SUP-1, enqueued last
        List<String> written = new ArrayList<>();
        OutboxWriter jira = c -> {
            WriteBack.SlaFields f = (WriteBack.SlaFields) c.payload();
            written.add(c.ticket() + " next due " + f.nextDue());
            return WriteResult.done();
        };
        OutboxDispatcher other = new OutboxDispatcher(store, Map.of("jira", jira), clock, RetryPolicy.DEFAULT,
                new Random(2));
        OutboxDispatcher slow = new OutboxDispatcher(store, Map.of("jira", c -> {
            clock.advance(Duration.ofSeconds(70)); // each call of a slow system takes 70 s
            if (c.ticket().equals("jira:SUP-3")) {
                runtime.accept(event(EventType.AGENT_REPLY, clock.instant())); // SUP-1 answered: new fields
                other.dispatchOnce(10); // another instance: SUP-1's first write is out of its lease, and moot
            }
            return jira.write(c);
        }), clock, RetryPolicy.DEFAULT, new Random(1));

        slow.dispatchOnce(10);
        assertEquals(List.of("jira:SUP-2 next due 2026-03-02T10:00:00Z", "jira:SUP-1 next due 2026-03-02T17:00:00Z",
                "jira:SUP-3 next due 2026-03-02T10:00:00Z"), written,
                "SUP-1 gets only its newest fields (first response met): the older write the slow claim held, once "
                        + "its lease ran out, was superseded and is not written after the newer one");
    }

    @Test
    void aCommandForASourceWithoutWriterIsParkedWithAClearError() {
        runtime.accept(TicketEvent.builder("s1", "salesforce:500A", T0, EventType.CREATED).priority(Priority.HIGH)
                .status(TicketStatus.OPEN).build());
        new OutboxDispatcher(store, Map.of("jira", c -> WriteResult.done()), clock, RetryPolicy.DEFAULT, new Random(1))
                .dispatchOnce(10);
        assertEquals("no writer for source 'salesforce' (configured: jira)", store.parked(10).get(0).error());
    }

    @Test
    void tooManyTransientFailuresPark() {
        runtime.accept(created(T0));
        RetryPolicy three = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(4), 3);
        OutboxDispatcher d = new OutboxDispatcher(store, Map.of("jira", c -> {
            throw new java.net.SocketTimeoutException("read timed out");
        }), clock, three, new Random(1));
        for (int i = 0; i < 3; i++) {
            d.dispatchOnce(10);
            clock.advance(Duration.ofSeconds(5));
        }
        assertEquals("gave up after 3 attempts; last error: SocketTimeoutException: read timed out",
                store.parked(10).get(0).error());
    }

    @Test
    void eventsComeBackInTheOrderTheyWereAccepted() {
        // Ids chosen so that no natural order of the id (or of a hash) matches arrival order.
        List<String> ids = List.of("z-3", "a-1", "m-2", "b-9", "y-0");
        for (String id : ids) {
            store.inTransaction(tx -> tx.appendEvent(TicketEvent.builder(id, TICKET, T0, EventType.INTERNAL_NOTE).build(), T0));
        }
        assertEquals(ids, store.inTransaction(tx -> tx.events(TICKET)).stream().map(TicketEvent::id).toList());
    }

    @Test
    void cursorsAreKept() {
        assertTrue(store.cursor("jira:SUP").isEmpty());
        store.saveCursor("jira:SUP", "2026-03-02 09:00", T0);
        store.saveCursor("jira:SUP", "2026-03-02 09:05", T0);
        assertEquals("2026-03-02 09:05", store.cursor("jira:SUP").orElseThrow());
    }
}
