package io.slabridge.routes.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The settings the cluster tests run {@code sla-bridge run} with: Jira (or Salesforce) on the fake, the store on
 * PostgreSQL or the embedded SQLite file. */
final class BridgeSettings {
    static final String WEBHOOK_SECRET = "cluster-test-webhook-secret";

    private BridgeSettings() {
    }

    /** Writes the workload's policy into {@code dir} and returns the settings of one process. */
    static Properties of(Path dir, ClusterDatabase db, FakeJira jira, String client) throws IOException {
        Properties p = common(dir, db);
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
        return p;
    }

    /**
     * The settings of one process reading and writing only Salesforce, on the fake org: it logs in (client
     * credentials) with {@code client} as its client id, which tells the fake which process made a call.
     */
    static Properties salesforce(Path dir, ClusterDatabase db, FakeSalesforce salesforce, String client)
            throws IOException {
        Properties p = common(dir, db);
        p.setProperty("sla.salesforce.enabled", "true");
        p.setProperty("sla.salesforce.login-url", salesforce.loginUrl());
        p.setProperty("sla.salesforce.auth", "client-credentials");
        p.setProperty("sla.salesforce.client-id", client);
        p.setProperty("sla.salesforce.client-secret", FakeSalesforce.SECRET);
        p.setProperty("sla.salesforce.api-version", FakeSalesforce.API.substring(1));
        p.setProperty("sla.salesforce.poll-interval", "1s");
        p.setProperty("sla.salesforce.field.status", "SLA_Status__c");
        p.setProperty("sla.salesforce.field.next-due", "SLA_Next_Due__c");
        // Shorter than sla.outbox.lease, as a start requires; the tests kill a held call well within it.
        p.setProperty("sla.salesforce.request-timeout", "4s");
        return p;
    }

    /** The store, the outbox and the scheduler, as every cluster test's process has them; the policy file. */
    private static Properties common(Path dir, ClusterDatabase db) throws IOException {
        Path policy = dir.resolve("sla.yaml");
        if (!Files.exists(policy)) {
            Files.writeString(policy, Workload.POLICY);
        }
        Properties p = new Properties();
        p.setProperty("sla.policy", policy.toString());
        p.setProperty("sla.store.url", db.url());
        if (db.user() != null) {
            p.setProperty("sla.store.user", db.user());
        }
        p.setProperty("sla.store.pool-size", "4");
        // A killed instance's commands are taken over after the lease: seconds here, not the default 2 minutes.
        p.setProperty("sla.outbox.lease", "5s");
        p.setProperty("sla.outbox.poll-interval", "200");
        p.setProperty("sla.scheduler.max-sleep", "1s");
        p.setProperty("camel.main.shutdownTimeout", "5");
        return p;
    }

    static final String MAILBOX = "support@acme.example";
    static final String MAILBOX_PASSWORD = "mailbox-secret";

    /**
     * Adds the email connector: the mailbox {@link #MAILBOX} over IMAP on loopback (GreenMail), notices and
     * acknowledgements over plain SMTP on loopback.
     */
    static Properties withMail(Properties p, int imapPort, int smtpPort) {
        p.setProperty("sla.email.enabled", "true");
        p.setProperty("sla.email.imap.url", "imap://127.0.0.1:" + imapPort);
        p.setProperty("sla.email.imap.user", MAILBOX);
        p.setProperty("sla.email.imap.password", MAILBOX_PASSWORD);
        p.setProperty("sla.email.folder.sent", "none");
        p.setProperty("sla.email.poll-interval", "1s");
        p.setProperty("sla.email.smtp.url", "smtp://127.0.0.1:" + smtpPort);
        p.setProperty("sla.email.smtp.starttls", "off");
        p.setProperty("sla.email.from", MAILBOX);
        p.setProperty("sla.email.support-domains", "acme.example");
        return p;
    }
}
