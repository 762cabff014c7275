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
}
