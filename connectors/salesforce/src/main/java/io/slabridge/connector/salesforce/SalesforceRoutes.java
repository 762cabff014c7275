package io.slabridge.connector.salesforce;

import io.slabridge.core.model.TicketEvent;
import io.slabridge.connector.api.TicketNumbers;
import io.slabridge.core.runtime.PollPacing;
import io.slabridge.core.store.PollCursors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;

/**
 * The Salesforce connector's route: {@code salesforce-poll}, a timer every {@code sla.salesforce.poll-interval}
 * that sends lists of ticket events to the runtime's ingest endpoint. A poll that fails resumes from the durable
 * cursors at a later tick: after {@code sla.salesforce.limit-retry-after} when the org's API limit is used up,
 * else after a backoff doubling from the poll interval up to ten minutes.
 */
public final class SalesforceRoutes extends RouteBuilder {
    /** The id of the route that polls Salesforce (run only by the pollers' leader). */
    public static final String POLL_ROUTE = "salesforce-poll";

    private final SalesforceConfig config;
    private final PollCursors store;
    private final String ingestUri;
    private final Clock clock;
    private SalesforceApi api;
    private volatile TicketNumbers caseNumbers;
    private SalesforcePoller poller;
    private final PollPacing pacing;
    private boolean pollOnTimer = true;

    public SalesforceRoutes(SalesforceConfig config, PollCursors store, String ingestUri, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.store = Objects.requireNonNull(store, "store");
        this.ingestUri = Objects.requireNonNull(ingestUri, "ingestUri");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pacing = new PollPacing(config.pollInterval());
    }

    /** Uses this client (and its component and login) instead of creating one, e.g. to share it with the writer. */
    public SalesforceRoutes withApi(SalesforceApi value) {
        this.api = value;
        return this;
    }

    /** Leaves the poll route stopped, for callers (tests, the demo) that drive {@link #poll()} themselves. */
    public SalesforceRoutes withoutPollTimer() {
        this.pollOnTimer = false;
        return this;
    }

    /** How the polls are going, for the readiness check. */
    public PollPacing.PollStatus pollStatus() {
        return pacing.status();
    }

    /** The client the route uses, once the route is configured. */
    public SalesforceApi api() {
        return api;
    }

    /** Cases by number, for the other sources' links, once the route is configured (one cache for all who ask). */
    public Optional<TicketNumbers> caseNumbers() {
        return Optional.ofNullable(caseNumbers);
    }

    @Override
    public void configure() throws Exception {
        if (api == null) {
            api = SalesforceApi.create(getContext(), config, clock);
        }
        caseNumbers = new CaseNumbers(api);
        SalesforceEvents events = new SalesforceEvents(config, api::integrationUser);
        ProducerTemplate producer = getContext().createProducerTemplate();
        Consumer<List<TicketEvent>> sink = page -> producer.requestBody(ingestUri, page);
        poller = new SalesforcePoller(api, events, store, sink, clock);
        getContext().addStartupListener((context, alreadyStarted) -> checkCaseFields());
        from("timer:salesforce-poll?delay=0&period=" + config.pollInterval().toMillis()).routeId(POLL_ROUTE)
                .autoStartup(pollOnTimer).process(e -> poll());
    }

    /**
     * At start: the org's Case fields against the settings. A field that is missing or cannot be written stops the
     * start, naming its property; a Salesforce that cannot be reached does not (the first poll checks again).
     */
    private void checkCaseFields() {
        try {
            api.caseSchema();
        } catch (SalesforceCallException e) {
            log.warn("Salesforce: the Case fields could not be checked at start (GET sobjects/Case/describe), checked "
                    + "again before the first poll and write: {}", e.getMessage());
        }
    }

    /** One tick of the poll route: a poll unless an earlier failure asked us to wait. */
    public void poll() {
        Instant now = clock.instant();
        if (!pacing.due(now)) {
            return;
        }
        try {
            SalesforcePoller.Result r = poller.pollOnce();
            pacing.succeeded(now);
            if (r.events() > 0 || r.skipped() > 0) {
                log.info("Salesforce poll: {} records on {} pages, {} events, {} records skipped; Case cursor {}",
                        r.records(), r.pages(), r.events(), r.skipped(), r.caseCursor());
            }
        } catch (SalesforceCallException e) {
            if (e.limitExceeded()) {
                // The org's limit: the client logged it once (WARN, with until when); polls wait as long as it says.
                Duration limit = api.limitWait();
                Duration wait = pacing.failed(now, limit.isZero() ? config.limitRetryAfter() : limit, e.getMessage());
                log.info("Salesforce poll waits {} s for the org's API request limit, then resumes from the same cursors",
                        wait.toSeconds());
                return;
            }
            Duration wait = pacing.failed(now, null, e.getMessage());
            log.warn("Salesforce poll failed, next try in {} s from the same cursors: {}", wait.toSeconds(), e.getMessage());
        } catch (RuntimeException e) {
            Duration wait = pacing.failed(now, null, e.toString());
            log.warn("Salesforce poll failed, next try in {} s from the same cursors: {}", wait.toSeconds(), e.toString());
        }
    }

}
