package io.slabridge.routes.cli;

import static io.slabridge.routes.cli.Cli.resource;
import static io.slabridge.routes.cli.Cli.run;
import static io.slabridge.routes.cli.Cli.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sla-bridge validate}: "ok", or every problem as file:line: message and exit 1. */
class ValidateCommandTest {
    private static final String GOOD = String.join("\n",
            "calendars:",
            "  always:",
            "    zone: UTC",
            "    week: 24x7",
            "policies:",
            "  - name: basic",
            "    calendar: always",
            "    targets: { first_response: 1h, resolution: 8h }",
            "");

    /** Three problems, on lines 4, 7 and 9. */
    private static final String BAD = String.join("\n",
            "calendars:",
            "  always:",
            "    zone: UTC",
            "    week: 24x7x",                                       // line 4: not a week
            "policies:",
            "  - name: basic",
            "    calendar: allways",                                 // line 7: no such calendar
            "    targets: { first_response: 1h, resolution: 8h }",
            "pause_statuses: [waiting_on_customer, lunch]",          // line 9: no such status
            "");

    @TempDir
    Path dir;

    @Test
    void goodFilePrintsOk() {
        Cli.Result r = run("validate", write(dir.resolve("sla.yaml"), GOOD).toString());

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(List.of("ok"), r.outLines());
        assertEquals("", r.err());
    }

    @Test
    void benchmarkPolicyWithCountryHolidaysIsOk() {
        Cli.Result r = run("validate", resource("bench/policy.yaml").toString());

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(List.of("ok"), r.outLines());
    }

    @Test
    void badFileReportsEveryProblemAsFileLineMessage() {
        Path bad = write(dir.resolve("sla.yaml"), BAD);

        Cli.Result r = run("validate", bad.toString());

        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("", r.out(), "no 'ok' for a bad file");
        List<String> err = r.errLines();
        assertEquals(3, err.size(), r::toString);
        assertTrue(err.get(0).startsWith(bad + ":4: "), err.get(0));
        assertTrue(err.get(1).startsWith(bad + ":7: ") && err.get(1).contains("'allways'"), err.get(1));
        assertTrue(err.get(2).startsWith(bad + ":9: ") && err.get(2).contains("'lunch'"), err.get(2));
    }

    @Test
    void everyProblemLineHasTheFileLineMessageShape() {
        Path bad = write(dir.resolve("sla.yaml"), BAD);
        Pattern shape = Pattern.compile(Pattern.quote(bad.toString()) + ":\\d+: \\S.*");

        Cli.Result r = run("validate", bad.toString());

        for (String line : r.errLines()) {
            assertTrue(shape.matcher(line).matches(), line);
        }
    }

    @Test
    void twoFilesOneBadReportsEachFileAndFails() {
        Path good = write(dir.resolve("good.yaml"), GOOD);
        Path bad = write(dir.resolve("bad.yaml"), BAD);

        Cli.Result r = run("validate", bad.toString(), good.toString());

        assertEquals(1, r.exitCode(), r::toString);
        assertEquals(List.of(good + ": ok"), r.outLines(), "the good file is still checked after the bad one");
        assertEquals(3, r.errLines().size(), r::toString);
        for (String line : r.errLines()) {
            assertTrue(line.startsWith(bad + ":"), "only the bad file has problems: " + line);
        }
    }

    @Test
    void twoGoodFilesAreEachOk() {
        Path one = write(dir.resolve("one.yaml"), GOOD);
        Path two = write(dir.resolve("two.yaml"), GOOD);

        Cli.Result r = run("validate", one.toString(), two.toString());

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(List.of(one + ": ok", two + ": ok"), r.outLines());
    }

    @Test
    void missingFileIsBadInputNamingTheFile() {
        Path missing = dir.resolve("missing.yaml");

        Cli.Result r = run("validate", missing.toString());

        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("", r.out());
        assertEquals(missing + ": no such file", r.err().strip(), r::toString);
    }

    @Test
    void noFileIsABadCommandLine() {
        Cli.Result r = run("validate");

        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("POLICY_FILE"), r::toString);
    }

    @Test
    void configFileHasItsJiraFieldsCheckedAgainstJira() throws Exception {
        com.github.tomakehurst.wiremock.WireMockServer jira = new com.github.tomakehurst.wiremock.WireMockServer(
                com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
        try {
            jira.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                    com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/rest/api/3/field"))
                    .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("[{\"id\":\"customfield_10100\",\"key\":\"customfield_10100\",\"name\":\"SLA status\",\"custom\":true,"
                + "\"schema\":{\"type\":\"string\",\"custom\":\"com.atlassian.jira.plugin.system.customfieldtypes:textfield\","
                + "\"customId\":10100}}]")));
            String settings = String.join("\n", "sla.jira.enabled=true", "sla.jira.url=http://127.0.0.1:" + jira.port(),
                    "sla.jira.email=bot@acme.example", "sla.jira.api-token=validate-s3cret", "sla.jira.webhook-unsigned=true",
                    "sla.jira.field.status=customfield_10100", "sla.jira.field.next-due=customfield_10999", "");
            Path file = write(dir.resolve("sla-bridge.properties"), settings);

            Cli.Result r = run("validate", "--config", file.toString());

            assertEquals(1, r.exitCode(), r::toString);
            assertEquals(2, r.errLines().size(), r::toString);
            assertTrue(r.errLines().get(0).startsWith(file + ": sla.jira.field.status=customfield_10100: 'SLA status' is "
                    + "a textfield field"), r.errLines().get(0));
            assertTrue(r.errLines().get(1).startsWith(file + ": sla.jira.field.next-due=customfield_10999: Jira has no "
                    + "field with this id"), r.errLines().get(1));
            assertTrue(!r.err().contains("validate-s3cret"), r.err());

            jira.stop();
            r = run("validate", "--config", file.toString());
            assertEquals(1, r.exitCode(), "Jira not answering: nothing was checked");
            assertTrue(r.err().contains("sla.jira.url: could not check the SLA fields"), r::toString);
        } finally {
            jira.stop();
        }
    }
}
