package io.slabridge.core.policy;

import static io.slabridge.core.policy.PolicyProblemAssertions.assertOnlyProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.escalation.EscalationAction;
import io.slabridge.core.escalation.EscalationAction.Assign;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteBackJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code assign} action of the escalation ladder: read strictly like the others, each problem naming the file,
 * the line and the step; refused in a file whose policies time mailbox tickets only. Lines 1 and 2 are a calendar
 * and a policy; the ladder starts on line 3.
 */
class AssignActionParsingTest {
    private static final String FILE = "ops/sla.yaml";
    private static final String CALENDAR = "calendars: { always: { zone: UTC, week: 24x7 } }\n";
    private static final String EVERYONE = "policies: [ { name: everyone, calendar: always, targets: { first_response: 1h } } ]\n";
    private static final String LADDER = """
            escalations:
              - name: late
                at: breach
                actions:
            """;

    private static List<EscalationAction> actions(String lines) throws InvalidPolicyException {
        return PolicyFileParser.parse(FILE, CALENDAR + EVERYONE + LADDER + under(lines)).escalations().get(0).actions();
    }

    private static InvalidPolicyException refused(String lines) {
        return refused(EVERYONE, lines);
    }

    private static InvalidPolicyException refused(String policies, String lines) {
        return assertThrows(InvalidPolicyException.class,
                () -> PolicyFileParser.parse(FILE, CALENDAR + policies + LADDER + under(lines)));
    }

    private static String under(String lines) {
        return lines.stripIndent().indent(4);
    }

    @Test
    void assignToAnAddressOrAName() throws Exception {
        List<EscalationAction> actions = actions("""
                  - assign: { to: "lead@acme.example" }
                  - assign:
                      to: Tier 2 Queue
                """);
        assertEquals(new Assign("lead@acme.example"), actions.get(0));
        assertEquals(new Assign("Tier 2 Queue"), actions.get(1));
    }

    @Test
    void theCommandKeepsWhomToAssignAcrossTheOutbox() {
        WriteBack stored = WriteBackJson.read("assign", WriteBackJson.write(new WriteBack.Assign("lead@acme.example")));
        assertEquals(new WriteBack.Assign("lead@acme.example"), stored);
        assertEquals("assign", stored.kind());
        assertThrows(IllegalArgumentException.class, () -> WriteBackJson.read("assign", "{}"));
    }

    @Test
    void assignNeedsTo() {
        assertOnlyProblem(refused("      - assign: {}\n"), 7, "escalation 'late': assign needs 'to'");
        assertOnlyProblem(refused("      - assign:\n          to:\n"), 8,
                "escalation 'late', assign: 'to' must be one e-mail address or name, found nothing");
        assertOnlyProblem(refused("      - assign: { to: \"  \" }\n"), 7, "'to' must be one e-mail address or name");
        assertOnlyProblem(refused("      - assign: { to: [a@x.example, b@x.example] }\n"), 7,
                "'to' must be one e-mail address or name, found a list");
        assertOnlyProblem(refused("      - assign: lead@acme.example\n"), 7,
                "escalation 'late': 'assign' must be a mapping with 'to'", "lead@acme.example");
    }

    @Test
    void unknownKeysAndTheAssigneeThemselvesAreRefused() {
        assertOnlyProblem(refused("      - assign: { to: lead@acme.example, user: x }\n"), 7,
                "escalation 'late', assign: unknown key 'user' (expected one of to)");
        assertOnlyProblem(refused("      - assign: { to: assignee }\n"), 7, "'to: assignee' would give the ticket");
    }

    @Test
    void aFileOfMailboxPoliciesOnlyCannotAssign() {
        String mailOnly = """
                policies:
                  - { name: mail, when: { source: [email] }, calendar: always, targets: { first_response: 1h } }
                  - { name: vip-mail, when: { source: email, tier: [gold] }, calendar: always, targets: { first_response: 30m } }
                """;
        // Lines: 1 calendar, 2-4 policies, 5 escalations, 6 name, 7 at, 8 actions, 9 the action.
        PolicyProblem p = assertOnlyProblem(refused(mailOnly, "      - assign: { to: lead@acme.example }\n"), 9,
                "escalation 'late', assign: every policy of the file is for e-mail tickets only",
                "'mail', 'vip-mail'", "a mailbox has no assignee");
        assertTrue(p.toString().startsWith("ops/sla.yaml:9: "), p.toString());
    }

    @Test
    void aMailboxPolicyBesideOthersMayAssign() throws Exception {
        String mixed = """
                policies:
                  - { name: mail, when: { source: [email] }, calendar: always, targets: { first_response: 1h } }
                  - { name: tickets, when: { source: [jira, salesforce] }, calendar: always, targets: { first_response: 1h } }
                """;
        PolicySet set = PolicyFileParser.parse(FILE, CALENDAR + mixed + LADDER + under("- assign: { to: lead@acme.example }\n"));
        assertEquals(new Assign("lead@acme.example"), set.escalations().get(0).actions().get(0));
    }

    @Test
    void theListOfActionsNamesAssign() {
        assertOnlyProblem(refused("      - reassign: { to: x }\n"), 7,
                "unknown action 'reassign' (actions: comment, notify, set_priority, assign, slack, teams)");
    }
}
