package io.slabridge.connector.email;

import io.slabridge.core.outbox.WriteResult;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.UnsupportedEncodingException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Building and sending sla-bridge's own mail: fixed Message-IDs, loop-safe headers, SMTP errors as outcomes. */
final class Outgoing {
    private static final Logger LOG = LoggerFactory.getLogger(Outgoing.class);
    /** Rejected SMTP credentials: someone has to fix them; until then every command waits, none is parked. */
    static final Duration CREDENTIALS_RETRY_AFTER = Duration.ofMinutes(5);
    private static final Session SESSION = Session.getInstance(new java.util.Properties());

    private Outgoing() {
    }

    /** A message whose Message-ID stays the one we give it ({@link MimeMessage#saveChanges()} would replace it). */
    static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(String messageId) {
            super(SESSION);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", "<" + messageId + ">");
        }
    }

    /** The Message-ID (without brackets) of the mail an outbox command sends: the same for every attempt. */
    static String messageId(EmailConfig config, String key) {
        return "sla-bridge." + ParsedMail.sha256(key).substring(0, 32) + "@" + config.fromDomain();
    }

    /**
     * A plain-text message from the support address, stamped as automatic so that no auto-responder answers it
     * (RFC 3834 {@code Auto-Submitted}, Exchange's {@code X-Auto-Response-Suppress}) and so that our poller knows it
     * ({@code X-SLA-Bridge}).
     */
    static FixedIdMessage message(EmailConfig config, String messageId, List<String> to, String subject, String text,
            String autoSubmitted, String kind, Instant now) throws MessagingException {
        FixedIdMessage m = new FixedIdMessage(messageId);
        try {
            m.setFrom(config.fromName() == null ? new InternetAddress(config.fromAddress())
                    : new InternetAddress(config.fromAddress(), config.fromName(), "UTF-8"));
        } catch (UnsupportedEncodingException e) {
            throw new MessagingException(e.getMessage(), e);
        }
        InternetAddress[] recipients = new InternetAddress[to.size()];
        for (int i = 0; i < to.size(); i++) {
            recipients[i] = new InternetAddress(to.get(i), true);
        }
        m.setRecipients(jakarta.mail.Message.RecipientType.TO, recipients);
        // setSubject, never setHeader: it encodes and folds, so a line break in a ticket's text cannot start a
        // header of its own (a Bcc, say). EmailWriterTest sends such subjects.
        m.setSubject(subject, "UTF-8");
        m.setText(text, "UTF-8");
        m.setSentDate(Date.from(now));
        m.setHeader("Auto-Submitted", autoSubmitted);
        m.setHeader("X-Auto-Response-Suppress", "All");
        m.setHeader("X-SLA-Bridge", kind);
        return m;
    }

    static void thread(MimeMessage m, String parentId, List<String> references) throws MessagingException {
        m.setHeader("In-Reply-To", "<" + parentId + ">");
        StringBuilder refs = new StringBuilder();
        for (String r : references) {
            refs.append(refs.length() == 0 ? "" : " ").append('<').append(r).append('>');
        }
        m.setHeader("References", refs.toString());
    }

    /** Checks addresses before anything is sent; the first bad one, or null. */
    static String badAddress(List<String> addresses) {
        if (addresses.isEmpty()) {
            return "(no recipient)";
        }
        for (String a : addresses) {
            try {
                new InternetAddress(a, true).validate();
            } catch (AddressException e) {
                return a;
            }
        }
        return null;
    }

    /**
     * Sends, and says how it went: done; wait (rejected credentials); failed for good (a 5xx for the message or a
     * recipient); anything else throws, to be retried with backoff (connection failures, 4xx).
     */
    static WriteResult send(MailTransport transport, MimeMessage message, String what) throws MessagingException {
        try {
            transport.send(message);
            return WriteResult.done();
        } catch (MailTransport.NoSmtpException e) {
            return refused(WriteResult.failed(what + ": " + e.getMessage()));
        } catch (AuthenticationFailedException e) {
            // The server's words only ("535 5.7.8 Authentication failed"): what we sent is never part of them.
            return refused(WriteResult.retryAfter(CREDENTIALS_RETRY_AFTER, what + ": the SMTP server rejected the "
                    + "credentials (" + e.getMessage() + "); check sla.email.smtp.user and sla.email.smtp.password"));
        } catch (MessagingException e) {
            int code = smtpCode(e);
            if (code >= 500) {
                return refused(WriteResult.failed(what + ": the SMTP server refused it for good (" + code + " "
                        + e.getMessage() + ")"));
            }
            LOG.warn("email: {} not sent now, retried with backoff: {}", what, code > 0 ? code + " " + e.getMessage()
                    : e.getMessage());
            throw e;
        }
    }

    /** Logs a refusal with its reason (the outbox parks or delays the command silently) and returns it. */
    static WriteResult refused(WriteResult result) {
        if (result instanceof WriteResult.Failed f) {
            LOG.warn("email: not sent: {}", f.reason());
        } else if (result instanceof WriteResult.RetryAfter r) {
            LOG.warn("email: not sent, tried again in {}: {}", r.delay(), r.reason());
        }
        return result;
    }

    /** The SMTP reply code of a refusal, searching nested exceptions; 0 when there is none. */
    private static int smtpCode(Exception e) {
        Exception x = e;
        for (int depth = 0; x != null && depth < 10; depth++) {
            if (x instanceof SMTPAddressFailedException a) {
                return a.getReturnCode();
            }
            if (x instanceof SMTPSendFailedException s) {
                return s.getReturnCode();
            }
            Exception next = x instanceof SendFailedException sf ? sf.getNextException()
                    : x instanceof MessagingException me ? me.getNextException() : null;
            if (next == null && x.getCause() instanceof Exception c) {
                next = c;
            }
            x = next;
        }
        return 0;
    }
}
