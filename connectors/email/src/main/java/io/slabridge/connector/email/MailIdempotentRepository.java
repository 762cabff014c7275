package io.slabridge.connector.email;

import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * camel-mail's idempotent repository, durable in the store ({@code mail_processed}), so that a message is read
 * once across restarts. Use it with {@code idempotentRepositoryRemoveOnCommit=false}: camel-mail then
 * {@link #confirm confirms} a processed message instead of removing it (the default, {@code true}, forgets it and
 * reads it again after a restart).
 *
 * <p>A poll {@link #add adds} a message before processing it; a message added by a poll that never finished (the
 * process died) is taken again by the next one, so nothing is lost; the events it leads to are idempotent. A
 * message the processor {@link #defer defers} (an agent's reply whose thread has not been read yet) is left
 * unconfirmed at commit, and read again at the next poll; its row keeps the instant it was first taken.
 */
public final class MailIdempotentRepository extends ServiceSupport implements IdempotentRepository {
    private final MailStore store;
    private final String name;
    private final Clock clock;
    private final Set<String> deferred = ConcurrentHashMap.newKeySet();

    /**
     * @param name the repository's name: the mailbox it serves ({@code user@host}), so two mailboxes never share keys
     */
    public MailIdempotentRepository(MailStore store, String name, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.name = Objects.requireNonNull(name, "name");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Leaves the message unconfirmed when camel-mail commits it: the next poll reads it again. */
    public void defer(String key) {
        deferred.add(key);
    }

    /** When a poll first took this message, if one did. */
    public java.util.Optional<java.time.Instant> firstTaken(String key) {
        return store.firstTaken(name, key).map(java.time.Instant::ofEpochSecond);
    }

    @Override
    public boolean add(String key) {
        return store.take(name, key, clock.instant().getEpochSecond());
    }

    @Override
    public boolean contains(String key) {
        return store.processed(name, key);
    }

    @Override
    public boolean remove(String key) {
        deferred.remove(key);
        return store.release(name, key);
    }

    @Override
    public boolean confirm(String key) {
        if (deferred.remove(key)) {
            return true; // left unconfirmed: the next poll takes it again
        }
        return store.confirm(name, key);
    }

    @Override
    public void clear() {
        store.clear(name);
    }
}
