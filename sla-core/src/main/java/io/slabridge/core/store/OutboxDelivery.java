package io.slabridge.core.store;

import io.slabridge.core.outbox.OutboxCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The outbox as its dispatcher works it: claim the commands that may go out, then record how each went. Each call
 * is its own transaction. Several instances may share one outbox: rows are claimed with {@code SKIP LOCKED}.
 */
public interface OutboxDelivery {
    /**
     * Claims up to {@code limit} commands that may go out now: for each ticket and writer (the command's source)
     * only its oldest pending one, so that a ticket's commands to one system go out in order, and a command waiting
     * for one system (a Slack alert told to wait) does not hold back those for another (the ticket's Jira fields). A claimed command is leased: no one else claims it until
     * {@code lease} has passed, after which it is retried (the writer may have died).
     */
    default List<OutboxCommand> claimOutbox(Instant now, Duration lease, int limit) {
        return claimOutbox(now, lease, limit, Set.of());
    }

    /** As {@link #claimOutbox(Instant, Duration, int)}, leaving out the commands of {@code skipSources}. */
    List<OutboxCommand> claimOutbox(Instant now, Duration lease, int limit, Set<String> skipSources);

    void markDone(long commandId, Instant now);

    /** Tries the command again at {@code nextAttempt}, keeping the error for the operator. */
    void reschedule(long commandId, Instant nextAttempt, String error);

    /**
     * Tries the command again at {@code nextAttempt} without counting the delivery just made as an attempt: the
     * system asked to wait (a 429, rejected credentials) and did nothing, so this neither brings the command
     * closer to being parked nor tells the next delivery that an earlier one may have gone through.
     */
    void postpone(long commandId, Instant nextAttempt, String reason);

    /**
     * Extends the lease of a command claimed with {@link #claimOutbox} to {@code newUntil}, if it is still this
     * claim's: pending, with the attempts the claim gave it, leased until {@code leasedUntil}. False when the lease
     * ran out and another claim took the command (or finished it, or superseded it): the claimant must then leave
     * it alone, or it could write it twice or after a newer one.
     *
     * @param claimed     the command as the claim returned it
     * @param leasedUntil the lease the claim (or the last renewal) gave it
     */
    boolean renewLease(OutboxCommand claimed, Instant leasedUntil, Instant newUntil);

    void park(long commandId, String error, Instant now);
}
