package io.slabridge.routes.it;

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
 * The README's first command, {@code java -jar target/sla-bridge.jar demo --once}, on the built jar: the simulators
 * (WireMock, GreenMail) must be in it and work shaded, and the demo must end with exit 0.
 */
class DemoJarIT {
    @TempDir
    Path dir;

    @Test
    void demoOnceThroughTheJar() throws Exception {
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                Path.of("target", "sla-bridge.jar").toString(), "demo", "--once")
                .redirectError(err.toFile()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(150, TimeUnit.SECONDS), "demo --once ended");
        String message = out + "\n--- stderr:\n" + Files.readString(err);
        assertEquals(0, p.exitValue(), message);
        for (String expected : List.of("-> jira SUP-1: PUT SLA status = Breached",
                "-> salesforce 500Qy00000DemoAIAV: PATCH SLA_Status__c = Breached",
                "-> email: notice to lead@example.com \"SLA breached: first_response on email:c1@globex.example\"",
                "tickets: 6 (email 2, jira 2, salesforce 2)", "warnings (75%): 4, breaches: 3", "pending 0")) {
            assertTrue(out.contains(expected), expected + "\n" + message);
        }
    }
}
