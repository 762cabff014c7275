package io.slabridge.connector.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whom an escalation's {@code assign} names, as the source's id (a Jira account id, a Salesforce user or queue id),
 * remembered for {@link #TTL} so that a ladder reassigning many tickets to one lead asks the source once an hour.
 *
 * <p>A map with expiry rather than a cache library: its keys are the {@code assign.to} values of the policy file, a
 * handful, so there is nothing to evict by size (a bound only guards against a policy reloaded many times), and the
 * jar's size budget has no room for a library this small a need does not use. Only found ids are kept: a name that
 * found no one or several is looked up again when its parked command is put back in line.
 */
public final class AssigneeCache {
    /** How long a found id is used before it is looked up again (a user deactivated, a queue renamed). */
    public static final Duration TTL = Duration.ofHours(1);
    static final int LIMIT = 1_000;

    private final Clock clock;
    private final Map<String, Found> found = new ConcurrentHashMap<>();

    private record Found(String id, Instant at) {
    }

    public AssigneeCache(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The id found for {@code to} within the last {@link #TTL}; names compare ignoring case. */
    public Optional<String> get(String to) {
        Found f = found.get(key(to));
        if (f == null || !f.at().plus(TTL).isAfter(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(f.id());
    }

    public void put(String to, String id) {
        if (found.size() >= LIMIT) {
            found.clear();
        }
        found.put(key(to), new Found(Objects.requireNonNull(id, "id"), clock.instant()));
    }

    /** Forgets {@code to}: its id was refused (a user who may no longer be assigned), the next look-up asks again. */
    public void forget(String to) {
        found.remove(key(to));
    }

    private static String key(String to) {
        return to.strip().toLowerCase(Locale.ROOT);
    }
}
