package io.slabridge.connector.slack;

import io.slabridge.connector.api.contract.ConnectorContract;
import java.util.Properties;

/** Slack keeps the connector contract, as an outbound-only channel. */
class SlackConnectorContractTest extends ConnectorContract {

    @Override
    protected String name() {
        return "slack";
    }

    @Override
    protected boolean outboundOnly() {
        return true;
    }

    @Override
    protected Properties validSettings() {
        Properties p = new Properties();
        p.setProperty("sla.slack.token", "xoxb-contract-token");
        p.setProperty("sla.slack.url", "http://127.0.0.1:1");
        return p;
    }

    /** No statuses: never asked, as the channel is outbound only. */
    @Override
    protected String statusProperty(String name) {
        throw new UnsupportedOperationException("slack reads no tickets");
    }
}
