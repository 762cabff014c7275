package io.slabridge.core.replay;

import io.slabridge.core.fold.OlaFold;
import io.slabridge.core.fold.TicketFold;
import io.slabridge.core.model.LinkSummary;
import io.slabridge.core.model.OlaCycle;
import io.slabridge.core.io.EventLinesReader;
import io.slabridge.core.io.TicketHistories;
import io.slabridge.core.model.MetricCycle;
import io.slabridge.core.model.TicketSla;
import io.slabridge.core.policy.PolicySet;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code replay}: folds a file of ticket history against a policy and prints every cycle (SLA-SPEC section 6).
 * The whole file is read and checked before anything is printed, so bad input prints nothing partial.
 * Tickets are folded in parallel; the output order is fixed (ticket, metric, cycle).
 */
public final class Replay {
    /** Tickets folded per parallel batch. */
    private static final int BATCH = 8192;

    private final TicketFold fold;
    private final OlaFold olaFold;

    private Replay(TicketFold fold) {
        this.fold = fold;
        this.olaFold = OlaFold.of(fold.policies());
    }

    public static Replay of(PolicySet policies) {
        return new Replay(TicketFold.of(policies));
    }

    /** What a replay did, for the command's summary on stderr. */
    public static final class Summary {
        private final int events;
        private final int duplicates;
        private final int tickets;
        private final long cycles;
        private final Instant evaluatedAt;

        Summary(int events, int duplicates, int tickets, long cycles, Instant evaluatedAt) {
            this.events = events;
            this.duplicates = duplicates;
            this.tickets = tickets;
            this.cycles = cycles;
            this.evaluatedAt = evaluatedAt;
        }

        public int events() {
            return events;
        }

        public int duplicates() {
            return duplicates;
        }

        public int tickets() {
            return tickets;
        }

        public long cycles() {
            return cycles;
        }

        /** Empty when the file held no event and no instant was given. */
        public Optional<Instant> evaluatedAt() {
            return Optional.ofNullable(evaluatedAt);
        }
    }

    public Summary run(Path events, Instant at, OutputStream out) throws IOException, InvalidEventsException {
        return run(read(events), at, out);
    }

    /**
     * Reads and checks a whole events file before anything is folded; independent of the policy, so a
     * caller may read while the policy file is still being parsed.
     *
     * @throws InvalidEventsException naming every bad line
     */
    public static TicketHistories read(Path events) throws IOException, InvalidEventsException {
        TicketHistories histories = EventLinesReader.read(events);
        if (!histories.problems().isEmpty()) {
            throw new InvalidEventsException(events.toString(), histories.problems());
        }
        return histories;
    }

    /**
     * @param histories as {@link #read(Path)} returns them: without problems
     * @param at        the evaluation instant, or null for the latest event's {@code at}
     * @param out       receives the JSON lines; flushed, not closed
     */
    public Summary run(TicketHistories histories, Instant at, OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        if (!histories.problems().isEmpty()) {
            throw new IllegalArgumentException("histories with problems cannot be replayed");
        }
        Instant evaluatedAt = at != null ? at : histories.latestAt().orElse(null);
        if (evaluatedAt == null) {
            return new Summary(0, histories.duplicates(), 0, 0, null);
        }
        long evalSeconds = evaluatedAt.getEpochSecond();
        String[] tickets = histories.byTicket().keySet().toArray(new String[0]);
        Arrays.sort(tickets); // plain string order
        long cycles = 0;
        try (CycleJsonWriter writer = new CycleJsonWriter(out)) { // buffers itself; close() flushes
            // Folded in parallel a batch at a time and written in order, so that results never pile up.
            for (int from = 0; from < tickets.length; from += BATCH) {
                TicketSla[] results = Arrays.stream(tickets, from, Math.min(from + BATCH, tickets.length)).parallel()
                        .map(t -> fold.foldDistinct(t, histories.byTicket().get(t), evalSeconds))
                        .toArray(TicketSla[]::new);
                for (TicketSla sla : results) {
                    for (MetricCycle c : sla.cycles()) {
                        writer.write(c);
                        cycles++;
                    }
                }
            }
            // OLA cycles after the SLA rows (SLA-SPEC 7.7): a file without `olas:` prints what it always printed.
            if (!fold.policies().olas().isEmpty()) {
                OlaFold.Result olas = olaFold.fold(histories.byTicket(), evalSeconds);
                for (OlaCycle c : olas.cycles()) {
                    writer.write(c);
                    cycles++;
                }
                for (LinkSummary s : olas.summaries()) {
                    writer.write(s);
                }
            }
        }
        return new Summary(histories.events(), histories.duplicates(), tickets.length, cycles, evaluatedAt);
    }
}
