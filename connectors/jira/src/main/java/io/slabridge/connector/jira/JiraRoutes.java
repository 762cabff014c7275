package io.slabridge.connector.jira;

import io.slabridge.connector.api.LinkMemory;
import io.slabridge.connector.api.TicketNumbers;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.runtime.PollPacing;
import io.slabridge.core.store.PollCursors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;

/**
 * The Jira connector's routes: {@code jira-webhook} (platform-http at {@code sla.jira.webhook-path}) and
 * {@code jira-poll} (a timer every {@code sla.jira.poll-interval}, when projects are configured). Both send
 * lists of ticket events to the runtime's ingest endpoint. A poll that fails resumes from the durable cursor at a
 * later tick: after the wait Jira asked for (429, 503), else after a backoff doubling from the poll interval up
 * to ten minutes.
 */
public final class JiraRoutes extends RouteBuilder {
    /** Webhook bodies larger than this are refused with 413, unless {@code sla.jira.webhook-max-bytes} says otherwise. */
    public static final int DEFAULT_MAX_WEBHOOK_BYTES = (int) (long) JiraSettings.WEBHOOK_MAX_BYTES.defaultValue();
    /** The id of the route that polls Jira (run only by the pollers' leader). */
    public static final String POLL_ROUTE = "jira-poll";

    private final JiraConfig config;
    private final PollCursors store;
    private final String ingestUri;
    private final Clock clock;
    private JiraHttp http;
    private JiraPoller poller;
    private final PollPacing pacing;
    private boolean pollOnTimer = true;
    private TicketNumbers caseNumbers = TicketNumbers.unavailable("the Salesforce connector is not wired to Jira here");

    public JiraRoutes(JiraConfig config, PollCursors store, String ingestUri, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        this.ingestUri = Objects.requireNonNull(ingestUri, "ingestUri");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pacing = new PollPacing(config.pollInterval());
    }

    /** Leaves the poll route stopped, for callers (tests, the demo) that drive {@link #poll()} themselves. */
    public JiraRoutes withoutPollTimer() {
        this.pollOnTimer = false;
        return this;
    }

    /** Looks up the Salesforce Case a number in {@code sla.jira.field.linked-case} names (the application's wiring). */
    public JiraRoutes withCaseNumbers(TicketNumbers value) {
        this.caseNumbers = Objects.requireNonNull(value, "caseNumbers");
        return this;
    }

    /** The client the routes use (its call count feeds metrics), once the routes are configured. */
    public JiraHttp http() {
        return http;
    }

    /** The outbox's writer for Jira tickets, over the routes' client; available once the routes are configured. */
    public JiraWriter writer() {
        if (http == null) {
            throw new IllegalStateException("the Jira routes are not configured yet");
        }
        return new JiraWriter(http);
    }

    /** Whether Jira is polled at all (projects configured). */
    public boolean polling() {
        return !config.projects().isEmpty();
    }

    /** How the polls are going, for the readiness check. */
    public PollPacing.PollStatus pollStatus() {
        return pacing.status();
    }

    @Override
    public void configure() {
        http = JiraHttp.create(getContext(), config, clock);
        RestJiraDirectory directory = new RestJiraDirectory(http, clock);
        JiraEvents events = new JiraEvents(config, directory);
        ProducerTemplate producer = getContext().createProducerTemplate();
        Consumer<List<TicketEvent>> sink = page -> producer.requestBody(ingestUri, page);
        if (!config.webhookSigned()) {
            log.warn("{} is not set: Jira webhooks are accepted unsigned", JiraSettings.WEBHOOK_SECRET.name());
        }

        from("platform-http:" + config.webhookPath() + "?httpMethodRestrict=POST").routeId("jira-webhook")
                .process(new JiraWebhook(config, events, sink, config.webhookMaxBytes(),
                        new LinkMemory(store, clock), http, caseNumbers));

        if (!config.projects().isEmpty()) {
            poller = new JiraPoller(http, directory, events, store, sink, clock, caseNumbers);
            from("timer:jira-poll?delay=0&period=" + config.pollInterval().toMillis()).routeId(POLL_ROUTE)
                    .autoStartup(pollOnTimer).process(e -> poll());
        } else {
            log.info("{} is empty: Jira is not polled, only webhooks are read", JiraSettings.PROJECTS.name());
        }
    }

    /** One tick of the poll route: a poll unless Jira asked us to wait. */
    public void poll() {
        Instant now = clock.instant();
        if (!pacing.due(now)) {
            return;
        }
        try {
            JiraPoller.Result r = poller.pollOnce();
            pacing.succeeded(now);
            if (r.events() > 0 || r.skippedIssues() > 0) {
                log.info("Jira poll: {} issues on {} pages, {} events, {} issues skipped; cursor {}", r.issues(), r.pages(),
                        r.events(), r.skippedIssues(), r.cursor());
            }
        } catch (JiraRequestException e) {
            Duration wait = pacing.failed(now, e.retryAfter(), e.getMessage());
            log.warn("Jira poll failed, next try in {} s from the same cursor: {}", wait.toSeconds(), e.getMessage());
        } catch (RuntimeException e) {
            Duration wait = pacing.failed(now, null, e.toString());
            log.warn("Jira poll failed, next try in {} s from the same cursor: {}", wait.toSeconds(), e.getMessage());
        }
    }

}
