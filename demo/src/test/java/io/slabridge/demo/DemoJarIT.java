package io.slabridge.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, {@code java -jar demo/target/sla-bridge-demo.jar --once}, on the built jar: the
 * simulators (WireMock, GreenMail) and the application must be in it and work shaded, the demo must show the tickets,
 * every kind of write-back (the Slack alerts and their thread, the Teams cards, the reassignments) and its summary
 * saying what arrived where, and end with exit 0. (It runs only here, not also in-process: it takes
 * half a minute.)
 */
class DemoJarIT {
    @TempDir
    Path dir;

    @Test
    void demoOnceThroughTheJar() throws Exception {
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                Path.of("target", "sla-bridge-demo.jar").toString(), "--once")
                .redirectError(err.toFile()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(150, TimeUnit.SECONDS), "demo --once ended");
        String message = out + "\n--- stderr:\n" + Files.readString(err);
        assertEquals(0, p.exitValue(), message);
        Files.writeString(Path.of("target", "demo-once.txt"), message); // a copy for reading
        for (String expected : List.of("SOURCE", "NEXT DUE", "-> jira SUP-1: PUT SLA status = Breached",
                "-> jira SUP-1: POST internal comment", "-> salesforce 500Qy00000DemoAIAV: PATCH SLA_Status__c = At risk",
                "-> salesforce 500Qy00000DemoAIAV: PATCH SLA_Status__c = Breached",
                "-> salesforce 500Qy00000DemoAIAV: CaseComment (internal)",
                "-> email: notice to lead@example.com \"SLA breached: first_response on email:c1@globex.example\"",
                "summary after", "tickets: 7 (email 2, jira 3, salesforce 2)", "warnings (75%): 4, breaches: 3",
                "salesforce  500Qy00000DemoAIAV      engineering: ENG-7 Met",
                "the Case showed ENG-7 On track -> ENG-7 Met; the issue showed 500Qy00000DemoAIAV On track -> "
                        + "500Qy00000DemoAIAV At risk -> 500Qy00000DemoAIAV Breached",
                "-> jira ENG-7: PUT SLA status = No SLA, next due = -, customer = 500Qy00000DemoAIAV Breached, due Mon 09:25",
                "-> salesforce 500Qy00000DemoAIAV: PATCH SLA_Status__c = On track, SLA_Next_Due__c = Mon 09:25, "
                        + "Engineering_Status__c = ENG-7 Met",
                "parked 0, pending 0",
                "-> slack #support-escalations: message \"jira:SUP-1 (Checkout returns 500) is at risk",
                "-> slack #support-escalations: reply in the ticket's thread \"SLA breached: first_response of jira:SUP-1",
                "-> teams support-leads: Adaptive Card \"SLA breached: first_response of jira:SUP-1",
                "-> jira SUP-1: PUT assignee = Lee Lead (lead@acme.example)",
                "-> salesforce 500Qy00000DemoAIAV: PATCH OwnerId = 005Qy00000LeeLdIAA (Lee Lead, lead@acme.example)",
                "arrived in chat: Slack #support-escalations 7 (3 of them replies in a ticket's thread), "
                        + "Teams support-leads 3 cards",
                "reassigned to lead@acme.example: jira 1, salesforce 1")) {
            assertTrue(out.contains(expected), expected + "\n" + message);
        }
    }
}
