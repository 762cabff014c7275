package io.slabridge.connector.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slabridge.core.testing.MutableClock;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Whom an {@code assign} names is asked of the source at most once an hour, and again once it was refused. */
class AssigneeCacheTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void aFoundIdServesForAnHourIgnoringCase() {
        MutableClock clock = new MutableClock(T0);
        AssigneeCache cache = new AssigneeCache(clock);
        cache.put("Lead@Acme.example", "5b10ac8d82e05b22cc7d4ef5");

        clock.set(T0.plus(AssigneeCache.TTL).minusSeconds(1));
        assertEquals(Optional.of("5b10ac8d82e05b22cc7d4ef5"), cache.get(" lead@acme.example"));
        clock.set(T0.plus(AssigneeCache.TTL));
        assertEquals(Optional.empty(), cache.get("lead@acme.example"), "an hour on: asked again");
    }

    @Test
    void aRefusedIdIsForgotten() {
        AssigneeCache cache = new AssigneeCache(new MutableClock(T0));
        cache.put("Tier 2", "00G000000000007AAA");
        cache.forget("tier 2");
        assertEquals(Optional.empty(), cache.get("Tier 2"));
    }
}
