package io.slabridge.connector.teams;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.slabridge.connector.api.Connectors;
import io.slabridge.connector.api.Source;
import io.slabridge.core.model.Metric;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.OutboxWriter;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.policy.PolicyFileParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Teams writer against WireMock playing a Workflows webhook (202 Accepted) and an incoming webhook (200 "1"). */
class TeamsWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/workflows/abc123/triggers/manual/paths/invoke";

    private WireMockServer teams;
    private DefaultCamelContext camel;
    private OutboxWriter writer;

    @BeforeEach
    void start() throws Exception {
        teams = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        teams.start();
        camel = new DefaultCamelContext();
        writer = configured(settings()).writer(camel);
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        teams.stop();
    }

    private Properties settings() {
        Properties p = new Properties();
        p.setProperty("sla.teams.webhook.support-leads", teams.baseUrl() + PATH + "?api-version=1&sig=SECRETSIG");
        p.setProperty("sla.teams.timeout", "2s");
        p.setProperty("sla.ticket-link.jira", "https://acme.atlassian.net/browse/{id}");
        return p;
    }

    private static Source configured(Properties p) {
        List<String> problems = new ArrayList<>();
        return connector().configure(p, Map.of(), problems).orElseThrow(() -> new AssertionError(problems));
    }

    private static io.slabridge.connector.api.Connector connector() {
        return Connectors.discover().stream().filter(c -> c.name().equals("teams")).findFirst().orElseThrow();
    }

    private static OutboxCommand command(String webhook, long remaining) {
        WriteBack.Alert alert = new WriteBack.Alert("Checkout fails", "Acme Corp", null, Metric.RESOLUTION, 2,
                "standard", "breached", remaining < 0 ? "breached" : "at risk", Instant.parse("2026-03-06T18:00:00Z"),
                remaining);
        return new OutboxCommand(7, "jira:SUP-7", "teams", new WriteBack.TeamsMessage(webhook, "SLA breached: SUP-7",
                alert), "jira:SUP-7/resolution/2/breached/0", Instant.parse("2026-03-06T19:30:00Z"), 0);
    }

    @Test
    void postsAnAdaptiveCardWithTheTicketsFacts() throws Exception {
        teams.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(202)));

        assertEquals(WriteResult.done(), writer.write(command("support-leads", -5400)));

        LoggedRequest r = teams.findAll(postRequestedFor(urlPathEqualTo(PATH))).get(0);
        assertEquals("SECRETSIG", r.queryParameter("sig").firstValue(), "the URL's signature kept");
        assertTrue(r.getHeader("Content-Type").startsWith("application/json"), r.getHeader("Content-Type"));
        JsonNode body = JSON.readTree(r.getBodyAsString());
        assertEquals("message", body.path("type").asText());
        JsonNode attachment = body.path("attachments").get(0);
        assertEquals("application/vnd.microsoft.card.adaptive", attachment.path("contentType").asText());
        JsonNode card = attachment.path("content");
        assertEquals("AdaptiveCard", card.path("type").asText());
        assertEquals("SLA breached: SUP-7", card.path("body").get(0).path("text").asText());
        assertEquals("Attention", card.path("body").get(0).path("color").asText());
        JsonNode facts = card.path("body").get(1).path("facts");
        assertEquals("FactSet", card.path("body").get(1).path("type").asText());
        assertEquals("jira:SUP-7 Checkout fails", fact(facts, "Ticket"));
        assertEquals("Acme Corp", fact(facts, "Account"));
        assertEquals("resolution (cycle 2, standard)", fact(facts, "Metric"));
        assertEquals("2026-03-06 18:00 UTC", fact(facts, "Due"));
        assertEquals("1h30m (breached)", fact(facts, "Late by"));
        JsonNode open = card.path("actions").get(0);
        assertEquals("Action.OpenUrl", open.path("type").asText());
        assertEquals("https://acme.atlassian.net/browse/SUP-7", open.path("url").asText());
    }

    private static String fact(JsonNode facts, String title) {
        for (JsonNode f : facts) {
            if (f.path("title").asText().equals(title)) {
                return f.path("value").asText();
            }
        }
        throw new AssertionError("no fact " + title + " in " + facts);
    }

    @Test
    void anIncomingWebhooksOkIsDoneToo() throws Exception {
        teams.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody("1")));
        assertEquals(WriteResult.done(), writer.write(command("support-leads", 600)));
    }

    @Test
    void aClientErrorIsParkedWithStatusAndBodyAndNoUrl() throws Exception {
        teams.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(400)
                .withBody("{\"error\":{\"code\":\"InvalidRequestContent\",\"message\":\"The input body for trigger "
                        + "'manual' of type 'Request' did not match its schema definition.\"}}")));
        WriteResult.Failed failed = assertInstanceOf(WriteResult.Failed.class,
                writer.write(command("support-leads", -60)));
        assertTrue(failed.reason().startsWith("Teams webhook 'support-leads' for jira:SUP-7: HTTP 400 "), failed.reason());
        assertTrue(failed.reason().contains("InvalidRequestContent"), failed.reason());
        assertTrue(!failed.reason().contains("SECRETSIG") && !failed.reason().contains(PATH), "no URL: " + failed.reason());
        assertEquals(1, teams.getAllServeEvents().size(), "no retry");
    }

    @Test
    void aRateLimitWaitsAndServerErrorsAreRetried() throws Exception {
        teams.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "12")));
        WriteResult.RetryAfter wait = assertInstanceOf(WriteResult.RetryAfter.class,
                writer.write(command("support-leads", -60)));
        assertEquals(Duration.ofSeconds(12), wait.delay());

        teams.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(502).withBody("Bad Gateway")));
        Exception e = assertThrows(Exception.class, () -> writer.write(command("support-leads", -60)));
        assertTrue(e.getMessage().contains("HTTP 502") && !e.getMessage().contains("SECRETSIG"), e.getMessage());
    }

    @Test
    void aWebhookNameWithoutUrlIsParkedNamingItsProperty() throws Exception {
        WriteResult.Failed failed = assertInstanceOf(WriteResult.Failed.class, writer.write(command("ops", -60)));
        assertTrue(failed.reason().contains("sla.teams.webhook.ops is not set"), failed.reason());
    }

    @Test
    void settingsProblemsNameThePropertyAndNeverTheUrl() {
        List<String> problems = new ArrayList<>();
        Properties p = new Properties();
        p.setProperty("sla.teams.webhook.leads", "not-a-url-SECRET");
        assertEquals(Optional.empty(), connector().configure(p, Map.of(), problems));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("sla.teams.webhook.leads: not an http(s) URL"), problems.get(0));
        assertTrue(!problems.get(0).contains("SECRET"), problems.get(0));

        problems.clear();
        assertEquals(Optional.empty(), connector().configure(new Properties(), Map.of(), problems));
        assertTrue(problems.get(0).startsWith("sla.teams.webhook.<name>: none set"), problems.toString());

        problems.clear();
        assertTrue(connector().configure(new Properties(), Map.of("SLA_TEAMS_WEBHOOK_SUPPORT_LEADS",
                "https://example.invalid/x"), problems).isPresent(), "from the environment: " + problems);
    }

    @Test
    void aPolicyNamingAWebhookWithoutUrlIsRefusedAtStartNamingTheProperty() throws Exception {
        Source source = configured(settings());
        List<String> problems = source.checkPolicies(PolicyFileParser.parse("sla.yaml", """
                calendars: { always: { zone: UTC, week: 24x7 } }
                policies: [ { name: standard, calendar: always, targets: { first_response: 1h } } ]
                escalations:
                  - name: breached
                    at: breach
                    actions:
                      - teams: { webhook: support-leads }
                      - teams: { webhook: on-call }
                """));
        assertEquals(List.of("sla.teams.webhook.on-call: not set; the policy's escalation 'breached' posts to webhook "
                + "'on-call' (set: support-leads)"), problems);
    }
}
