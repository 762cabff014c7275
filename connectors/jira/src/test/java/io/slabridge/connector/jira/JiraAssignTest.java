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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code assign} escalation action against a Jira played by WireMock with the shapes of Atlassian's REST
 * reference: {@code GET /rest/api/3/user/search?query=} (Cloud; {@code /rest/api/2/user/search?username=} on Data
 * Center) answers a list of users, each with {@code accountId} (Cloud) or {@code name} (Data Center),
 * {@code displayName}, {@code active}, and {@code emailAddress} unless the user's profile hides it; {@code PUT
 * /rest/api/3/issue/{key}/assignee} answers 204, or an error object with {@code errorMessages} and {@code errors}.
 */
class JiraAssignTest {
    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private static final String TOKEN = "s3cret-token";
    private static final String LEAD = "lead@acme.example";
    private static final String MIA = "5b10ac8d82e05b22cc7d4ef5";

    private WireMockServer jira;
    private DefaultCamelContext camel;
    private final List<JiraHttp> clients = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();

    @BeforeEach
    void start() {
        jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterEach
    void stop() {
        clients.forEach(JiraHttp::close);
        camel.stop();
        jira.stop();
        messages.forEach(m -> assertFalse(m.contains("s3cret"), "a secret in: " + m));
    }

    private JiraWriter writer(JiraConfig.Deployment deployment) {
        JiraConfig.Builder b = JiraConfig.builder().url(URI.create("http://127.0.0.1:" + jira.port()))
                .responseTimeout(Duration.ofSeconds(5)).deployment(deployment);
        b = deployment == JiraConfig.Deployment.CLOUD ? b.basic("bot@example.com", TOKEN) : b.pat("pat-s3cret");
        JiraHttp http = JiraHttp.create(camel, b.build(), Clock.fixed(NOW, ZoneOffset.UTC));
        clients.add(http);
        return new JiraWriter(http);
    }

    private static OutboxCommand assign(String issue, String to, int attempts) {
        return new OutboxCommand(7, "jira:" + issue, "jira", new WriteBack.Assign(to),
                "jira:" + issue + "/first_response/1/late/0", NOW, attempts);
    }

    private WriteResult write(JiraWriter writer, OutboxCommand command) throws Exception {
        WriteResult r = writer.write(command);
        if (r instanceof WriteResult.Failed f) {
            messages.add(f.reason());
        } else if (r instanceof WriteResult.RetryAfter a) {
            messages.add(a.reason());
        }
        return r;
    }

    /** A Cloud user as the user search gives it; {@code email} null: hidden by the user's profile visibility. */
    private String cloudUser(String accountId, String displayName, String email, boolean active) {
        return "{\"self\":\"" + jira.baseUrl() + "/rest/api/3/user?accountId=" + accountId + "\",\"accountId\":\""
                + accountId + "\",\"accountType\":\"atlassian\"," + (email == null ? "" : "\"emailAddress\":\"" + email
                + "\",") + "\"avatarUrls\":{\"48x48\":\"https://avatar-management.example/48.png\"},\"displayName\":\""
                + displayName + "\",\"active\":" + active + ",\"timeZone\":\"Europe/Berlin\",\"locale\":\"en_US\"}";
    }

    private void searchAnswers(String... users) {
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/user/search")).withQueryParam("query", equalTo(LEAD))
                .willReturn(okJson("[" + String.join(",", users) + "]")));
    }

    private void assigneePutAnswers(String issue, ResponseDefinitionBuilder answer) {
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/" + issue + "/assignee")).willReturn(answer));
    }

    private static ResponseDefinitionBuilder jiraError(int status, String json) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(json);
    }

    @Test
    void cloudFindsTheUserByAddressAssignsByAccountIdAndAsksOnceForManyTickets() throws Exception {
        searchAnswers(cloudUser("5b10a2844c20165700ede21g", "Lead Bot", "lead@acme.example.org", true),
                cloudUser(MIA, "Mia Krystof", LEAD, true));
        assigneePutAnswers("SUP-12", aResponse().withStatus(204));
        assigneePutAnswers("SUP-13", aResponse().withStatus(204));
        JiraWriter writer = writer(JiraConfig.Deployment.CLOUD);

        assertEquals(WriteResult.done(), write(writer, assign("SUP-12", LEAD, 0)));
        assertEquals(WriteResult.done(), write(writer, assign("SUP-13", "Lead@Acme.example", 0)));

        jira.verify(1, getRequestedFor(urlPathEqualTo("/rest/api/3/user/search")));
        jira.verify(putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12/assignee"))
                .withRequestBody(equalToJson("{\"accountId\":\"" + MIA + "\"}")));
        jira.verify(putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-13/assignee"))
                .withRequestBody(equalToJson("{\"accountId\":\"" + MIA + "\"}")));
        assertEquals(3, writer.calls(), "one search, two assignments");
    }

    @Test
    void dataCenterSearchesByUsernameAndAssignsByName() throws Exception {
        jira.stubFor(get(urlPathEqualTo("/rest/api/2/user/search")).withQueryParam("username", equalTo(LEAD))
                .willReturn(okJson("[{\"self\":\"" + jira.baseUrl() + "/rest/api/2/user?username=mkrystof\","
                        + "\"key\":\"JIRAUSER10100\",\"name\":\"mkrystof\",\"emailAddress\":\"" + LEAD + "\","
                        + "\"displayName\":\"Mia Krystof\",\"active\":true,\"deleted\":false,"
                        + "\"timeZone\":\"Europe/Berlin\",\"locale\":\"en_US\"}]")));
        jira.stubFor(put(urlPathEqualTo("/rest/api/2/issue/OPS-7/assignee")).willReturn(aResponse().withStatus(204)));

        assertEquals(WriteResult.done(), write(writer(JiraConfig.Deployment.DATA_CENTER), assign("OPS-7", LEAD, 0)));

        jira.verify(putRequestedFor(urlPathEqualTo("/rest/api/2/issue/OPS-7/assignee"))
                .withRequestBody(equalToJson("{\"name\":\"mkrystof\"}")));
    }

    @Test
    void aUserWhoseAddressJiraHidesIsTheOneItMatched() throws Exception {
        searchAnswers(cloudUser(MIA, "Mia Krystof", null, true));
        assigneePutAnswers("SUP-12", aResponse().withStatus(204));

        assertEquals(WriteResult.done(), write(writer(JiraConfig.Deployment.CLOUD), assign("SUP-12", LEAD, 0)));
        jira.verify(putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12/assignee"))
                .withRequestBody(equalToJson("{\"accountId\":\"" + MIA + "\"}")));
    }

    @Test
    void noUserOrADeactivatedOneParksTheCommandAndAssignsNothing() throws Exception {
        searchAnswers(cloudUser(MIA, "Mia Krystof", LEAD, false));

        WriteResult r = write(writer(JiraConfig.Deployment.CLOUD), assign("SUP-12", LEAD, 0));

        WriteResult.Failed parked = assertInstanceOf(WriteResult.Failed.class, r);
        assertTrue(parked.reason().contains("assign SUP-12 to lead@acme.example: no active Jira user found for "
                + "'lead@acme.example'"), parked.reason());
        assertTrue(parked.reason().contains("Browse users and groups"), parked.reason());
        jira.verify(0, putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12/assignee")));
    }

    @Test
    void severalUsersWithHiddenAddressesParkTheCommandNamingThem() throws Exception {
        searchAnswers(cloudUser(MIA, "Mia Krystof", null, true),
                cloudUser("5b10a2844c20165700ede21g", "Max Lead", null, true));

        WriteResult r = write(writer(JiraConfig.Deployment.CLOUD), assign("SUP-12", LEAD, 0));

        String reason = assertInstanceOf(WriteResult.Failed.class, r).reason();
        assertTrue(reason.contains("2 Jira users match 'lead@acme.example': Mia Krystof (" + MIA + "), Max Lead"), reason);
        assertTrue(reason.contains("Jira hides their e-mail addresses"), reason);
        jira.verify(0, putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12/assignee")));
    }

    @Test
    void aPrefixMatchIsNotTheUser() throws Exception {
        // Jira's query matches the start of an address: lead@acme.example finds lead@acme.example.org.
        searchAnswers(cloudUser(MIA, "Lead Bot", "lead@acme.example.org", true));

        WriteResult r = write(writer(JiraConfig.Deployment.CLOUD), assign("SUP-12", LEAD, 0));

        String reason = assertInstanceOf(WriteResult.Failed.class, r).reason();
        assertTrue(reason.contains("no active Jira user has the address or name 'lead@acme.example'; the user search "
                + "found only Lead Bot (lead@acme.example.org, " + MIA + ")"), reason);
        jira.verify(0, putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12/assignee")));
    }

    @Test
    void aRetryFindsTheIssueAlreadyTheirsAndLeavesIt() throws Exception {
        searchAnswers(cloudUser(MIA, "Mia Krystof", LEAD, true));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-12")).withQueryParam("fields", equalTo("assignee"))
                .willReturn(okJson("{\"id\":\"10012\",\"key\":\"SUP-12\",\"fields\":{\"assignee\":"
                        + cloudUser(MIA, "Mia Krystof", LEAD, true) + "}}")));
        assigneePutAnswers("SUP-12", aResponse().withStatus(204));

        assertEquals(WriteResult.done(), write(writer(JiraConfig.Deployment.CLOUD), assign("SUP-12", LEAD, 1)));
        jira.verify(0, putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12/assignee")));
    }

    @Test
    void aRetryOnAnIssueStillSomeoneElsesAssignsIt() throws Exception {
        searchAnswers(cloudUser(MIA, "Mia Krystof", LEAD, true));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-12")).withQueryParam("fields", equalTo("assignee"))
                .willReturn(okJson("{\"id\":\"10012\",\"key\":\"SUP-12\",\"fields\":{\"assignee\":null}}")));
        assigneePutAnswers("SUP-12", aResponse().withStatus(204));

        assertEquals(WriteResult.done(), write(writer(JiraConfig.Deployment.CLOUD), assign("SUP-12", LEAD, 1)));
        jira.verify(1, putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12/assignee")));
    }

    @Test
    void jirasRefusalsParkWaitOrRetryAsForEveryWrite() throws Exception {
        searchAnswers(cloudUser(MIA, "Mia Krystof", LEAD, true));
        assigneePutAnswers("SUP-1", jiraError(400, "{\"errorMessages\":[],\"errors\":{\"assignee\":"
                + "\"User 'Mia Krystof' cannot be assigned issues.\"}}"));
        assigneePutAnswers("SUP-2", jiraError(403, "{\"errorMessages\":[\"You do not have permission to assign "
                + "issues in this project.\"],\"errors\":{}}"));
        assigneePutAnswers("SUP-3", jiraError(404, "{\"errorMessages\":[\"Issue does not exist or you do not have "
                + "permission to see it.\"],\"errors\":{}}"));
        assigneePutAnswers("SUP-4", aResponse().withStatus(429).withHeader("Retry-After", "30"));
        assigneePutAnswers("SUP-5", jiraError(401, "{\"errorMessages\":[\"You are not authenticated. Authentication "
                + "required to perform this operation.\"],\"errors\":{}}"));
        JiraWriter writer = writer(JiraConfig.Deployment.CLOUD);

        String cannot = assertInstanceOf(WriteResult.Failed.class, write(writer, assign("SUP-1", LEAD, 0))).reason();
        assertTrue(cannot.contains("assign SUP-1 to lead@acme.example: PUT /rest/api/3/issue/SUP-1/assignee: HTTP 400; "
                + "assignee: User 'Mia Krystof' cannot be assigned issues."), cannot);
        String denied = assertInstanceOf(WriteResult.Failed.class, write(writer, assign("SUP-2", LEAD, 0))).reason();
        assertTrue(denied.contains("You do not have permission to assign issues"), denied);
        assertInstanceOf(WriteResult.Failed.class, write(writer, assign("SUP-3", LEAD, 0)));
        WriteResult.RetryAfter limited = assertInstanceOf(WriteResult.RetryAfter.class,
                write(writer, assign("SUP-4", LEAD, 0)));
        assertEquals(Duration.ofSeconds(30), limited.delay());
        WriteResult.RetryAfter credentials = assertInstanceOf(WriteResult.RetryAfter.class,
                write(writer, assign("SUP-5", LEAD, 0)));
        assertTrue(credentials.reason().contains("rejected the credentials"), credentials.reason());
        // The 400 and the 404 made the writer forget the user: it looked them up again for the next commands.
        jira.verify(3, getRequestedFor(urlPathEqualTo("/rest/api/3/user/search")));
    }

    @Test
    void aRateLimitedSearchWaitsAsJiraAsks() throws Exception {
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/user/search")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "12").withHeader("Content-Type", "application/json")
                .withBody("{\"errorMessages\":[\"Rate limit exceeded.\"],\"errors\":{}}")));

        WriteResult r = write(writer(JiraConfig.Deployment.CLOUD), assign("SUP-12", LEAD, 0));

        WriteResult.RetryAfter wait = assertInstanceOf(WriteResult.RetryAfter.class, r);
        assertEquals(Duration.ofSeconds(12), wait.delay());
        assertTrue(wait.reason().contains("user search"), wait.reason());
        jira.verify(0, putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12/assignee")));
    }
}
