package io.slabridge.routes.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The settings the cluster tests run {@code sla-bridge run} with: Jira on the fake, the store on PostgreSQL. */
final class BridgeSettings {
    static final String WEBHOOK_SECRET = "cluster-test-webhook-secret";

    private BridgeSettings() {
    }

    /** Writes the workload's policy into {@code dir} and returns the settings of one process. */
    static Properties of(Path dir, ClusterDatabase db, FakeJira jira, String client) throws IOException {
        Path policy = dir.resolve("sla.yaml");
        if (!Files.exists(policy)) {
            Files.writeString(policy, Workload.POLICY);
        }
        Properties p = new Properties();
        p.setProperty("sla.policy", policy.toString());
        p.setProperty("sla.store.url", db.url());
        p.setProperty("sla.store.user", db.user());
        p.setProperty("sla.store.pool-size", "4");
        p.setProperty("sla.jira.enabled", "true");
        p.setProperty("sla.jira.url", jira.urlFor(client));
        p.setProperty("sla.jira.email", "sla-bridge@acme.example");
        p.setProperty("sla.jira.api-token", "cluster-test-api-token");
        p.setProperty("sla.jira.webhook-secret", WEBHOOK_SECRET);
        p.setProperty("sla.jira.service-management", "true");
        p.setProperty("sla.jira.field.status", "customfield_10100");
        p.setProperty("sla.jira.projects", "SUP");
        p.setProperty("sla.jira.poll-interval", "2s");
        // JQL has minute resolution: each poll reads the current minute again, and this much before it.
        p.setProperty("sla.jira.poll-overlap", "30s");
        p.setProperty("sla.jira.page-size", "20");
        p.setProperty("sla.jira.connect-timeout", "1s");
        p.setProperty("sla.jira.response-timeout", "3s");
        // A killed instance's commands are taken over after the lease: seconds here, not the default 2 minutes.
        p.setProperty("sla.outbox.lease", "5s");
        p.setProperty("sla.outbox.poll-interval", "200");
        p.setProperty("sla.scheduler.max-sleep", "1s");
        p.setProperty("camel.main.shutdownTimeout", "5");
        return p;
    }
}
