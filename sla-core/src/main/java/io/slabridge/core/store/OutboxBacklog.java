package io.slabridge.core.store;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** How the outbox stands, for health checks, metrics and operators: reads only. */
public interface OutboxBacklog {
    /** When the oldest command still waiting to go out was enqueued: how far behind write-back is. */
    Optional<Instant> oldestPendingCommand();

    /** Counts of outbox rows by status (pending, done, parked). */
    Map<String, Long> outboxCounts();
}
