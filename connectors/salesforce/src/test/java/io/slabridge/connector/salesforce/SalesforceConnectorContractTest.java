package io.slabridge.connector.salesforce;

import io.slabridge.connector.api.contract.ConnectorContract;
import java.util.Properties;

/** Salesforce keeps the connector contract. */
class SalesforceConnectorContractTest extends ConnectorContract {

    @Override
    protected String name() {
        return "salesforce";
    }

    @Override
    protected Properties validSettings() {
        Properties p = new Properties();
        p.setProperty("sla.salesforce.login-url", "http://127.0.0.1:1");
        p.setProperty("sla.salesforce.client-id", "3MVG9-consumer-key");
        p.setProperty("sla.salesforce.client-secret", "consumer-secret-4Qz");
        return p;
    }

    @Override
    protected String statusProperty(String name) {
        return "sla.salesforce.status." + name;
    }
}
