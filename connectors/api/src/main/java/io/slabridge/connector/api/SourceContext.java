package io.slabridge.connector.api;

import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.store.PollCursors;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * What the application hands a source's routes: where pollers keep their cursors, the store's database (for a
 * source's own tables), the endpoint that takes {@code List<TicketEvent>} bodies, the clock, and the policies in
 * force (they change when the policy file is reloaded).
 */
public record SourceContext(PollCursors cursors, DataSource dataSource, String ingestUri, Clock clock,
        Supplier<PolicySet> policies) {
    public SourceContext {
        Objects.requireNonNull(cursors, "cursors");
        Objects.requireNonNull(ingestUri, "ingestUri");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(policies, "policies");
    }
}
