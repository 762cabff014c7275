package io.slabridge.connector.api;

import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;

/** Sends an escalation's {@code notify} command as mail; one source that can send mail offers it to all. */
@FunctionalInterface
public interface Notices {
    WriteResult send(OutboxCommand command, WriteBack.Notify notify) throws Exception;
}
