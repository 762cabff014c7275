package io.slabridge.core.outbox;

import java.time.Instant;
import java.util.Objects;

/**
 * One durable write-back command, as the dispatcher hands it to a writer.
 *
 * @param id             the outbox row; increases with enqueue order, and commands of one ticket go out in it
 * @param ticket         the ticket key, e.g. {@code jira:SUP-12}
 * @param source         the system the ticket lives in ({@code jira}, {@code salesforce}, {@code email}),
 *                       which picks the writer
 * @param idempotencyKey stable across retries and restarts: a writer that cannot tell whether an earlier
 *                       attempt went through (a timeout after sending) uses it to avoid doing it twice
 * @param attempts       deliveries tried before this one that may have done something: a delivery the system
 *                       answered with a wait ({@link WriteResult#retryAfter}) is not counted
 */
public record OutboxCommand(long id, String ticket, String source, WriteBack payload, String idempotencyKey,
        Instant createdAt, int attempts) {
    public OutboxCommand {
        Objects.requireNonNull(ticket, "ticket");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
