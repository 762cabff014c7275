package io.slabridge.connector.salesforce;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.slabridge.connector.salesforce.SalesforceFixtures.DATA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.slabridge.core.model.SummaryState;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteBack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an operator reads at INFO: the first login once (who, which instance), a refused write with Salesforce's
 * reason, the org's API limit once (WARN, with until when) however many calls meet it; never a secret.
 */
class SalesforceLoggingTest {
    private static final String CASE_A = "500000000000001AAA";
    private static final Instant CREATED = Instant.parse("2025-11-20T10:00:00Z");

    private WireMockServer sf;
    private DefaultCamelContext camel;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream stderr;

    @BeforeEach
    void start() {
        sf = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        sf.start();
        SalesforceFixtures.stubLogin(sf, "token-1");
        camel = new DefaultCamelContext();
        camel.start();
        // slf4j-simple writes to System.err as it is at each line.
        stderr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        System.setErr(stderr);
        camel.stop();
        sf.stop();
    }

    private String logged() {
        return log.toString(StandardCharsets.UTF_8);
    }

    private static long count(String text, String part) {
        return text.lines().filter(l -> l.contains(part)).count();
    }

    private static OutboxCommand fields(long id) {
        return new OutboxCommand(id, "salesforce:" + CASE_A, "salesforce",
                new WriteBack.SlaFields(SummaryState.AT_RISK, CREATED, Map.of()), "k" + id, CREATED, 0);
    }

    @Test
    void theFirstLoginIsLoggedOnceWithTheInstanceAndARefusedWriteWithItsReason() {
        sf.stubFor(get(urlPathEqualTo(DATA + "/query")).willReturn(okJson("{\"totalSize\":0,\"done\":true,\"records\":[]}")));
        sf.stubFor(patch(urlPathEqualTo(DATA + "/composite/sobjects")).willReturn(okJson("""
                [{"success":false,"errors":[{"statusCode":"FIELD_CUSTOM_VALIDATION_EXCEPTION",
                  "message":"Closed cases cannot be edited","fields":[]}]}]""")));
        SalesforceApi api = SalesforceApi.create(camel, SalesforceFixtures.config(sf).build());

        api.query("SELECT Id FROM Case");
        api.query("SELECT Id FROM Case");
        new SalesforceWriter(api).writeAll(List.of(fields(1)));

        String text = logged();
        assertEquals(1, count(text, "INFO io.slabridge.connector.salesforce.SalesforceApi - Salesforce: logged in as "),
                text);
        assertTrue(text.contains("(005000000000001), instance http://127.0.0.1:" + sf.port()), text);
        assertTrue(text.contains("INFO io.slabridge.connector.salesforce.SalesforceWriter - Salesforce refused a write, "
                + "parked: Case update of salesforce:" + CASE_A + ": FIELD_CUSTOM_VALIDATION_EXCEPTION: Closed cases cannot "
                + "be edited"), text);
        assertFalse(text.contains("consumer-secret") || text.contains("token-1"), "no secret in the log: " + text);
    }

    @Test
    void theOrgsLimitIsLoggedOnceAtWarnWithUntilWhenNotOncePerCall() {
        sf.stubFor(get(urlPathEqualTo(DATA + "/query")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "application/json")
                .withBody("[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]")));
        SalesforceApi api = SalesforceApi.create(camel, SalesforceFixtures.config(sf).build());
        SalesforceWriter writer = new SalesforceWriter(api);

        for (int i = 0; i < 5; i++) {
            try {
                api.query("SELECT Id FROM Case");
            } catch (SalesforceCallException expected) {
                // refused: by Salesforce the first time, then here
            }
            writer.writeAll(List.of(fields(i)));
        }

        String text = logged();
        assertEquals(1, count(text, "WARN"), text);
        assertTrue(text.contains("WARN io.slabridge.connector.salesforce.SalesforceApi - Salesforce: the org's API "
                + "request limit is reached (REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.): every Salesforce "
                + "call of sla-bridge (polls, write-backs, logins) waits until "), text);
        assertEquals(1, api.limitHits());
    }
}
