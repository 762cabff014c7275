package io.slabridge.routes.testsource;

import io.slabridge.connector.api.contract.ConnectorContract;
import java.util.Properties;

/** The test source keeps the same contract as Jira, Salesforce and email. */
class TestSourceContractTest extends ConnectorContract {

    @Override
    protected String name() {
        return "testsource";
    }

    @Override
    protected Properties validSettings() {
        return new Properties();
    }

    @Override
    protected String statusProperty(String name) {
        return "sla.testsource.status." + name;
    }
}
