package io.slabridge.core.policy;

import static io.slabridge.core.policy.PolicyProblemAssertions.assertOnlyProblem;
import static io.slabridge.core.policy.PolicyProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.calendar.BusinessCalendar;
import io.slabridge.core.calendar.OpeningHours;
import io.slabridge.core.model.Attribute;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.TicketStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The policy file of SLA-SPEC sections 2 and 3. The YAML of each test is a text block whose first line is
 * line 1; the lines a test expects a problem on carry a {@code # line N} comment.
 */
class PolicyFileParserTest {
    private static final String FILE = "ops/sla.yaml";

    // ---- a valid file -------------------------------------------------------------------------------

    /** The examples of SLA-SPEC sections 2 and 3, as one file. */
    private static final String SPEC_EXAMPLE = """
            calendars:
              berlin-office:
                zone: Europe/Berlin
                week:
                  mon: ["09:00-12:30", "13:30-17:30"]
                  tue: ["09:00-17:00"]
                  wed: ["09:00-17:00"]
                  thu: ["09:00-17:00"]
                  fri: ["09:00-16:00"]
                  sat: []
                holidays: ["2026-12-24", "2026-12-25", "2026-12-31"]
              night-shift:
                zone: America/New_York
                week: { mon: ["22:00-06:00"] }
              always:
                zone: UTC
                week: 24x7
            policies:
              - name: corporate
                calendar: berlin-office
                targets: { first_response: 24h, resolution: 40h }
              - name: enterprise
                when: { tier: [enterprise] }
                calendar: always
                targets: { first_response: 1h, next_response: 2h, periodic_update: 4h, resolution: 8h }
              - name: security
                when: { category: [security] }
                calendar: always
                targets: { first_response: 1h }
            pause_statuses: [waiting_on_customer, on_hold]
            on_reopen: resume
            warnings: ["75%"]
            """;

    @Test
    void specExampleParsesIntoCalendars() throws Exception {
        PolicySet set = PolicyFileParser.parse(FILE, SPEC_EXAMPLE);

        assertEquals(Set.of("berlin-office", "night-shift", "always"), set.calendars().keySet());

        BusinessCalendar berlin = set.calendars().get("berlin-office");
        assertEquals(ZoneId.of("Europe/Berlin"), berlin.zone());
        assertFalse(berlin.isAlwaysOpen());
        assertEquals(List.of(OpeningHours.parse("09:00-12:30"), OpeningHours.parse("13:30-17:30")),
                berlin.week().get(DayOfWeek.MONDAY));
        assertEquals(List.of(OpeningHours.parse("09:00-16:00")), berlin.week().get(DayOfWeek.FRIDAY));
        assertFalse(berlin.week().containsKey(DayOfWeek.SATURDAY), "sat: [] is a closed day");
        assertFalse(berlin.week().containsKey(DayOfWeek.SUNDAY), "a missing day is closed");
        assertEquals(Set.of(LocalDate.of(2026, 12, 24), LocalDate.of(2026, 12, 25), LocalDate.of(2026, 12, 31)),
                berlin.holidays());
        // Monday 2026-03-02 (CET, UTC+1): 3.5 h + 4 h open.
        assertEquals(7 * 3600 + 1800, berlin.businessSeconds(Instant.parse("2026-03-02T00:00:00Z"),
                Instant.parse("2026-03-03T00:00:00Z")));
        // Wednesday 2026-12-23 is a normal 8 h day; Thursday 2026-12-24 is a holiday.
        assertEquals(8 * 3600, berlin.businessSeconds(Instant.parse("2026-12-23T00:00:00Z"),
                Instant.parse("2026-12-24T00:00:00Z")));
        assertEquals(0, berlin.businessSeconds(Instant.parse("2026-12-24T00:00:00Z"),
                Instant.parse("2026-12-25T00:00:00Z")));

        BusinessCalendar night = set.calendars().get("night-shift");
        assertEquals(ZoneId.of("America/New_York"), night.zone());
        OpeningHours shift = night.week().get(DayOfWeek.MONDAY).get(0);
        assertTrue(shift.endsNextDay(), "22:00-06:00 crosses midnight");
        assertEquals(Set.of(DayOfWeek.MONDAY), night.week().keySet());

        BusinessCalendar always = set.calendars().get("always");
        assertTrue(always.isAlwaysOpen());
        assertEquals(ZoneId.of("UTC"), always.zone());
    }

    @Test
    void specExampleParsesIntoPoliciesInFileOrderWithTargetsInSeconds() throws Exception {
        PolicySet set = PolicyFileParser.parse(FILE, SPEC_EXAMPLE);

        List<SlaPolicy> policies = set.policies();
        assertEquals(List.of("corporate", "enterprise", "security"),
                policies.stream().map(SlaPolicy::name).collect(Collectors.toList()));
        assertEquals(List.of(0, 1, 2), policies.stream().map(SlaPolicy::position).collect(Collectors.toList()));

        SlaPolicy corporate = policies.get(0);
        assertEquals(Map.of(Metric.FIRST_RESPONSE, 24 * 3600L, Metric.RESOLUTION, 40 * 3600L), corporate.targets());
        assertSame(PolicyCondition.ALWAYS, corporate.when(), "no 'when' matches every ticket");
        assertSame(set.calendars().get("berlin-office"), corporate.calendar());

        SlaPolicy enterprise = policies.get(1);
        assertEquals(Map.of(Metric.FIRST_RESPONSE, 3600L, Metric.NEXT_RESPONSE, 7200L,
                Metric.PERIODIC_UPDATE, 14_400L, Metric.RESOLUTION, 28_800L), enterprise.targets());
        assertEquals(Map.of(Attribute.TIER, FieldCondition.anyOf(Set.of("enterprise"))), enterprise.when().fields());
        assertEquals("always", enterprise.calendar().name());
        assertEquals(0, corporate.targetSeconds(Metric.NEXT_RESPONSE), "no target: 0");

        SlaPolicy security = policies.get(2);
        assertEquals(Map.of(Metric.FIRST_RESPONSE, 3600L), security.targets());
        assertEquals(Map.of(Attribute.CATEGORY, FieldCondition.anyOf(Set.of("security"))), security.when().fields());

        assertEquals(Set.of(TicketStatus.WAITING_ON_CUSTOMER, TicketStatus.ON_HOLD), set.pauseStatuses());
        assertTrue(set.pauses(TicketStatus.ON_HOLD));
        assertFalse(set.pauses(TicketStatus.OPEN));
        assertEquals(ReopenMode.RESUME, set.onReopen());
        assertEquals(List.of(WarningThreshold.parse("75%")), set.warnings());
        assertEquals(Set.of(Metric.values()), set.targetedMetrics());
        assertEquals(FILE, set.origin());
    }

    @Test
    void omittedSettingsTakeTheirDefaults() throws Exception {
        PolicySet set = PolicyFileParser.parse(FILE, """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: always
                    targets: { resolution: 1h30m }
                """);

        assertEquals(Set.of(TicketStatus.WAITING_ON_CUSTOMER), set.pauseStatuses());
        assertEquals(ReopenMode.RESUME, set.onReopen());
        assertEquals(List.of(WarningThreshold.parse("75%")), set.warnings());
        assertEquals(Set.of(Metric.RESOLUTION), set.targetedMetrics());
        assertEquals(5400L, set.policies().get(0).targetSeconds(Metric.RESOLUTION));
        assertSame(PolicyCondition.ALWAYS, set.policies().get(0).when());
        assertEquals(Selection.MOST_AGGRESSIVE, set.selection());
    }

    @Test
    void settingsOtherThanTheDefaultsAreRead() throws Exception {
        PolicySet set = PolicyFileParser.parse(FILE, """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: 45s, next_response: 30m }
                pause_statuses: on_hold
                on_reopen: restart
                warnings: ["50%", "87.5%", "-15m"]
                selection: first_match
                """);

        assertEquals(Selection.FIRST_MATCH, set.selection());
        assertEquals(Set.of(TicketStatus.ON_HOLD), set.pauseStatuses(), "a single status without brackets");
        assertFalse(set.pauses(TicketStatus.WAITING_ON_CUSTOMER));
        assertEquals(ReopenMode.RESTART, set.onReopen());
        assertEquals(List.of(1800L, 3150L, 2700L),
                set.warnings().stream().map(w -> w.elapsedAt(3600)).collect(Collectors.toList()));
        assertEquals(Map.of(Metric.FIRST_RESPONSE, 45L, Metric.NEXT_RESPONSE, 1800L), set.policies().get(0).targets());
    }

    @Test
    void emptyPauseStatusesPauseNothing() throws Exception {
        PolicySet set = PolicyFileParser.parse(FILE, """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: always
                    targets: { resolution: 8h }
                pause_statuses: []
                """);

        assertEquals(Set.of(), set.pauseStatuses());
    }

    @Test
    void whenValuesMayBeWrittenWithOrWithoutBracketsAndMatchEveryListedField() throws Exception {
        PolicySet set = PolicyFileParser.parse(FILE, """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: vip
                    when: { priority: [urgent, high], tier: enterprise }
                    calendar: always
                    targets: { first_response: 1h }
                """);
        PolicyCondition when = set.policies().get(0).when();

        assertEquals(Map.of(Attribute.PRIORITY, FieldCondition.anyOf(Set.of("urgent", "high")),
                Attribute.TIER, FieldCondition.anyOf(Set.of("enterprise"))), when.fields());
        assertTrue(when.matches(null, ticket("urgent", "enterprise", null)));
        assertTrue(when.matches(null, ticket("high", "enterprise", "email")), "a field 'when' does not list matches anything");
        assertFalse(when.matches(null, ticket("normal", "enterprise", null)), "priority not listed");
        assertFalse(when.matches(null, ticket("urgent", "starter", null)), "tier not listed");
        assertFalse(when.matches(null, ticket("urgent", null, null)), "a ticket without a tier does not match a tier list");
        assertTrue(PolicyCondition.ALWAYS.matches(null, ticket(null, null, null)));
    }

    /** Attribute values indexed by {@link Attribute#ordinal()}, as {@link PolicyCondition#matches} takes them. */
    private static String[] ticket(String priority, String tier, String channel) {
        String[] values = new String[Attribute.values().length];
        values[Attribute.PRIORITY.ordinal()] = priority;
        values[Attribute.TIER.ordinal()] = tier;
        values[Attribute.CHANNEL.ordinal()] = channel;
        return values;
    }

    @Test
    void holidayCountryNoIsNorwayNotTheYamlBooleanFalse() throws Exception {
        PolicySet set = PolicyFileParser.parse(FILE, """
                calendars:
                  oslo:
                    zone: UTC
                    week: 24x7
                    holiday_country: NO
                policies:
                  - name: everyone
                    calendar: oslo
                    targets: { resolution: 8h }
                """);
        BusinessCalendar oslo = set.calendars().get("oslo");

        // 17 May is Norway's Constitution Day; 16 May 2026 is an ordinary Saturday.
        assertEquals(0, oslo.businessSeconds(Instant.parse("2026-05-17T00:00:00Z"), Instant.parse("2026-05-18T00:00:00Z")));
        assertEquals(86_400, oslo.businessSeconds(Instant.parse("2026-05-16T00:00:00Z"), Instant.parse("2026-05-17T00:00:00Z")));
    }

    @Test
    void crlfLineEndingsAndAByteOrderMarkDoNotShiftLines() {
        String yaml = """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: 4x }   # line 6
                """;

        assertProblem(rejected(yaml.replace("\n", "\r\n")), 6, "'4x' is not a duration");
        assertProblem(rejected("\uFEFF" + yaml), 6, "'4x' is not a duration");
    }

    // ---- rejections: one mistake each ---------------------------------------------------------------

    @Test
    void unknownCalendar() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: berln                    # line 5
                    targets: { first_response: 1h }
                """);

        assertOnlyProblem(e, 5, "policy 'everyone'", "unknown calendar 'berln'", "known: always");
    }

    @Test
    void missingCalendar() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone                     # line 4
                    targets: { first_response: 1h }
                """);

        assertOnlyProblem(e, 4, "policy 'everyone' needs a 'calendar'", "always");
    }

    @Test
    void unknownMetric() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: always
                    targets:
                      first_response: 1h
                      first_reply: 2h                  # line 8
                """);

        assertOnlyProblem(e, 8, "unknown metric 'first_reply'",
                "first_response, next_response, periodic_update, resolution");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            5d    | is not a duration such as 45s, 30m, 4h or 1h30m (there is no 'd': write hours
            90    | is not a duration such as 45s, 30m, 4h or 1h30m (say the unit: 30m, 4h, 45s)
            abc   | is not a duration such as 45s, 30m, 4h or 1h30m
            0m    | must be longer than zero
            1.5h  | is not a duration such as 45s, 30m, 4h or 1h30m
            """)
    void badDuration(String duration, String expected) {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: %s }    # line 6
                """.formatted(duration));

        assertOnlyProblem(e, 6, "policy 'everyone': target of first_response: ", "'" + duration + "'", expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            25:00-26:00 | starts at an impossible time 25:00
            09:00-24:30 | ends at an impossible time 24:30
            09:60-17:00 | starts at an impossible time 09:60
            9am-5pm     | is not an interval of the form HH:MM-HH:MM
            9:00-17:00  | is not an interval of the form HH:MM-HH:MM
            09:00-09:00 | is empty
            """)
    void impossibleOpeningHours(String interval, String expected) {
        InvalidPolicyException e = rejected("""
                calendars:
                  office:
                    zone: Europe/Berlin
                    week:
                      mon: ["09:00-17:00"]
                      tue: ["%s"]                      # line 6
                policies:
                  - name: everyone
                    calendar: office
                    targets: { first_response: 4h }
                """.formatted(interval));

        assertProblem(e, 6, "calendar 'office', tue: '" + interval + "' " + expected);
    }

    @Test
    void badIntervalInABlockListIsReportedOnItsOwnLine() {
        InvalidPolicyException e = rejected("""
                calendars:
                  office:
                    zone: Europe/Berlin
                    week:
                      mon:
                        - 09:00-12:00
                        - 13:00-25:00                  # line 7
                policies:
                  - name: everyone
                    calendar: office
                    targets: { first_response: 4h }
                """);

        assertProblem(e, 7, "calendar 'office', mon: '13:00-25:00' ends at an impossible time 25:00");
    }

    @Test
    void emptyPoliciesList() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies: []                           # line 3
                """);

        assertOnlyProblem(e, 3, "'policies' must be a non-empty list of policies, found an empty list");
    }

    @Test
    void noPoliciesAtAll() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                """);

        assertOnlyProblem(e, 1, "no 'policies'");
    }

    @Test
    void duplicatePolicyNameNamesTheFirstLine() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: standard                     # line 4
                    calendar: always
                    targets: { first_response: 4h }
                  - name: standard                     # line 7
                    calendar: always
                    targets: { resolution: 8h }
                """);

        assertOnlyProblem(e, 7, "policy name 'standard' is already used on line 4");
    }

    @ParameterizedTest(name = "week: {0}")
    @ValueSource(strings = {"{}", "{ sat: [], sun: [] }", "{ mon: [] }"})
    void calendarThatIsNeverOpen(String week) {
        InvalidPolicyException e = rejected("""
                calendars:
                  closed:
                    zone: UTC
                    week: %s                           # line 4
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: 4h }
                """.formatted(week));

        assertOnlyProblem(e, 4, "calendar 'closed' is never open", "no opening hours");
    }

    @Test
    void weekThatIsNeither24x7NorAMapping() {
        InvalidPolicyException e = rejected("""
                calendars:
                  office:
                    zone: UTC
                    week: 24/7                         # line 4
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: 4h }
                """);

        assertOnlyProblem(e, 4, "calendar 'office'", "'week' must be 24x7 or a mapping of days", "'24/7'");
    }

    @Test
    void unknownTimeZone() {
        InvalidPolicyException e = rejected("""
                calendars:
                  office:
                    zone: Europe/Berln                 # line 3
                    week: 24x7
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: 4h }
                """);

        assertOnlyProblem(e, 3, "calendar 'office': unknown time zone 'Europe/Berln'", "IANA");
    }

    @Test
    void missingTimeZone() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                  office: { week: 24x7 }               # line 3
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: 4h }
                """);

        assertOnlyProblem(e, 3, "calendar 'office' has no 'zone'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            XX    | holiday_country 'XX' is not a country the holiday library knows
            DE-XX | the holiday library knows no subdivision 'XX' of DE
            --    | holiday_country '--' is not a country the holiday library knows
            DE-   | the holiday library knows no subdivision '' of DE
            """)
    void unknownHolidayCountry(String country, String expected) {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                  office:
                    zone: Europe/Berlin
                    holiday_country: %s                # line 5
                    week: 24x7
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: 4h }
                """.formatted(country));

        assertOnlyProblem(e, 5, "calendar 'office'", expected);
    }

    @Test
    void holidayThatIsNotADate() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                  office:
                    zone: Europe/Berlin
                    week: 24x7
                    holidays:
                      - 2026-12-24
                      - 2026-02-30                     # line 8
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: 4h }
                """);

        assertOnlyProblem(e, 8, "calendar 'office': holiday '2026-02-30' is not a date");
    }

    @Test
    void unknownDayKey() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                  office:
                    zone: Europe/Berlin
                    week:
                      mon: ["09:00-17:00"]
                      tues: ["09:00-17:00"]            # line 7
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: 4h }
                """);

        assertOnlyProblem(e, 7, "calendar 'office': unknown day 'tues'", "mon, tue, wed, thu, fri, sat, sun");
    }

    @Test
    void unknownTopLevelKey() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: 4h }
                escalate: []                           # line 7
                """);

        assertOnlyProblem(e, 7, "unknown key 'escalate'",
                "expected one of calendars, policies, pause_statuses, on_reopen, warnings, escalations, selection");
    }

    @Test
    void unknownKeyInACalendar() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always:
                    zone: UTC
                    week: 24x7
                    region: eu                         # line 5
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: 4h }
                """);

        assertProblem(e, 5, "calendar 'always': unknown key 'region'", "zone, week, holidays, holiday_country");
    }

    @Test
    void unknownKeyInAPolicy() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: always
                    colour: red                        # line 6
                    targets: { first_response: 4h }
                """);

        assertOnlyProblem(e, 6, "policy 'everyone': unknown key 'colour'", "name, when, calendar, targets");
    }

    @Test
    void duplicateMappingKey() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always:
                    zone: UTC
                    week: 24x7
                    zone: Europe/Berlin                # line 5
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: 4h }
                """);

        assertOnlyProblem(e, 5, "key 'zone' appears twice in the same mapping");
    }

    @Test
    void duplicateTargetKey() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: always
                    targets:
                      resolution: 8h
                      resolution: 4h                   # line 8
                """);

        assertOnlyProblem(e, 8, "key 'resolution' appears twice");
    }

    @ParameterizedTest(name = "line {1}: {0}")
    @CsvSource(delimiter = '|', textBlock = """
            'on_reopen: resume: x'                                            | 7 | mapping values are not allowed here
            'on_reopen: @resume'                                              | 7 | cannot start any token
            'warnings: ["75%"'                                                | 7 | while parsing a flow sequence
            """)
    void invalidYamlSyntax(String line7, int line, String expected) {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: 4h }
                %s
                """.formatted(line7));

        assertOnlyProblem(e, line, "not valid YAML", expected);
    }

    @Test
    void invalidYamlSyntaxInTheMiddleOfTheFile() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                     calendar: always                  # line 5
                    targets: { first_response: 4h }
                """);

        assertOnlyProblem(e, 5, "not valid YAML", "mapping values are not allowed here");
    }

    @Test
    void tabIndentationIsReportedOnItsOwnLine() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                \tcalendar: always
                    targets: { first_response: 4h }
                """);

        assertOnlyProblem(e, 5, "not valid YAML", "TAB");
    }

    @Test
    void fileThatIsNotAMapping() {
        InvalidPolicyException e = rejected("""
                - calendars
                - policies
                """);

        assertOnlyProblem(e, 1, "the file must be a mapping with 'calendars' and 'policies', found a list");
    }

    @Test
    void twoYamlDocuments() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: 4h }
                ---
                on_reopen: restart                     # line 8
                """);

        assertProblem(e, 8, "a second YAML document");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"resolved", "closed"})
    void pauseStatusThatEndsTheTicket(String status) {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: 4h }
                pause_statuses:
                  - waiting_on_customer
                  - %s                                 # line 9
                """.formatted(status));

        assertOnlyProblem(e, 9, "pause_statuses: '" + status + "' cannot pause a clock");
    }

    @Test
    void unknownPauseStatus() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: 4h }
                pause_statuses: [waiting]              # line 7
                """);

        assertOnlyProblem(e, 7, "pause_statuses: unknown status 'waiting'", "waiting_on_customer");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"restrt", "Restart", "[resume]"})
    void badOnReopen(String value) {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: 4h }
                on_reopen: %s                          # line 7
                """.formatted(value));

        assertOnlyProblem(e, 7, "on_reopen must be 'resume' or 'restart', found ");
    }

    @Test
    void selectionMostAggressiveMayBeWrittenOut() throws Exception {
        PolicySet set = PolicyFileParser.parse(FILE, """
                selection: most_aggressive
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: 4h }
                """);

        assertEquals(Selection.MOST_AGGRESSIVE, set.selection());
    }

    @ParameterizedTest(name = "selection: {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            first-match     | 'first-match'
            First_Match     | 'First_Match'
            most-aggressive | 'most-aggressive'
            [first_match]   | a list
            {}              | a mapping
            ""              | ''
            """)
    void badSelectionNamesTheFileTheLineAndTheAllowedValues(String value, String found) {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: 4h }
                selection: %s
                """.formatted(value));

        PolicyProblem p = assertOnlyProblem(e, 7, "selection must be one of most_aggressive, first_match, found " + found);
        assertEquals(FILE + ":7: " + p.message(), p.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            +1h     | neither a share of the target ("75%") nor a time before the due instant ("-15m")
            150%    | must be a share above 0% and at most 100%
            0%      | must be a share above 0% and at most 100%
            """)
    void badWarning(String warning, String expected) {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: 4h }
                warnings:
                  - "75%%"
                  - "%s"                               # line 9
                """.formatted(warning));

        assertOnlyProblem(e, 9, "warnings: warning '" + warning + "'", expected);
    }

    @Test
    void warningLeadTimeInDays() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: 4h }
                warnings: ["-5d"]                      # line 7
                """);

        // The message quotes the duration after the minus sign: '5d'.
        assertOnlyProblem(e, 7, "warnings: warning '-5d'", "is not a duration", "there is no 'd'");
    }

    @Test
    void unknownWhenField() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: billing
                    when:
                      team: billing                    # line 6
                    calendar: always
                    targets: { first_response: 4h }
                """);

        assertOnlyProblem(e, 6, "policy 'billing': 'when' cannot match on 'team'",
                "priority, tier, channel, category, account, source");
    }

    @Test
    void unknownPriorityInWhen() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: hot
                    when:
                      priority:
                        - urgent
                        - critical                     # line 8
                    calendar: always
                    targets: { first_response: 1h }
                """);

        assertOnlyProblem(e, 8, "policy 'hot': unknown priority 'critical'", "urgent, high, normal, low");
    }

    @Test
    void whenFieldWithoutValues() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: nobody
                    when: { tier: [] }                 # line 5
                    calendar: always
                    targets: { first_response: 1h }
                """);

        assertOnlyProblem(e, 5, "policy 'nobody': when.tier lists no value");
    }

    @Test
    void everyBadWhenFieldIsReported() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: hot
                    when:
                      priority: critical               # line 6
                      tier: []                         # line 7
                    calendar: always
                    targets: { first_response: 1h }
                """);

        assertEquals(2, e.problems().size(), () -> "expected two problems, got:\n" + e.getMessage());
        assertProblem(e, 6, "unknown priority 'critical'");
        assertProblem(e, 7, "when.tier lists no value");
    }

    @Test
    void policyWithoutTargets() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: empty
                    calendar: always
                    targets: {}                        # line 6
                """);

        assertOnlyProblem(e, 6, "policy 'empty' needs 'targets'");
    }

    @Test
    void emptyFileIsAProblemOfTheWholeFile() {
        InvalidPolicyException e = rejected("");

        PolicyProblem p = assertOnlyProblem(e, 0, "the file is empty");
        assertEquals(FILE + ": " + p.message(), p.toString(), "no line number for the whole file");
    }

    // ---- several mistakes, and how problems name the file -------------------------------------------

    @Test
    void threeIndependentMistakesAreAllReported() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: always
                    targets: { first_response: 4h, first_reply: 2h }   # line 6
                on_reopen: reopen                                      # line 7
                escalate_to: boss                                      # line 8
                """);

        assertEquals(3, e.problems().size(), () -> "expected three problems, got " + e.problems());
        assertProblem(e, 6, "unknown metric 'first_reply'");
        assertProblem(e, 7, "on_reopen must be 'resume' or 'restart', found 'reopen'");
        assertProblem(e, 8, "unknown key 'escalate_to'");
    }

    @Test
    void problemsNameTheFileAndLineLikeACompiler() {
        InvalidPolicyException e = rejected("""
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: everyone
                    calendar: berln
                    targets: { first_response: 4h }
                """);

        PolicyProblem p = e.problems().get(0);
        assertEquals(FILE, p.file());
        assertEquals(5, p.line());
        assertEquals(FILE + ":5: " + p.message(), p.toString());
        assertTrue(e.getMessage().startsWith("ops/sla.yaml:5: policy 'everyone': unknown calendar 'berln'"), e.getMessage());
    }

    @Test
    void parsingAPathNamesThePath(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, SPEC_EXAMPLE, StandardCharsets.UTF_8);
        assertEquals(3, PolicyFileParser.parse(good).policies().size());
        assertEquals(good.toString(), PolicyFileParser.parse(good).origin());

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, SPEC_EXAMPLE.replace("on_reopen: resume", "on_reopen: never"), StandardCharsets.UTF_8);
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyFileParser.parse(bad));
        PolicyProblem p = assertOnlyProblem(e, 31, "on_reopen must be 'resume' or 'restart', found 'never'");
        assertEquals(bad.toString(), p.file());
    }

    @Test
    void unreadablePathIsAProblemOfTheWholeFile(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing.yaml");

        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyFileParser.parse(missing));

        PolicyProblem p = assertOnlyProblem(e, 0, "no such file");
        assertEquals(missing.toString(), p.file());
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static InvalidPolicyException rejected(String yaml) {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyFileParser.parse(FILE, yaml));
        for (PolicyProblem p : e.problems()) {
            assertEquals(FILE, p.file(), "every problem names the file");
        }
        return e;
    }


}
