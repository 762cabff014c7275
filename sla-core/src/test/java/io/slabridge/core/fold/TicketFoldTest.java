package io.slabridge.core.fold;

import static io.slabridge.core.fold.FoldFixture.always;
import static io.slabridge.core.fold.FoldFixture.at;
import static io.slabridge.core.fold.FoldFixture.cycle;
import static io.slabridge.core.fold.FoldFixture.cycles;
import static io.slabridge.core.fold.FoldFixture.due;
import static io.slabridge.core.fold.FoldFixture.policy;
import static io.slabridge.core.fold.FoldFixture.stopped;
import static io.slabridge.core.model.CycleStatus.BREACHED;
import static io.slabridge.core.model.CycleStatus.MET;
import static io.slabridge.core.model.CycleStatus.PAUSED;
import static io.slabridge.core.model.CycleStatus.RUNNING;
import static io.slabridge.core.model.Metric.FIRST_RESPONSE;
import static io.slabridge.core.model.Metric.NEXT_RESPONSE;
import static io.slabridge.core.model.Metric.PERIODIC_UPDATE;
import static io.slabridge.core.model.Metric.RESOLUTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.MetricCycle;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.SummaryState;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketSla;
import io.slabridge.core.model.TicketStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One test per rule of SLA-SPEC sections 1, 3 and 4. Monday 2 March 2026, UTC, unless said otherwise. */
class TicketFoldTest {

    private static final String SIMPLE = always("""
            policies:
              - name: standard
                calendar: always
                targets: { first_response: 1h, next_response: 30m, periodic_update: 2h, resolution: 8h }
            """);

    @Nested
    class FirstResponse {
        @Test
        void stopsAtTheFirstPublicReplyNotAtAnInternalNote() {
            TicketSla sla = policy(SIMPLE).created("09:00").note("09:10").reply("09:40").reply("09:50").evaluate("12:00");
            MetricCycle fr = cycle(sla, FIRST_RESPONSE, 1);
            assertEquals(MET, fr.status());
            assertEquals(at("09:40"), stopped(fr));
            assertEquals(at("10:00"), due(fr));
            assertEquals(2400, fr.elapsedSeconds());
            assertEquals(1200, fr.remainingSeconds());
            assertEquals(1, cycles(sla, FIRST_RESPONSE), "first response has exactly one cycle");
        }

        @Test
        void isBreachedOnceTheEvaluationInstantPassesItsDueInstantWithoutAReply() {
            MetricCycle fr = cycle(policy(SIMPLE).created("09:00").evaluate("10:30"), FIRST_RESPONSE, 1);
            assertEquals(BREACHED, fr.status());
            assertEquals(5400, fr.elapsedSeconds());
            assertEquals(-1800, fr.remainingSeconds(), "negative once business time has passed the target");
            assertNull(stopped(fr));
            assertFalse(fr.atRisk(), "a breached cycle is not 'at risk'");
        }

        @Test
        void atTheDueInstantItselfIsNotYetBreached() {
            MetricCycle fr = cycle(policy(SIMPLE).created("09:00").evaluate("10:00"), FIRST_RESPONSE, 1);
            assertEquals(RUNNING, fr.status());
            assertEquals(0, fr.remainingSeconds());
        }

        @Test
        void aReplyAfterTheLastBusinessMinuteIsBreachedThoughNoBusinessTimePassed() {
            // The spec's example: office 09:00-17:00; a 1 h target started at 16:00 is due 17:00; a reply at
            // 17:30 is late, with elapsed exactly the target and remaining zero.
            String yaml = always("""
                    policies:
                      - name: office
                        calendar: office
                        targets: { first_response: 1h }
                    """);
            MetricCycle fr = cycle(policy(yaml).created("16:00").reply("17:30").evaluate("18:00"), FIRST_RESPONSE, 1);
            assertEquals(at("17:00"), due(fr));
            assertEquals(BREACHED, fr.status());
            assertEquals(3600, fr.elapsedSeconds());
            assertEquals(0, fr.remainingSeconds());
        }

        @Test
        void resolutionStopsItAndCountsAsMetWhenInTime() {
            MetricCycle fr = cycle(policy(SIMPLE).created("09:00").status("09:20", "resolved").evaluate("12:00"),
                    FIRST_RESPONSE, 1);
            assertEquals(MET, fr.status());
            assertEquals(at("09:20"), stopped(fr));
        }

        @Test
        void aStoppedCycleThatHadNotReachedItsTargetIsDueWhereItWouldHaveBeen() {
            // Office calendar: created Monday 10:00, answered 10:30 (1800 s of 4 h). Counting on from the stop
            // with no pause, the rest (12600 s = 3.5 h) runs 10:30 -> 14:00.
            String yaml = always("""
                    policies:
                      - name: office
                        calendar: office
                        targets: { first_response: 4h }
                    """);
            MetricCycle fr = cycle(policy(yaml).created("10:00").reply("10:30").evaluate("18:00"), FIRST_RESPONSE, 1);
            assertEquals(at("14:00"), due(fr));
            assertEquals(MET, fr.status());
        }
    }

    @Nested
    class NextResponse {
        @Test
        void startsOnlyOnceAnAgentHasRepliedAndOnlyWhenNoneIsRunning() {
            TicketSla sla = policy(SIMPLE).created("09:00").customer("09:05").reply("09:10").customer("09:20")
                    .customer("09:30").reply("09:45").customer("10:00").evaluate("10:10");
            assertEquals(2, cycles(sla, NEXT_RESPONSE));
            MetricCycle first = cycle(sla, NEXT_RESPONSE, 1);
            assertEquals(at("09:20"), first.startedAt(), "the message before any reply starts nothing");
            assertEquals(at("09:45"), stopped(first), "a second message while one runs starts nothing");
            assertEquals(MET, first.status());
            assertEquals(1500, first.elapsedSeconds());
            MetricCycle second = cycle(sla, NEXT_RESPONSE, 2);
            assertEquals(at("10:00"), second.startedAt());
            assertEquals(RUNNING, second.status());
            assertEquals(at("10:30"), due(second));
        }

        @Test
        void startsOnAResolvedTicketToo() {
            TicketSla sla = policy(SIMPLE).created("09:00").reply("09:10").status("09:20", "resolved")
                    .customer("10:00").evaluate("10:40");
            MetricCycle nr = cycle(sla, NEXT_RESPONSE, 1);
            assertEquals(at("10:00"), nr.startedAt());
            assertEquals(BREACHED, nr.status(), "30 min target, 40 min without an answer");
        }

        @Test
        void doesNotPauseInAPauseStatus() {
            TicketSla sla = policy(SIMPLE).created("09:00").reply("09:10").customer("09:20")
                    .status("09:25", "waiting_on_customer").evaluate("09:40");
            MetricCycle nr = cycle(sla, NEXT_RESPONSE, 1);
            assertEquals(RUNNING, nr.status());
            assertEquals(1200, nr.elapsedSeconds());
        }
    }

    @Nested
    class PeriodicUpdate {
        @Test
        void eachReplyStopsTheRunningCycleAndStartsANewOne() {
            TicketSla sla = policy(SIMPLE).created("09:00").reply("09:10").reply("10:10").evaluate("10:40");
            assertEquals(2, cycles(sla, PERIODIC_UPDATE));
            assertEquals(at("10:10"), stopped(cycle(sla, PERIODIC_UPDATE, 1)));
            assertEquals(3600, cycle(sla, PERIODIC_UPDATE, 1).elapsedSeconds());
            MetricCycle running = cycle(sla, PERIODIC_UPDATE, 2);
            assertEquals(RUNNING, running.status());
            assertEquals(at("12:10"), due(running));
        }

        @Test
        void pausesWhileWaitingOnTheCustomer() {
            TicketSla sla = policy(SIMPLE).created("09:00").reply("09:00").status("09:30", "waiting_on_customer")
                    .status("11:00", "open").evaluate("11:30");
            MetricCycle pu = cycle(sla, PERIODIC_UPDATE, 1);
            assertEquals(3600, pu.elapsedSeconds(), "09:00-09:30 and 11:00-11:30");
            assertEquals(at("12:30"), due(pu), "09:00 + 2 h, pushed back by the 90 paused minutes");
        }

        @Test
        void noNewCycleForRepliesOnAResolvedTicket() {
            TicketSla sla = policy(SIMPLE).created("09:00").reply("09:10").status("09:20", "resolved").reply("09:30")
                    .evaluate("10:00");
            assertEquals(1, cycles(sla, PERIODIC_UPDATE));
            assertEquals(at("09:20"), stopped(cycle(sla, PERIODIC_UPDATE, 1)), "resolution stopped it");
        }
    }

    @Nested
    class Resolution {
        @Test
        void pausesInPauseStatusesOnly() {
            // Default pause_statuses is [waiting_on_customer]: on_hold keeps counting.
            TicketSla sla = policy(SIMPLE).created("09:00").status("10:00", "waiting_on_customer")
                    .status("12:00", "on_hold").status("13:00", "in_progress").status("14:00", "resolved")
                    .evaluate("15:00");
            MetricCycle res = cycle(sla, RESOLUTION, 1);
            assertEquals(3 * 3600, res.elapsedSeconds(), "09-10, 12-13 (on hold counts), 13-14");
            assertEquals(MET, res.status());
            assertEquals(at("19:00"), due(res), "stopped short of 8 h: the other 5 h counted on from 14:00");
        }

        @Test
        void hasNoDueInstantWhilePausedShortOfItsTarget() {
            MetricCycle res = cycle(policy(SIMPLE).created("09:00").status("10:00", "waiting_on_customer")
                    .evaluate("20:00"), RESOLUTION, 1);
            assertEquals(PAUSED, res.status());
            assertNull(due(res));
            assertEquals(3600, res.elapsedSeconds());
            assertEquals(7 * 3600, res.remainingSeconds(), "remaining still tells what is left");
        }

        @Test
        void staysBreachedWhilePausedAfterReachingItsTarget() {
            MetricCycle res = cycle(policy(SIMPLE).created("09:00").status("18:00", "waiting_on_customer")
                    .evaluate("20:00"), RESOLUTION, 1);
            assertEquals(BREACHED, res.status());
            assertEquals(at("17:00"), due(res), "the instant the target was reached");
        }

        @Test
        void aTicketCreatedResolvedHasItsCyclesStoppedAtOnce() {
            TicketSla sla = policy(SIMPLE).created("09:00", "normal", "resolved", "pro").evaluate("12:00");
            for (MetricCycle c : sla.cycles()) {
                assertEquals(at("09:00"), stopped(c), c.toString());
                assertEquals(MET, c.status());
                assertEquals(0, c.elapsedSeconds());
            }
            assertEquals(2, sla.cycles().size(), "first response and resolution");
        }

        @Test
        void reopenWithResumeContinuesTheSameCycleWithElapsedKept() {
            String yaml = SIMPLE + "on_reopen: resume\n";
            TicketSla sla = policy(yaml).created("00:00").status("02:00", "resolved").status("10:00", "open")
                    .evaluate("11:00");
            assertEquals(1, cycles(sla, RESOLUTION));
            MetricCycle res = cycle(sla, RESOLUTION, 1);
            assertEquals(RUNNING, res.status());
            assertNull(stopped(res));
            assertEquals(3 * 3600, res.elapsedSeconds(), "2 h before, 1 h after; the resolved 8 h do not count");
            assertEquals(at("16:00"), due(res), "6 h left from 10:00");
        }

        @Test
        void reopenWithRestartStartsAFreshCycle() {
            String yaml = SIMPLE + "on_reopen: restart\n";
            TicketSla sla = policy(yaml).created("00:00").status("02:00", "resolved").status("10:00", "open")
                    .evaluate("11:00");
            assertEquals(2, cycles(sla, RESOLUTION));
            assertEquals(MET, cycle(sla, RESOLUTION, 1).status());
            MetricCycle fresh = cycle(sla, RESOLUTION, 2);
            assertEquals(at("10:00"), fresh.startedAt());
            assertEquals(3600, fresh.elapsedSeconds());
            assertEquals(at("18:00"), due(fresh));
        }

        @Test
        void reopenIntoAPauseStatusResumesPaused() {
            TicketSla sla = policy(SIMPLE).created("00:00").status("02:00", "resolved")
                    .status("10:00", "waiting_on_customer").status("11:00", "open").evaluate("12:00");
            assertEquals(3 * 3600, cycle(sla, RESOLUTION, 1).elapsedSeconds(), "00-02 and 11-12");
        }

        @Test
        void closingAResolvedTicketIsNotASecondResolution() {
            TicketSla sla = policy(SIMPLE).created("00:00").status("02:00", "resolved").status("03:00", "closed")
                    .evaluate("04:00");
            assertEquals(at("02:00"), stopped(cycle(sla, RESOLUTION, 1)));
        }
    }

    @Nested
    class PolicySelection {
        private final String tiers = always("""
                policies:
                  - name: standard
                    calendar: always
                    targets: { first_response: 4h, resolution: 24h }
                  - name: urgent
                    when: { priority: urgent }
                    calendar: always
                    targets: { first_response: 1h }
                  - name: enterprise
                    when: { tier: [enterprise] }
                    calendar: always
                    targets: { first_response: 1h, next_response: 1h }
                """);

        @Test
        void raisingThePriorityMidTicketKeepsElapsedAndCanBreachAtOnce() {
            // 2 h in, the ticket becomes urgent: against 1 h it was due at 10:00 and is breached.
            TicketSla sla = policy(tiers).created("09:00").priority("11:00", "urgent").evaluate("11:00");
            MetricCycle fr = cycle(sla, FIRST_RESPONSE, 1);
            assertEquals("urgent", fr.policy());
            assertEquals(at("10:00"), due(fr));
            assertEquals(BREACHED, fr.status());
            assertEquals(SummaryState.BREACHED, sla.summary());
        }

        @Test
        void mostAggressiveWinsEvenWithALongerTargetOnAnotherCalendar() {
            // Friday 16:00 (6 March). office 4 h: 1 h on Friday + 3 h on Monday = Monday 12:00.
            // always 8 h: Saturday 00:00. The earlier due instant wins, though its target is longer.
            String yaml = always("""
                    policies:
                      - name: office
                        calendar: office
                        targets: { first_response: 4h }
                      - name: night-cover
                        calendar: always
                        targets: { first_response: 8h }
                    """);
            MetricCycle fr = cycle(policy(yaml).created("2026-03-06T16:00:00Z").evaluate("2026-03-06T17:00:00Z"),
                    FIRST_RESPONSE, 1);
            assertEquals("night-cover", fr.policy());
            assertEquals(at("2026-03-07T00:00:00Z"), due(fr));
            // On Monday morning at 10:00 the office policy would win: due 14:00 against 18:00.
            MetricCycle monday = cycle(policy(yaml).created("10:00").evaluate("11:00"), FIRST_RESPONSE, 1);
            assertEquals("office", monday.policy());
        }

        @Test
        void tiesGoToThePolicyWrittenFirst() {
            String yaml = always("""
                    policies:
                      - name: first
                        calendar: always
                        targets: { first_response: 1h }
                      - name: second
                        calendar: always
                        targets: { first_response: 1h }
                    """);
            assertEquals("first", cycle(policy(yaml).created("09:00").evaluate("09:30"), FIRST_RESPONSE, 1).policy());
        }

        @Test
        void aStoppedCycleIsNotReChosen() {
            TicketSla sla = policy(tiers).created("09:00").reply("10:30").priority("11:00", "urgent").evaluate("12:00");
            MetricCycle fr = cycle(sla, FIRST_RESPONSE, 1);
            assertEquals("standard", fr.policy());
            assertEquals(MET, fr.status());
        }

        @Test
        void withNoCandidateLeftTheCycleKeepsItsPolicy() {
            // Enterprise gives next_response; the tier changes back and no policy has next_response.
            TicketSla sla = policy(tiers).created("09:00", "normal", "open", "enterprise").reply("09:10")
                    .customer("09:20").tier("09:30", "starter").evaluate("09:40");
            MetricCycle nr = cycle(sla, NEXT_RESPONSE, 1);
            assertEquals("enterprise", nr.policy());
            assertEquals(RUNNING, nr.status());
        }

        @Test
        void everyAttributeEventReChoosesEvenWithoutAChange() {
            // Projections are made "from now, as if no further pause came", so the same policies can rank
            // differently later in a ticket's life; an attributes event that changes nothing re-chooses.
            String yaml = always("""
                    policies:
                      - name: office
                        calendar: office
                        targets: { resolution: 8h }
                      - name: always
                        calendar: always
                        targets: { resolution: 9h }
                    pause_statuses: [waiting_on_customer]
                    """);
            // Monday 09:00: office due 17:00, always due 18:00 -> office.
            assertEquals("office", cycle(policy(yaml).created("09:00").evaluate("09:30"), RESOLUTION, 1).policy());
            // Paused 10:00-19:00, unchanged tier re-sent at 19:00. Office: 1 h elapsed, 7 h more from Tuesday
            // 09:00 = Tuesday 16:00. Always: 1 h elapsed, 8 h more from 19:00 = Tuesday 03:00. Always wins.
            TicketSla sla = policy(yaml).created("09:00").status("10:00", "waiting_on_customer").status("19:00", "open")
                    .tier("19:00", "pro").evaluate("19:30");
            MetricCycle res = cycle(sla, RESOLUTION, 1);
            assertEquals("always", res.policy());
            assertEquals(at("2026-03-03T03:00:00Z"), due(res));
            // Without the attributes event nothing re-chooses: still office.
            TicketSla untouched = policy(yaml).created("09:00").status("10:00", "waiting_on_customer")
                    .status("19:00", "open").evaluate("19:30");
            assertEquals("office", cycle(untouched, RESOLUTION, 1).policy());
        }

        @Test
        void aMetricNoMatchingPolicyTargetsDoesNotRun() {
            TicketSla sla = policy(tiers).created("09:00").reply("09:10").customer("09:20").evaluate("10:00");
            assertEquals(0, cycles(sla, NEXT_RESPONSE), "only enterprise has next_response");
            assertEquals(0, cycles(sla, PERIODIC_UPDATE), "no policy has periodic_update");
        }
    }

    /**
     * SLA-SPEC section 4: a cycle starts only if, at its start event, some matching policy has a target for its
     * metric. An attribute change that brings such a policy into play later starts nothing back then.
     */
    @Nested
    class StartRule {
        private final String tiers = always("""
                policies:
                  - name: standard
                    calendar: always
                    targets: { first_response: 4h, resolution: 24h }
                  - name: enterprise
                    when: { tier: [enterprise] }
                    calendar: always
                    targets: { next_response: 1h, periodic_update: 30m }
                  - name: vip
                    when: { tier: [vip] }
                    calendar: always
                    targets: { first_response: 1h, resolution: 2h }
                """);

        @Test
        void aPolicyThatTargetsPeriodicUpdateOnlyAfterAReplyWaitsForTheNextReply() {
            // The spec's example: no periodic_update target at the 10:00 reply; enterprise from 10:05.
            TicketSla sla = policy(tiers).created("09:00").reply("10:00").tier("10:05", "enterprise").evaluate("10:50");
            assertEquals(0, cycles(sla, PERIODIC_UPDATE), "nothing started at 10:00, and 10:05 starts nothing");
            TicketSla later = policy(tiers).created("09:00").reply("10:00").tier("10:05", "enterprise").reply("11:00")
                    .evaluate("11:40");
            assertEquals(1, cycles(later, PERIODIC_UPDATE));
            MetricCycle pu = cycle(later, PERIODIC_UPDATE, 1);
            assertEquals(at("11:00"), pu.startedAt(), "the next reply starts it");
            assertEquals(at("11:30"), due(pu));
            assertEquals(BREACHED, pu.status());
        }

        @Test
        void aCustomerMessageWithoutATargetDoesNotHoldBackTheNextOne() {
            // 09:20 starts nothing (no next_response target); the ticket becomes enterprise at 09:40; the next
            // customer message, 09:50, starts the cycle although no agent replied in between.
            TicketSla sla = policy(tiers).created("09:00").reply("09:10").customer("09:20").tier("09:40", "enterprise")
                    .customer("09:50").evaluate("10:00");
            assertEquals(1, cycles(sla, NEXT_RESPONSE));
            MetricCycle nr = cycle(sla, NEXT_RESPONSE, 1);
            assertEquals(at("09:50"), nr.startedAt());
            assertEquals(600, nr.elapsedSeconds());
            assertEquals(at("10:50"), due(nr));
            assertEquals(0, cycles(policy(tiers).created("09:00").reply("09:10").customer("09:20")
                    .tier("09:40", "enterprise").evaluate("10:00"), NEXT_RESPONSE), "without the 09:50 message: none");
        }

        @Test
        void aMetricWithATargetAtItsStartKeepsCountingFromItsStart() {
            // The rule is about starting: a running cycle re-chosen later keeps its own start and elapsed time.
            TicketSla sla = policy(tiers).created("09:00").tier("09:30", "vip").evaluate("10:30");
            MetricCycle fr = cycle(sla, FIRST_RESPONSE, 1);
            assertEquals("vip", fr.policy());
            assertEquals(at("09:00"), fr.startedAt());
            assertEquals(at("10:00"), due(fr));
            assertEquals(BREACHED, fr.status());
        }

        @Test
        void resolutionWithoutATargetAtCreationStartsOnlyAtARestartReopen() {
            String noResolution = always("""
                    policies:
                      - name: standard
                        calendar: always
                        targets: { first_response: 4h }
                      - name: vip
                        when: { tier: [vip] }
                        calendar: always
                        targets: { resolution: 2h }
                    """);
            TicketSla upgraded = policy(noResolution).created("09:00").tier("09:30", "vip").evaluate("12:00");
            assertEquals(0, cycles(upgraded, RESOLUTION), "created is resolution's start event; vip came later");
            TicketSla resumed = policy(noResolution + "on_reopen: resume\n").created("09:00").tier("09:30", "vip")
                    .status("10:00", "resolved").status("11:00", "open").evaluate("12:00");
            assertEquals(0, cycles(resumed, RESOLUTION), "a resume reopen resumes a cycle; there is none");
            TicketSla restarted = policy(noResolution + "on_reopen: restart\n").created("09:00").tier("09:30", "vip")
                    .status("10:00", "resolved").status("11:00", "open").evaluate("12:00");
            assertEquals(1, cycles(restarted, RESOLUTION));
            MetricCycle res = cycle(restarted, RESOLUTION, 1);
            assertEquals(at("11:00"), res.startedAt(), "a restart reopen is a start event");
            assertEquals(at("13:00"), due(res));
        }
    }

    /** {@code selection: first_match}: the matching policy with a target written first wins, whatever its due. */
    @Nested
    class FirstMatch {
        private final String ordered = always("""
                selection: first_match
                policies:
                  - name: enterprise
                    when: { tier: [enterprise] }
                    calendar: always
                    targets: { first_response: 4h, resolution: 24h }
                  - name: urgent
                    when: { priority: [urgent] }
                    calendar: always
                    targets: { first_response: 1h, resolution: 8h, periodic_update: 2h }
                  - name: standard
                    calendar: always
                    targets: { first_response: 8h, resolution: 48h }
                """);

        @Test
        void theFirstWrittenCandidateWinsThoughALaterOneIsDueEarlier() {
            TicketSla sla = policy(ordered).created("09:00", "urgent", "open", "enterprise").evaluate("09:30");
            MetricCycle fr = cycle(sla, FIRST_RESPONSE, 1);
            assertEquals("enterprise", fr.policy(), "urgent's 1 h would be due earlier");
            assertEquals(at("13:00"), due(fr));
            TicketSla aggressive = policy(ordered.replace("selection: first_match\n", ""))
                    .created("09:00", "urgent", "open", "enterprise").evaluate("09:30");
            assertEquals("urgent", cycle(aggressive, FIRST_RESPONSE, 1).policy(), "the default picks the earliest due");
        }

        @Test
        void aMetricOnlyALaterPolicyTargetsTakesThatPolicy() {
            TicketSla sla = policy(ordered).created("09:00", "urgent", "open", "enterprise").reply("10:00").evaluate("10:30");
            assertEquals("urgent", cycle(sla, PERIODIC_UPDATE, 1).policy(), "enterprise has no periodic_update");
        }

        @Test
        void anAttributeChangeReChoosesWithElapsedKept() {
            // standard (8 h) until 09:30; then urgent comes first among the candidates: 1 h from 09:00.
            TicketSla sla = policy(ordered).created("09:00").priority("09:30", "urgent").evaluate("10:30");
            MetricCycle fr = cycle(sla, FIRST_RESPONSE, 1);
            assertEquals("urgent", fr.policy());
            assertEquals(at("10:00"), due(fr));
            assertEquals(BREACHED, fr.status());
            // Enterprise, written first, wins again when the tier changes, though its 4 h is not the earliest.
            TicketSla upgraded = policy(ordered).created("09:00", "urgent", "open", "pro").tier("09:30", "enterprise")
                    .evaluate("10:30");
            assertEquals("enterprise", cycle(upgraded, FIRST_RESPONSE, 1).policy());
            assertEquals(at("13:00"), due(cycle(upgraded, FIRST_RESPONSE, 1)));
        }

        @Test
        void aStoppedCycleIsNotReChosen() {
            TicketSla sla = policy(ordered).created("09:00").reply("09:20").priority("09:30", "urgent").evaluate("10:30");
            MetricCycle fr = cycle(sla, FIRST_RESPONSE, 1);
            assertEquals("standard", fr.policy());
            assertEquals(MET, fr.status());
        }
    }

    @Nested
    class Warnings {
        private final String both = always("""
                policies:
                  - name: standard
                    calendar: always
                    targets: { first_response: 1h }
                warnings: ["75%", "-10m"]
                """);

        @Test
        void atRiskFromAShareOfTheTarget() {
            assertFalse(cycle(policy(both).created("09:00").evaluate("09:44:59"), FIRST_RESPONSE, 1).atRisk());
            assertTrue(cycle(policy(both).created("09:00").evaluate("09:45"), FIRST_RESPONSE, 1).atRisk());
        }

        @Test
        void atRiskFromATimeBeforeDue() {
            String yaml = both.replace("[\"75%\", \"-10m\"]", "[\"-10m\"]");
            assertFalse(cycle(policy(yaml).created("09:00").evaluate("09:49:59"), FIRST_RESPONSE, 1).atRisk());
            assertTrue(cycle(policy(yaml).created("09:00").evaluate("09:50"), FIRST_RESPONSE, 1).atRisk());
        }

        @Test
        void theNextWarningAndTheDueInstantAreWhenTheTicketNeedsAttentionNext() {
            TicketSla early = policy(both).created("09:00").evaluate("09:10");
            assertEquals(at("09:45"), cycle(early, FIRST_RESPONSE, 1).nextWarningAt().orElseThrow());
            assertEquals(at("09:45"), early.nextAttentionAt().orElseThrow());
            TicketSla late = policy(both).created("09:00").evaluate("09:46");
            assertEquals(at("09:50"), late.nextAttentionAt().orElseThrow(), "the -10m warning");
            TicketSla last = policy(both).created("09:00").evaluate("09:55");
            assertEquals(at("10:00:01"), last.nextAttentionAt().orElseThrow(), "only the breach is left, a second after due");
            assertEquals(SummaryState.AT_RISK, last.summary());
        }

        @Test
        void aPausedCycleNeedsNoWakeUp() {
            String yaml = always("""
                    policies:
                      - name: standard
                        calendar: always
                        targets: { resolution: 8h }
                    """);
            TicketSla sla = policy(yaml).created("09:00").status("09:30", "waiting_on_customer").evaluate("10:00");
            assertTrue(sla.nextAttentionAt().isEmpty());
            assertEquals(SummaryState.PAUSED, sla.summary());
        }
    }

    @Nested
    class EventHandling {
        @Test
        void duplicatesAreIgnoredAndTheFirstCopyWins() {
            FoldFixture f = policy(SIMPLE).created("09:00");
            TicketEvent reply = TicketEvent.builder("r-1", FoldFixture.TICKET, at("09:30"), EventType.AGENT_REPLY).build();
            TicketEvent sameIdLater = TicketEvent.builder("r-1", FoldFixture.TICKET, at("09:50"), EventType.AGENT_REPLY)
                    .build();
            f.add(reply).add(reply).add(sameIdLater);
            TicketSla sla = f.evaluate("12:00");
            assertEquals(at("09:30"), stopped(cycle(sla, FIRST_RESPONSE, 1)));
            assertEquals(1, cycles(sla, PERIODIC_UPDATE), "one reply, one periodic update cycle");
        }

        @Test
        void aLateEventIsAppliedInItsPlace() {
            List<TicketEvent> events = new ArrayList<>(policy(SIMPLE).created("09:00").reply("09:30")
                    .status("10:00", "resolved").events());
            TicketSla inOrder = TicketFold.of(policy(SIMPLE).policies()).fold(FoldFixture.TICKET, events, at("12:00"));
            Collections.reverse(events);
            TicketSla reversed = TicketFold.of(policy(SIMPLE).policies()).fold(FoldFixture.TICKET, events, at("12:00"));
            assertEquals(inOrder.cycles(), reversed.cycles());
        }

        @Test
        void eventsBeforeCreatedAreIgnoredAndEventsArrivingBeforeItAreHeld() {
            FoldFixture f = policy(SIMPLE);
            f.reply("08:00"); // before the ticket existed: ignored
            f.reply("09:30"); // arrives before `created`, happens after it: applied
            f.created("09:00");
            MetricCycle fr = cycle(f.evaluate("12:00"), FIRST_RESPONSE, 1);
            assertEquals(at("09:30"), stopped(fr));
        }

        @Test
        void aSecondCreatedIsIgnored() {
            TicketSla sla = policy(SIMPLE).created("09:00").created("10:00", "urgent", "resolved", "enterprise")
                    .evaluate("11:00");
            MetricCycle res = cycle(sla, RESOLUTION, 1);
            assertEquals(at("09:00"), res.startedAt());
            assertEquals(RUNNING, res.status());
        }

        @Test
        void atOneInstantCreatedGoesFirstThenArrivalOrder() {
            // Reply and created share 09:00; the reply arrived first but applies after `created`.
            FoldFixture f = policy(SIMPLE);
            f.reply("09:00");
            f.created("09:00");
            MetricCycle fr = cycle(f.evaluate("10:00"), FIRST_RESPONSE, 1);
            assertEquals(MET, fr.status());
            assertEquals(at("09:00"), stopped(fr));
        }

        @Test
        void eventsAfterTheEvaluationInstantAreIgnored() {
            TicketSla sla = policy(SIMPLE).created("09:00").reply("11:00").evaluate("10:30");
            assertEquals(BREACHED, cycle(sla, FIRST_RESPONSE, 1).status());
            assertNull(stopped(cycle(sla, FIRST_RESPONSE, 1)));
        }

        @Test
        void aTicketWithoutCreatedHasNoClocks() {
            TicketSla sla = policy(SIMPLE).reply("09:00").customer("09:10").evaluate("10:00");
            assertTrue(sla.cycles().isEmpty());
            assertEquals(SummaryState.NONE, sla.summary());
        }

        @Test
        void anEventOfAnotherTicketIsRefused() {
            TicketEvent other = TicketEvent.builder("x", "jira:OTHER-1", at("09:00"), EventType.CREATED)
                    .priority(Priority.NORMAL).status(TicketStatus.OPEN).build();
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> TicketFold.of(policy(SIMPLE).policies()).fold(FoldFixture.TICKET, List.of(other), at("10:00")));
        }
    }

    @Nested
    class Summary {
        @Test
        void followsTheSpecsOrder() {
            assertEquals(SummaryState.ON_TRACK, policy(SIMPLE).created("09:00").evaluate("09:10").summary());
            assertEquals(SummaryState.AT_RISK, policy(SIMPLE).created("09:00").evaluate("09:50").summary());
            assertEquals(SummaryState.BREACHED, policy(SIMPLE).created("09:00").evaluate("10:01").summary());
            assertEquals(SummaryState.MET, policy(SIMPLE).created("09:00").reply("09:10").status("09:20", "resolved")
                    .evaluate("12:00").summary());
            assertEquals(SummaryState.BREACHED, policy(SIMPLE).created("09:00").reply("11:00")
                    .status("11:10", "resolved").evaluate("12:00").summary(), "final cycles include a breach");
        }

        @Test
        void earliestDueIsAmongCyclesThatHaveNotStopped() {
            TicketSla sla = policy(SIMPLE).created("09:00").reply("09:10").evaluate("09:20");
            assertEquals(at("11:10"), sla.earliestDueAt().orElseThrow(), "periodic update 09:10 + 2h; resolution 17:00");
        }
    }
}
