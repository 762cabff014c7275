package io.slabridge.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.fold.TicketFold;
import io.slabridge.core.io.TicketHistories;
import io.slabridge.core.model.CycleStatus;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.MetricCycle;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.replay.Replay;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report from replay input (events folded against a policy), checked against {@link HandComputed}. */
class ComplianceReportTest {
    static Path resource(String name) {
        try {
            return Path.of(ComplianceReportTest.class.getResource("/report/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static ComplianceReport fixture(Instant at, ReportPeriod period, List<Dimension> by) throws Exception {
        TicketHistories histories = Replay.read(resource("events.jsonl"));
        TicketFold fold = TicketFold.of(PolicyFileParser.parse(resource("policy.yaml")));
        return HistoryReport.of(fold, histories, at, Instant.EPOCH, period, by);
    }

    @Test
    void figuresOfTheFixtureAreTheHandComputedOnes() throws Exception {
        HandComputed.assertFigures(fixture(HandComputed.AT, HandComputed.PERIOD, HandComputed.BY));
    }

    @Test
    void withoutAnInstantTheLatestEventIsTheEvaluationInstantAndTheOpenBreachIsLessLate() throws Exception {
        ComplianceReport r = fixture(null, HandComputed.PERIOD, List.of());
        assertEquals(Instant.parse("2026-03-09T10:00:00Z"), r.evaluatedAt());
        // B-2's resolution, due Fri 04:00, is 78 hours late at Mon 10:00 (24x7 calendar)
        assertEquals(78 * 3600, r.breaches().get(0).lateBusinessSeconds());
        assertEquals(78 * 3600, r.breaches().get(0).lateCalendarSeconds());
        assertEquals(List.of(), r.rows(Dimension.PRIORITY));
    }

    @Test
    void withoutAPeriodEveryDecisionUpToTheEvaluationInstantCounts() throws Exception {
        ComplianceReport r = fixture(HandComputed.AT, ReportPeriod.ALL, List.of());
        // A-0's first response (Feb 27) and A-4's (Mar 9 10:00) now count: 6 met, 2 breached
        HandComputed.assertRow(r, null, null, Metric.FIRST_RESPONSE, 6, 2, 0, 0, 750);
        // A-4's resolution is running at the evaluation instant: open at the end, undecided
        HandComputed.assertRow(r, null, null, Metric.RESOLUTION, 5, 2, 1, 1, 714);
    }

    @Test
    void aPeriodThatEndsBeforeABreachLeavesTheCycleOpenAtItsEnd() throws Exception {
        // Up to Thu 2026-03-05 21:00: B-2's first response (due 21:00) is breached at 21:00:01, after the end
        ComplianceReport r = fixture(HandComputed.AT,
                new ReportPeriod(HandComputed.FROM, Instant.parse("2026-03-05T21:00:01Z")), List.of());
        HandComputed.assertRow(r, null, null, Metric.FIRST_RESPONSE, 4, 1, 0, 1, 800);
        r = fixture(HandComputed.AT, new ReportPeriod(HandComputed.FROM, Instant.parse("2026-03-05T21:00:02Z")),
                List.of());
        HandComputed.assertRow(r, null, null, Metric.FIRST_RESPONSE, 4, 2, 0, 0, 667);
    }

    @Test
    void aBreachCountsWhenItHappenedNotWhenTheCycleStopped() throws Exception {
        // From Thu 2026-03-05 00:00: A-3's resolution was breached Wed 17:00:01 and resolved Thu 12:00. The breach
        // is not in the period, but its time is (it stopped in it).
        ComplianceReport r = fixture(HandComputed.AT, new ReportPeriod(Instant.parse("2026-03-05T00:00:00Z"),
                HandComputed.TO), List.of());
        // B-1 met, B-2 breached; A-4 (created Fri 16:00) open at the end
        HandComputed.assertRow(r, null, null, Metric.RESOLUTION, 1, 1, 1, 1, 500);
        assertEquals(2, r.row(null, null, Metric.RESOLUTION).business().count()); // A-3 19h, B-1 5h
        assertEquals(19 * 3600, r.row(null, null, Metric.RESOLUTION).business().p90());
        assertTrue(r.breaches().stream().noneMatch(b -> b.ticket().equals("jira:A-3") && b.metric() == Metric.RESOLUTION));
    }

    @Test
    void anOpenCycleWhoseDueInstantHasPassedIsBreachedEvenIfItWasStoredAsRunning() {
        long due = Instant.parse("2026-03-02T10:00:00Z").getEpochSecond();
        MetricCycle stale = MetricCycle.of("t", Metric.FIRST_RESPONSE, 1, "p", "c", 3600, due - 3600, due,
                MetricCycle.NONE, CycleStatus.RUNNING, 1800, false, MetricCycle.NONE);
        ComplianceReport r = ComplianceReport.builder(Instant.ofEpochSecond(due + 60), ReportPeriod.ALL, List.of())
                .add(List.of(stale), AttributeTimeline.of(List.of())).build();
        HandComputed.assertRow(r, null, null, Metric.FIRST_RESPONSE, 0, 1, 1, 0, 0);
        assertEquals(60, r.breaches().get(0).lateCalendarSeconds());
        assertEquals(0, r.breaches().get(0).lateBusinessSeconds()); // elapsed as stored: short of the target
        assertNull(r.breaches().get(0).stoppedAt());
        // at the due instant itself it is not breached yet
        r = ComplianceReport.builder(Instant.ofEpochSecond(due), ReportPeriod.ALL, List.of())
                .add(List.of(stale), AttributeTimeline.of(List.of())).build();
        HandComputed.assertRow(r, null, null, Metric.FIRST_RESPONSE, 0, 0, 0, 1, -1);
    }

    @Test
    void anEmptyPeriodIsRefused() {
        Instant t = Instant.parse("2026-03-02T00:00:00Z");
        assertThrows(IllegalArgumentException.class, () -> new ReportPeriod(t, t));
    }

    @Test
    void percentMetIsRoundedHalfUpToTenths() {
        assertEquals(667, new ComplianceReport.Row(null, null, Metric.RESOLUTION, 2, 1, 0, 0, null, null).metPermille());
        assertEquals(333, new ComplianceReport.Row(null, null, Metric.RESOLUTION, 1, 2, 0, 0, null, null).metPermille());
        // 1/8 = 12.5% exactly; 1/16 = 6.25% rounds half up to 6.3%
        assertEquals(125, new ComplianceReport.Row(null, null, Metric.RESOLUTION, 1, 7, 0, 0, null, null).metPermille());
        assertEquals(63, new ComplianceReport.Row(null, null, Metric.RESOLUTION, 1, 15, 0, 0, null, null).metPermille());
        assertEquals(-1, new ComplianceReport.Row(null, null, Metric.RESOLUTION, 0, 0, 0, 3, null, null).metPermille());
    }
}
