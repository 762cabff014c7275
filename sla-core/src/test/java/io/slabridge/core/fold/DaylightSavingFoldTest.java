package io.slabridge.core.fold;

import static io.slabridge.core.fold.FoldFixture.at;
import static io.slabridge.core.fold.FoldFixture.cycle;
import static io.slabridge.core.fold.FoldFixture.due;
import static io.slabridge.core.fold.FoldFixture.policy;
import static io.slabridge.core.model.Metric.FIRST_RESPONSE;
import static io.slabridge.core.model.Metric.RESOLUTION;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slabridge.core.model.CycleStatus;
import io.slabridge.core.model.MetricCycle;
import org.junit.jupiter.api.Test;

/**
 * Due instants through the whole fold on the DST days of the three zones the spec names. Business time is
 * real elapsed seconds; wall times in a spring-forward gap move forward, ambiguous ones take the earlier offset.
 */
class DaylightSavingFoldTest {

    private static String policyOn(String zone, String week, String targets) {
        return "calendars:\n  cal: { zone: " + zone + ", week: " + week + " }\n"
                + "policies:\n  - name: p\n    calendar: cal\n    targets: " + targets + "\n";
    }

    @Test
    void berlinSpringForwardDayIsTwentyThreeHoursLong() {
        // 2026-03-29, 02:00 CET -> 03:00 CEST. A whole-day calendar: created Saturday 12:00 CET (11:00Z),
        // 24 h of real time later is Sunday 11:00Z = 13:00 CEST on the wall clock.
        String yaml = policyOn("Europe/Berlin", "{ sat: [\"00:00-24:00\"], sun: [\"00:00-24:00\"] }",
                "{ resolution: 24h }");
        MetricCycle res = cycle(policy(yaml).created("2026-03-28T11:00:00Z").evaluate("2026-03-28T12:00:00Z"),
                RESOLUTION, 1);
        assertEquals(at("2026-03-29T11:00:00Z"), due(res));
    }

    @Test
    void berlinOfficeHoursKeepTheirLengthAcrossTheChange() {
        // Office 09:00-17:00, Friday 27 March 16:00 CET (15:00Z) with 2 h: 1 h on Friday (to 16:00Z), then
        // Monday 30 March from 09:00 CEST (07:00Z): due 08:00Z. The Sunday change costs nothing.
        String yaml = policyOn("Europe/Berlin", "{ mon: [\"09:00-17:00\"], fri: [\"09:00-17:00\"] }",
                "{ first_response: 2h }");
        MetricCycle fr = cycle(policy(yaml).created("2026-03-27T15:00:00Z").evaluate("2026-03-27T15:30:00Z"),
                FIRST_RESPONSE, 1);
        assertEquals(at("2026-03-30T08:00:00Z"), due(fr));
    }

    @Test
    void newYorkFallBackNightIsAnHourLongerInWallTime() {
        // 2026-11-01, 02:00 EDT -> 01:00 EST. Night shift "22:00-06:00" starting Saturday 31 October:
        // 22:00 EDT (02:00Z) to 06:00 EST (11:00Z) is 9 real hours. An 8 h target from the shift's start is
        // due 10:00Z, which is 05:00 EST on the wall clock, not 06:00.
        String yaml = policyOn("America/New_York", "{ sat: [\"22:00-06:00\"] }", "{ first_response: 8h }");
        MetricCycle fr = cycle(policy(yaml).created("2026-11-01T02:00:00Z").evaluate("2026-11-01T03:00:00Z"),
                FIRST_RESPONSE, 1);
        assertEquals(at("2026-11-01T10:00:00Z"), due(fr));
        // With 9 h the whole night is used: due at the shift's end, 06:00 EST = 11:00Z.
        String nine = policyOn("America/New_York", "{ sat: [\"22:00-06:00\"] }", "{ first_response: 9h }");
        assertEquals(at("2026-11-01T11:00:00Z"),
                due(cycle(policy(nine).created("2026-11-01T02:00:00Z").evaluate("2026-11-01T03:00:00Z"), FIRST_RESPONSE, 1)));
    }

    @Test
    void newYorkAmbiguousStartTakesTheEarlierOffset() {
        // Sunday "01:30-02:30" on 2026-11-01: 01:30 is ambiguous and takes EDT (05:30Z); 02:30 EST is 07:30Z.
        // So the interval is 2 real hours, and a 90-minute target from 05:30Z is due 07:00Z.
        String yaml = policyOn("America/New_York", "{ sun: [\"01:30-02:30\"] }", "{ first_response: 1h30m }");
        MetricCycle fr = cycle(policy(yaml).created("2026-11-01T05:30:00Z").evaluate("2026-11-01T05:40:00Z"),
                FIRST_RESPONSE, 1);
        assertEquals(at("2026-11-01T07:00:00Z"), due(fr));
    }

    @Test
    void sydneySpringForwardGapMovesAStartForward() {
        // 2026-10-04, 02:00 AEST -> 03:00 AEDT. Sunday "02:30-04:00": 02:30 does not exist and moves forward
        // by the gap to 03:30 AEDT (16:30Z on 3 October); the interval is 30 real minutes. A 45-minute
        // target created Saturday can only use those 30 minutes, and then next Sunday's 90 minutes
        // (02:30 AEDT = 15:30Z on 10 October): due 15:45Z.
        String yaml = policyOn("Australia/Sydney", "{ sun: [\"02:30-04:00\"] }", "{ first_response: 45m }");
        MetricCycle fr = cycle(policy(yaml).created("2026-10-03T10:00:00Z").evaluate("2026-10-03T12:00:00Z"),
                FIRST_RESPONSE, 1);
        assertEquals(at("2026-10-10T15:45:00Z"), due(fr));
        assertEquals(CycleStatus.RUNNING, fr.status());
    }

    @Test
    void sydneyFallBackDayIsTwentyFiveHoursLong() {
        // 2026-04-05, 03:00 AEDT -> 02:00 AEST. Sunday 00:00-24:00 runs from 13:00Z on 4 April to 14:00Z on
        // 5 April: 25 h. A 25 h target created at the start of that day is due at its end.
        String yaml = policyOn("Australia/Sydney", "{ sun: [\"00:00-24:00\"] }", "{ resolution: 25h }");
        MetricCycle res = cycle(policy(yaml).created("2026-04-04T13:00:00Z").evaluate("2026-04-04T14:00:00Z"),
                RESOLUTION, 1);
        assertEquals(at("2026-04-05T14:00:00Z"), due(res));
    }
}
