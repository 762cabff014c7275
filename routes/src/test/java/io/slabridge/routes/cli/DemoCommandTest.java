package io.slabridge.routes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code sla-bridge demo --once}, exactly as the README's first command runs it (in-process here). */
class DemoCommandTest {
    @Test
    void demoOnceShowsTheTicketsEveryWriteBackAndASummaryAndExitsZero() {
        Cli.Result r = Cli.run("demo", "--once");
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "demo-once.txt"), r.out() + "\n--- stderr:\n" + r.err());
        } catch (java.io.IOException e) {
            // only a copy for reading
        }
        assertEquals(0, r.exitCode(), r::toString);
        String out = r.out();
        assertTrue(out.contains("SOURCE") && out.contains("NEXT DUE"), out);
        assertTrue(out.contains("-> jira SUP-1: PUT SLA status = Breached"), out);
        assertTrue(out.contains("-> jira SUP-1: POST internal comment"), out);
        assertTrue(out.contains("-> salesforce 500Qy00000DemoAIAV: PATCH SLA_Status__c = At risk"), out);
        assertTrue(out.contains("-> salesforce 500Qy00000DemoAIAV: CaseComment (internal)"), out);
        assertTrue(out.contains("to lead@example.com"), out);
        assertTrue(out.contains("summary after"), out);
        assertTrue(out.contains("tickets: 6 (email 2, jira 2, salesforce 2)"), out);
        assertTrue(out.contains("warnings (75%): 4, breaches: 3"), out);
        assertTrue(out.contains("parked 0, pending 0"), out);
    }
}
