package io.slabridge.connector.email;

import io.slabridge.core.model.TicketEvent;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one message from a polled folder: skips what cannot or must not be read (too large, unreadable, automatic),
 * threads the rest and sends its events to the runtime. Bad mail is skipped with a log line naming the message and
 * the reason, and counted; it never fails the poll. Only a failure to store events throws, so that the message is
 * read again at the next poll.
 */
public final class EmailIntake {
    private static final Logger LOG = LoggerFactory.getLogger(EmailIntake.class);

    private final EmailConfig config;
    private final MailStore store;
    private final EmailEvents events;
    private final LoopGuard guard;
    private final Consumer<List<TicketEvent>> sink;
    private final Clock clock;
    private final EmailStats stats;

    public EmailIntake(EmailConfig config, MailStore store, Consumer<List<TicketEvent>> sink, Clock clock, EmailStats stats) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        this.events = new EmailEvents(config, store);
        this.guard = new LoopGuard(config);
        this.sink = Objects.requireNonNull(sink, "sink");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stats = Objects.requireNonNull(stats, "stats");
    }

    /** What became of a message. */
    public enum Outcome {
        /** Its events were stored (or were already). */
        EVENTS,
        /** Automatic mail (auto-reply, bulk, bounce, our own): never activity, never answered. */
        AUTOMATIC,
        /** Read, but no ticket's business (an agent's mail that starts a conversation). */
        IGNORED,
        /** Too large or unreadable: skipped, logged and counted. */
        SKIPPED,
        /** To be read again at the next poll: its thread has not been read yet. */
        DEFERRED
    }

    /**
     * Reads a message of {@code folder}.
     *
     * @throws RuntimeException only when the events could not be stored: read the message again later
     */
    public Outcome read(Message message, String folder) {
        return read(message, folder, clock.instant());
    }

    /**
     * Reads a message of {@code folder} that a poll first saw at {@code firstSeen} (an agent's reply whose thread is
     * not known waits {@code sla.email.thread-wait} from then).
     *
     * @throws RuntimeException only when the events could not be stored: read the message again later
     */
    public Outcome read(Message message, String folder, Instant firstSeen) {
        stats.read.incrementAndGet();
        Instant now = clock.instant();
        String where = describe(message, folder);
        try {
            int size = message.getSize();
            if (size > config.maxMessageBytes()) {
                return skipped(where, "it is " + size + " bytes, larger than sla.email.max-message-size ("
                        + config.maxMessageBytes() + ")");
            }
        } catch (MessagingException | RuntimeException e) {
            // The size is only a guard; a message without one is read.
        }
        ParsedMail mail;
        try {
            mail = ParsedMail.read(message, now);
        } catch (ParsedMail.Unreadable e) {
            return skipped(where, e.getMessage());
        }
        where = folder + " message " + mail.messageId() + " from " + mail.from();
        String automatic = guard.automatic(mail);
        if (automatic == null && store.wasSent(mail.messageId())) {
            automatic = "sla-bridge's own mail";
        }
        if (automatic != null) {
            stats.automatic.incrementAndGet();
            LOG.info("email: {} ignored: automatic mail ({})", where, automatic);
            return Outcome.AUTOMATIC;
        }
        if (mail.bodyProblem() != null) {
            stats.unreadableBodies.incrementAndGet();
            LOG.warn("email: {}: body not readable, read without it (no tags or keywords): {}", where, mail.bodyProblem());
        }
        EmailEvents.Decision decision;
        try {
            decision = events.read(mail, now, firstSeen);
        } catch (IllegalArgumentException e) {
            // An event the model refuses (TicketEvent's own checks): skipped like any unreadable mail, never retried.
            return skipped(where, "it makes no valid event: " + e.getMessage());
        }
        if (decision instanceof EmailEvents.Decision.Ignored i) {
            stats.ignored.incrementAndGet();
            LOG.info("email: {} ignored: {}", where, i.reason());
            return Outcome.IGNORED;
        }
        if (decision instanceof EmailEvents.Decision.Deferred d) {
            stats.deferred.incrementAndGet();
            LOG.debug("email: {} deferred: {}", where, d.reason());
            return Outcome.DEFERRED;
        }
        EmailEvents.Decision.Events e = (EmailEvents.Decision.Events) decision;
        sink.accept(e.events());
        e.afterIngest().run();
        stats.events.addAndGet(e.events().size());
        LOG.debug("email: {} → {}: {}", where, e.ticket(), e.events().stream().map(ev -> ev.type().wireName()).toList());
        return Outcome.EVENTS;
    }

    /** One round of auto-resolve: tickets whose customer did not answer an agent for the configured time. */
    public int autoResolve() {
        int n = 0;
        for (EmailEvents.AutoResolved r : events.autoResolve(clock.instant())) {
            sink.accept(List.of(r.event()));
            store.setStatus(r.ticket(), "resolved");
            stats.autoResolved.incrementAndGet();
            LOG.info("email: {} resolved: no customer mail for {} after the last agent reply", r.ticket(),
                    config.autoResolveAfter());
            n++;
        }
        return n;
    }

    private Outcome skipped(String where, String reason) {
        stats.skipped.incrementAndGet();
        LOG.warn("email: {} skipped: {}", where, reason);
        return Outcome.SKIPPED;
    }

    private static String describe(Message message, String folder) {
        return folder + " message #" + message.getMessageNumber();
    }
}
