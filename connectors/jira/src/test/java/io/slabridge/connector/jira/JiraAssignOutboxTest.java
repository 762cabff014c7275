package io.slabridge.connector.jira;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.runtime.OutboxDispatcher;
import io.slabridge.core.runtime.RetryPolicy;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The outbox's whole path for {@code assign}: the breach step becomes a command, the dispatcher hands it to the Jira
 * writer, and WireMock playing Jira is reassigned once. The first assignment lands but its answer is lost; the retry
 * reads the issue's assignee, finds it done, and assigns nothing more, while later ticks and refolds add no command.
 */
class JiraAssignOutboxTest {
    private static final String POLICY = """
            calendars: { always: { zone: UTC, week: 24x7 } }
            policies: [ { name: standard, calendar: always, targets: { first_response: 1h } } ]
            escalations:
              - name: breached
                at: breach
                actions:
                  - assign: { to: "lead@acme.example" }
            """;
    private static final String MIA = "5b10ac8d82e05b22cc7d4ef5";

    @Test
    void theBreachStepReassignsTheIssueOnceThoughItsFirstAnswerWasLost() throws Exception {
        WireMockServer jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
        Instant t0 = Instant.parse("2026-03-06T10:00:00Z");
        MutableClock clock = new MutableClock(t0);
        DefaultCamelContext camel = new DefaultCamelContext();
        try (JdbcSlaStore store = JdbcSlaStore.open(StoreSettings.inMemory("jira-assign-" + UUID.randomUUID()))) {
            String mia = "{\"accountId\":\"" + MIA + "\",\"accountType\":\"atlassian\",\"emailAddress\":"
                    + "\"lead@acme.example\",\"displayName\":\"Mia Krystof\",\"active\":true}";
            jira.stubFor(get(urlPathEqualTo("/rest/api/3/user/search")).willReturn(okJson("[" + mia + "]")));
            jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-9")).willReturn(aResponse().withStatus(204)));
            // Jira assigns the issue, but the answer never arrives; were it asked again, it would answer.
            jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-9/assignee")).inScenario("jira")
                    .whenScenarioStateIs(STARTED).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
                    .willSetStateTo("assigned"));
            jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-9/assignee")).inScenario("jira")
                    .whenScenarioStateIs("assigned").willReturn(aResponse().withStatus(204)));
            jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-9")).withQueryParam("fields", equalTo("assignee"))
                    .willReturn(okJson("{\"id\":\"10009\",\"key\":\"SUP-9\",\"fields\":{\"assignee\":" + mia + "}}")));
            camel.start();
            JiraConfig config = JiraConfig.builder().url(URI.create(jira.baseUrl()))
                    .deployment(JiraConfig.Deployment.CLOUD).basic("bot@example.com", "token")
                    .responseTimeout(Duration.ofSeconds(5)).build();
            JiraHttp http = JiraHttp.create(camel, config, clock);
            SlaRuntime runtime = SlaRuntime.of(store, PolicyFileParser.parse("sla.yaml", POLICY), clock);
            runtime.accept(TicketEvent.builder("e1", "jira:SUP-9", t0, EventType.CREATED).priority(Priority.HIGH)
                    .status(TicketStatus.OPEN).source("jira").title("Login loops").build());
            OutboxDispatcher dispatcher = new OutboxDispatcher(store, Map.of("jira", new JiraWriter(http)), clock,
                    RetryPolicy.DEFAULT, new Random(1));

            for (int minute = 0; minute <= 120; minute++) {
                clock.set(t0.plusSeconds(minute * 60L));
                runtime.tick();
                while (dispatcher.dispatchOnce(10) > 0) {
                    // drain
                }
            }

            jira.verify(1, putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-9/assignee"))
                    .withRequestBody(equalToJson("{\"accountId\":\"" + MIA + "\"}")));
            jira.verify(1, getRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-9")));
            jira.verify(1, getRequestedFor(urlPathEqualTo("/rest/api/3/user/search"))
                    .withQueryParam("query", equalTo("lead@acme.example")));
            assertEquals(List.of(), store.parked(10), "nothing parked");
            http.close();
        } finally {
            camel.stop();
            jira.stop();
        }
    }
}
