package io.slabridge.demo;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.UnaryOperator;

/**
 * A Microsoft Teams channel's Workflows webhook ("Send webhook alerts to a channel") on WireMock: it takes a message
 * with an Adaptive Card attachment and answers {@code 202 Accepted} with no body, as Power Automate's HTTP trigger
 * does; the card is printed as it arrives. The URL, a secret in real life, carries a made-up signature.
 */
final class TeamsSimulator extends HttpSimulator {
    /** The webhook's name in the demo policy and settings ({@code sla.teams.webhook.support-leads}). */
    static final String WEBHOOK = "support-leads";
    private static final String PATH = "/workflows/0d3m0support1eads/triggers/manual/paths/invoke";

    TeamsSimulator(DemoClock clock, WriteBackLog log) {
        super("teams", clock, log, UnaryOperator.identity());
        server.stubFor(post(urlPathEqualTo(PATH)).withHeader("Content-Type",
                com.github.tomakehurst.wiremock.client.WireMock.containing("application/json"))
                .willReturn(aResponse().withStatus(202)));
    }

    /** The webhook's URL, as {@code sla.teams.webhook.<name>} takes it. */
    String url() {
        return "http://127.0.0.1:" + port() + PATH + "?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0"
                + "&sig=demo-signature";
    }

    /** How many cards about {@code ticket} arrived. */
    long cards(String ticket) {
        return requests("POST", path -> path.equals(PATH), body -> body.contains("\"value\":\"" + ticket));
    }

    @Override
    void wrote(String at, String method, String path, JsonNode body) {
        JsonNode card = body.path("attachments").path(0).path("content");
        String text = card.path("body").path(0).path("text").asText("");
        String ticket = "";
        for (JsonNode fact : card.path("body").path(1).path("facts")) {
            if (fact.path("title").asText().equals("Ticket")) {
                ticket = fact.path("value").asText();
            }
        }
        log.wrote("teams " + WEBHOOK, String.format("[%s]   -> teams %s: Adaptive Card \"%s\" [%s]", at, WEBHOOK,
                WriteBackLog.shorten(text), WriteBackLog.shorten(ticket)));
    }
}
