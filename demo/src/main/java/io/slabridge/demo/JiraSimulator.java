package io.slabridge.demo;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.fasterxml.jackson.databind.JsonNode;
import io.slabridge.core.model.SummaryState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Jira Cloud (Service Management) on WireMock: the calls sla-bridge makes at start (who am I, the SLA fields and
 * the status field's options), the issue reads, the user search, and the writes (SLA fields, comments, assignee),
 * printed as they arrive. It
 * sends the story's webhooks, signed as Jira signs them.
 */
final class JiraSimulator extends HttpSimulator {
    /** The demo's SLA fields: a select list for the status, a date-time for the next due instant. */
    static final String STATUS_FIELD = "customfield_10100";
    static final String NEXT_DUE_FIELD = "customfield_10101";
    private static final Pattern ISSUE_PATH = Pattern.compile("/issue/([A-Z]+-[0-9]+)(/comment|/assignee)?");
    /** The support lead the policy's breach step assigns to, as Jira's user search finds them. */
    static final String LEAD_ACCOUNT = "712020:lee-lead";
    static final String LEAD_NAME = "Lee Lead";

    private final URI webhooks;
    private final String webhookSecret;
    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * @param webhooks      where sla-bridge takes Jira's webhooks
     * @param webhookSecret the secret the webhooks are signed with, as sla-bridge is set up to check
     */
    JiraSimulator(DemoClock clock, WriteBackLog log, URI webhooks, String webhookSecret) {
        super("jira", clock, log, UnaryOperator.identity());
        this.webhooks = webhooks;
        this.webhookSecret = webhookSecret;
        server.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(okJson(
                "{\"accountId\":\"712020:sla-bridge-bot\",\"timeZone\":\"UTC\"}")));
        // The SLA fields the demo writes, as GET /rest/api/3/field and the status field's context and options
        // answer: sla-bridge checks them before it starts.
        server.stubFor(get(urlPathEqualTo("/rest/api/3/field")).willReturn(okJson("[{\"id\":\"" + STATUS_FIELD + "\","
                + "\"key\":\"" + STATUS_FIELD + "\",\"name\":\"SLA status\",\"custom\":true,\"schema\":{\"type\":\"option\","
                + "\"custom\":\"com.atlassian.jira.plugin.system.customfieldtypes:select\",\"customId\":10100}},"
                + "{\"id\":\"" + NEXT_DUE_FIELD + "\",\"key\":\"" + NEXT_DUE_FIELD + "\",\"name\":\"SLA next due\","
                + "\"custom\":true,\"schema\":{\"type\":\"datetime\","
                + "\"custom\":\"com.atlassian.jira.plugin.system.customfieldtypes:datetime\",\"customId\":10101}}]")));
        server.stubFor(get(urlPathEqualTo("/rest/api/3/field/" + STATUS_FIELD + "/context")).willReturn(okJson(
                "{\"maxResults\":50,\"startAt\":0,\"total\":1,\"isLast\":true,\"values\":[{\"id\":\"10200\","
                        + "\"name\":\"Default Configuration Scheme for SLA status\",\"isGlobalContext\":true,"
                        + "\"isAnyIssueType\":true}]}")));
        StringBuilder options = new StringBuilder();
        for (SummaryState state : SummaryState.values()) {
            options.append(options.length() == 0 ? "" : ",").append("{\"id\":\"1003").append(state.ordinal())
                    .append("\",\"value\":\"").append(state.label()).append("\",\"disabled\":false}");
        }
        server.stubFor(get(urlPathEqualTo("/rest/api/3/field/" + STATUS_FIELD + "/context/10200/option"))
                .willReturn(okJson("{\"maxResults\":50,\"startAt\":0,\"total\":6,\"isLast\":true,\"values\":["
                        + options + "]}")));
        server.stubFor(get(urlPathMatching("/rest/api/3/issue/[A-Z]+-[0-9]+")).willReturn(okJson(
                "{\"fields\":{\"reporter\":{\"accountId\":\"557058:cust-1\",\"accountType\":\"customer\"}}}")));
        server.stubFor(put(urlPathMatching("/rest/api/3/issue/[A-Z]+-[0-9]+")).willReturn(aResponse().withStatus(204)));
        server.stubFor(post(urlPathMatching("/rest/api/3/issue/[A-Z]+-[0-9]+/comment"))
                .willReturn(okJson("{\"id\":\"10300\"}").withStatus(201)));
        // GET /rest/api/3/user/search?query=: a list of users; the lead's address is visible.
        server.stubFor(get(urlPathEqualTo("/rest/api/3/user/search")).withQueryParam("query",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo(DemoStory.ASSIGNEE)).willReturn(okJson(
                        "[{\"accountId\":\"" + LEAD_ACCOUNT + "\",\"accountType\":\"atlassian\",\"emailAddress\":\""
                                + DemoStory.ASSIGNEE + "\",\"displayName\":\"" + LEAD_NAME + "\",\"active\":true,"
                                + "\"timeZone\":\"UTC\",\"locale\":\"en_US\"}]")));
        server.stubFor(put(urlPathMatching("/rest/api/3/issue/[A-Z]+-[0-9]+/assignee"))
                .willReturn(aResponse().withStatus(204)));
        server.stubFor(get(urlPathMatching("/rest/api/3/issue/[A-Z]+-[0-9]+/comment"))
                .willReturn(okJson("{\"startAt\":0,\"total\":0,\"comments\":[]}")));
    }

    /** Sends a webhook to sla-bridge, signed with the webhook secret; returns its answer. */
    HttpResponse<String> sendWebhook(String body) throws IOException, InterruptedException {
        String signature;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(webhookSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            signature = HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
        return http.send(HttpRequest.newBuilder(webhooks).header("X-Hub-Signature", "sha256=" + signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Whether sla-bridge wrote {@code status} into the issue's SLA status field. */
    boolean statusWritten(String key, String status) {
        return requests("PUT", path -> path.endsWith("/issue/" + key), // ?notifyUsers=false
                body -> body.contains("\"value\":\"" + status + "\"")) > 0;
    }

    /** Whether sla-bridge assigned the issue to the lead. */
    boolean assignedToLead(String key) {
        return requests("PUT", path -> path.endsWith("/issue/" + key + "/assignee"),
                body -> body.contains(LEAD_ACCOUNT)) > 0;
    }

    /** How many comments sla-bridge posted on the issue. */
    long comments(String key) {
        return requests("POST", path -> path.endsWith("/issue/" + key + "/comment"), body -> true);
    }

    @Override
    void wrote(String at, String method, String path, JsonNode body) {
        Matcher m = ISSUE_PATH.matcher(path);
        String key = m.find() ? m.group(1) : path;
        if ("/assignee".equals(m.group(2))) {
            String account = body.path("accountId").asText("?");
            log.wrote("jira assignee", String.format("[%s]   -> jira %s: PUT assignee = %s", at, key,
                    account.equals(LEAD_ACCOUNT) ? LEAD_NAME + " (" + DemoStory.ASSIGNEE + ")" : account));
        } else if (m.group(2) == null) {
            JsonNode f = body.path("fields");
            // An engineering issue's write carries the customer's clock too: shown, or the line reads as a repeat.
            String customer = f.has(LinkedStory.CUSTOMER_STATUS_FIELD) ? String.format(", customer = %s, due %s",
                    text(f.path(LinkedStory.CUSTOMER_STATUS_FIELD)),
                    WriteBackLog.shortTime(f.path(LinkedStory.CUSTOMER_DUE_FIELD).asText(""))) : "";
            log.wrote("jira fields", String.format("[%s]   -> jira %s: PUT SLA status = %s, next due = %s%s", at, key,
                    f.path(STATUS_FIELD).path("value").asText("-"),
                    WriteBackLog.shortTime(f.path(NEXT_DUE_FIELD).asText("")), customer));
        } else {
            boolean internal = body.toString().contains("\"internal\":true");
            log.wrote("jira comments", String.format("[%s]   -> jira %s: POST %s comment \"%s\"", at, key,
                    internal ? "internal" : "public", WriteBackLog.shorten(adfText(body.path("body")))));
        }
    }

    /** A text field's value, or an option's ({@code {"value": ...}}); {@code -} when cleared. */
    private static String text(JsonNode field) {
        String value = field.isObject() ? field.path("value").asText("") : field.asText("");
        return value.isEmpty() ? "-" : value;
    }

    /** The text of a comment body in Atlassian Document Format. */
    private static String adfText(JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        StringBuilder b = new StringBuilder();
        if (node.has("text")) {
            b.append(node.get("text").asText());
        }
        for (JsonNode c : node.path("content")) {
            String t = adfText(c);
            if (!t.isEmpty()) {
                b.append(b.length() > 0 ? " " : "").append(t);
            }
        }
        return b.toString();
    }
}
