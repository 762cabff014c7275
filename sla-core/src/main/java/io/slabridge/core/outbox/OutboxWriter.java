package io.slabridge.core.outbox;

/**
 * Delivers write-back commands to one source system; each connector implements it. Called from the dispatcher's
 * threads, one command of a ticket at a time and in order. Must be idempotent per
 * {@link OutboxCommand#idempotencyKey()}: after a crash between a write and its acknowledgement, the same
 * command is delivered again.
 */
@FunctionalInterface
public interface OutboxWriter {
    /**
     * @return {@link WriteResult#done()}, {@link WriteResult#retryAfter}, or {@link WriteResult#failed};
     *         an exception is a transient failure, retried with backoff
     */
    WriteResult write(OutboxCommand command) throws Exception;
}
