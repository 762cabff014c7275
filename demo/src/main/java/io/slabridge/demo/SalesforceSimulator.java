package io.slabridge.demo;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.slabridge.routes.testing.FakeCaseDescribe;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A Salesforce org on WireMock: the OAuth log-in, Case's describe (with the demo's SLA fields), the SOQL polls
 * (the seeded Cases; no e-mails or comments), the look-up of the lead a Case is assigned to (a User by e-mail; no
 * queue), and the composite writes (SLA fields, owner, CaseComments), printed as they arrive.
 */
final class SalesforceSimulator extends HttpSimulator {
    /** The REST API version sla-bridge calls. */
    static final String DATA = "/services/data/v62.0";
    /** The demo's SLA fields on Case. */
    static final String STATUS_FIELD = "SLA_Status__c";
    static final String NEXT_DUE_FIELD = "SLA_Next_Due__c";
    /** The support lead's User id, found by their e-mail address. */
    static final String LEAD_USER = "005Qy00000LeeLdIAA";

    /** @param cases the answer to sla-bridge's poll of Cases: a SOQL query result */
    SalesforceSimulator(DemoClock clock, WriteBackLog log, String cases) {
        super("salesforce", clock, log, options -> options.extensions(new CompositeAnswer()));
        String base = "http://127.0.0.1:" + port();
        server.stubFor(post(urlPathEqualTo("/services/oauth2/token")).willReturn(okJson(
                "{\"access_token\":\"demo-token\",\"instance_url\":\"" + base + "\",\"id\":\"" + base
                        + "/id/00DQy000001gPLEAY/005Qy00000SlaBotIAA\",\"token_type\":\"Bearer\","
                        + "\"issued_at\":\"1763629200000\",\"signature\":\"c2ln\"}")));
        server.stubFor(get(urlPathEqualTo("/services/oauth2/revoke")).willReturn(aResponse().withStatus(200)));
        server.stubFor(get(urlPathEqualTo(DATA + "/sobjects/Case/describe")).willReturn(okJson(
                FakeCaseDescribe.json(DATA, true, FakeCaseDescribe.SLA_FIELDS))));
        server.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("FROM Case WHERE"))
                .willReturn(okJson(cases)));
        String none = "{\"totalSize\":0,\"done\":true,\"records\":[]}";
        server.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("FROM EmailMessage"))
                .willReturn(okJson(none)));
        server.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("FROM CaseComment"))
                .willReturn(okJson(none)));
        server.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("FROM User WHERE"))
                .willReturn(okJson("{\"totalSize\":1,\"done\":true,\"records\":[{\"attributes\":{\"type\":\"User\","
                        + "\"url\":\"" + DATA + "/sobjects/User/" + LEAD_USER + "\"},\"Id\":\"" + LEAD_USER + "\","
                        + "\"Name\":\"" + JiraSimulator.LEAD_NAME + "\",\"Username\":\"" + DemoStory.ASSIGNEE + ".demo\"}]}")));
        server.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("FROM Group WHERE"))
                .willReturn(okJson(none)));
        server.stubFor(patch(urlPathEqualTo(DATA + "/composite/sobjects"))
                .willReturn(aResponse().withTransformers(CompositeAnswer.NAME)));
        server.stubFor(post(urlPathEqualTo(DATA + "/composite/sobjects"))
                .willReturn(aResponse().withTransformers(CompositeAnswer.NAME)));
    }

    /** Whether sla-bridge wrote {@code status} into the Case's SLA status field. */
    boolean statusWritten(String id, String status) {
        Pattern record = Pattern.compile("\"[iI]d\"\\s*:\\s*\"" + id + "\"[^}]*\"" + STATUS_FIELD + "\"\\s*:\\s*\""
                + status + "\"");
        return requests("PATCH", path -> true, body -> record.matcher(body).find()) > 0;
    }

    /** Whether sla-bridge made the lead the Case's owner. */
    boolean ownedByLead(String id) {
        Pattern record = Pattern.compile("\"[iI]d\"\\s*:\\s*\"" + id + "\"[^}]*\"OwnerId\"\\s*:\\s*\"" + LEAD_USER + "\"");
        return requests("PATCH", path -> true, body -> record.matcher(body).find()) > 0;
    }

    /** How many requests of sla-bridge created comments on the Case. */
    long comments(String id) {
        return requests("POST", path -> true, body -> body.contains("\"ParentId\":\"" + id + "\""));
    }

    @Override
    void wrote(String at, String method, String path, JsonNode body) {
        for (JsonNode r : body.path("records")) {
            if (method.equals("PATCH") && r.has("OwnerId")) {
                String owner = r.path("OwnerId").asText();
                log.wrote("salesforce owner", String.format("[%s]   -> salesforce %s: PATCH OwnerId = %s", at,
                        r.path("id").asText(r.path("Id").asText()), owner.equals(LEAD_USER)
                                ? owner + " (" + JiraSimulator.LEAD_NAME + ", " + DemoStory.ASSIGNEE + ")" : owner));
            } else if (method.equals("PATCH")) {
                // A Case escalated to engineering carries engineering's clock too: shown, or the line reads as a repeat.
                String engineering = r.has(LinkedStory.ENGINEERING_STATUS_FIELD) ? String.format(", %s = %s",
                        LinkedStory.ENGINEERING_STATUS_FIELD, r.path(LinkedStory.ENGINEERING_STATUS_FIELD).asText("-"))
                        : "";
                log.wrote("salesforce fields", String.format("[%s]   -> salesforce %s: PATCH %s = %s, %s = %s%s", at,
                        r.path("id").asText(r.path("Id").asText()), STATUS_FIELD, r.path(STATUS_FIELD).asText("-"),
                        NEXT_DUE_FIELD, WriteBackLog.shortTime(r.path(NEXT_DUE_FIELD).asText("")), engineering));
            } else {
                log.wrote("salesforce comments", String.format("[%s]   -> salesforce %s: %s (%s) \"%s\"", at,
                        r.path("ParentId").asText(), r.path("attributes").path("type").asText(),
                        r.path("IsPublished").asBoolean(true) ? "public" : "internal",
                        WriteBackLog.shorten(r.path("CommentBody").asText())));
            }
        }
    }

    /** Salesforce's composite sObject answer: one success per record sent, in order. */
    static final class CompositeAnswer implements ResponseDefinitionTransformerV2 {
        static final String NAME = "sla-demo-composite";
        private final AtomicInteger ids = new AtomicInteger();

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            StringBuilder answer = new StringBuilder("[");
            try {
                JsonNode records = JSON.readTree(event.getRequest().getBodyAsString()).path("records");
                for (JsonNode r : records) {
                    String id = r.hasNonNull("id") ? r.get("id").asText() : r.hasNonNull("Id") ? r.get("Id").asText()
                            : String.format("00aQy%010dIAA", ids.incrementAndGet());
                    answer.append(answer.length() > 1 ? "," : "").append("{\"id\":\"").append(id)
                            .append("\",\"success\":true,\"errors\":[]}");
                }
            } catch (IOException e) {
                return ResponseDefinition.badRequest(null);
            }
            return okJson(answer.append(']').toString()).build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }
}
