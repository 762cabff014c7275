package io.slabridge.core.policy;

import static io.slabridge.core.policy.PolicyProblemAssertions.assertOnlyProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.escalation.EscalationAction;
import io.slabridge.core.escalation.EscalationAction.Slack;
import io.slabridge.core.escalation.EscalationAction.Teams;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chat actions of the escalation ladder, {@code slack} and {@code teams}: read strictly like the others, each
 * problem naming the line and the step. Lines 1 and 2 are a calendar and a policy; the ladder starts on line 3.
 */
class ChannelActionParsingTest {
    private static final String FILE = "ops/sla.yaml";
    private static final String HEAD = """
            calendars: { always: { zone: UTC, week: 24x7 } }
            policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]
            escalations:
              - name: late
                at: breach
                actions:
            """;

    private static List<EscalationAction> actions(String lines) throws InvalidPolicyException {
        return PolicyFileParser.parse(FILE, HEAD + under(lines)).escalations().get(0).actions();
    }

    private static InvalidPolicyException refused(String lines) {
        return assertThrows(InvalidPolicyException.class, () -> PolicyFileParser.parse(FILE, HEAD + under(lines)));
    }

    /** The action lines, placed under the step's {@code actions:}. */
    private static String under(String lines) {
        return lines.stripIndent().indent(4);
    }

    @Test
    void slackToAChannelToTheAssigneeAndTeamsToANamedWebhook() throws Exception {
        List<EscalationAction> actions = actions("""
                  - slack: { channel: "#support-escalations", text: "{ticket} is {condition}" }
                  - slack: { to: assignee }
                  - slack: { channel: C0123456789 }
                  - teams: { webhook: support-leads, text: "{metric} of {ticket}" }
                  - teams: { webhook: ops }
                """);
        assertEquals(new Slack("#support-escalations", "{ticket} is {condition}"), actions.get(0));
        Slack dm = (Slack) actions.get(1);
        assertTrue(dm.toAssignee());
        assertNull(dm.channel());
        assertEquals(PolicyFileParser.DEFAULT_ALERT_TEXT, dm.template(), "no text: the default");
        assertEquals("C0123456789", ((Slack) actions.get(2)).channel());
        assertEquals(new Teams("support-leads", "{metric} of {ticket}"), actions.get(3));
        assertEquals(new Teams("ops", PolicyFileParser.DEFAULT_ALERT_TEXT), actions.get(4));
    }

    @Test
    void slackNeedsAChannelOrTheAssignee() {
        assertOnlyProblem(refused("      - slack: { text: \"late\" }\n"), 7, "escalation 'late': slack needs 'channel'",
                "'to: assignee'");
    }

    @Test
    void slackTakesNotBothChannelAndAssignee() {
        assertOnlyProblem(refused("""
                  - slack:
                      channel: "#support"
                      to: assignee
                """), 9, "escalation 'late', slack: 'channel' and 'to' together");
    }

    @Test
    void slackToSomeoneElseIsRefused() {
        assertOnlyProblem(refused("      - slack: { to: lead@example.com }\n"), 7,
                "escalation 'late', slack: 'to' can only be 'assignee'", "lead@example.com");
    }

    @Test
    void aChannelNameOutsideSlacksRulesIsRefused() {
        assertOnlyProblem(refused("      - slack: { channel: \"#Support Escalations\" }\n"), 7,
                "escalation 'late', slack: channel must be \"#name\"", "Support Escalations");
        // Unquoted, YAML reads '#support' as a comment: the channel is empty.
        assertOnlyProblem(refused("      - slack:\n          channel: #support\n"), 8,
                "escalation 'late', slack: channel must be");
    }

    @Test
    void unknownKeysAndPlaceholdersAreNamed() {
        assertOnlyProblem(refused("      - slack: { channel: \"#s\", thread: yes }\n"), 7,
                "escalation 'late', slack: unknown key 'thread'", "expected one of channel, to, text");
        assertOnlyProblem(refused("      - teams: { webhook: ops, text: \"{ticket} {owner}\" }\n"), 7,
                "escalation 'late', teams: unknown placeholder {owner}");
    }

    @Test
    void teamsNeedsAWebhookName() {
        assertOnlyProblem(refused("      - teams: { text: \"late\" }\n"), 7, "escalation 'late': teams needs 'webhook'",
                "sla.teams.webhook.<name>");
        assertOnlyProblem(refused("      - teams: { webhook: \"https://example.webhook.office.com/x\" }\n"), 7,
                "escalation 'late', teams: webhook must be a name", "its URL is the setting sla.teams.webhook.<name>");
        assertOnlyProblem(refused("      - teams: ops\n"), 7, "escalation 'late': 'teams' must be a mapping");
    }

    @Test
    void theListOfActionsNamesTheChannels() {
        assertOnlyProblem(refused("      - telegram: { chat: x }\n"), 7,
                "unknown action 'telegram' (actions: comment, notify, set_priority, assign, slack, teams)");
    }
}
