package io.slabridge.connector.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Realistic Jira payloads (src/test/resources/jira) and the configurations the tests run with. */
final class JiraFixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String BOT = "712020:sla-bridge-bot";

    private JiraFixtures() {
    }

    static String text(String resource) {
        try (InputStream in = JiraFixtures.class.getResourceAsStream("/jira/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource jira/" + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String resource) {
        try {
            return JSON.readTree(text(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Jira Service Management project on Cloud, with tier and organization fields and the SLA status field. */
    static JiraConfig.Builder cloud(String url) {
        return JiraConfig.builder().url(URI.create(url)).basic("sla-bridge@acme.example", "cloud-token-123")
                .deployment(JiraConfig.Deployment.CLOUD).projects(java.util.List.of("SUP")).serviceManagement(true)
                .tierField("customfield_10050").accountField("customfield_10002").statusField("customfield_10100")
                .pageSize(1);
    }

    /** Plain Jira Data Center: agents are told apart by their e-mail domain. */
    static JiraConfig.Builder dataCenter(String url) {
        return JiraConfig.builder().url(URI.create(url)).pat("dc-pat-456").deployment(JiraConfig.Deployment.DATA_CENTER)
                .projects(java.util.List.of("OPS")).pageSize(1)
                .customerRule("agent-domain:acme.example");
    }
}
