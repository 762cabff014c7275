package io.slabridge.connector.email;

import io.slabridge.connector.api.contract.ConnectorContract;
import java.util.Properties;

/** The mailbox keeps the connector contract. */
class EmailConnectorContractTest extends ConnectorContract {

    @Override
    protected String name() {
        return "email";
    }

    @Override
    protected Properties validSettings() {
        Properties p = new Properties();
        p.setProperty("sla.email.imap.url", "imap://127.0.0.1:1");
        p.setProperty("sla.email.imap.user", "support@acme.example");
        p.setProperty("sla.email.imap.password", "contract-password");
        p.setProperty("sla.email.smtp.url", "smtp://127.0.0.1:1");
        p.setProperty("sla.email.smtp.starttls", "off");
        p.setProperty("sla.email.support-domains", "acme.example");
        return p;
    }

    @Override
    protected String statusProperty(String name) {
        return "sla.email.status-tag." + name;
    }
}
