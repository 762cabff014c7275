package io.slabridge.core.policy;

import static io.slabridge.core.policy.PolicyProblemAssertions.assertOnlyProblem;
import static io.slabridge.core.policy.PolicyProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.escalation.EscalationAction;
import io.slabridge.core.escalation.EscalationAction.Comment;
import io.slabridge.core.escalation.EscalationAction.Notify;
import io.slabridge.core.escalation.EscalationAction.SetPriority;
import io.slabridge.core.escalation.EscalationAction.Visibility;
import io.slabridge.core.escalation.EscalationStep;
import io.slabridge.core.escalation.StepContext;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.Priority;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The escalation ladder of the policy file (docs/explanation/sla-semantics.md, "Escalation ladder"). As in
 * {@link PolicyFileParserTest}, the YAML of each test is a text block whose first line is line 1, and the
 * lines a test expects a problem on carry a {@code # line N} comment. Lines 1 and 2 are a minimal calendar
 * and policy in flow style, so the ladder starts on line 3.
 */
class EscalationParsingTest {
    private static final String FILE = "ops/sla.yaml";
    private static final long ONE_HOUR = 3600;

    // ---- a valid ladder -----------------------------------------------------------------------------

    private static final String LADDER = """
            calendars: { always: { zone: UTC, week: 24x7 } }
            policies: [ { name: everyone, calendar: always, targets: { first_response: 1h, resolution: 8h } } ]
            escalations:
              - name: first-warning
                at: "75%"
                metrics: [first_response]
                actions:
                  - comment: { visibility: internal, text: "SLA {metric} on {ticket} is due {due} ({policy})" }
              - name: almost-due
                at: "-15m"
                metrics: [first_response, resolution]
                actions:
                  - comment: { visibility: public, text: "We are on it: {title}" }
                  - notify: { to: [lead@example.com, ops@example.com], text: "{ticket}: {remaining} left" }
              - name: breached
                at: breach
                actions:
                  - notify: { to: lead@example.com }
                  - comment: { text: "Breached: {metric} of {ticket} (cycle {cycle}, step {step}, {status})" }
              - name: an-hour-late
                at: "+1h"
                metrics: resolution
                actions:
                  - set_priority: urgent
                  - notify:
                      to:
                        - head@example.com
                      text: >
                        {ticket} is an hour past its {metric} target.
            """;

    @Test
    void aFullLadderParsesIntoStepsInFileOrder() throws Exception {
        List<EscalationStep> steps = PolicyFileParser.parse(FILE, LADDER).escalations();

        assertEquals(List.of("first-warning", "almost-due", "breached", "an-hour-late"),
                steps.stream().map(EscalationStep::name).collect(Collectors.toList()));
        assertEquals(List.of("75%", "-15m", "breach", "+1h"),
                steps.stream().map(s -> s.at().toString()).collect(Collectors.toList()));
    }

    @Test
    void thresholdsArePointsOnTheElapsedClock() throws Exception {
        List<EscalationStep> steps = PolicyFileParser.parse(FILE, LADDER).escalations();

        assertEquals(List.of(2700L, 2700L, 3600L, 7200L),
                steps.stream().map(s -> s.at().elapsedAt(ONE_HOUR)).collect(Collectors.toList()));
        assertEquals(List.of(false, false, true, false),
                steps.stream().map(s -> s.at().firesAfterReaching()).collect(Collectors.toList()),
                "only 'breach' fires one second after the instant it reaches");
    }

    @Test
    void metricsAreOneValueOrAListAndDefaultToAll() throws Exception {
        List<EscalationStep> steps = PolicyFileParser.parse(FILE, LADDER).escalations();

        assertEquals(Set.of(Metric.FIRST_RESPONSE), steps.get(0).metrics());
        assertEquals(Set.of(Metric.FIRST_RESPONSE, Metric.RESOLUTION), steps.get(1).metrics());
        assertEquals(Set.of(), steps.get(2).metrics(), "no 'metrics': empty, which means all");
        for (Metric m : Metric.values()) {
            assertTrue(steps.get(2).appliesTo(m), m::toString);
        }
        assertEquals(Set.of(Metric.RESOLUTION), steps.get(3).metrics(), "a single value without brackets");
        assertFalse(steps.get(3).appliesTo(Metric.FIRST_RESPONSE));
    }

    @Test
    void actionsKeepTheirOrderAndFields() throws Exception {
        List<EscalationStep> steps = PolicyFileParser.parse(FILE, LADDER).escalations();

        assertEquals(List.of(new Comment(Visibility.INTERNAL, "SLA {metric} on {ticket} is due {due} ({policy})")),
                steps.get(0).actions());
        assertEquals(List.<EscalationAction>of(
                new Comment(Visibility.PUBLIC, "We are on it: {title}"),
                new Notify(List.of("lead@example.com", "ops@example.com"), "{ticket}: {remaining} left")),
                steps.get(1).actions());
        assertEquals(List.<EscalationAction>of(
                new SetPriority(Priority.URGENT),
                new Notify(List.of("head@example.com"), "{ticket} is an hour past its {metric} target.\n")),
                steps.get(3).actions(), "a block list of addresses and a folded text");
    }

    @Test
    void omittedVisibilityIsInternalAndOmittedNotifyTextIsTheDefault() throws Exception {
        List<EscalationAction> actions = PolicyFileParser.parse(FILE, LADDER).escalations().get(2).actions();

        assertEquals(List.<EscalationAction>of(
                new Notify(List.of("lead@example.com"), PolicyFileParser.DEFAULT_NOTIFY_TEXT),
                new Comment(Visibility.INTERNAL, "Breached: {metric} of {ticket} (cycle {cycle}, step {step}, {status})")),
                actions);
        assertEquals("SLA {condition}: {metric} of {ticket} ({title}) is due {due} under policy {policy}.",
                PolicyFileParser.DEFAULT_NOTIFY_TEXT);
        assertEquals(List.of(), StepContext.unknownNames(PolicyFileParser.DEFAULT_NOTIFY_TEXT),
                "the default text uses known names only");
    }

    @Test
    void everyPriorityCanBeSet() throws Exception {
        PolicySet set = PolicyFileParser.parse(FILE, """
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: all
                    at: breach
                    actions: [ set_priority: urgent, set_priority: high, set_priority: normal, set_priority: low ]
                """);

        assertEquals(List.of(new SetPriority(Priority.URGENT), new SetPriority(Priority.HIGH),
                new SetPriority(Priority.NORMAL), new SetPriority(Priority.LOW)), set.escalations().get(0).actions());
    }

    @Test
    void aFileWithoutEscalationsHasAnEmptyLadder() throws Exception {
        PolicySet set = PolicyFileParser.parse(FILE, """
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                """);

        assertEquals(List.of(), set.escalations());
    }

    @Test
    void anEmptyListIsAnEmptyLadder() throws Exception {
        PolicySet set = PolicyFileParser.parse(FILE, """
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations: []
                """);

        assertEquals(List.of(), set.escalations());
    }

    @Test
    void theQuickstartExampleParsesWithItsThreeStepLadder() throws Exception {
        Path example = Path.of("../examples/quickstart/sla.yaml"); // from the module directory, where Maven runs tests
        assertTrue(Files.isRegularFile(example), () -> "not found: " + example.toAbsolutePath());

        List<EscalationStep> steps = PolicyFileParser.parse(example).escalations();

        assertEquals(List.of("75%", "breach", "+2h"), steps.stream().map(s -> s.at().toString()).collect(Collectors.toList()));
        assertEquals(List.of(Comment.class), classes(steps.get(0)));
        assertEquals(Visibility.INTERNAL, ((Comment) steps.get(0).actions().get(0)).visibility());
        assertEquals(List.of(Comment.class, Notify.class), classes(steps.get(1)));
        assertEquals(new Notify(List.of("team-lead@example.com"), PolicyFileParser.DEFAULT_NOTIFY_TEXT),
                steps.get(1).actions().get(1));
        assertEquals(List.of(SetPriority.class, Notify.class), classes(steps.get(2)));
        assertEquals(new SetPriority(Priority.URGENT), steps.get(2).actions().get(0));
        assertEquals(List.of("head-of-support@example.com"), ((Notify) steps.get(2).actions().get(1)).to());
        assertTrue(steps.stream().allMatch(s -> s.metrics().isEmpty()), "every step applies to every metric");
    }

    private static List<Class<?>> classes(EscalationStep step) {
        return step.actions().stream().map(Object::getClass).collect(Collectors.toList());
    }

    // ---- rejections: one mistake each ---------------------------------------------------------------

    @Test
    void escalationsThatAreNotAList() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  first-warning: { at: "75%" }              # line 4
                """);

        assertOnlyProblem(e, 4, "'escalations' must be a list of steps", "found a mapping");
    }

    @Test
    void aStepThatIsNotAMapping() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - first-warning                           # line 4
                """);

        assertOnlyProblem(e, 4, "escalation step 1 must be a mapping with 'name', 'at' and 'actions'",
                "found 'first-warning'");
    }

    @Test
    void unknownKeyInAStep() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: "75%"
                    metric: first_response                  # line 6
                    actions: [ set_priority: high ]
                """);

        assertOnlyProblem(e, 6, "escalation 'first-warning': unknown key 'metric'",
                "expected one of name, at, metrics, actions");
    }

    @Test
    void unknownKeyInAComment() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: "75%"
                    actions:
                      - comment:
                          text: "Due {due}"
                          author: sla-bot                   # line 9
                """);

        assertOnlyProblem(e, 9, "escalation 'first-warning', comment: unknown key 'author'",
                "expected one of visibility, text");
    }

    @Test
    void unknownKeyInANotify() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: "75%"
                    actions:
                      - notify: { to: lead@example.com, cc: ops@example.com }   # line 7
                """);

        assertOnlyProblem(e, 7, "escalation 'first-warning', notify: unknown key 'cc'", "expected one of to, text");
    }

    @Test
    void missingName() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: "75%"
                    actions: [ set_priority: high ]
                  - at: breach                              # line 7
                    actions: [ set_priority: urgent ]
                """);

        assertOnlyProblem(e, 7, "escalation step 2 needs a 'name'", "unique");
    }

    @Test
    void blankName() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: ""                                # line 4
                    at: breach
                    actions: [ set_priority: urgent ]
                """);

        assertOnlyProblem(e, 4, "escalation step 1 needs a 'name'");
    }

    @Test
    void missingAt() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning                     # line 4
                    actions: [ set_priority: high ]
                """);

        assertOnlyProblem(e, 4, "escalation 'first-warning' needs 'at'", "\"75%\"", "\"-15m\"", "\"breach\"", "\"+1h\"");
    }

    @Test
    void missingActions() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning                     # line 4
                    at: "75%"
                """);

        assertOnlyProblem(e, 4, "escalation 'first-warning' needs 'actions'", "comment, notify, set_priority");
    }

    @Test
    void aStepNameLongerThanTheStoreKeepsIsRefused() {
        String name = "x".repeat(201);
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: %s
                    at: "75%%"
                    actions: [ set_priority: high ]
                """.formatted(name));

        assertOnlyProblem(e, 4, "escalation step 1: the name has 201 characters; at most 200");
    }

    @Test
    void duplicateStepNameNamesTheFirstLine() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: nudge                             # line 4
                    at: "75%"
                    actions: [ set_priority: high ]
                  - name: nudge                             # line 7
                    at: breach
                    actions: [ set_priority: urgent ]
                """);

        assertOnlyProblem(e, 7, "escalation 'nudge': the name is already used", "line 4");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            later   | step threshold 'later' is none of "75%", "-15m", "breach", "+1h"
            75      | step threshold '75' is none of
            Breach  | step threshold 'Breach' is none of
            150%    | step threshold '150%' must be a share above 0% and at most 100%
            0%      | step threshold '0%' must be a share above 0% and at most 100%
            -5d     | step threshold '-5d': the time before the due instant is not a duration such as 45s, 30m, 4h or 1h30m (there is no 'd'
            -0m     | step threshold '-0m': the time before the due instant must be longer than zero
            +0m     | step threshold '+0m': the time after the breach must be longer than zero
            +1.5h   | step threshold '+1.5h': the time after the breach is not a duration such as 45s, 30m, 4h or 1h30m
            """)
    void badThreshold(String threshold, String expected) {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: "%s"                                # line 5
                    actions: [ set_priority: high ]
                """.formatted(threshold));

        assertOnlyProblem(e, 5, "escalation 'first-warning': " + expected);
    }

    @Test
    void thresholdThatIsNotText() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: ["75%", breach]                     # line 5
                    actions: [ set_priority: high ]
                """);

        assertOnlyProblem(e, 5, "escalation 'first-warning': 'at' must be one of", "found a list");
    }

    @Test
    void unknownMetricInAList() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: "75%"
                    metrics:
                      - first_response
                      - first_reply                         # line 8
                    actions: [ set_priority: high ]
                """);

        assertOnlyProblem(e, 8, "escalation 'first-warning': unknown metric 'first_reply'",
                "metrics: first_response, next_response, periodic_update, resolution");
    }

    @Test
    void unknownMetricAsASingleValue() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: "75%"
                    metrics: all                            # line 6
                    actions: [ set_priority: high ]
                """);

        assertOnlyProblem(e, 6, "escalation 'first-warning': unknown metric 'all'", "first_response");
    }

    @Test
    void anEmptyMetricsListIsAMistakeNotAll() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: "75%"
                    metrics: []                             # line 6
                    actions: [ set_priority: high ]
                """);

        assertOnlyProblem(e, 6, "escalation 'first-warning': 'metrics' lists no metric", "leave it out for all");
    }

    @Test
    void emptyActions() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: "75%"
                    actions: []                             # line 6
                """);

        assertOnlyProblem(e, 6, "escalation 'first-warning': 'actions' is empty", "at least one of comment, notify, set_priority");
    }

    @Test
    void unknownKindOfAction() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: "75%"
                    actions:
                      - set-priority: high                  # line 7
                """);

        assertOnlyProblem(e, 7, "escalation 'first-warning': unknown action 'set-priority'",
                "actions: comment, notify, set_priority");
    }

    @Test
    void twoKindsInOneAction() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: "75%"
                    actions:
                      - set_priority: high
                        notify: { to: lead@example.com }    # line 8
                """);

        assertOnlyProblem(e, 8, "escalation 'first-warning': an action is exactly one of comment, notify, set_priority",
                "found set_priority and notify together", "its own '-' item");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            set_priority        | an action must be a mapping with one of comment, notify, set_priority, assign, slack, teams (e.g. - set_priority: urgent), found 'set_priority'
            '{}'                | an action needs one of comment, notify, set_priority
            '[comment, notify]' | an action must be a mapping with one of comment, notify, set_priority, assign, slack, teams (e.g. - set_priority: urgent), found a list
            """)
    void actionThatIsNoneOfTheKinds(String action, String expected) {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: breach
                    actions:
                      - %s                                  # line 7
                """.formatted(action));

        assertOnlyProblem(e, 7, "escalation 'first-warning': " + expected);
    }

    @Test
    void badVisibility() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: "75%"
                    actions:
                      - comment:
                          visibility: private               # line 8
                          text: "Due {due}"
                """);

        assertOnlyProblem(e, 8, "escalation 'first-warning', comment: visibility must be 'internal'", "or 'public'",
                "found 'private'");
    }

    @Test
    void missingCommentText() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: "75%"
                    actions:
                      - comment: { visibility: public }     # line 7
                """);

        assertOnlyProblem(e, 7, "escalation 'first-warning': a comment needs a 'text'", "{ticket}", "{due}");
    }

    @Test
    void missingCommentTextInBlockStyleIsOnTheLineOfComment() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: "75%"
                    actions:
                      - comment:                            # line 7
                          visibility: public
                """);

        assertOnlyProblem(e, 7, "escalation 'first-warning': a comment needs a 'text'");
    }

    @Test
    void commentThatIsNotAMapping() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: "75%"
                    actions:
                      - comment: "Due {due}"                # line 7
                """);

        assertOnlyProblem(e, 7, "escalation 'first-warning': 'comment' must be a mapping with 'text'",
                "found 'Due {due}'");
    }

    @Test
    void emptyText() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: "75%"
                    actions:
                      - notify: { to: lead@example.com, text: " " }   # line 7
                """);

        assertOnlyProblem(e, 7, "escalation 'first-warning', notify: 'text' is empty");
    }

    @Test
    void unquotedTextThatStartsWithABraceIsAMappingInYaml() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: "75%"
                    actions:
                      - comment:
                          text: {ticket}                    # line 8
                """);

        assertOnlyProblem(e, 8, "escalation 'first-warning', comment: 'text' must be text, found a mapping",
                "quote a text that starts with '{'");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lead-at-example.com", "lead@", "@example.com", "lead@example.com, ops@example.com",
            "lead@ex@ample.com"})
    void invalidEmailAddress(String address) {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: breach
                    actions:
                      - notify:
                          to:
                            - ops@example.com
                            - "%s"                          # line 10
                """.formatted(address));

        assertOnlyProblem(e, 10, "escalation 'first-warning', notify: '" + address + "' is not an e-mail address");
    }

    @Test
    void notifyWithoutAddresses() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: "75%"
                    actions:
                      - notify: { text: "Due {due}" }       # line 7
                      - notify: { to: [] }                  # line 8
                """);

        assertEquals(2, e.problems().size(), e::getMessage);
        assertProblem(e, 7, "escalation 'first-warning': notify needs 'to'", "one e-mail address or a list");
        assertProblem(e, 8, "escalation 'first-warning', notify: 'to' lists no address");
    }

    @Test
    void unknownPriority() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: "75%"
                    actions:
                      - set_priority: critical              # line 7
                """);

        assertOnlyProblem(e, 7, "escalation 'first-warning', set_priority: unknown priority 'critical'",
                "priorities: urgent, high, normal, low");
    }

    @Test
    void unknownPlaceholderInACommentNamesTheKnownOnes() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: "75%"
                    actions:
                      - comment: { text: "SLA {metric} of {foo} is due {due}" }   # line 7
                """);

        assertOnlyProblem(e, 7, "escalation 'first-warning', comment: unknown placeholder {foo} (known: "
                + "{condition}, {cycle}, {due}, {metric}, {policy}, {remaining}, {status}, {step}, {ticket}, {title})");
    }

    @Test
    void unknownPlaceholdersInANotifyAreListedOnce() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: first-warning
                    at: "75%"
                    actions:
                      - notify:
                          to: lead@example.com
                          text: "{Ticket} {due_at} {Ticket} {ticket}"   # line 9
                """);

        assertOnlyProblem(e, 9, "escalation 'first-warning', notify: unknown placeholders {Ticket}, {due_at} (known: ");
    }

    // ---- several mistakes ---------------------------------------------------------------------------

    @Test
    void everyProblemOfEveryStepIsReportedInLineOrder() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h, first_reply: 2h } } ]   # line 2
                escalations:
                  - name: nudge
                    at: "75"                                # line 5
                    metrics: [first_response, resolutoin]   # line 6
                    actions:
                      - comment: { visibility: secret, text: "{foo}" }   # line 8
                      - notify: { to: lead }                # line 9
                      - set_priority: critical              # line 10
                  - name: nudge                             # line 11
                    at: breach
                    actions: []                             # line 13
                  - at: "+1h"                               # line 14
                    colour: red                             # line 15
                    actions: [ page: oncall ]               # line 16
                """);

        assertEquals(List.of(2, 5, 6, 8, 8, 9, 10, 11, 13, 14, 15, 16),
                e.problems().stream().map(PolicyProblem::line).collect(Collectors.toList()), e::getMessage);
        assertProblem(e, 2, "policy 'everyone': unknown metric 'first_reply'");
        assertProblem(e, 5, "escalation 'nudge': step threshold '75' is none of");
        assertProblem(e, 6, "escalation 'nudge': unknown metric 'resolutoin'");
        assertProblem(e, 9, "escalation 'nudge', notify: 'lead' is not an e-mail address");
        assertProblem(e, 10, "escalation 'nudge', set_priority: unknown priority 'critical'");
        assertProblem(e, 11, "escalation 'nudge': the name is already used by the step on line 4");
        assertProblem(e, 13, "escalation 'nudge': 'actions' is empty");
        assertProblem(e, 14, "escalation step 3 needs a 'name'");
        assertProblem(e, 15, "escalation step 3: unknown key 'colour'");
        assertProblem(e, 16, "escalation step 3: unknown action 'page'");
        List<String> line8 = e.problems().stream().filter(p -> p.line() == 8).map(PolicyProblem::message)
                .collect(Collectors.toList());
        assertTrue(line8.get(0).contains("visibility must be 'internal'"), line8::toString);
        assertTrue(line8.get(1).contains("unknown placeholder {foo}"), line8::toString);
    }

    @Test
    void aBadLadderIsReportedAlongsideOtherMistakesOfTheFile() {
        InvalidPolicyException e = rejected("""
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: nudge
                    at: soon                                # line 5
                    actions: [ set_priority: high ]
                on_reopen: reopen                           # line 7
                """);

        assertEquals(2, e.problems().size(), e::getMessage);
        assertProblem(e, 5, "escalation 'nudge': step threshold 'soon' is none of");
        assertProblem(e, 7, "on_reopen must be 'resume' or 'restart'");
    }

    // ---- helpers (as in PolicyFileParserTest) -------------------------------------------------------

    private static InvalidPolicyException rejected(String yaml) {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyFileParser.parse(FILE, yaml));
        for (PolicyProblem p : e.problems()) {
            assertEquals(FILE, p.file(), "every problem names the file");
        }
        return e;
    }


}
