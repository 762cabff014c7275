package io.slabridge.core.outbox;

import java.util.List;

/**
 * A writer whose system takes many records in one call (Salesforce's sObject Collections: up to 200). The
 * dispatcher hands it up to {@link #maxBatch()} commands at once, never two of one ticket, so per-ticket order
 * holds. Each command gets its own result: one record can fail while the rest succeed.
 */
public interface BatchOutboxWriter extends OutboxWriter {

    /** The most commands one {@link #writeAll} call takes. */
    int maxBatch();

    /**
     * @return one result per command, in the order given; {@link WriteResult#failedForNow} for a command whose
     *         own call failed in a way that may pass while others' calls went through
     * @throws Exception a transient failure of the whole call: every command is retried with backoff
     */
    List<WriteResult> writeAll(List<OutboxCommand> commands) throws Exception;

    @Override
    default WriteResult write(OutboxCommand command) throws Exception {
        return writeAll(List.of(command)).get(0);
    }
}
