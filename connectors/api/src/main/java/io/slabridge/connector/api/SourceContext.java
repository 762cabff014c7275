package io.slabridge.connector.api;

import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.store.PollCursors;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * What the application hands a source's routes: where pollers keep their cursors, the store's database (for a
 * source's own tables), the endpoint that takes {@code List<TicketEvent>} bodies, the clock, the policies in
 * force (they change when the policy file is reloaded), and the other sources' {@link TicketNumbers}.
 *
 * @param numbers another source's tickets by number, by that source's name ({@code salesforce}); each use asks the
 *                source afresh (it makes its client when Camel configures its routes), and one that does not run
 *                here, or numbers nothing, answers {@link TicketNumbers.Unavailable}
 */
public record SourceContext(PollCursors cursors, DataSource dataSource, String ingestUri, Clock clock,
        Supplier<PolicySet> policies, Function<String, TicketNumbers> numbers) {
    public SourceContext {
        Objects.requireNonNull(cursors, "cursors");
        Objects.requireNonNull(ingestUri, "ingestUri");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(policies, "policies");
        Objects.requireNonNull(numbers, "numbers");
    }

    /**
     * The {@link #numbers} the application wires: each use asks the source named among {@code sources} (by name) for
     * its {@link Source#ticketNumbers()}.
     */
    public static Function<String, TicketNumbers> numbersOf(Map<String, Source> sources) {
        return name -> number -> Optional.ofNullable(sources.get(name)).flatMap(Source::ticketNumbers)
                .orElseThrow(() -> new TicketNumbers.Unavailable("the " + name + " connector does not run here (sla."
                        + name + ".enabled), or has not started"))
                .ticket(number);
    }

    /** A context where no other source numbers tickets (tests, a single source). */
    public SourceContext(PollCursors cursors, DataSource dataSource, String ingestUri, Clock clock,
            Supplier<PolicySet> policies) {
        this(cursors, dataSource, ingestUri, clock, policies,
                source -> TicketNumbers.unavailable(source + " does not run here"));
    }
}
