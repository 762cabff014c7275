package io.slabridge.core.store;

/**
 * Durable state of the runtime, whole: the event log, each ticket's state and wake-up instant, escalation steps
 * done (all three in {@link TicketTransactions}), the outbox and the pollers' cursors. Several instances may share
 * one store: per-ticket work is serialised by row locks, and due tickets and outbox rows are claimed with
 * {@code SKIP LOCKED}.
 *
 * <p>For whoever opens and closes the store; each part of the runtime takes only the narrow interface it uses.
 */
public interface SlaStore extends TicketTransactions, OutboxDelivery, OutboxBacklog, OutboxParking, PollCursors,
        AutoCloseable {

    @Override
    void close();
}
