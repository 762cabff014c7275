package io.slabridge.connector.email;

import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.OutboxWriter;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.policy.PolicySet;
import jakarta.mail.MessagingException;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Sends escalation {@code notify} actions as e-mail, for tickets of any source: the step's text, then the ticket,
 * a link to it, the metric, its due time and the policy. Each notice has a Message-ID derived from its command's
 * idempotency key and is recorded once sent, so a command delivered again (a retry, a restart) does not send it
 * again. The one window left: a crash after the SMTP server accepted the mail and before it was recorded sends it
 * again, under the same Message-ID (which many mail systems then show once).
 *
 * <p>The Jira and Salesforce writers do not send mail: wrap them with {@link #withNotices} so that their tickets'
 * notices go out here, e.g. {@code Map.of("jira", MailNotifier.withNotices(jiraWriter, notifier))} for the outbox
 * dispatcher.
 */
public final class MailNotifier {
    static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final EmailConfig config;
    private final MailTransport transport;
    private final MailStore store;
    private final TicketCycles cycles;
    private final Clock clock;
    private final EmailStats stats;

    public MailNotifier(EmailConfig config, MailTransport transport, MailStore store, Supplier<PolicySet> policies,
            Clock clock) {
        this(config, transport, store, policies, clock, new EmailStats());
    }

    /** A notifier that counts the notices it sends in {@code stats}. */
    public MailNotifier(EmailConfig config, MailTransport transport, MailStore store, Supplier<PolicySet> policies,
            Clock clock, EmailStats stats) {
        this.config = Objects.requireNonNull(config, "config");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.store = Objects.requireNonNull(store, "store");
        this.cycles = new TicketCycles(store, policies);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    /** An outbox writer that sends {@code notify} commands by e-mail and gives every other command to {@code writer}. */
    public static OutboxWriter withNotices(OutboxWriter writer, MailNotifier notifier) {
        Objects.requireNonNull(writer, "writer");
        Objects.requireNonNull(notifier, "notifier");
        return command -> command.payload() instanceof WriteBack.Notify n ? notifier.send(command, n) : writer.write(command);
    }

    public WriteResult send(OutboxCommand command, WriteBack.Notify notify) throws MessagingException {
        String what = "notice for " + command.ticket() + " to " + String.join(", ", notify.to());
        String bad = Outgoing.badAddress(notify.to());
        if (bad != null) {
            return Outgoing.refused(WriteResult.failed(what + ": '" + bad
                    + "' is not an e-mail address (check the escalation's notify list)"));
        }
        String messageId = Outgoing.messageId(config, command.idempotencyKey());
        if (store.wasSent(messageId)) {
            return WriteResult.done();
        }
        Outgoing.FixedIdMessage m = Outgoing.message(config, messageId, notify.to(), notify.subject(),
                notify.text() + "\n\n-- \n" + details(command), "auto-generated", "notice", clock.instant());
        // Notices of one ticket form one conversation in the recipients' mail clients.
        m.setHeader("References", "<sla-bridge.ticket." + ParsedMail.sha256(command.ticket()).substring(0, 24) + "@"
                + config.fromDomain() + ">");
        WriteResult r = Outgoing.send(transport, m, what);
        if (r instanceof WriteResult.Done) {
            store.recordSent(messageId, command.ticket(), "notice", String.join(",", notify.to()),
                    command.idempotencyKey(), clock.instant().getEpochSecond(), false);
            stats.countSent("notice");
        }
        return r;
    }

    /** The facts under the step's text: ticket, link, metric, due, policy, status. */
    String details(OutboxCommand command) {
        StringBuilder out = new StringBuilder();
        String ticket = command.ticket();
        out.append("Ticket: ").append(ticket).append('\n');
        String link = link(ticket);
        if (link != null) {
            out.append("Link:   ").append(link).append('\n');
        }
        // The key of an escalation action: <ticket>/<metric>/<cycle>/<step>/<action index>.
        String[] parts = command.idempotencyKey().split("/");
        if (parts.length >= 5) {
            String metric = parts[parts.length - 4];
            int cycle;
            try {
                cycle = Integer.parseInt(parts[parts.length - 3]);
            } catch (NumberFormatException e) {
                cycle = 0;
            }
            out.append("Metric: ").append(metric).append(cycle > 0 ? " (cycle " + cycle + ")" : "").append('\n');
            Optional<TicketCycles.Cycle> c = cycles.find(ticket, metric, cycle);
            if (c.isPresent()) {
                TicketCycles.Cycle found = c.get();
                if (found.dueAt() != null) {
                    ZoneId zone = cycles.zone(found.calendar()).orElse(ZoneOffset.UTC);
                    // Cut to the minute, unlike the customer's acknowledgement (AckText.promise): agents are better
                    // told a due up to 59 s early than late.
                    out.append("Due:    ").append(AckText.format(found.dueAt(), zone, config.locale()));
                    if (!zone.equals(ZoneOffset.UTC)) {
                        out.append(" (").append(UTC_TIME.format(found.dueAt())).append(')');
                    }
                    out.append('\n');
                }
                if (found.policy() != null) {
                    out.append("Policy: ").append(found.policy()).append('\n');
                }
                if (found.status() != null) {
                    out.append("Status: ").append(found.status()).append('\n');
                }
            }
            out.append("Step:   ").append(parts[parts.length - 2]).append('\n');
        }
        return out.toString();
    }

    private String link(String ticket) {
        int colon = ticket.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String template = config.ticketLinks().get(ticket.substring(0, colon).toLowerCase(Locale.ROOT));
        if (template == null) {
            return null;
        }
        String key = ticket.substring(colon + 1);
        return template.replace("{key}", java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8))
                .replace("{ticket}", ticket);
    }
}
