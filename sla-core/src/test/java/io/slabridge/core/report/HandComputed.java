package io.slabridge.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.Metric;
import io.slabridge.core.report.ComplianceReport.Breach;
import io.slabridge.core.report.ComplianceReport.Row;
import io.slabridge.core.report.ComplianceReport.Times;
import java.time.Instant;
import java.util.List;

/**
 * The report fixture ({@code report/events.jsonl}, {@code report/policy.yaml}) worked out by hand, for the period
 * Monday 2026-03-02 00:00Z to Saturday 2026-03-07 00:00Z, evaluated at Monday 2026-03-09 12:00Z.
 *
 * <p>The office calendar is 09:00-17:00 UTC on weekdays; "standard" (office) has first response 4h and
 * resolution 16h, "enterprise" (24x7, tier enterprise) 1h and 8h, and wins on its tickets.
 *
 * <pre>
 * ticket          prio    tier  chan    policy      first response                    resolution
 * jira:A-0        normal  pro   portal  standard    Fri 02-27 10:00, met: before the  Mon 11:00 met: 8h+2h = 10h
 *                                                   period, not counted               (calendar Fri 09:00-Mon 11:00 = 74h)
 * jira:A-1        high    pro   email   standard    Mon 10:00 met, 1h (1h)            Mon 15:00 met, 6h (6h)
 * jira:A-2        normal  pro   portal  standard    Tue 11:00 met, 1h+2h = 3h (19h)   Wed 14:00 met, 1h+8h+5h = 14h (46h)
 * jira:A-3        high    pro   email   standard    due Tue 13:00, reply 15:00:       due Wed 17:00, resolved Thu 12:00:
 *                                                   breached, 6h (6h), 2h late (2h)   breached, 19h (51h), 3h late (19h)
 * jira:A-5        normal->urgent 10:00->low Wed 09  Tue 10:30 met, 1h30m (1h30m);     Wed 10:00 met, 8h+1h = 9h (25h);
 *                 pro   portal  standard            priority then: urgent             priority then: low
 * salesforce:B-1  urgent  ent.  phone   enterprise  Wed 10:30 met, 30m (30m)          paused Wed 11:00-Thu 11:00; Thu 15:00
 *                                                                                     met, 1h+4h = 5h (29h)
 * salesforce:B-2  urgent  ent.  email   enterprise  due Thu 21:00, reply 22:00:       due Fri 04:00, never resolved:
 *                                                   breached, 2h (2h), 1h late (1h)   breached Fri 04:00:01 (in the period),
 *                                                                                     open; 80h late at Mon 12:00
 * jira:A-4        low     -     portal  standard    created Fri 16:00, reply Mon      running at Mon 12:00
 *                                                   03-09 10:00 (after the period):   open at the end of the period
 *                                                   open at the end of the period
 * </pre>
 *
 * First response: met, B-1 (4), breached A-3, B-2 (2): 66.7%; open at end A-4. Times of the 6
 * stopped in the period, business: 30m 1h 1h30m 2h 3h 6h; nearest rank: median = 3rd = 1h30m, p80 = 5th
 * (ceil 4.8) = 3h, p90 = 6th (ceil 5.4) = 6h. Calendar: 30m 1h 1h30m 2h 6h 19h: 1h30m, 6h, 19h.
 * <br>Resolution: met, B-1 (5), breached A-3, B-2 (2; B-2 open): 71.4%; open at end A-4.
 * Business of the 6 stopped: 5h 6h 9h 10h 14h 19h: median 9h, p80 14h, p90 19h. Calendar: 6h 25h 29h 46h 51h 74h:
 * 29h, 51h, 74h.
 */
final class HandComputed {
    static final Instant FROM = Instant.parse("2026-03-02T00:00:00Z");
    static final Instant TO = Instant.parse("2026-03-07T00:00:00Z");
    static final Instant AT = Instant.parse("2026-03-09T12:00:00Z");
    static final ReportPeriod PERIOD = new ReportPeriod(FROM, TO);
    static final List<Dimension> BY = List.of(Dimension.PRIORITY, Dimension.TIER, Dimension.CHANNEL,
            Dimension.ACCOUNT, Dimension.POLICY);

    private static final long H = 3600;
    private static final long M = 60;

    private HandComputed() {
    }

    static void assertFigures(ComplianceReport r) {
        assertFigures(r, true);
    }

    /**
     * @param exactOpenLateness false for stored cycles, where the business time an open breach is late is as of the
     *                          ticket's last fold: then only bounded
     */
    static void assertFigures(ComplianceReport r, boolean exactOpenLateness) {
        assertEquals(8, r.tickets());
        Metric fr = Metric.FIRST_RESPONSE;
        Metric res = Metric.RESOLUTION;
        // overall
        assertRow(r, null, null, fr, 4, 2, 0, 1, 667);
        assertRow(r, null, null, res, 5, 2, 1, 1, 714);
        assertEquals(new Times(6, 90 * M, 3 * H, 6 * H), row(r, null, null, fr).business());
        assertEquals(new Times(6, 90 * M, 6 * H, 19 * H), row(r, null, null, fr).calendar());
        assertEquals(new Times(6, 9 * H, 14 * H, 19 * H), row(r, null, null, res).business());
        assertEquals(new Times(6, 29 * H, 51 * H, 74 * H), row(r, null, null, res).calendar());
        // by priority, as it was when each cycle ended: A-5's first response counts as urgent, its resolution as low
        assertRow(r, Dimension.PRIORITY, "urgent", fr, 2, 1, 0, 0, 667);
        assertRow(r, Dimension.PRIORITY, "high", fr, 1, 1, 0, 0, 500);
        assertRow(r, Dimension.PRIORITY, "normal", fr, 1, 0, 0, 0, 1000);
        assertRow(r, Dimension.PRIORITY, "low", fr, 0, 0, 0, 1, -1);
        assertRow(r, Dimension.PRIORITY, "urgent", res, 1, 1, 1, 0, 500);
        assertRow(r, Dimension.PRIORITY, "high", res, 1, 1, 0, 0, 500);
        assertRow(r, Dimension.PRIORITY, "normal", res, 2, 0, 0, 0, 1000);
        assertRow(r, Dimension.PRIORITY, "low", res, 1, 0, 0, 1, 1000);
        // urgent first responses stopped in the period: B-1 30m, B-2 2h, A-5 1h30m
        assertEquals(new Times(3, 90 * M, 2 * H, 2 * H), row(r, Dimension.PRIORITY, "urgent", fr).business());
        // by tier; A-4 has none
        assertRow(r, Dimension.TIER, "enterprise", fr, 1, 1, 0, 0, 500);
        assertRow(r, Dimension.TIER, "pro", fr, 3, 1, 0, 0, 750);
        assertRow(r, Dimension.TIER, null, fr, 0, 0, 0, 1, -1);
        assertRow(r, Dimension.TIER, "enterprise", res, 1, 1, 1, 0, 500);
        assertRow(r, Dimension.TIER, "pro", res, 4, 1, 0, 0, 800);
        // by channel, account and policy
        assertRow(r, Dimension.CHANNEL, "email", fr, 1, 2, 0, 0, 333);
        assertRow(r, Dimension.CHANNEL, "portal", fr, 2, 0, 0, 1, 1000);
        assertRow(r, Dimension.CHANNEL, "phone", fr, 1, 0, 0, 0, 1000);
        assertRow(r, Dimension.ACCOUNT, "acme", fr, 2, 2, 0, 0, 500);
        assertRow(r, Dimension.ACCOUNT, "umbrella", res, 1, 0, 0, 0, 1000);
        assertRow(r, Dimension.POLICY, "enterprise", res, 1, 1, 1, 0, 500);
        assertRow(r, Dimension.POLICY, "standard", res, 4, 1, 0, 1, 800);
        // the order of the rows: overall, then each dimension in the order asked, priorities urgent to low
        assertEquals(List.of("urgent", "high", "normal", "low"),
                r.rows(Dimension.PRIORITY).stream().map(Row::value).distinct().toList());
        assertEquals(java.util.Arrays.asList("enterprise", "pro", null),
                r.rows(Dimension.TIER).stream().map(Row::value).distinct().toList());

        // the breaches, latest first
        List<Breach> b = r.breaches();
        assertEquals(4, b.size(), b::toString);
        if (exactOpenLateness) {
            assertBreach(b.get(0), "salesforce:B-2", res, "2026-03-06T04:00:00Z", null, 80 * H, 80 * H);
        } else {
            Breach stale = b.stream().filter(x -> x.stoppedAt() == null).findFirst().orElseThrow();
            assertBreach(stale, "salesforce:B-2", res, "2026-03-06T04:00:00Z", null, stale.lateBusinessSeconds(), 80 * H);
            assertTrue(stale.lateBusinessSeconds() > 0 && stale.lateBusinessSeconds() <= 80 * H, stale::toString);
            b = new java.util.ArrayList<>(b);
            b.remove(stale);
            b.add(0, stale);
        }
        assertBreach(b.get(1), "jira:A-3", res, "2026-03-04T17:00:00Z", "2026-03-05T12:00:00Z", 3 * H, 19 * H);
        assertBreach(b.get(2), "jira:A-3", fr, "2026-03-03T13:00:00Z", "2026-03-03T15:00:00Z", 2 * H, 2 * H);
        assertBreach(b.get(3), "salesforce:B-2", fr, "2026-03-05T21:00:00Z", "2026-03-05T22:00:00Z", 1 * H, 1 * H);
        assertEquals("urgent", b.get(0).attribute(Dimension.PRIORITY));
        assertEquals("acme", b.get(0).attribute(Dimension.ACCOUNT));
        assertEquals("enterprise", b.get(0).policy());
    }

    static Row row(ComplianceReport r, Dimension d, String value, Metric m) {
        Row row = r.row(d, value, m);
        assertNotNull(row, () -> "no row " + d + " " + value + " " + m + " in " + r.rows());
        return row;
    }

    static void assertRow(ComplianceReport r, Dimension d, String value, Metric m, long met, long breached,
            long breachedOpen, long openAtEnd, long permille) {
        Row row = row(r, d, value, m);
        String where = d + " " + value + " " + m.wireName() + ": " + row;
        assertEquals(met, row.met(), "met, " + where);
        assertEquals(breached, row.breached(), "breached, " + where);
        assertEquals(breachedOpen, row.breachedOpen(), "breached open, " + where);
        assertEquals(openAtEnd, row.openAtEnd(), "open at end, " + where);
        assertEquals(permille, row.metPermille(), "% met in tenths, " + where);
    }

    static void assertBreach(Breach b, String ticket, Metric m, String due, String stopped, long lateBusiness,
            long lateCalendar) {
        assertEquals(ticket + " " + m.wireName() + " due " + due + " stopped " + stopped + " late " + lateBusiness + "/"
                + lateCalendar, b.ticket() + " " + b.metric().wireName() + " due " + b.dueAt() + " stopped "
                + b.stoppedAt() + " late " + b.lateBusinessSeconds() + "/" + b.lateCalendarSeconds());
    }
}
