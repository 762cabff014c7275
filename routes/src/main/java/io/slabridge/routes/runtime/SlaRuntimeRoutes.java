package io.slabridge.routes.runtime;

import io.slabridge.core.config.ApplicationSettings;
import io.slabridge.core.config.Setting;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.policy.PolicyProblem;
import io.slabridge.core.runtime.GroupCommit;
import io.slabridge.core.runtime.OutboxDispatcher;
import io.slabridge.core.runtime.PolicyReloader;
import io.slabridge.core.runtime.Scheduler;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.core.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.service.ServiceSupport;

import static io.slabridge.core.config.ApplicationSettings.OUTBOX_BATCH;
import static io.slabridge.core.config.ApplicationSettings.OUTBOX_POLL_INTERVAL;
import static io.slabridge.core.config.ApplicationSettings.POLICY_RELOAD_INTERVAL;

/**
 * The Camel side of the SLA runtime. Connectors send {@link TicketEvent}s to {@value #INGEST}, one at a time or a
 * poll page at a time; the runtime stores and folds them. The scheduler runs as a service of the Camel context (its own thread, woken exactly when a
 * ticket is due), the outbox is drained by a timer route, and another watches the policy file.
 *
 * <p>Options (placeholders, in milliseconds where a duration): {@link ApplicationSettings#OUTBOX_POLL_INTERVAL},
 * {@link ApplicationSettings#OUTBOX_BATCH}, {@link ApplicationSettings#POLICY_RELOAD_INTERVAL}; unset, their
 * declared defaults.
 */
public final class SlaRuntimeRoutes extends RouteBuilder {
    /**
     * Where connectors send ticket events: a {@link TicketEvent}, or a {@code List<TicketEvent>} (a poll page, taken
     * in one transaction by {@link SlaRuntime#acceptAll}). Deliveries sent while another is being stored share the
     * next transaction ({@link GroupCommit}). The reply body is the {@link SlaRuntime.Outcome}, or for a list the
     * {@code List<Outcome>}, one per event in the same order, once they are committed.
     */
    public static final String INGEST = "direct:sla-events";

    private final GroupCommit ingest;
    private final Scheduler scheduler;
    private final OutboxDispatcher dispatcher;
    private final PolicyReloader reloader;

    public SlaRuntimeRoutes(SlaRuntime runtime, Scheduler scheduler, OutboxDispatcher dispatcher, PolicyReloader reloader) {
        this.ingest = new GroupCommit(Objects.requireNonNull(runtime, "runtime"));
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.reloader = reloader;
    }

    private volatile IngestListener ingestListener = (event, outcome) -> { };

    /** Told of each event the ingest endpoint stored or found already stored (for metrics). */
    @FunctionalInterface
    public interface IngestListener {
        void accepted(TicketEvent event, SlaRuntime.Outcome outcome);
    }

    public SlaRuntimeRoutes onIngest(IngestListener value) {
        this.ingestListener = java.util.Objects.requireNonNull(value, "listener");
        return this;
    }

    @Override
    public void configure() throws Exception {
        getContext().addService(new SchedulerService(scheduler), true, true);

        // A failure (the store unavailable) goes back to the caller, which answers 503 or retries the poll and says
        // so in one line: no error handler here to log a stack trace for each of them as well.
        from(INGEST).routeId("sla-ingest").errorHandler(noErrorHandler())
                .process(e -> {
                    Object body = e.getMessage().getBody();
                    if (body instanceof List<?> page) {
                        List<TicketEvent> events = events(page);
                        List<SlaRuntime.Outcome> outcomes = ingest.acceptAll(events);
                        for (int i = 0; i < events.size(); i++) {
                            ingestListener.accepted(events.get(i), outcomes.get(i));
                        }
                        e.getMessage().setBody(outcomes);
                    } else {
                        TicketEvent event = e.getMessage().getMandatoryBody(TicketEvent.class);
                        SlaRuntime.Outcome outcome = ingest.acceptAll(List.of(event)).get(0);
                        ingestListener.accepted(event, outcome);
                        e.getMessage().setBody(outcome);
                    }
                    scheduler.nudge(); // a ticket may now be due sooner than the scheduler planned
                });

        from("timer:sla-outbox?period=" + placeholder(OUTBOX_POLL_INTERVAL)).routeId("sla-outbox")
                .process(e -> {
                    int batch = Integer.parseInt(getContext().resolvePropertyPlaceholders(placeholder(OUTBOX_BATCH)));
                    try {
                        while (dispatcher.dispatchOnce(batch) == batch) {
                            // a full batch: more may be ready
                        }
                    } catch (StoreException unavailable) {
                        // The next tick tries again; one line, not a stack trace per tick, while the store is gone.
                        log.warn("outbox: the store is unavailable, trying again at the next tick: {}",
                                unavailable.getMessage());
                    }
                });

        if (reloader != null) {
            from("timer:sla-policy?period=" + placeholder(POLICY_RELOAD_INTERVAL)).routeId("sla-policy-reload")
                    .process(e -> {
                        PolicyReloader.Outcome outcome = reloader.reloadIfChanged();
                        if (outcome instanceof PolicyReloader.Outcome.Reloaded r) {
                            log.info("policy file changed: new policies in force, {} open tickets refolded", r.tickets());
                        } else if (outcome instanceof PolicyReloader.Outcome.Refused r) {
                            for (PolicyProblem p : r.problems()) {
                                log.warn("policy file refused, the policies in force stay: {}", p);
                            }
                        }
                    });
        }
    }

    /** {@code {{name:default}}}, a duration's default in milliseconds. */
    private static String placeholder(Setting<?> setting) {
        Object value = setting.defaultValue();
        return "{{" + setting.name() + ":" + (value instanceof Duration d ? d.toMillis() : value) + "}}";
    }

    private static List<TicketEvent> events(List<?> page) {
        List<TicketEvent> events = new ArrayList<>(page.size());
        for (Object item : page) {
            if (!(item instanceof TicketEvent event)) {
                throw new IllegalArgumentException("a list sent to " + INGEST + " must hold only TicketEvents, not "
                        + (item == null ? "null" : item.getClass().getName()));
            }
            events.add(event);
        }
        return events;
    }

    /** Runs the scheduler's loop on its own thread for as long as the Camel context runs. */
    static final class SchedulerService extends ServiceSupport {
        private final Scheduler scheduler;
        private Thread thread;

        SchedulerService(Scheduler scheduler) {
            this.scheduler = scheduler;
        }

        @Override
        protected void doStart() {
            org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SlaRuntimeRoutes.class);
            scheduler.onFailure((failure, retryIn) -> log.warn("scheduler: a look at due tickets failed, next try in {} ms "
                    + "(what fell due meanwhile is handled then): {}", retryIn.toMillis(), failure.getMessage()));
            thread = new Thread(scheduler, "sla-scheduler");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        protected void doStop() throws InterruptedException {
            scheduler.stop();
            if (thread != null) {
                thread.join(10_000);
            }
        }
    }
}
