package io.slabridge.connector.email;

import io.slabridge.connector.email.MailStore.MailTicket;
import io.slabridge.core.escalation.EscalationAction.Visibility;
import io.slabridge.core.model.Metric;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.OutboxWriter;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.policy.PolicySet;
import jakarta.mail.MessagingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's writer for email tickets ({@code source} {@code email}):
 * <ul>
 *   <li>{@code sla_fields}: mail has no fields. The first one of a new ticket sends the acknowledgement when
 *       acknowledgements were on when the ticket was opened ("you can expect a first answer by ...", the first
 *       response's due time in its calendar's zone), threaded under the customer's mail, {@code Auto-Submitted:
 *       auto-replied}. No acknowledgement goes out once an agent has answered, nor more than
 *       {@code sla.email.ack.per-sender-per-day} to one address.</li>
 *   <li>{@code notify}: an e-mail to the step's addresses ({@link MailNotifier}), for tickets of any source.</li>
 *   <li>{@code comment}: a public comment is a reply to the customer in the ticket's thread; an internal one goes to
 *       the support address in the same thread, where agents read it. Both are marked automatic and never read
 *       back as activity.</li>
 *   <li>{@code set_priority}, {@code assign}: a mailbox has no priority and no assignee; done. (A policy file whose
 *       every policy is for mail only is refused when it assigns.)</li>
 * </ul>
 * Every mail has a Message-ID derived from what it is for (the ticket for an acknowledgement, the command's
 * idempotency key otherwise) and is recorded once sent: delivering a command again does not send it again.
 */
public final class EmailWriter implements OutboxWriter {
    private static final Logger LOG = LoggerFactory.getLogger(EmailWriter.class);

    private final EmailConfig config;
    private final MailTransport transport;
    private final MailStore store;
    private final MailNotifier notifier;
    private final TicketCycles cycles;
    private final Clock clock;
    private final EmailStats stats;

    public EmailWriter(EmailConfig config, MailTransport transport, MailStore store, Supplier<PolicySet> policies,
            Clock clock) {
        this(config, transport, store, policies, clock, new EmailStats());
    }

    /** A writer that counts the mail it sends in {@code stats} (the connector's, {@link EmailRoutes#stats()}). */
    public EmailWriter(EmailConfig config, MailTransport transport, MailStore store, Supplier<PolicySet> policies,
            Clock clock, EmailStats stats) {
        this.config = Objects.requireNonNull(config, "config");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.notifier = new MailNotifier(config, transport, store, policies, clock, stats);
        this.cycles = new TicketCycles(store, policies);
    }

    /** The writer on camel-mail's SMTP producer. */
    public static EmailWriter create(CamelContext camel, EmailConfig config, MailStore store, Supplier<PolicySet> policies,
            Clock clock) {
        return create(camel, config, store, policies, clock, new EmailStats());
    }

    /** The writer on camel-mail's SMTP producer, counting what it sends in {@code stats}. */
    public static EmailWriter create(CamelContext camel, EmailConfig config, MailStore store, Supplier<PolicySet> policies,
            Clock clock, EmailStats stats) {
        return new EmailWriter(config, MailTransport.smtp(camel, config), store, policies, clock, stats);
    }

    /** The notifier this writer sends notices with: give it to other sources' writers ({@link MailNotifier#withNotices}). */
    public MailNotifier notifier() {
        return notifier;
    }

    @Override
    public WriteResult write(OutboxCommand command) throws MessagingException {
        WriteBack payload = command.payload();
        if (payload instanceof WriteBack.Notify n) {
            return notifier.send(command, n);
        }
        if (!command.ticket().startsWith(EmailEvents.TICKET_PREFIX)) {
            return WriteResult.failed("'" + command.ticket() + "' is not an email ticket (expected email:<Message-ID>); "
                    + "the email writer sends only notices for other sources");
        }
        if (payload instanceof WriteBack.SlaFields f) {
            return acknowledge(command, f);
        }
        if (payload instanceof WriteBack.Comment c) {
            return comment(command, c);
        }
        return WriteResult.done(); // set_priority, assign: nothing in a mailbox holds a priority or an assignee
    }

    private WriteResult acknowledge(OutboxCommand command, WriteBack.SlaFields fields) throws MessagingException {
        MailTicket t = store.ticket(command.ticket()).orElse(null);
        if (t == null || !t.ackWanted() || t.acknowledgedAt() != null) {
            return WriteResult.done();
        }
        long now = clock.instant().getEpochSecond();
        if (t.lastAgentAt() != null) {
            store.markAcknowledged(t.ticket(), now); // an agent answered first: that was the acknowledgement
            return WriteResult.done();
        }
        String messageId = Outgoing.messageId(config, t.ticket() + "/ack");
        if (store.wasSent(messageId)) {
            store.markAcknowledged(t.ticket(), now);
            return WriteResult.done();
        }
        if (store.sentTo(t.replyTo(), "ack", now - Duration.ofDays(1).toSeconds()) >= config.ackPerSenderPerDay()) {
            LOG.warn("email: no acknowledgement for {}: {} already got {} today (sla.email.ack.per-sender-per-day)",
                    t.ticket(), t.replyTo(), config.ackPerSenderPerDay());
            store.markAcknowledged(t.ticket(), now);
            return WriteResult.done();
        }
        Optional<TicketCycles.Cycle> firstResponse = cycles.find(t.ticket(), Metric.FIRST_RESPONSE.wireName(), 0);
        // The fields keep a first response's due once it is met or breached (the due agents met); the customer is
        // promised a time only while the first answer is still awaited, e.g. not on a ticket resolved meanwhile.
        boolean answered = firstResponse.map(TicketCycles.Cycle::stopped).orElse(false);
        Instant due = answered ? null : fields.dueByMetric().get(Metric.FIRST_RESPONSE);
        Map<String, String> values = values(t);
        if (due != null) {
            ZoneId zone = firstResponse.flatMap(c -> cycles.zone(c.calendar())).orElse(config.ackZone());
            values.put("due", AckText.promise(due, zone, config.locale()));
        }
        String text = AckText.render(due != null ? config.ackText() : config.ackTextNoDue(), values);
        Outgoing.FixedIdMessage m = Outgoing.message(config, messageId, List.of(t.replyTo()),
                Subjects.unstacked(AckText.render(config.ackSubject(), values)), text, "auto-replied", "ack", clock.instant());
        Outgoing.thread(m, t.rootMessageId(), List.of(t.rootMessageId()));
        WriteResult r = Outgoing.send(transport, m, "acknowledgement of " + t.ticket() + " to " + t.replyTo());
        if (r instanceof WriteResult.Done) {
            store.recordSent(messageId, t.ticket(), "ack", t.replyTo(), command.idempotencyKey(), now, true);
            stats.countSent("ack");
            store.markAcknowledged(t.ticket(), now);
        }
        return r;
    }

    private WriteResult comment(OutboxCommand command, WriteBack.Comment comment) throws MessagingException {
        MailTicket t = store.ticket(command.ticket()).orElse(null);
        if (t == null) {
            // The intake stores a new ticket's events, then its thread: a kill in between leaves the thread to the
            // next read of the mail (not confirmed as processed yet). Until then, try again rather than park.
            return WriteResult.failedForNow("comment on " + command.ticket() + ": the email connector has no record "
                    + "of this ticket's thread (yet)");
        }
        String messageId = Outgoing.messageId(config, command.idempotencyKey());
        if (store.wasSent(messageId)) {
            return WriteResult.done();
        }
        boolean internal = comment.visibility() == Visibility.INTERNAL;
        String to = internal ? config.fromAddress() : t.replyTo();
        String subject = (internal ? config.internalTag() == null ? "" : config.internalTag() + " " : "")
                + Subjects.reply(t.subject());
        Outgoing.FixedIdMessage m = Outgoing.message(config, messageId, List.of(to), subject.strip(), comment.text(),
                "auto-generated", internal ? "internal-comment" : "comment", clock.instant());
        List<String> refs = new ArrayList<>(List.of(t.rootMessageId()));
        Outgoing.thread(m, t.rootMessageId(), refs);
        WriteResult r = Outgoing.send(transport, m, (internal ? "internal " : "") + "comment on " + t.ticket());
        if (r instanceof WriteResult.Done) {
            store.recordSent(messageId, t.ticket(), internal ? "internal-comment" : "comment", to,
                    command.idempotencyKey(), clock.instant().getEpochSecond(), true);
            stats.countSent(internal ? "internal-comment" : "comment");
        }
        return r;
    }

    private Map<String, String> values(MailTicket t) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("subject", t.subject() == null || t.subject().isBlank() ? "(no subject)" : t.subject());
        v.put("ticket", t.ticket());
        v.put("from_name", config.fromName() == null ? config.fromAddress() : config.fromName());
        return v;
    }
}
