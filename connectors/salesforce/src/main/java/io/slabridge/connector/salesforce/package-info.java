/**
 * Salesforce connector: Cases in through camel-salesforce, SLA fields and comments out.
 *
 * <p>Not built yet: this module holds the place the connector's issue fills.
 */
package io.slabridge.connector.salesforce;
