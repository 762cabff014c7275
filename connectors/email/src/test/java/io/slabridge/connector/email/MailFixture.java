package io.slabridge.connector.email;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * A real IMAP and SMTP server (GreenMail) on loopback with the support mailbox {@code support@acme.example} and its
 * Sent folder, and raw RFC 5322 messages written exactly as a test needs them (headers included or left out).
 */
public final class MailFixture implements AutoCloseable {
    public static final String SUPPORT = "support@acme.example";
    public static final String PASSWORD = "imap-secret-do-not-log";
    private static final Session SESSION = Session.getInstance(new Properties());

    public final GreenMail greenMail;
    public final GreenMailUser user;

    public MailFixture() {
        ServerSetup[] setups = ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP);
        greenMail = new GreenMail(setups);
        greenMail.start();
        user = greenMail.setUser(SUPPORT, SUPPORT, PASSWORD);
        try {
            greenMail.getManagers().getImapHostManager().createMailbox(user, "Sent");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public int imapPort() {
        return greenMail.getImap().getPort();
    }

    public int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    /** A configuration for this server: plain IMAP and SMTP on loopback. */
    public EmailConfig.Builder config() {
        return EmailConfig.builder().imap("imap", "127.0.0.1", imapPort()).imapLogin(SUPPORT, PASSWORD)
                .smtp("127.0.0.1", smtpPort(), EmailConfig.SmtpSecurity.NONE).from(SUPPORT, "Acme Support")
                .supportDomains(List.of("acme.example")).pollInterval(java.time.Duration.ofMillis(100));
    }

    /** Puts a message into the inbox as received at {@code at}. */
    public void inbox(Mail mail, Instant at) {
        append("INBOX", mail.build(), at);
    }

    public void sent(Mail mail, Instant at) {
        append("Sent", mail.build(), at);
    }

    public void append(String folder, MimeMessage message, Instant at) {
        try {
            var host = greenMail.getManagers().getImapHostManager();
            var f = folder.equals("INBOX") ? host.getInbox(user) : host.getFolder(user, folder);
            f.appendMessage(message, new Flags(), Date.from(at));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Messages the SMTP server received, in order. */
    public List<MimeMessage> outgoing() {
        return List.of(greenMail.getReceivedMessages());
    }

    @Override
    public void close() {
        greenMail.stop();
    }

    /** A message parsed from raw text: its Message-ID is never replaced. */
    public static final class RawMessage extends MimeMessage {
        RawMessage(byte[] raw) throws MessagingException {
            super(SESSION, new ByteArrayInputStream(raw));
        }

        @Override
        protected void updateMessageID() {
            // keep the Message-ID the test wrote, or its absence
        }
    }

    public static Mail mail(String from, String to, String subject) {
        return new Mail(from, to, subject);
    }

    /** A raw message, header by header. */
    public static final class Mail {
        private final List<String> headers = new ArrayList<>();
        private String body = "Hello,\n\nplease help.\n";
        private String rawBody;
        private String messageId;
        private boolean noMessageId;

        Mail(String from, String to, String subject) {
            if (from != null) {
                headers.add("From: " + from);
            }
            headers.add("To: " + to);
            if (subject != null) {
                headers.add("Subject: " + subject);
            }
            headers.add("Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT)
                    .format(Instant.now().atOffset(ZoneOffset.UTC)));
        }

        public Mail id(String id) {
            this.messageId = id;
            return this;
        }

        public Mail noId() {
            this.noMessageId = true;
            return this;
        }

        public Mail inReplyTo(String id) {
            headers.add("In-Reply-To: <" + id + ">");
            return this;
        }

        public Mail references(String... ids) {
            StringBuilder sb = new StringBuilder("References:");
            for (String id : ids) {
                sb.append(" <").append(id).append('>');
            }
            headers.add(sb.toString());
            return this;
        }

        public Mail header(String name, String value) {
            headers.add(name + ": " + value);
            return this;
        }

        public Mail cc(String cc) {
            return header("Cc", cc);
        }

        public Mail body(String text) {
            this.body = text;
            return this;
        }

        /** Everything after the headers, verbatim (MIME headers included): for broken or odd messages. */
        public Mail raw(String mimeHeadersAndBody) {
            this.rawBody = mimeHeadersAndBody;
            return this;
        }

        public MimeMessage build() {
            StringBuilder sb = new StringBuilder();
            for (String h : headers) {
                sb.append(h).append("\r\n");
            }
            if (messageId != null && !noMessageId) {
                sb.append("Message-ID: <").append(messageId).append(">\r\n");
            }
            sb.append("MIME-Version: 1.0\r\n");
            if (rawBody != null) {
                sb.append(rawBody.replace("\r\n", "\n").replace("\n", "\r\n"));
            } else {
                sb.append("Content-Type: text/plain; charset=UTF-8\r\n\r\n").append(body.replace("\n", "\r\n"));
            }
            try {
                return new RawMessage(sb.toString().getBytes(StandardCharsets.UTF_8));
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
