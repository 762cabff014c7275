package io.slabridge.core.escalation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The names an escalation text may use, how they are filled, and how unknown ones are found. */
class StepContextTest {

    @Test
    void theNamesAreTheDocumentedOnes() {
        assertEquals(Set.of("ticket", "title", "metric", "cycle", "policy", "due", "status", "condition", "remaining", "step"),
                StepContext.NAMES);
    }

    @Test
    void renderFillsKnownNamesAndLeavesTheRestAsWritten() {
        String text = StepContext.render("SLA {metric} of {ticket} is due {due} ({foo}, {Ticket}, { ticket }, {})",
                Map.of("metric", "first_response", "ticket", "jira:SUP-12", "due", "2026-03-02T10:15:00Z"));

        assertEquals("SLA first_response of jira:SUP-12 is due 2026-03-02T10:15:00Z ({foo}, {Ticket}, { ticket }, {})",
                text);
    }

    @Test
    void renderTakesValuesLiterally() {
        assertEquals("Re: $1 \\o/ {title}", StepContext.render("Re: {title}", Map.of("title", "$1 \\o/ {title}")));
    }

    @Test
    void renderRepeatsAName() {
        assertEquals("a a", StepContext.render("{step} {step}", Map.of("step", "a")));
    }

    @Test
    void unknownNamesAreTheOnesOutsideNamesInTextOrder() {
        assertEquals(List.of(), StepContext.unknownNames("SLA {status}: {metric} of {ticket} ({title}) due {due}"));
        assertEquals(List.of("foo", "due_at"), StepContext.unknownNames("{foo} {ticket} {due_at}"));
    }

    @Test
    void nearMissesInCaseOrWithDigitsAreUnknownNames() {
        assertEquals(List.of("Ticket", "due2"), StepContext.unknownNames("{Ticket} {due2}"));
    }

    @Test
    void bracesThatHoldNoNameAreText() {
        assertEquals(List.of(), StepContext.unknownNames("{} { ticket } {a-b} {{due}}"));
    }
}
