package io.slabridge.connector.email;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mail.MailEndpoint;

/** Sends a finished message. The Camel implementation goes through camel-mail's SMTP(S) producer. */
@FunctionalInterface
public interface MailTransport {
    void send(MimeMessage message) throws MessagingException;

    /**
     * camel-mail's SMTP producer for {@code config}'s server. The password is set on the endpoint's configuration,
     * never written into an endpoint URI (which Camel may log or show in JMX).
     */
    static MailTransport smtp(CamelContext camel, EmailConfig config) {
        if (config.smtpHost() == null) {
            return message -> {
                throw new NoSmtpException();
            };
        }
        String scheme = config.smtpSecurity() == EmailConfig.SmtpSecurity.TLS ? "smtps" : "smtp";
        MailEndpoint endpoint = camel.getEndpoint(scheme + "://" + config.smtpHost() + ":" + config.smtpPort()
                + "?connectionTimeout=15000", MailEndpoint.class);
        if (config.smtpUser() != null) {
            endpoint.getConfiguration().setUsername(config.smtpUser());
            endpoint.getConfiguration().setPassword(config.smtpPassword());
        }
        Properties extra = new Properties();
        extra.setProperty("mail." + scheme + ".timeout", "30000");
        extra.setProperty("mail." + scheme + ".writetimeout", "30000");
        if (config.smtpSecurity() == EmailConfig.SmtpSecurity.STARTTLS) {
            extra.setProperty("mail.smtp.starttls.enable", "true");
            extra.setProperty("mail.smtp.starttls.required", "true");
        }
        endpoint.getConfiguration().setAdditionalJavaMailProperties(extra);
        ProducerTemplate producer = camel.createProducerTemplate();
        // Said once, so that an operator reading the log knows the mailbox can send; refusals are logged by the
        // writer with the mail they refused (Outgoing.send).
        java.util.concurrent.atomic.AtomicBoolean accepted = new java.util.concurrent.atomic.AtomicBoolean();
        String server = scheme + "://" + config.smtpHost() + ":" + config.smtpPort()
                + (config.smtpUser() == null ? " without login" : " as " + config.smtpUser());
        return message -> {
            Exchange done = producer.send(endpoint, e -> e.getIn().setBody(message));
            Exception failure = done.getException();
            if (failure == null && accepted.compareAndSet(false, true)) {
                org.slf4j.LoggerFactory.getLogger(MailTransport.class).info(
                        "email: SMTP works: {} accepted the first mail sla-bridge sent", server);
            }
            if (failure instanceof MessagingException me) {
                throw me;
            }
            if (failure instanceof RuntimeException re) {
                throw re;
            }
            if (failure != null) {
                throw new MessagingException(failure.getMessage(), failure);
            }
        };
    }

    /** No SMTP server is configured. */
    final class NoSmtpException extends MessagingException {
        private static final long serialVersionUID = 1L;

        NoSmtpException() {
            super("no SMTP server configured (sla.email.smtp.url)");
        }
    }
}
