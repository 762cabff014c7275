package io.slabridge.routes.app;

import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.policy.TargetDuration;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.core.model.TicketEvent;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator reading the log at INFO needs to know the service works: one line every
 * {@code sla.log.summary-interval} (5 minutes by default) with the events received, the write-backs delivered,
 * retried and parked since the last line, and nothing when nothing happened.
 */
final class ActivityLog extends RouteBuilder {
    static final String ROUTE_ID = "sla-activity-log";
    private static final Logger LOG = LoggerFactory.getLogger("io.slabridge.activity");

    private final Duration every;
    private final AtomicLong eventsIn = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong parked = new AtomicLong();

    ActivityLog(Duration every) {
        this.every = every;
    }

    void eventIn(TicketEvent event, SlaRuntime.Outcome outcome) {
        (outcome == SlaRuntime.Outcome.DUPLICATE ? duplicates : eventsIn).incrementAndGet();
    }

    /** @param outcome as {@link io.slabridge.core.runtime.OutboxDispatcher.DeliveryListener} names it */
    void delivered(OutboxCommand command, String outcome) {
        switch (outcome) {
            case "done" -> written.incrementAndGet();
            case "failed", "no_writer" -> parked.incrementAndGet();
            default -> retried.incrementAndGet();
        }
    }

    /** The summary line for what happened since the last one, or null when nothing did; resets the counts. */
    String summary() {
        long in = eventsIn.getAndSet(0);
        long again = duplicates.getAndSet(0);
        long out = written.getAndSet(0);
        long later = retried.getAndSet(0);
        long gaveUp = parked.getAndSet(0);
        if (in + again + out + later + gaveUp == 0) {
            return null;
        }
        return "last " + TargetDuration.format(every.toSeconds()) + ": " + in + " events in (" + again + " already known), " + out
                + " write-backs delivered, " + later + " to retry, " + gaveUp + " parked"
                + (gaveUp > 0 ? " (sla-bridge outbox --failed lists them)" : "");
    }

    @Override
    public void configure() {
        from("timer:sla-activity?delay=" + every.toMillis() + "&period=" + every.toMillis()).routeId(ROUTE_ID)
                .process(exchange -> {
                    String line = summary();
                    if (line != null) {
                        LOG.info(line);
                    }
                });
    }
}
