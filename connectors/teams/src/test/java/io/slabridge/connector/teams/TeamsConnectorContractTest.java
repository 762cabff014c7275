package io.slabridge.connector.teams;

import io.slabridge.connector.api.contract.ConnectorContract;
import java.util.Properties;

/** Teams keeps the connector contract, as an outbound-only channel. */
class TeamsConnectorContractTest extends ConnectorContract {

    @Override
    protected String name() {
        return "teams";
    }

    @Override
    protected boolean outboundOnly() {
        return true;
    }

    @Override
    protected Properties validSettings() {
        Properties p = new Properties();
        p.setProperty("sla.teams.webhook.leads", "http://127.0.0.1:1/webhook");
        return p;
    }

    /** No statuses: never asked, as the channel is outbound only. */
    @Override
    protected String statusProperty(String name) {
        throw new UnsupportedOperationException("teams reads no tickets");
    }
}
