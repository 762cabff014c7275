package io.slabridge.core.store;

import io.slabridge.core.outbox.WriteBack;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The outbox's way in, inside a ticket transaction: a write-back command is stored with the state change that
 * caused it, or not at all.
 */
public interface OutboxEnqueue {
    /**
     * Enqueues the commands (one batch of inserts), each ticket's in the given order; a command whose
     * idempotency key is already in the outbox is ignored.
     */
    void enqueue(List<NewCommand> commands, Instant now);

    /** Enqueues a command; a second command with the same idempotency key is ignored. */
    default void enqueue(String ticket, String source, WriteBack payload, String idempotencyKey, Instant now) {
        enqueue(List.of(new NewCommand(ticket, source, payload, idempotencyKey)), now);
    }

    /** A write-back command to enqueue for a ticket of {@code source} (jira, salesforce, email). */
    record NewCommand(String ticket, String source, WriteBack payload, String idempotencyKey) {
        public NewCommand {
            Objects.requireNonNull(ticket, "ticket");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        }
    }
}
