package io.slabridge.connector.email;

import io.slabridge.core.model.TicketEvent;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.search.ComparisonTerm;
import jakarta.mail.search.ReceivedDateTerm;
import java.time.Clock;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mail.MailConsumer;
import org.apache.camel.component.mail.MailEndpoint;
import org.apache.camel.component.mail.MailMessage;
import org.apache.camel.component.mail.MailUidGenerator;
import org.apache.camel.support.DefaultPollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The email connector's routes: {@code email-inbox} and {@code email-sent} poll the support mailbox's folders over
 * IMAP(S) every {@code sla.email.poll-interval} and send each message's ticket events to the runtime's ingest
 * endpoint; {@code email-auto-resolve} (when {@code sla.email.auto-resolve-after} is set) resolves tickets whose
 * customer has not answered an agent.
 *
 * <p>Each message is read once across restarts: the consumers keep what they read in a durable idempotent
 * repository ({@link MailIdempotentRepository}, {@code idempotentRepositoryRemoveOnCommit=false}), keyed by
 * Message-ID, so the copy of a reply in the inbox (Bcc) and in Sent is read once. Messages are not deleted; camel-mail
 * flags them {@code \Seen}. Each poll searches only mail received within {@code sla.email.lookback}.
 */
public final class EmailRoutes extends RouteBuilder {
    private final EmailConfig config;
    private final MailStore store;
    private final String ingestUri;
    private final Clock clock;
    private final EmailStats stats = new EmailStats();
    /** Whether a poll of any folder has logged in yet: the first one says so at INFO. */
    private final AtomicBoolean loggedIn = new AtomicBoolean();
    private EmailIntake intake;
    private boolean pollOnTimer = true;

    public EmailRoutes(EmailConfig config, DataSource dataSource, String ingestUri, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = new MailStore(dataSource);
        this.ingestUri = Objects.requireNonNull(ingestUri, "ingestUri");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Leaves the auto-resolve route stopped, for callers (tests) that drive {@link #autoResolve()} themselves. */
    public EmailRoutes withoutAutoResolveTimer() {
        this.pollOnTimer = false;
        return this;
    }

    /**
     * The routes that read the mailbox or act on a timer, as configured. With several instances only the pollers'
     * leader runs them: the durable read-once repository would keep a message from being taken twice anyway, but
     * each instance would search the mailbox.
     */
    public Set<String> pollingRoutes() {
        Set<String> ids = new LinkedHashSet<>();
        ids.add("email-inbox");
        if (config.sentFolder() != null) {
            ids.add("email-sent");
        }
        if (config.autoResolveAfter() != null) {
            ids.add("email-auto-resolve");
        }
        return Collections.unmodifiableSet(ids);
    }

    public EmailStats stats() {
        return stats;
    }

    public MailStore store() {
        return store;
    }

    /** One round of auto-resolve (what the timer route does). */
    public int autoResolve() {
        return intake.autoResolve();
    }

    @Override
    public void configure() {
        ProducerTemplate producer = getContext().createProducerTemplate();
        Consumer<List<TicketEvent>> sink = page -> producer.requestBody(ingestUri, page);
        intake = new EmailIntake(config, store, sink, clock, stats);
        MailIdempotentRepository repository = new MailIdempotentRepository(store,
                config.imapUser().toLowerCase(Locale.ROOT) + "@" + config.imapHost().toLowerCase(Locale.ROOT), clock);

        from(endpoint(config.inboxFolder(), repository)).routeId("email-inbox")
                .process(e -> read(e, config.inboxFolder(), repository));
        if (config.sentFolder() != null) {
            from(endpoint(config.sentFolder(), repository)).routeId("email-sent")
                    .process(e -> read(e, config.sentFolder(), repository));
        }
        if (config.autoResolveAfter() != null) {
            long period = Math.min(config.autoResolveAfter().toMillis(), 15 * 60_000L);
            from("timer:email-auto-resolve?delay=0&period=" + period).routeId("email-auto-resolve")
                    .autoStartup(pollOnTimer).process(e -> intake.autoResolve());
        }
        log.info("email connector: {}", config);
    }

    private void read(Exchange exchange, String folder, MailIdempotentRepository repository) {
        Message message = exchange.getIn(MailMessage.class).getOriginalMessage();
        String key = exchange.getProperty(MailConsumer.MAIL_MESSAGE_UID, String.class);
        java.time.Instant firstSeen = key == null ? clock.instant() : repository.firstTaken(key).orElse(clock.instant());
        EmailIntake.Outcome outcome = intake.read(message, folder, firstSeen);
        if (outcome == EmailIntake.Outcome.DEFERRED && key != null) {
            repository.defer(key);
        }
    }

    /**
     * A folder's consumer, built in code: the password goes into the endpoint's configuration, never into its URI.
     */
    private MailEndpoint endpoint(String folder, MailIdempotentRepository repository) {
        String uri = config.imapProtocol() + "://" + config.imapHost() + ":" + config.imapPort() + "?folderName="
                + encode(folder) + "&unseen=false&delete=false&peek=true&mapMailMessage=false&skipFailedMessage=true"
                + "&maxMessagesPerPoll=200&connectionTimeout=15000&initialDelay=0&delay=" + config.pollInterval().toMillis();
        MailEndpoint endpoint = getContext().getEndpoint(uri, MailEndpoint.class);
        endpoint.getConfiguration().setUsername(config.imapUser());
        endpoint.getConfiguration().setPassword(config.imapPassword());
        // A server that stops answering must not hold the poll forever: reads and writes time out.
        java.util.Properties timeouts = new java.util.Properties();
        timeouts.setProperty("mail." + config.imapProtocol() + ".timeout", "60000");
        timeouts.setProperty("mail." + config.imapProtocol() + ".writetimeout", "60000");
        endpoint.getConfiguration().setAdditionalJavaMailProperties(timeouts);
        endpoint.setIdempotentRepository(repository);
        endpoint.setIdempotentRepositoryRemoveOnCommit(false);
        endpoint.setMailUidGenerator(new MessageIdKeys());
        endpoint.setPollStrategy(new LookbackWindow(config, clock, loggedIn));
        return endpoint;
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Keys messages by Message-ID (a synthetic one when absent), the same in every folder. */
    static final class MessageIdKeys implements MailUidGenerator {
        @Override
        public String generateUuid(MailEndpoint endpoint, Message message) {
            try {
                message.getAllHeaders(); // one FETCH of the header block, which the reads below then use
                String[] ids = message.getHeader("Message-ID");
                if (ids != null && ids.length > 0) {
                    List<String> parsed = ParsedMail.ids(ids[0]);
                    if (!parsed.isEmpty()) {
                        return ParsedMail.storableId(parsed.get(0)); // the same key as the ticket's: one per mail
                    }
                }
                String[] date = message.getHeader("Date");
                String[] from = message.getHeader("From");
                String[] subject = message.getHeader("Subject");
                return "no-id:" + ParsedMail.sha256(String.join("\n", date == null ? "" : date[0], from == null ? ""
                        : from[0], subject == null ? "" : subject[0], String.valueOf(message.getReceivedDate())));
            } catch (MessagingException | RuntimeException e) {
                return "no-id:" + endpoint.getConfiguration().getFolderName() + ":" + message.getMessageNumber();
            }
        }
    }

    /**
     * Before each poll, narrows the search to mail received in the last {@code sla.email.lookback}, the window moving
     * with the clock: IMAP's {@code SINCE} (whole days), so that a poll does not walk the whole mailbox.
     */
    static final class LookbackWindow extends DefaultPollingConsumerPollStrategy {
        private static final Logger LOG = LoggerFactory.getLogger(EmailRoutes.class);
        private final EmailConfig config;
        private final Clock clock;
        private final AtomicBoolean loggedIn;

        LookbackWindow(EmailConfig config, Clock clock, AtomicBoolean loggedIn) {
            this.config = config;
            this.clock = clock;
            this.loggedIn = loggedIn;
        }

        /** A poll that got here logged in and searched its folder: the first one tells the operator. */
        @Override
        public void commit(org.apache.camel.Consumer consumer, Endpoint endpoint, int polledMessages) {
            if (loggedIn.compareAndSet(false, true)) {
                LOG.info("email: IMAP works: logged in to {}://{}:{} as {}, {} polled ({} messages)",
                        config.imapProtocol(), config.imapHost(), config.imapPort(), config.imapUser(),
                        ((MailEndpoint) endpoint).getConfiguration().getFolderName(), polledMessages);
            }
        }

        @Override
        public boolean begin(org.apache.camel.Consumer consumer, Endpoint endpoint) {
            ((MailEndpoint) endpoint).setSearchTerm(new ReceivedDateTerm(ComparisonTerm.GE,
                    Date.from(clock.instant().minus(config.lookback()))));
            return true;
        }
    }
}
