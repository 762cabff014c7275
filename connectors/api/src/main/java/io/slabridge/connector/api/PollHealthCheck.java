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
 */
public final class PollHealthCheck extends AbstractHealthCheck {
    private final Supplier<PollPacing.PollStatus> status;
    private final Duration interval;
    private final Clock clock;
    private Supplier<Optional<Limited>> limit = Optional::empty;

    /** The source refuses every call for a while (Salesforce's org-wide API request limit). */
    public record Limited(Instant until, String reason) {
    }

    public PollHealthCheck(String source, Supplier<PollPacing.PollStatus> status, Duration interval, Clock clock) {
        super("sla-bridge", "source-" + source);
        this.status = status;
        this.interval = interval;
        this.clock = clock;
    }

    /** For a source read only through webhooks: nothing to poll, always up. */
    public static PollHealthCheck webhooksOnly(String source) {
        return new PollHealthCheck(source, null, null, null);
    }

    /** Down, as limited, while {@code value} names a limit: nothing is read from the source until it ends. */
    public PollHealthCheck limitedBy(Supplier<Optional<Limited>> value) {
        this.limit = value;
        return this;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Optional<Limited> limited = limit.get();
        if (limited.isPresent()) {
            builder.detail("state", "limited").detail("limited.until", limited.get().until().toString())
                    .detail("limited.reason", limited.get().reason())
                    .message("limited until " + limited.get().until() + ": " + limited.get().reason()).down();
            return;
        }
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
        if (last.failingFor(interval.multipliedBy(3), clock.instant())) {
            builder.message("polls have failed since " + last.failingSince() + ": " + last.lastError()).down();
        } else {
            builder.up();
        }
    }
}
