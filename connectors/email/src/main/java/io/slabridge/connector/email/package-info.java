/**
 * Email connector: a shared support mailbox as a ticket source, through camel-mail.
 *
 * <p>Not built yet: this module holds the place the connector's issue fills.
 */
package io.slabridge.connector.email;
