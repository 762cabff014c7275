package io.slabridge.connector.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.slabridge.core.outbox.OutboxWriter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.health.HealthCheck;

/**
 * A configured source ({@link Connector#configure}), as the application runs it: its inbound routes, then, once
 * Camel has configured them, its writer, health checks and meters.
 */
public interface Source {
    /** Webhook bodies above this many bytes are refused when no enabled source says otherwise. */
    int DEFAULT_WEBHOOK_MAX_BYTES = 1 << 20;

    /** How the source's status and priority names read as ticket statuses and priorities. */
    TicketMapping mapping();

    /**
     * Problems with the settings that only the source itself can tell (a configured field it lacks), checked before
     * anything starts, each naming its property; a source that cannot be reached is logged, not a problem.
     */
    default List<String> checkAgainstSource(Clock clock) {
        return List.of();
    }

    /**
     * Problems with the policy file that only the source can tell (a {@code teams} step naming a webhook it has no
     * URL for), each naming the property to set; checked at start.
     */
    default List<String> checkPolicies(io.slabridge.core.policy.PolicySet policies) {
        return List.of();
    }

    /** The longest one write-back call may take; empty when the source bounds it no further than the lease's default. */
    default Optional<WriteCall> longestWriteCall() {
        return Optional.empty();
    }

    /** The largest webhook body the source accepts; empty when it takes no webhooks. */
    default OptionalInt webhookMaxBytes() {
        return OptionalInt.empty();
    }

    /**
     * The routes that read the source and send {@code List<TicketEvent>} bodies to {@link SourceContext#ingestUri()};
     * their ids start with {@code <name>-}. Called once, before the others below.
     */
    RoutesBuilder routes(SourceContext context);

    /**
     * The ids of the routes that poll the source: with several instances on one store only the pollers' leader runs
     * them. Webhook routes run everywhere.
     */
    default Set<String> pollingRoutes() {
        return Set.of();
    }

    /**
     * The outbox's writer for the source's tickets, once Camel has configured its routes (it often shares their
     * client). A {@link io.slabridge.core.outbox.BatchOutboxWriter} when {@link WriteLimits#maxBatch()} is above one.
     * A command that is not the source's (another source's ticket) gets {@link io.slabridge.core.outbox.WriteResult#failed}
     * naming it.
     */
    OutboxWriter writer(CamelContext camel);

    /** Mail for every source's {@code notify} commands, when this source can send it (after {@link #writer}). */
    default Optional<Notices> notices() {
        return Optional.empty();
    }

    /**
     * Its tickets by the number people type for them, for the other sources' links ({@link SourceContext#numbers()}),
     * once Camel has configured its routes; empty when it numbers none, or not yet.
     */
    default Optional<TicketNumbers> ticketNumbers() {
        return Optional.empty();
    }

    /** Readiness checks of the source (after {@link #writer}). */
    default List<HealthCheck> healthChecks(Clock clock) {
        return List.of();
    }

    /** Registers the source's own meters (after {@link #writer}), named {@code sla_<name>_...}. */
    default void bindMetrics(MeterRegistry registry) {
    }
}
