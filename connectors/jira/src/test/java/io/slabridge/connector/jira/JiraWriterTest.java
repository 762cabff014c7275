package io.slabridge.connector.jira;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.slabridge.core.escalation.EscalationAction.Visibility;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.SummaryState;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JiraWriterTest {
    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private static final String TOKEN = "s3cret-token";
    private static final String PAT = "pat-s3cret-value";
    private static final String STATUS = "customfield_10050";
    private static final String NEXT_DUE = "customfield_10051";
    private static final String FIRST_RESPONSE_DUE = "customfield_10052";
    private static final String RESOLUTION_DUE = "customfield_10053";

    private WireMockServer jira;
    private DefaultCamelContext camel;
    private final List<JiraHttp> clients = new ArrayList<>();
    private final List<String> messages = new ArrayList<>();
    /** Generous, so that a slow VM fails no test; the timeout tests shorten it before making their writer. */
    private Duration responseTimeout = Duration.ofSeconds(5);

    @BeforeEach
    void start() {
        jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        jira.start();
        camel = new DefaultCamelContext();
        camel.start();
        warmUp();
    }

    /** WireMock's first answer in a JVM can take seconds; the timeout tests must not be fooled by it. */
    private void warmUp() {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(jira.baseUrl() + "/warm-up")).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        jira.resetRequests();
    }

    @AfterEach
    void stop() {
        clients.forEach(JiraHttp::close);
        camel.stop();
        jira.stop();
        for (String m : messages) {
            assertFalse(m.contains("s3cret"), "a secret in: " + m);
        }
    }

    // ---- configurations

    private JiraWriter writer(UnaryOperator<JiraConfig.Builder> settings) {
        JiraConfig.Builder b = JiraConfig.builder().url(URI.create("http://127.0.0.1:" + jira.port()))
                .responseTimeout(responseTimeout);
        JiraConfig config = settings.apply(b).build();
        JiraHttp http = JiraHttp.create(camel, config, Clock.fixed(NOW, ZoneOffset.UTC));
        clients.add(http);
        return new JiraWriter(http);
    }

    /** Jira Cloud with Jira Service Management and all four SLA fields but periodic update and next response. */
    private JiraWriter cloudJsm() {
        return writer(b -> b.deployment(JiraConfig.Deployment.CLOUD).basic("bot@example.com", TOKEN)
                .serviceManagement(true).statusField(STATUS).nextDueField(NEXT_DUE)
                .dueField(Metric.FIRST_RESPONSE, FIRST_RESPONSE_DUE).dueField(Metric.RESOLUTION, RESOLUTION_DUE));
    }

    /** Jira Data Center, a plain software project, internal comments restricted to a role. */
    private JiraWriter dataCenter() {
        return writer(b -> b.deployment(JiraConfig.Deployment.DATA_CENTER).pat(PAT).statusField(STATUS)
                .internalVisibility("role:Administrators"));
    }

    private static OutboxCommand command(String ticket, WriteBack payload, int attempts) {
        return new OutboxCommand(41, ticket, "jira", payload, ticket + "/cmd/41", NOW, attempts);
    }

    private WriteResult write(JiraWriter writer, OutboxCommand command) throws Exception {
        WriteResult r = writer.write(command);
        if (r instanceof WriteResult.RetryAfter a) {
            messages.add(a.reason());
        } else if (r instanceof WriteResult.Failed f) {
            messages.add(f.reason());
        }
        return r;
    }

    private JiraUnavailableException unavailable(JiraWriter writer, OutboxCommand command) {
        JiraUnavailableException e = assertThrows(JiraUnavailableException.class, () -> writer.write(command));
        messages.add(e.getMessage());
        return e;
    }

    private static ResponseDefinitionBuilder jiraError(int status, String json) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(json);
    }

    private static WriteBack.Comment internal(String text) {
        return new WriteBack.Comment(Visibility.INTERNAL, text);
    }

    // ---- SLA fields

    @Test
    void cloudFieldsAreOnePutWithTheLabelUtcDateTimesAndNullForAbsentDues() throws Exception {
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-12")).willReturn(aResponse().withStatus(204)));
        JiraWriter writer = cloudJsm();
        // Surefire runs with TZ=Pacific/Chatham (+13:45): a formatter on the default zone would show here.
        WriteBack.SlaFields fields = new WriteBack.SlaFields(SummaryState.AT_RISK, Instant.parse("2026-11-20T10:30:00Z"),
                Map.of(Metric.FIRST_RESPONSE, Instant.parse("2026-11-20T10:30:00Z"),
                        Metric.PERIODIC_UPDATE, Instant.parse("2026-11-20T12:00:00Z")));

        assertEquals(WriteResult.done(), write(writer, command("jira:SUP-12", fields, 0)));

        jira.verify(1, putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12")).withRequestBody(equalToJson("""
                {"fields": {
                  "customfield_10050": {"value": "At risk"},
                  "customfield_10051": "2026-11-20T10:30:00.000+0000",
                  "customfield_10052": "2026-11-20T10:30:00.000+0000",
                  "customfield_10053": null
                }}""")).withHeader("Content-Type", equalTo("application/json")));
        assertEquals(1, jira.getAllServeEvents().size());
        assertEquals(1, writer.calls());
    }

    @Test
    void linkedTicketsClocksGoInTheSameFieldWriteAndAnUnlinkedIssueHasThemCleared() throws Exception {
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/ENG-42")).willReturn(aResponse().withStatus(204)));
        JiraWriter writer = writer(b -> b.basic("bot@example.com", TOKEN).statusField(STATUS)
                .set(JiraSettings.CUSTOMER_STATUS_FIELD, "customfield_10060")
                .set(JiraSettings.CUSTOMER_DUE_FIELD, "customfield_10061")
                .set(JiraSettings.CUSTOMER_ACCOUNT_FIELD, "customfield_10062")
                .set(JiraSettings.CUSTOMERS_WAITING_FIELD, "customfield_10063"));
        WriteBack.SlaFields linked = new WriteBack.SlaFields(SummaryState.NONE, null, Map.of(), new WriteBack.Linked(
                null, null, "500A At risk", Instant.parse("2026-11-20T16:00:00Z"), "Acme (enterprise)", 3));

        assertEquals(WriteResult.done(), write(writer, command("jira:ENG-42", linked, 0)));
        jira.verify(1, putRequestedFor(urlPathEqualTo("/rest/api/3/issue/ENG-42")).withRequestBody(equalToJson("""
                {"fields": {
                  "customfield_10050": {"value": "No SLA"},
                  "customfield_10060": "500A At risk",
                  "customfield_10061": "2026-11-20T16:00:00.000+0000",
                  "customfield_10062": "Acme (enterprise)",
                  "customfield_10063": 3
                }}""")));

        jira.resetRequests();
        write(writer, command("jira:ENG-42", new WriteBack.SlaFields(SummaryState.NONE, null, Map.of()), 1));
        jira.verify(1, putRequestedFor(urlPathEqualTo("/rest/api/3/issue/ENG-42")).withRequestBody(equalToJson("""
                {"fields": {
                  "customfield_10050": {"value": "No SLA"},
                  "customfield_10060": null, "customfield_10061": null, "customfield_10062": null, "customfield_10063": null
                }}""")));
        assertEquals(1, jira.getAllServeEvents().size(), "one write, not one per field");
    }

    // ---- watchers

    private static final String NO_QUIET_EDIT = "{\"errorMessages\":[\"To discard the user notification either admin "
            + "or project admin permissions are required.\"],\"errors\":{}}";

    @Test
    void slaFieldWritesAskJiraNotToNotifyWatchersUnlessConfiguredTo() throws Exception {
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-12")).willReturn(aResponse().withStatus(204)));
        WriteBack.SlaFields fields = new WriteBack.SlaFields(SummaryState.ON_TRACK, null, Map.of());

        write(cloudJsm(), command("jira:SUP-12", fields, 0));
        jira.verify(1, putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12"))
                .withQueryParam("notifyUsers", equalTo("false")));

        jira.resetRequests();
        write(writer(b -> b.basic("bot@example.com", TOKEN).statusField(STATUS).notifyWatchers(true)),
                command("jira:SUP-12", fields, 0));
        jira.verify(1, putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12"))
                .withQueryParam("notifyUsers", com.github.tomakehurst.wiremock.client.WireMock.absent()));
    }

    @Test
    void withoutThePermissionToSilenceAWriteItNotifiesOnceWarnedAndLaterWritesGoWithoutTheParameter() throws Exception {
        // Jira Data Center: 403 for notifyUsers=false without Administer Jira / Administer Projects.
        jira.stubFor(put(urlPathEqualTo("/rest/api/2/issue/OPS-7")).withQueryParam("notifyUsers", equalTo("false"))
                .willReturn(jiraError(403, NO_QUIET_EDIT)));
        jira.stubFor(put(urlPathEqualTo("/rest/api/2/issue/OPS-7"))
                .withQueryParam("notifyUsers", com.github.tomakehurst.wiremock.client.WireMock.absent())
                .willReturn(aResponse().withStatus(204)));
        JiraWriter writer = dataCenter();
        WriteBack.SlaFields fields = new WriteBack.SlaFields(SummaryState.AT_RISK, null, Map.of());

        try (LogCapture log = new LogCapture()) {
            assertEquals(WriteResult.done(), write(writer, command("jira:OPS-7", fields, 0)));
            assertEquals(WriteResult.done(), write(writer, command("jira:OPS-7", fields, 0)));
            assertEquals(WriteResult.done(), write(writer, command("jira:OPS-7", fields, 0)));

            List<String> warnings = log.lines("without notifying watchers");
            assertEquals(1, warnings.size(), warnings::toString);
            assertTrue(warnings.get(0).contains("WARN"), warnings.get(0));
            assertTrue(warnings.get(0).contains("Administer Jira or Administer Projects permission"), warnings.get(0));
            assertTrue(warnings.get(0).contains("sla.jira.notify-watchers"), warnings.get(0));
            assertTrue(warnings.get(0).contains("To discard the user notification"), "Jira's own words: " + warnings);
        }
        jira.verify(1, putRequestedFor(urlPathEqualTo("/rest/api/2/issue/OPS-7")).withQueryParam("notifyUsers", equalTo("false")));
        jira.verify(3, putRequestedFor(urlPathEqualTo("/rest/api/2/issue/OPS-7"))
                .withQueryParam("notifyUsers", com.github.tomakehurst.wiremock.client.WireMock.absent()));
    }

    @Test
    void aWriteRefusedEvenWithNotificationsIsParkedAndLoggedWithJirasReason() throws Exception {
        jira.stubFor(put(urlPathEqualTo("/rest/api/2/issue/OPS-7")).willReturn(jiraError(403,
                "{\"errorMessages\":[\"You do not have permission to edit issues in this project.\"],\"errors\":{}}")));
        JiraWriter writer = dataCenter();

        try (LogCapture log = new LogCapture()) {
            WriteResult r = write(writer, command("jira:OPS-7",
                    new WriteBack.SlaFields(SummaryState.AT_RISK, null, Map.of()), 0));
            assertInstanceOf(WriteResult.Failed.class, r);
            List<String> parked = log.lines("parked");
            assertEquals(1, parked.size(), parked::toString);
            assertTrue(parked.get(0).contains("INFO") && parked.get(0).contains("SLA fields of OPS-7")
                    && parked.get(0).contains("You do not have permission to edit issues"), parked.get(0));
            assertEquals(List.of(), log.lines("without notifying watchers"), "not a notification problem");
        }
    }

    @Test
    void summaryWithoutAnyDueClearsEveryDueField() throws Exception {
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-3")).willReturn(aResponse().withStatus(204)));
        JiraWriter writer = cloudJsm();

        write(writer, command("jira:SUP-3", new WriteBack.SlaFields(SummaryState.MET, null, Map.of()), 0));

        jira.verify(putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-3")).withRequestBody(equalToJson("""
                {"fields": {"customfield_10050": {"value": "Met"}, "customfield_10051": null,
                            "customfield_10052": null, "customfield_10053": null}}""")));
    }

    @Test
    void dataCenterWritesOnlyItsOneFieldThroughApiV2WithThePat() throws Exception {
        jira.stubFor(put(urlPathEqualTo("/rest/api/2/issue/OPS-7")).willReturn(aResponse().withStatus(204)));
        JiraWriter writer = dataCenter();

        WriteResult r = write(writer, command("jira:OPS-7", new WriteBack.SlaFields(SummaryState.BREACHED,
                Instant.parse("2026-11-19T08:00:00Z"), Map.of(Metric.RESOLUTION, Instant.parse("2026-11-19T08:00:00Z"))), 0));

        assertEquals(WriteResult.done(), r);
        jira.verify(1, putRequestedFor(urlPathEqualTo("/rest/api/2/issue/OPS-7"))
                .withHeader("Authorization", equalTo("Bearer " + PAT))
                .withRequestBody(equalToJson("{\"fields\":{\"customfield_10050\":{\"value\":\"Breached\"}}}")));
    }

    @Test
    void withoutAnySlaFieldConfiguredFieldsAreDoneWithoutACall() throws Exception {
        JiraWriter writer = writer(b -> b.basic("bot@example.com", TOKEN));

        WriteResult r = write(writer, command("jira:SUP-12", new WriteBack.SlaFields(SummaryState.ON_TRACK,
                NOW.plusSeconds(3600), Map.of(Metric.FIRST_RESPONSE, NOW.plusSeconds(3600))), 0));

        assertEquals(WriteResult.done(), r);
        assertEquals(0, writer.calls());
        assertEquals(0, jira.getAllServeEvents().size());
    }

    // ---- comments

    @Test
    void cloudJsmInternalCommentIsAdfTaggedWithItsCommandInOneCall() throws Exception {
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/issue/SUP-12/comment")).willReturn(jiraError(201, "{\"id\":\"10001\"}")));
        JiraWriter writer = cloudJsm();

        WriteResult r = write(writer, command("jira:SUP-12",
                internal("SLA first_response on jira:SUP-12 is at 75%: due 2026-11-20T10:30:00Z.\n*not bold* [~admin]"), 0));

        assertEquals(WriteResult.done(), r);
        jira.verify(1, postRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12/comment")).withRequestBody(equalToJson("""
                {"body": {"type": "doc", "version": 1, "content": [
                   {"type": "paragraph", "content": [{"type": "text",
                      "text": "SLA first_response on jira:SUP-12 is at 75%: due 2026-11-20T10:30:00Z."}]},
                   {"type": "paragraph", "content": [{"type": "text", "text": "*not bold* [~admin]"}]}
                 ]},
                 "properties": [
                   {"key": "sd.public.comment", "value": {"internal": true}},
                   {"key": "sla-bridge", "value": {"command": "jira:SUP-12/cmd/41"}}
                 ]}""")));
        assertEquals(1, jira.getAllServeEvents().size(), "a first attempt does not look first");
    }

    @Test
    void publicCommentCarriesNoInternalPropertyOnlyItsCommand() throws Exception {
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/issue/SUP-12/comment")).willReturn(aResponse().withStatus(201)));
        JiraWriter writer = cloudJsm();

        write(writer, command("jira:SUP-12", new WriteBack.Comment(Visibility.PUBLIC, "We are on it."), 0));

        jira.verify(postRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12/comment")).withRequestBody(equalToJson("""
                {"body": {"type": "doc", "version": 1, "content": [
                   {"type": "paragraph", "content": [{"type": "text", "text": "We are on it."}]}]},
                 "properties": [{"key": "sla-bridge", "value": {"command": "jira:SUP-12/cmd/41"}}]}""")));
    }

    @Test
    void dataCenterCommentIsAnEscapedWikiStringRestrictedToTheRole() throws Exception {
        jira.stubFor(post(urlPathEqualTo("/rest/api/2/issue/OPS-7/comment")).willReturn(aResponse().withStatus(201)));
        JiraWriter writer = dataCenter();

        write(writer, command("jira:OPS-7", internal("Breached: due 2026-11-19T08:00:00Z ({policy} [x|http://evil])\n"
                + "- *urgent* first_response"), 0));

        jira.verify(1, postRequestedFor(urlPathEqualTo("/rest/api/2/issue/OPS-7/comment")).withRequestBody(equalToJson("""
                {"body": "Breached: due 2026-11-19T08:00:00Z (\\\\{policy\\\\} \\\\[x\\\\|http://evil\\\\])\\n\\\\- \\\\*urgent\\\\* first\\\\_response",
                 "visibility": {"type": "role", "value": "Administrators"},
                 "properties": [{"key": "sla-bridge", "value": {"command": "jira:OPS-7/cmd/41"}}]}""")));
    }

    @Test
    void plainCloudJiraInternalCommentUsesTheConfiguredGroupAndNoJsmProperty() throws Exception {
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/issue/DEV-9/comment")).willReturn(aResponse().withStatus(201)));
        JiraWriter writer = writer(b -> b.basic("bot@example.com", TOKEN).internalVisibility("group:support-agents"));

        write(writer, command("jira:DEV-9", internal("note"), 0));

        jira.verify(postRequestedFor(urlPathEqualTo("/rest/api/3/issue/DEV-9/comment")).withRequestBody(equalToJson("""
                {"body": {"type": "doc", "version": 1, "content": [
                   {"type": "paragraph", "content": [{"type": "text", "text": "note"}]}]},
                 "visibility": {"type": "group", "value": "support-agents"},
                 "properties": [{"key": "sla-bridge", "value": {"command": "jira:DEV-9/cmd/41"}}]}""")));
    }

    @Test
    void plainJiraWithoutAVisibilitySettingPostsInternalCommentsUnrestricted() throws Exception {
        jira.stubFor(post(urlPathEqualTo("/rest/api/2/issue/DEV-9/comment")).willReturn(aResponse().withStatus(201)));
        JiraWriter writer = writer(b -> b.deployment(JiraConfig.Deployment.DATA_CENTER).pat(PAT));

        write(writer, command("jira:DEV-9", internal("note"), 0));

        jira.verify(postRequestedFor(urlPathEqualTo("/rest/api/2/issue/DEV-9/comment")).withRequestBody(equalToJson(
                "{\"body\":\"note\",\"properties\":[{\"key\":\"sla-bridge\",\"value\":{\"command\":\"jira:DEV-9/cmd/41\"}}]}")));
    }

    @Test
    void retryAfterALostResponseDoesNotPostTwice() throws Exception {
        // The first POST lands in Jira, but its answer comes too late: a timeout, so the dispatcher retries.
        responseTimeout = Duration.ofMillis(500);
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/issue/SUP-12/comment"))
                .willReturn(aResponse().withStatus(201).withFixedDelay(2_000)));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-12/comment")).willReturn(jiraError(200, """
                {"startAt": 0, "maxResults": 50, "total": 2, "comments": [
                  {"id": "10002", "body": {"type": "doc", "version": 1, "content": []},
                   "properties": [{"key": "sd.public.comment", "value": {"internal": true}},
                                  {"key": "sla-bridge", "value": {"command": "jira:SUP-12/cmd/41"}}]},
                  {"id": "10001", "body": {"type": "doc", "version": 1, "content": []}}
                ]}""")));
        JiraWriter writer = cloudJsm();

        unavailable(writer, command("jira:SUP-12", internal("breached"), 0));
        WriteResult retry = write(writer, command("jira:SUP-12", internal("breached"), 1));

        assertEquals(WriteResult.done(), retry);
        jira.verify(1, postRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12/comment")));
        jira.verify(1, getRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12/comment"))
                .withQueryParam("expand", equalTo("properties")).withQueryParam("orderBy", equalTo("-created"))
                .withQueryParam("maxResults", equalTo("50")));
    }

    @Test
    void retryWhoseEarlierAttemptNeverLandedPostsOnce() throws Exception {
        jira.stubFor(get(urlPathEqualTo("/rest/api/2/issue/OPS-7/comment")).willReturn(jiraError(200, """
                {"startAt": 0, "maxResults": 50, "total": 2, "comments": [
                  {"id": "20002", "body": "older escalation",
                   "properties": [{"key": "sla-bridge", "value": {"command": "jira:OPS-7/cmd/40"}}]},
                  {"id": "20001", "body": "customer wrote", "properties": []}
                ]}""")));
        jira.stubFor(post(urlPathEqualTo("/rest/api/2/issue/OPS-7/comment")).willReturn(aResponse().withStatus(201)));
        JiraWriter writer = dataCenter();

        WriteResult r = write(writer, command("jira:OPS-7", internal("breached"), 2));

        assertEquals(WriteResult.done(), r);
        jira.verify(1, getRequestedFor(urlPathEqualTo("/rest/api/2/issue/OPS-7/comment")));
        jira.verify(1, postRequestedFor(urlPathEqualTo("/rest/api/2/issue/OPS-7/comment")).withRequestBody(equalToJson(
                "{\"body\":\"breached\",\"visibility\":{\"type\":\"role\",\"value\":\"Administrators\"},"
                        + "\"properties\":[{\"key\":\"sla-bridge\",\"value\":{\"command\":\"jira:OPS-7/cmd/41\"}}]}")));
        assertEquals(2, writer.calls());
    }

    @Test
    void retryWhoseLookGetsGarbageThrowsAndDoesNotPost() throws Exception {
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-12/comment"))
                .willReturn(aResponse().withStatus(200).withBody("<html>maintenance</html>")));
        JiraWriter writer = cloudJsm();

        JiraUnavailableException e = unavailable(writer, command("jira:SUP-12", internal("breached"), 1));

        assertTrue(e.getMessage().contains("SUP-12"), e.getMessage());
        jira.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void retryWhoseLookIsRateLimitedWaitsWithoutPosting() throws Exception {
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/issue/SUP-12/comment")).willReturn(
                jiraError(429, "{\"errorMessages\":[\"Rate limit exceeded.\"]}").withHeader("Retry-After", "12")));
        JiraWriter writer = cloudJsm();

        WriteResult r = write(writer, command("jira:SUP-12", internal("breached"), 1));

        assertEquals(Duration.ofSeconds(12), assertInstanceOf(WriteResult.RetryAfter.class, r).delay());
        jira.verify(0, postRequestedFor(anyUrl()));
    }

    // ---- priority, notify, keys

    @Test
    void setPriorityPutsTheDefaultSchemesName() throws Exception {
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-12")).willReturn(aResponse().withStatus(204)));
        JiraWriter writer = cloudJsm();

        assertEquals(WriteResult.done(), write(writer, command("jira:SUP-12", new WriteBack.SetPriority(Priority.URGENT), 0)));

        jira.verify(1, putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12"))
                .withRequestBody(equalToJson("{\"fields\":{\"priority\":{\"name\":\"Highest\"}}}")));
    }

    @Test
    void setPriorityPutsACustomSchemesNameAndParksAnUnmappedOne() throws Exception {
        jira.stubFor(put(urlPathEqualTo("/rest/api/2/issue/OPS-7")).willReturn(aResponse().withStatus(204)));
        JiraWriter writer = writer(b -> b.deployment(JiraConfig.Deployment.DATA_CENTER).pat(PAT)
                .priority("P1 - Critical", Priority.URGENT).priority("P2", Priority.HIGH));

        write(writer, command("jira:OPS-7", new WriteBack.SetPriority(Priority.URGENT), 0));
        WriteResult unmapped = write(writer, command("jira:OPS-7", new WriteBack.SetPriority(Priority.LOW), 0));

        jira.verify(1, putRequestedFor(urlPathEqualTo("/rest/api/2/issue/OPS-7"))
                .withRequestBody(equalToJson("{\"fields\":{\"priority\":{\"name\":\"P1 - Critical\"}}}")));
        String reason = assertInstanceOf(WriteResult.Failed.class, unmapped).reason();
        assertTrue(reason.contains("low") && reason.contains("OPS-7"), reason);
        assertEquals(1, writer.calls());
    }

    @Test
    void notifyIsNotJirasJob() throws Exception {
        JiraWriter writer = cloudJsm();

        WriteResult r = write(writer, command("jira:SUP-12", new WriteBack.Notify(List.of("lead@example.com"),
                "SLA breached", "text"), 0));

        assertTrue(assertInstanceOf(WriteResult.Failed.class, r).reason().startsWith("notify needs the email connector"));
        assertEquals(0, writer.calls());
    }

    @Test
    void aKeyThatIsNotAJiraIssueIsParkedWithoutACall() throws Exception {
        JiraWriter writer = cloudJsm();

        WriteResult r = write(writer, command("jira:SUP-12/../../myself", internal("x"), 0));

        assertTrue(assertInstanceOf(WriteResult.Failed.class, r).reason().contains("not a Jira ticket key"));
        assertEquals(0, writer.calls());
    }

    // ---- Jira's answers

    @Test
    void rejectedCredentialsWaitFiveMinutesAndNameTheSettingsNotTheSecret() throws Exception {
        jira.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(401).withBody("Client must be authenticated")));
        JiraWriter writer = cloudJsm();

        WriteResult r = write(writer, command("jira:SUP-12", new WriteBack.SetPriority(Priority.HIGH), 0));

        WriteResult.RetryAfter wait = assertInstanceOf(WriteResult.RetryAfter.class, r);
        assertEquals(Duration.ofMinutes(5), wait.delay());
        assertTrue(wait.reason().contains("Jira rejected the credentials"), wait.reason());
        assertTrue(wait.reason().contains("sla.jira.api-token") && wait.reason().contains("sla.jira.pat"), wait.reason());
        jira.verify(anyRequestedFor(anyUrl()).withHeader("Authorization", equalTo("Basic Ym90QGV4YW1wbGUuY29tOnMzY3JldC10b2tlbg==")));
    }

    @Test
    void forbiddenIsParkedWithJirasMessageAndTheIssue() throws Exception {
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/issue/SUP-12/comment")).willReturn(jiraError(403,
                "{\"errorMessages\":[\"You do not have permission to comment on this issue.\"],\"errors\":{}}")));
        JiraWriter writer = cloudJsm();

        WriteResult r = write(writer, command("jira:SUP-12", internal("x"), 0));

        assertEquals("comment on SUP-12: POST /rest/api/3/issue/SUP-12/comment: HTTP 403; You do not have permission "
                + "to comment on this issue.", assertInstanceOf(WriteResult.Failed.class, r).reason());
    }

    @Test
    void aDeletedIssueIsParked() throws Exception {
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-404")).willReturn(jiraError(404,
                "{\"errorMessages\":[\"Issue does not exist or you do not have permission to see it.\"],\"errors\":{}}")));
        JiraWriter writer = cloudJsm();

        WriteResult r = write(writer, command("jira:SUP-404", new WriteBack.SlaFields(SummaryState.ON_TRACK, null, Map.of()), 0));

        String reason = assertInstanceOf(WriteResult.Failed.class, r).reason();
        assertTrue(reason.startsWith("SLA fields of SUP-404: PUT /rest/api/3/issue/SUP-404: HTTP 404; Issue does not exist"),
                reason);
    }

    @Test
    void aBadFieldIsParkedNamingTheFieldAndJirasWords() throws Exception {
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-12")).willReturn(jiraError(400, """
                {"errorMessages": [], "errors": {"customfield_10050": "Option value 'At risk' is not valid"}}""")));
        JiraWriter writer = cloudJsm();

        WriteResult r = write(writer, command("jira:SUP-12", new WriteBack.SlaFields(SummaryState.AT_RISK, null, Map.of()), 0));

        assertEquals("SLA fields of SUP-12: PUT /rest/api/3/issue/SUP-12: HTTP 400; customfield_10050: Option value "
                + "'At risk' is not valid", assertInstanceOf(WriteResult.Failed.class, r).reason());
    }

    @Test
    void aMalformedErrorBodyIsParkedWithItsText() throws Exception {
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-12")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"errorMessages\": [\"truncat")));
        JiraWriter writer = cloudJsm();

        WriteResult r = write(writer, command("jira:SUP-12", new WriteBack.SetPriority(Priority.HIGH), 0));

        assertEquals("priority High of SUP-12: PUT /rest/api/3/issue/SUP-12: HTTP 400; {\"errorMessages\": [\"truncat",
                assertInstanceOf(WriteResult.Failed.class, r).reason());
    }

    @Test
    void rateLimitWaitsAsLongAsRetryAfterSays() throws Exception {
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/issue/SUP-12/comment")).willReturn(
                jiraError(429, "{\"errorMessages\":[\"Rate limit exceeded.\"],\"errors\":{}}").withHeader("Retry-After", "30")));
        JiraWriter writer = cloudJsm();

        WriteResult.RetryAfter r = assertInstanceOf(WriteResult.RetryAfter.class,
                write(writer, command("jira:SUP-12", internal("x"), 0)));

        assertEquals(Duration.ofSeconds(30), r.delay());
        assertTrue(r.reason().contains("SUP-12") && r.reason().contains("Rate limit exceeded."), r.reason());
        jira.verify(1, postRequestedFor(anyUrl())); // the HTTP client does not sleep it out and call again
    }

    @Test
    void rateLimitWaitsUntilTheResetInstantWithoutRetryAfter() throws Exception {
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-12")).willReturn(
                aResponse().withStatus(429).withHeader("X-RateLimit-Reset", "2026-11-20T10:02:00Z")));
        JiraWriter writer = cloudJsm();

        WriteResult r = write(writer, command("jira:SUP-12", new WriteBack.SetPriority(Priority.HIGH), 0));

        assertEquals(Duration.ofMinutes(2), assertInstanceOf(WriteResult.RetryAfter.class, r).delay());
    }

    @Test
    void rateLimitWithoutAnyHintWaitsTheDefaultAndAZeroHintASecond() throws Exception {
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-1")).willReturn(aResponse().withStatus(429)));
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-2")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "0")));
        JiraWriter writer = cloudJsm();

        WriteResult none = write(writer, command("jira:SUP-1", new WriteBack.SetPriority(Priority.HIGH), 0));
        WriteResult zero = write(writer, command("jira:SUP-2", new WriteBack.SetPriority(Priority.HIGH), 0));

        assertEquals(Duration.ofSeconds(60), assertInstanceOf(WriteResult.RetryAfter.class, none).delay());
        assertEquals(Duration.ofSeconds(1), assertInstanceOf(WriteResult.RetryAfter.class, zero).delay());
        assertEquals(2, jira.getAllServeEvents().size());
    }

    @Test
    void unavailableWithRetryAfterWaitsAndWithoutItThrows() throws Exception {
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-1")).willReturn(aResponse().withStatus(503)
                .withHeader("Retry-After", "120").withBody("Service Unavailable")));
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-2")).willReturn(aResponse().withStatus(503)
                .withBody("<html><body>upstream down</body></html>")));
        JiraWriter writer = cloudJsm();

        WriteResult r = write(writer, command("jira:SUP-1", new WriteBack.SetPriority(Priority.HIGH), 0));
        JiraUnavailableException e = unavailable(writer, command("jira:SUP-2", new WriteBack.SetPriority(Priority.HIGH), 0));

        WriteResult.RetryAfter wait = assertInstanceOf(WriteResult.RetryAfter.class, r);
        assertEquals(Duration.ofMinutes(2), wait.delay());
        assertTrue(wait.reason().contains("HTTP 503; Service Unavailable"), wait.reason());
        assertTrue(e.getMessage().contains("HTTP 503; <html><body>upstream down"), e.getMessage());
        assertEquals(2, jira.getAllServeEvents().size(), "one call each, no retry inside the client");
    }

    @Test
    void aServerErrorThrowsForTheDispatchersBackoff() {
        jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-12")).willReturn(jiraError(500,
                "{\"errorMessages\":[\"Internal server error\"]}")));
        JiraWriter writer = cloudJsm();

        JiraUnavailableException e = unavailable(writer, command("jira:SUP-12", new WriteBack.SetPriority(Priority.HIGH), 0));

        assertEquals("priority High of SUP-12: PUT /rest/api/3/issue/SUP-12: HTTP 500; Internal server error", e.getMessage());
    }

    @Test
    void aTimeoutThrowsAndNamesNoSecret() {
        responseTimeout = Duration.ofMillis(500);
        jira.stubFor(put(urlPathEqualTo("/rest/api/2/issue/OPS-7")).willReturn(aResponse().withStatus(204)
                .withFixedDelay(2_000)));
        JiraWriter writer = dataCenter();

        JiraUnavailableException e = unavailable(writer, command("jira:OPS-7",
                new WriteBack.SlaFields(SummaryState.ON_TRACK, null, Map.of()), 0));

        assertTrue(e.getMessage().startsWith("PUT /rest/api/2/issue/OPS-7: "), e.getMessage());
    }

    // ---- text formats

    @Test
    void adfHasOneParagraphPerLineAndEmptyParagraphsForEmptyLines() {
        assertEquals("{\"type\":\"doc\",\"version\":1,\"content\":[{\"type\":\"paragraph\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"a\"}]},{\"type\":\"paragraph\",\"content\":[]},{\"type\":\"paragraph\",\"content\":[{\"type\":"
                + "\"text\",\"text\":\"<b>{x}</b>\"}]}]}", JiraWriter.adf("a\r\n\n<b>{x}</b>").toString());
    }

    @Test
    void wikiEscapingDisarmsMarkupAndLeavesPlainTextAlone() {
        assertEquals("SLA first\\_response on jira:SUP-12: due 2026-11-20T10:30:00Z (30m left)",
                JiraWriter.escapeWiki("SLA first_response on jira:SUP-12: due 2026-11-20T10:30:00Z (30m left)"));
        assertEquals("\\[\\~admin\\] \\{html\\}\\<script\\> \\!http://x/i.png\\! a\\|b \\*b\\* \\+i\\+ x\\^2\\^",
                JiraWriter.escapeWiki("[~admin] {html}\\<script\\> !http://x/i.png! a|b *b* +i+ x^2^")
                        .replace("&#92;", "\\"));
        assertEquals("&#92;\\[link\\]", JiraWriter.escapeWiki("\\[link]"), "a backslash cannot undo an escape");
        assertEquals("\\- item\n  \\# one\n\\-\\-\\-\\-\nremaining \\-1h, a \\-struck\\- word, well-known",
                JiraWriter.escapeWiki("- item\n  # one\n----\nremaining -1h, a -struck- word, well-known"));
        assertEquals("issue #12 ok?", JiraWriter.escapeWiki("issue #12 ok?"));
    }

    // ---- ticket content in comments: hostile text stays text

    /**
     * What a ticket's title or a mail's subject may carry into an escalation comment through {@code {title}}: Jira
     * wiki markup, ADF-looking JSON, HTML, and line starts that make blocks.
     */
    static final List<String> HOSTILE = List.of(
            "{code}System.exit(0){code}",
            "[click here|http://evil.example/phish] and [~admin] and [^secret.pdf]",
            "!image.png! !http://evil.example/track.png|thumbnail!",
            "{{monospace}} *bold* _italic_ -deleted- +inserted+ ^sup^ ~sub~ ??citation??",
            "h1. Pwned",
            "bq. quoted",
            "{\"type\":\"doc\",\"version\":1,\"content\":[{\"type\":\"mention\",\"attrs\":{\"id\":\"admin\"}}]}",
            "<script>alert(1)</script><a href=\"http://evil.example\">x</a>",
            "{color:red}red{color} {html}<b>x</b>{html} {panel:title=x}y{panel}",
            "|| head || head ||\n| cell | cell |",
            "line \\\\ break \\[not a link] &#123;code&#125; &amp; R&D",
            "# one\n* two\n- three\n----\n  h2. indented",
            "well-known 2026-11-20T10:30:00Z -1h30m why? yes?!");

    @Test
    void hostileTicketContentIsOnlyTextNodesInAdfCarryingItVerbatim() throws Exception {
        jira.stubFor(post(urlPathEqualTo("/rest/api/3/issue/SUP-12/comment")).willReturn(aResponse().withStatus(201)));
        JiraWriter writer = cloudJsm();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String title : HOSTILE) {
            jira.resetRequests();
            String text = io.slabridge.core.escalation.StepContext.render("Breached: {title}\n{title}", Map.of("title", title));

            assertEquals(WriteResult.done(), write(writer, command("jira:SUP-12", internal(text), 0)));

            com.fasterxml.jackson.databind.JsonNode doc = json.readTree(jira.getAllServeEvents().get(0).getRequest()
                    .getBodyAsString()).path("body");
            assertEquals("doc", doc.path("type").asText());
            List<String> lines = new ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode paragraph : doc.path("content")) {
                assertEquals(List.of("content", "type"), fieldNames(paragraph), title);
                assertEquals("paragraph", paragraph.path("type").asText(), title);
                StringBuilder line = new StringBuilder();
                for (com.fasterxml.jackson.databind.JsonNode inline : paragraph.path("content")) {
                    assertEquals(List.of("text", "type"), fieldNames(inline), "no marks, no attributes: " + title);
                    assertEquals("text", inline.path("type").asText(), title);
                    line.append(inline.path("text").asText());
                }
                lines.add(line.toString());
            }
            assertEquals(text, String.join("\n", lines), "the text verbatim");
        }
    }

    private static List<String> fieldNames(com.fasterxml.jackson.databind.JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        java.util.Collections.sort(names);
        return names;
    }

    @Test
    void hostileTicketContentIsEscapedWikiThatShowsItVerbatimOnDataCenter() throws Exception {
        jira.stubFor(post(urlPathEqualTo("/rest/api/2/issue/OPS-7/comment")).willReturn(aResponse().withStatus(201)));
        JiraWriter writer = dataCenter();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String title : HOSTILE) {
            jira.resetRequests();
            String text = io.slabridge.core.escalation.StepContext.render("{title}\nBreached: {title}", Map.of("title", title));

            assertEquals(WriteResult.done(), write(writer, command("jira:OPS-7", internal(text), 0)));

            String body = json.readTree(jira.getAllServeEvents().get(0).getRequest().getBodyAsString()).path("body")
                    .asText();
            assertEquals(List.of(), markupIn(body), "markup left in " + body);
            assertEquals(text, shownByJira(body), "shown as written: " + body);
        }
    }

    /**
     * The wiki markup Jira would act on in {@code wiki}: an unescaped special character, an entity we do not write,
     * or a line starting a heading, quote, list or rule. Empty when the text is inert.
     */
    static List<String> markupIn(String wiki) {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < wiki.length(); i++) {
            char ch = wiki.charAt(i);
            if (ch == '\\') {
                i++; // an escaped character
            } else if (ch == '&') {
                if (!ENTITY.matcher(wiki).region(i, wiki.length()).lookingAt()) {
                    found.add("a bare & at " + i);
                }
            } else if ("{}[]|!*_+^~".indexOf(ch) >= 0) {
                found.add("'" + ch + "' at " + i);
            } else if (ch == '?' && i + 1 < wiki.length() && wiki.charAt(i + 1) == '?') {
                found.add("?? at " + i);
            }
        }
        for (String line : wiki.split("\n", -1)) {
            if (line.stripLeading().matches("(h[1-6]|bq)\\..*|[#*-].*")) {
                found.add("a block at the start of: " + line);
            }
        }
        return found;
    }

    private static final java.util.regex.Pattern ENTITY = java.util.regex.Pattern.compile("&(amp|#92|#46|#63);");

    /** The text Jira shows for escaped wiki: backslash escapes and our entities undone. */
    static String shownByJira(String wiki) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < wiki.length(); i++) {
            char ch = wiki.charAt(i);
            java.util.regex.Matcher entity = ENTITY.matcher(wiki).region(i, wiki.length());
            if (ch == '\\' && i + 1 < wiki.length()) {
                out.append(wiki.charAt(++i));
            } else if (ch == '&' && entity.lookingAt()) {
                out.append(switch (entity.group(1)) {
                    case "amp" -> '&';
                    case "#92" -> '\\';
                    case "#46" -> '.';
                    default -> '?';
                });
                i = entity.end() - 1;
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }
}
