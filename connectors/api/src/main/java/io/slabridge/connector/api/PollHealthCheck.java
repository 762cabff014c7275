package io.slabridge.connector.api;

import io.slabridge.core.runtime.PollPacing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A polled source's readiness ({@code source-<name>}): ready unless its polls have all failed for three poll
 * intervals. One failure is retried and is no news; a lasting one (rejected credentials, the source down) is what an
 * operator must see. On an instance that is not the pollers' leader nothing is polled and the check stays up.
 *
 * <p>A source that refuses every call for a while (Salesforce's org-wide API request limit) is shown as
 * {@code state=limited}, with until when and why, and stays up: nothing is broken, sla-bridge only waits, and a
 * readiness check that went down would take the whole process out of a load balancer (Jira's webhooks included).
 * The wait is not failing time: nothing is polled during it. Polls that had already failed for three intervals up to
 * the last one tried still make the check down.
 */
public final class PollHealthCheck extends AbstractHealthCheck {
    private final String source;
    private final Supplier<PollPacing.PollStatus> status;
    private final Duration interval;
    private final Clock clock;
    private Supplier<Optional<Limited>> limit = Optional::empty;

    /** The source refuses every call for a while (Salesforce's org-wide API request limit). */
    public record Limited(Instant until, String reason) {
    }

    public PollHealthCheck(String source, Supplier<PollPacing.PollStatus> status, Duration interval, Clock clock) {
        super("sla-bridge", "source-" + source);
        this.source = source;
        this.status = status;
        this.interval = interval;
        this.clock = clock;
    }

    /** For a source read only through webhooks: nothing to poll, always up. */
    public static PollHealthCheck webhooksOnly(String source) {
        return new PollHealthCheck(source, null, null, null);
    }

    /** Shown as limited (and still up) while {@code value} names a limit: nothing is read from the source until it ends. */
    public PollHealthCheck limitedBy(Supplier<Optional<Limited>> value) {
        this.limit = value;
        return this;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    /** The source's name, e.g. {@code jira}. */
    public String source() {
        return source;
    }

    /** Whether the source is polled (false: read through webhooks only). */
    public boolean polled() {
        return status != null;
    }

    /**
     * Whether this check is up now (the gauge {@code sla_source_up} shows it): polls not failing for three intervals.
     * Being limited alone keeps it up, as {@link #doCall} does.
     */
    public boolean up() {
        return status == null || !failedTooLong(status.get(), limit.get().isPresent());
    }

    /** The latest poll that succeeded here, if any. */
    public Optional<Instant> lastSuccess() {
        return status == null ? Optional.empty() : Optional.ofNullable(status.get().lastSuccess());
    }

    /** While limited nothing is polled: the failing time ends at the last poll tried, the wait is not counted. */
    private boolean failedTooLong(PollPacing.PollStatus last, boolean limited) {
        return last.failingFor(interval.multipliedBy(3), limited ? last.lastAttempt() : clock.instant());
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Optional<Limited> limited = limit.get();
        String limitedMessage = limited.map(l -> "limited until " + l.until() + ": " + l.reason()).orElse(null);
        limited.ifPresent(l -> builder.detail("state", "limited").detail("limited.until", l.until().toString())
                .detail("limited.reason", l.reason()).message(limitedMessage));
        if (status == null) {
            builder.detail("mode", "webhooks only").up();
            return;
        }
        PollPacing.PollStatus last = status.get();
        if (!last.polled()) {
            builder.detail("mode", "polling, not yet polled here").up();
            return;
        }
        builder.detail("last.poll", last.lastAttempt().toString());
        if (last.lastSuccess() != null) {
            builder.detail("last.success", last.lastSuccess().toString());
        }
        if (last.failingSince() == null) {
            builder.up();
            return;
        }
        builder.detail("failing.since", last.failingSince().toString()).detail("last.error", last.lastError());
        if (failedTooLong(last, limited.isPresent())) {
            builder.message("polls have failed since " + last.failingSince() + ": " + last.lastError()
                    + (limitedMessage == null ? "" : "; " + limitedMessage)).down();
        } else {
            builder.up();
        }
    }
}
