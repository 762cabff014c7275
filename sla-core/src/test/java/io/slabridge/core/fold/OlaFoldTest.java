package io.slabridge.core.fold;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.LinkSide;
import io.slabridge.core.model.OlaEscalationDue;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicySet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OLA escalation steps (SLA-SPEC 7.2): reached like a policy's, landing on the side they name. */
class OlaFoldTest {
    private static final String CASE = "salesforce:500A";
    private static final String BUG = "jira:ENG-42";

    private static PolicySet policies(String withinCustomer) throws Exception {
        return PolicyFileParser.parse("sla.yaml", """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: support
                    when: { source: salesforce }
                    calendar: always
                    targets: { first_response: 1h, resolution: 4h }
                olas:
                  - name: eng
                    when: { engineering: { source: jira }, customer: { source: salesforce } }
                    calendar: always
                    targets: { resolution: 4h }
                """ + withinCustomer + """
                    escalations:
                      - name: half
                        at: "50%"
                        actions: [{ comment: { text: "half the OLA gone" } }]
                      - name: tell-support
                        at: breach
                        on: customer
                        actions: [{ comment: { text: "engineering missed its OLA" } }]
                """);
    }

    private static long at(String hhmm) {
        return Instant.parse("2026-03-02T" + hhmm + ":00Z").getEpochSecond();
    }

    private static Map<String, List<TicketEvent>> history(TicketEvent... extra) {
        Map<String, List<TicketEvent>> byTicket = new LinkedHashMap<>();
        byTicket.put(CASE, new ArrayList<>(List.of(
                TicketEvent.builder("c1", CASE, at("09:00"), EventType.CREATED).priority(Priority.HIGH)
                        .status(TicketStatus.OPEN).source("salesforce").build(),
                TicketEvent.builder("c2", CASE, at("10:00"), EventType.LINKED).other(BUG).build())));
        byTicket.put(BUG, new ArrayList<>(List.of(
                TicketEvent.builder("b1", BUG, at("09:30"), EventType.CREATED).priority(Priority.NORMAL)
                        .status(TicketStatus.OPEN).source("jira").build())));
        for (TicketEvent e : extra) {
            byTicket.get(e.ticket()).add(e);
        }
        return byTicket;
    }

    @Test
    void stepsFireAtTheirThresholdsOnTheSideTheyName() throws Exception {
        List<OlaEscalationDue> due = OlaFold.of(policies("")).fold(history(), at("14:30")).escalationsDue();

        assertEquals(List.of(
                new OlaEscalationDue(BUG, CASE, "eng", io.slabridge.core.model.Metric.RESOLUTION, 1, "half",
                        LinkSide.ENGINEERING, Instant.parse("2026-03-02T12:00:00Z")),
                new OlaEscalationDue(BUG, CASE, "eng", io.slabridge.core.model.Metric.RESOLUTION, 1, "tell-support",
                        LinkSide.CUSTOMER, Instant.parse("2026-03-02T14:00:01Z"))), due);
        assertEquals(CASE, due.get(1).target());
        assertEquals("jira:ENG-42/salesforce:500A/ola:eng/resolution/1/tell-support", due.get(1).key());
    }

    @Test
    void theNextAttentionIsTheNextStepOrBreach() throws Exception {
        // Resolution 4 h from 10:00: the 50% step at 12:00, the 75% warning at 13:00, the breach at 14:00:01.
        assertEquals(at("12:00"), OlaFold.of(policies("")).fold(history(), at("11:00")).nextAttentionAt());
        assertEquals(at("13:00"), OlaFold.of(policies("")).fold(history(), at("12:30")).nextAttentionAt());
        assertEquals(at("14:00") + 1, OlaFold.of(policies("")).fold(history(), at("13:30")).nextAttentionAt());
        assertEquals(io.slabridge.core.model.MetricCycle.NONE,
                OlaFold.of(policies("")).fold(history(), at("14:30")).nextAttentionAt(), "breached: nothing comes");
    }

    @Test
    void aStoppedOlaEscalatesNoMore() throws Exception {
        TicketEvent resolved = TicketEvent.builder("b2", BUG, at("11:00"), EventType.STATUS_CHANGED)
                .status(TicketStatus.RESOLVED).build();

        assertEquals(List.of(), OlaFold.of(policies("")).fold(history(resolved), at("14:30")).escalationsDue());
    }

    @Test
    void withinCustomerBringsTheStepsForward() throws Exception {
        // The case is due 13:00 (4 h from 09:00): the OLA is capped at 12:30, so its window is 10:00-12:30 and
        // half of it is gone at 11:15; the breach step fires the second after 12:30.
        List<OlaEscalationDue> due = OlaFold.of(policies("    within_customer: 30m\n")).fold(history(), at("12:45"))
                .escalationsDue();

        assertEquals(List.of(Instant.parse("2026-03-02T11:15:00Z"), Instant.parse("2026-03-02T12:30:01Z")),
                due.stream().map(OlaEscalationDue::reachedAt).toList());
    }

    @Test
    void aCustomerSeesItsEngineeringClocksEarliestDueFirst() throws Exception {
        // Example 006 of docs/examples/ola: 500G is served by ENG-7 (answered at 10:20) and ENG-8 (silent, at risk).
        java.nio.file.Path example = java.nio.file.Path.of("..", "docs", "examples", "ola", "006");
        byte[] bytes = java.nio.file.Files.readAllBytes(example.resolve("events.jsonl"));
        OlaFold.Result result = OlaFold.of(PolicyFileParser.parse(example.resolve("policy.yaml")))
                .fold(io.slabridge.core.io.EventLinesReader.read(() -> new java.io.ByteArrayInputStream(bytes)).byTicket(),
                        at("12:00"));

        List<io.slabridge.core.model.OlaCycle> ofCase = result.ofCustomer("salesforce:500G");

        assertEquals(List.of("jira:ENG-8 first_response", "jira:ENG-7 resolution", "jira:ENG-8 resolution",
                "jira:ENG-7 first_response"), ofCase.stream().map(c -> c.engineering() + " " + c.metric().wireName())
                .toList());
        assertEquals(io.slabridge.core.model.SummaryState.AT_RISK, OlaFold.Result.state(ofCase));
        assertEquals(io.slabridge.core.model.SummaryState.ON_TRACK, OlaFold.Result.state(ofCase.stream()
                .filter(c -> c.engineering().equals("jira:ENG-7")).toList()));
        assertEquals(2, result.summaryOf("jira:ENG-7").orElseThrow().customersWaiting());
    }
}
