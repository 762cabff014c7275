package io.slabridge.core.policy;

import static io.slabridge.core.policy.PolicyProblemAssertions.assertOnlyProblem;
import static io.slabridge.core.policy.PolicyProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.Attribute;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A {@code when} naming the Jira {@code project}, and fields written {@code { not: values }} (SLA-SPEC 3, 7.2).
 * Line numbers count from 1 at "calendars:".
 */
class WhenParsingTest {
    private static final String HEAD = """
            calendars:
              always: { zone: UTC, week: 24x7 }
            policies:
              - name: support
                calendar: always
                targets: { first_response: 1h }
            """; // the next entry's "- name" is on line 7

    private static PolicyCondition when(String when) throws InvalidPolicyException {
        return PolicyFileParser.parse("sla.yaml", HEAD + """
                  - name: tested
                    calendar: always
                    targets: { first_response: 1h }
                    when:
                """ + when).policies().get(1).when();
    }

    /** {@code when} is the text after "when:", from line 10 on. */
    private static InvalidPolicyException rejected(String when) {
        return assertThrows(InvalidPolicyException.class, () -> when(when));
    }

    private static String[] values(String priority, String source) {
        String[] values = new String[Attribute.values().length];
        values[Attribute.PRIORITY.ordinal()] = priority;
        values[Attribute.SOURCE.ordinal()] = source;
        return values;
    }

    @Test
    void aPolicyMayLeaveEngineeringProjectsOut() throws Exception {
        PolicyCondition support = when("      project: { not: [ENG, PLAT] }\n");

        assertEquals(FieldCondition.noneOf(Set.of("ENG", "PLAT")), support.project());
        assertTrue(support.matches("SUP", values("normal", "jira")), "SUP-3 gets the support SLA");
        assertFalse(support.matches("ENG", values("normal", "jira")), "ENG-7 does not");
        assertFalse(support.matches("PLAT", values("normal", "jira")), "PLAT-1 does not");
        assertTrue(support.matches(null, values("normal", "salesforce")), "a Case, which has no project, does");
    }

    @Test
    void aPolicyMayNameItsProjectsAndNegateAnyField() throws Exception {
        PolicyCondition when = when("""
                      project: SUP
                      priority: { not: low }
                      tier: { not: [trial, free] }
                """);

        assertEquals(FieldCondition.anyOf(Set.of("SUP")), when.project());
        assertEquals(FieldCondition.noneOf(Set.of("low")), when.fields().get(Attribute.PRIORITY));
        assertEquals(FieldCondition.noneOf(Set.of("trial", "free")), when.fields().get(Attribute.TIER));
        assertTrue(when.matches("SUP", values("high", "jira")), "no tier is not trial nor free");
        assertFalse(when.matches("SUP", values("low", "jira")));
        assertFalse(when.matches(null, values("high", "salesforce")), "a plain list needs a value: a Case is in no project");
    }

    @Test
    void notWithoutValuesIsRefused() {
        InvalidPolicyException e = rejected("      project: { not: [] }\n");

        PolicyProblem p = assertOnlyProblem(e, 11, "policy 'tested': when.project.not lists no value");
        assertEquals("sla.yaml", p.file());
    }

    @Test
    void anotherKeyBesideNotIsRefusedOnItsLine() {
        InvalidPolicyException e = rejected("""
                      project:
                        nott: [ENG]
                """);

        assertOnlyProblem(e, 12, "policy 'tested': when.project: unknown key 'nott'", "{ not: values }");
    }

    @Test
    void anEmptyMappingIsRefused() {
        InvalidPolicyException e = rejected("      tier: {}\n");

        assertOnlyProblem(e, 11, "policy 'tested': when.tier is an empty mapping", "{ not: values }");
    }

    @Test
    void negatedValuesAreCheckedLikeListedOnes() {
        InvalidPolicyException e = rejected("""
                      priority: { not: [low, lowest] }
                      project:
                        not:
                          - eng
                          - ENG-7
                          - PLAT_2
                      source: { not: [{ a: b }] }
                """);

        assertEquals(4, e.problems().size(), e.getMessage());
        assertProblem(e, 11, "unknown priority 'lowest'");
        assertProblem(e, 14, "policy 'tested': when.project.not: 'eng' is not a Jira project key", "such as ENG");
        assertProblem(e, 15, "'ENG-7' is not a Jira project key");
        assertProblem(e, 17, "when.source.not values must be text, found a mapping");
    }

    @Test
    void anUnknownFieldNamesProjectAmongTheFields() {
        InvalidPolicyException e = rejected("      team: { not: billing }\n");

        assertOnlyProblem(e, 11, "'when' cannot match on 'team'", "source, project");
    }

    @Test
    void aListAgainstANotNamingAllItsValuesTellsTheTicketsOfALinkApart() throws Exception {
        PolicySet set = PolicyFileParser.parse("sla.yaml", HEAD + """
                olas:
                  - name: eng
                    when:
                      engineering: { project: [ENG, PLAT] }
                      customer: { project: { not: [ENG, PLAT] } }
                    calendar: always
                    targets: { first_response: 2h }
                """);

        OlaPolicy ola = set.olas().get(0);
        assertTrue(ola.engineering().matches("ENG", values(null, "jira")));
        assertTrue(ola.customer().matches(null, values(null, "salesforce")), "a Case is served");
        assertTrue(ola.customer().matches("SUP", values(null, "jira")), "a SUP request is served");
        assertFalse(ola.customer().matches("PLAT", values(null, "jira")));
    }

    @Test
    void aNotThatLeavesAValueOfTheListOrTwoNotsCouldMatchOneTicket() {
        InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyFileParser.parse("sla.yaml",
                HEAD + """
                        olas:
                          - name: partly
                            when:
                              engineering: { project: [ENG, PLAT] }
                              customer: { project: { not: ENG } }
                            calendar: always
                            targets: { first_response: 2h }
                          - name: both-not
                            when:
                              engineering: { project: { not: SUP } }
                              customer: { project: { not: ENG } }
                            calendar: always
                            targets: { first_response: 2h }
                        """));

        assertEquals(2, e.problems().size(), e.getMessage());
        assertProblem(e, 10, "OLA 'partly'", "could match one ticket");
        assertProblem(e, 16, "OLA 'both-not'", "could match one ticket");
    }
}
