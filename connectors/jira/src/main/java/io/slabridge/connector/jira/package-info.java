/**
 * Jira connector: webhooks and JQL polling in, SLA fields and escalation comments out (Jira REST API through camel-http and Jackson; camel-jira cannot resolve from Maven Central).
 *
 * <p>Not built yet: this module holds the place the connector's issue fills.
 */
package io.slabridge.connector.jira;
