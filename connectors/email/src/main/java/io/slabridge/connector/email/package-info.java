/**
 * Email connector: a shared support mailbox as a ticket source, through camel-mail.
 *
 * <p>See {@code docs/how-to/connect-a-mailbox.md}: {@link io.slabridge.connector.email.EmailRoutes} reads the mailbox, {@link io.slabridge.connector.email.EmailWriter} writes back.
 */
package io.slabridge.connector.email;
