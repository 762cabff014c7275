package io.slabridge.core.store;

import io.slabridge.core.outbox.OutboxCommand;
import java.time.Instant;

/** A write-back command that failed for good, kept with its error until someone re-queues it. */
public record ParkedCommand(OutboxCommand command, String error, Instant parkedAt) {
}
