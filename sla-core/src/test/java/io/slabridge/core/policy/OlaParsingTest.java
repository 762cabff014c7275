package io.slabridge.core.policy;

import static io.slabridge.core.policy.PolicyProblemAssertions.assertOnlyProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.Attribute;
import io.slabridge.core.model.LinkSide;
import io.slabridge.core.model.Metric;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code olas:} section of the policy file (SLA-SPEC 7.2). Line numbers count from 1 at "calendars:". */
class OlaParsingTest {
    private static final String HEAD = """
            calendars:
              always: { zone: UTC, week: 24x7 }
            policies:
              - name: support
                calendar: always
                targets: { first_response: 1h }
            olas:
            """; // the OLA entries start on line 8

    private static PolicySet parse(String olas) throws InvalidPolicyException {
        return PolicyFileParser.parse("sla.yaml", HEAD + olas);
    }

    private static InvalidPolicyException rejected(String olas) {
        return assertThrows(InvalidPolicyException.class, () -> parse(olas));
    }

    @Test
    void readsAnOlaWithBothSidesMarginAndSteps() throws Exception {
        PolicySet set = parse("""
                  - name: eng
                    when:
                      engineering: { source: jira, project: [ENG, PLAT] }
                      customer: { source: [salesforce, email], tier: enterprise }
                    calendar: always
                    targets: { first_response: 2h, resolution: 16h }
                    within_customer: 30m
                    escalations:
                      - name: ola-warn
                        at: "75%"
                        actions: [{ comment: { text: "OLA at risk" } }]
                      - name: tell-support
                        at: breach
                        on: customer
                        metrics: [resolution]
                        actions: [{ notify: { to: [support-leads@example.com] } }]
                """);

        assertEquals(1, set.olas().size());
        OlaPolicy ola = set.olas().get(0);
        assertEquals("eng", ola.name());
        assertEquals(7200, ola.targetSeconds(Metric.FIRST_RESPONSE));
        assertEquals(57600, ola.targetSeconds(Metric.RESOLUTION));
        assertEquals(1800, ola.withinCustomerSeconds());
        assertEquals(FieldCondition.anyOf(Set.of("ENG", "PLAT")), ola.engineering().project());
        assertEquals(FieldCondition.anyOf(Set.of("salesforce", "email")), ola.customer().fields().get(Attribute.SOURCE));
        assertEquals(List.of(LinkSide.ENGINEERING, LinkSide.CUSTOMER), ola.escalations().stream().map(OlaStep::on).toList());
        assertTrue(ola.escalations().get(1).step().appliesTo(Metric.RESOLUTION));
    }

    @Test
    void aFileWithoutOlasHasNone() throws Exception {
        assertEquals(List.of(), PolicyFileParser.parse("sla.yaml", HEAD.replace("olas:\n", "")).olas());
    }

    @Test
    void sidesThatCouldMatchOneTicketAreRejected() {
        InvalidPolicyException e = rejected("""
                  - name: eng
                    when:
                      engineering: { source: jira }
                      customer: { tier: enterprise }
                    calendar: always
                    targets: { first_response: 2h }
                """);

        assertOnlyProblem(e, 10, "OLA 'eng'", "could match one ticket", "no value in common");
    }

    @Test
    void anOlaTimesFirstResponseAndResolutionOnly() {
        InvalidPolicyException e = rejected("""
                  - name: eng
                    when: { engineering: { source: jira }, customer: { source: salesforce } }
                    calendar: always
                    targets:
                      next_response: 2h
                """);

        assertOnlyProblem(e, 12, "OLA 'eng'", "first_response and resolution only, not next_response");
    }

    @Test
    void anOlaNeedsBothSides() {
        InvalidPolicyException e = rejected("""
                  - name: eng
                    when:
                      engineering: { source: jira }
                    calendar: always
                    targets: { first_response: 2h }
                """);

        assertOnlyProblem(e, 10, "OLA 'eng'", "when.customer must be a non-empty mapping", "project");
    }

    @Test
    void anOlaStepCannotSetAPriorityAndLandsOnANamedSide() {
        InvalidPolicyException e = rejected("""
                  - name: eng
                    when: { engineering: { source: jira }, customer: { source: salesforce } }
                    calendar: always
                    targets: { first_response: 2h }
                    escalations:
                      - name: bump
                        at: breach
                        actions: [{ set_priority: urgent }]
                      - name: elsewhere
                        at: breach
                        on: linked
                        actions: [{ comment: { text: "late" } }]
                      - name: take
                        at: breach
                        actions: [{ assign: { to: "lead@acme.example" } }]
                """);

        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).message().contains("an OLA step cannot set_priority"), e.getMessage());
        assertEquals(18, e.problems().get(1).line());
        assertTrue(e.problems().get(1).message().contains("'on' must be 'engineering' (the default) or 'customer'"),
                e.getMessage());
        assertTrue(e.problems().get(2).message().contains("an OLA step cannot assign"), e.getMessage());
    }

    @Test
    void withinCustomerIsADuration() {
        InvalidPolicyException e = rejected("""
                  - name: eng
                    when: { engineering: { source: jira }, customer: { source: salesforce } }
                    calendar: always
                    targets: { first_response: 2h }
                    within_customer: 2 days
                """);

        assertOnlyProblem(e, 12, "OLA 'eng': within_customer");
    }

    @Test
    void theProjectOfAJiraKeyIsTheTextBeforeItsNumber() {
        assertEquals("ENG", PolicyCondition.projectOf("jira:ENG-42"));
        assertEquals("MY-TEAM", PolicyCondition.projectOf("jira:MY-TEAM-7"));
        assertNull(PolicyCondition.projectOf("salesforce:5003x00000ABCdE"));
        assertNull(PolicyCondition.projectOf("email:<a-1@mail.example>"));
    }
}
