package io.slabridge.connector.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;

/** A fake Salesforce for camel-salesforce: the OAuth token endpoint, the revoke it calls on shutdown, the REST paths. */
final class SalesforceFixtures {
    /** The integration user: the token response's identity URL names it. */
    static final String INTEGRATION_USER = "005000000000001AAA";
    static final String AGENT = "005000000000002AAA";
    static final String PORTAL_USER = "005000000000003AAA";
    static final String DATA = "/services/data/v62.0";

    private SalesforceFixtures() {
    }

    /** The token endpoint (client credentials) answering {@code token}, and the revoke endpoint. */
    static void stubLogin(WireMockServer sf, String token) {
        sf.stubFor(post(urlPathEqualTo("/services/oauth2/token")).willReturn(okJson(tokenResponse(sf, token))));
        stubRevoke(sf);
    }

    static void stubRevoke(WireMockServer sf) {
        sf.stubFor(get(urlPathEqualTo("/services/oauth2/revoke")).willReturn(aResponse().withStatus(200)));
    }

    static String tokenResponse(WireMockServer sf, String token) {
        String base = "http://127.0.0.1:" + sf.port();
        return "{\"access_token\":\"" + token + "\",\"instance_url\":\"" + base + "\",\"id\":\"" + base
                + "/id/00D000000000001EAA/" + INTEGRATION_USER + "\",\"token_type\":\"Bearer\","
                + "\"issued_at\":\"1763630102514\",\"signature\":\"c2lnbmF0dXJl\"}";
    }

    /** A configuration for the fake: client credentials, the usual SLA fields. */
    static SalesforceConfig.Builder config(WireMockServer sf) {
        return SalesforceConfig.builder().loginUrl("http://127.0.0.1:" + sf.port())
                .clientCredentials("3MVG9-consumer-key", "consumer-secret")
                .statusField("SLA_Status__c").nextDueField("SLA_Next_Due__c");
    }
}
