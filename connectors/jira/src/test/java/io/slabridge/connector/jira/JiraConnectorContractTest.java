package io.slabridge.connector.jira;

import io.slabridge.connector.api.contract.ConnectorContract;
import java.net.ServerSocket;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;

/** Jira keeps the connector contract. */
class JiraConnectorContractTest extends ConnectorContract {

    @Override
    protected String name() {
        return "jira";
    }

    @Override
    protected Properties validSettings() {
        Properties p = new Properties();
        p.setProperty("sla.jira.url", "http://127.0.0.1:1");
        p.setProperty("sla.jira.email", "sla-bridge@acme.example");
        p.setProperty("sla.jira.api-token", "contract-token");
        p.setProperty("sla.jira.projects", "SUP");
        p.setProperty("sla.jira.webhook-secret", "contract-webhook-secret");
        return p;
    }

    @Override
    protected String statusProperty(String name) {
        return "sla.jira.status." + name;
    }

    /** The webhook route needs an HTTP server. */
    @Override
    protected void prepare(CamelContext context) throws Exception {
        VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
        server.setBindHost("127.0.0.1");
        try (ServerSocket s = new ServerSocket(0)) {
            server.setBindPort(s.getLocalPort());
        }
        context.addService(new VertxPlatformHttpServer(server));
    }
}
