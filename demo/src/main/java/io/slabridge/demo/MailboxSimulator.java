package io.slabridge.demo;

import com.icegreen.greenmail.imap.AuthorizationException;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The shared support mailbox on GreenMail: IMAP for sla-bridge to read it (INBOX, and Sent for the agents' answers),
 * SMTP for what sla-bridge sends (acknowledgements, notices), all of which GreenMail keeps for the demo to print.
 */
final class MailboxSimulator implements AutoCloseable {
    /** The mailbox's address, which is also its IMAP user. */
    static final String ADDRESS = "support@acme.example";
    static final String PASSWORD = "demo-secret";

    private final DemoClock clock;
    private final WriteBackLog log;
    private final GreenMail mail;
    private final GreenMailUser support;
    private final Set<String> seen = new HashSet<>();

    MailboxSimulator(DemoClock clock, WriteBackLog log) {
        this.clock = clock;
        this.log = log;
        mail = new GreenMail(new ServerSetup[] {
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
        mail.start();
        support = mail.setUser(ADDRESS, ADDRESS, PASSWORD);
        try {
            mail.getManagers().getImapHostManager().createMailbox(support, "Sent");
        } catch (AuthorizationException | FolderException e) {
            mail.stop();
            throw new IllegalStateException("the simulated mailbox could not create its Sent folder", e);
        }
    }

    int imapPort() {
        return mail.getImap().getPort();
    }

    int smtpPort() {
        return mail.getSmtp().getPort();
    }

    /** Puts the mail (headers, blank line, body; lines ending in \n) into the mailbox's {@code folder}, dated now. */
    void deliver(String folder, String text) throws FolderException, MessagingException {
        byte[] raw = text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)) {
            @Override
            protected void updateMessageID() {
                // keep the Message-ID as written
            }
        };
        m.setSentDate(Date.from(clock.instant()));
        var host = mail.getManagers().getImapHostManager();
        (folder.equals("INBOX") ? host.getInbox(support) : host.getFolder(support, folder))
                .appendMessage(m, new Flags(), Date.from(clock.instant()));
    }

    /** Adds the mail sla-bridge sent since the last call to the log. */
    void collectSent() throws MessagingException {
        // GreenMail lists every mailbox's messages, not in arrival order: new ones are told by identity.
        for (MimeMessage m : mail.getReceivedMessages()) {
            String[] kind = m.getHeader("X-SLA-Bridge");
            if (kind == null) {
                continue; // the simulated customers' and agents' mail
            }
            Address[] to = m.getAllRecipients();
            String recipient = to == null || to.length == 0 ? "?" : to[0].toString();
            if (!seen.add(m.getMessageID() + " " + recipient)) {
                continue;
            }
            log.wrote("mail " + kind[0], String.format("[%s]   -> email: %s to %s \"%s\"", clock.now(), kind[0],
                    recipient, WriteBackLog.shorten(m.getSubject())));
        }
    }

    /** How many mails went to {@code address}, sent by anyone. */
    long mailsTo(String address) {
        return Stream.of(mail.getReceivedMessages()).filter(m -> {
            try {
                Address[] to = m.getAllRecipients();
                return to != null && to.length > 0 && to[0].toString().contains(address);
            } catch (MessagingException e) {
                return false;
            }
        }).count();
    }

    @Override
    public void close() {
        mail.stop();
    }
}
