package io.slabridge.core.runtime;

import io.slabridge.core.escalation.EscalationAction;
import io.slabridge.core.escalation.EscalationStep;
import io.slabridge.core.escalation.StepContext;
import io.slabridge.core.fold.TicketFold;
import io.slabridge.core.io.Instants;
import io.slabridge.core.model.EscalationDue;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.MetricCycle;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketSla;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteBackJson;
import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.policy.TargetDuration;
import io.slabridge.core.replay.CycleJsonWriter;
import io.slabridge.core.store.SlaStore;
import io.slabridge.core.store.TicketRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The live SLA core: ticket events in, durable state and write-back commands out.
 *
 * <p>Every change to a ticket goes the same way, in one transaction: lock the ticket, fold its whole event log
 * at "now", store the result with the instant the ticket next needs attention, and enqueue a command for
 * each thing that changed: the SLA fields when the summary or a due instant changed, and one command per
 * action of each escalation step newly reached. Because the state is always recomputed from the log, late and
 * repeated events, restarts and policy changes need no special handling; what must not repeat (an escalation
 * step) is recorded separately.
 *
 * <p>Thread-safe; several instances may share one store.
 */
public final class SlaRuntime {
    /** Tickets refolded per transaction by {@link #tick()} and {@link #reload}. */
    static final int BATCH = 100;

    private final SlaStore store;
    private final Clock clock;
    private volatile TicketFold fold;

    private SlaRuntime(SlaStore store, PolicySet policies, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.fold = TicketFold.of(policies);
    }

    public static SlaRuntime of(SlaStore store, PolicySet policies, Clock clock) {
        return new SlaRuntime(Objects.requireNonNull(store, "store"), Objects.requireNonNull(policies, "policies"),
                Objects.requireNonNull(clock, "clock"));
    }

    public PolicySet policies() {
        return fold.policies();
    }

    /** What {@link #accept} did with an event. */
    public enum Outcome {
        /** Stored, and the ticket refolded. */
        ACCEPTED,
        /** An event with this id was already stored: nothing changed. */
        DUPLICATE
    }

    /** Stores the event and refolds its ticket, in one transaction. Safe to call again with the same event. */
    public Outcome accept(TicketEvent event) {
        Instant now = clock.instant();
        return store.inTransaction(tx -> {
            if (!tx.appendEvent(event, now)) {
                return Outcome.DUPLICATE;
            }
            refold(tx, event.ticket(), now);
            return Outcome.ACCEPTED;
        });
    }

    /**
     * Refolds every ticket whose wake-up instant has come, a batch per transaction, and returns how many. With
     * nothing due this is one indexed query that touches no ticket.
     */
    public int tick() {
        int total = 0;
        while (true) {
            Instant now = clock.instant();
            int n = store.inTransaction(tx -> {
                List<String> due = tx.lockDueTickets(now, BATCH);
                for (String ticket : due) {
                    refold(tx, ticket, now);
                }
                return due.size();
            });
            total += n;
            if (n < BATCH) {
                return total;
            }
        }
    }

    /** When the earliest ticket needs attention next, if any does. */
    public Optional<Instant> nextWake() {
        return store.earliestWake();
    }

    /**
     * Switches to new policies and refolds every open ticket under them (elapsed time is kept: it comes from the
     * event log). Returns how many tickets were refolded.
     */
    public int reload(PolicySet policies) {
        fold = TicketFold.of(Objects.requireNonNull(policies, "policies"));
        int total = 0;
        String after = "";
        while (true) {
            Instant now = clock.instant();
            String from = after;
            List<String> page = store.inTransaction(tx -> {
                List<String> tickets = tx.openTickets(from, BATCH);
                for (String ticket : tickets) {
                    refold(tx, ticket, now);
                }
                return tickets;
            });
            total += page.size();
            if (page.size() < BATCH) {
                return total;
            }
            after = page.get(page.size() - 1);
        }
    }

    private void refold(SlaStore.Transaction tx, String ticket, Instant now) {
        TicketRecord previous = tx.lockTicket(ticket, sourceOfKey(ticket));
        List<TicketEvent> events = tx.events(ticket);
        long latest = events.stream().mapToLong(TicketEvent::atEpochSecond).max().orElse(Long.MIN_VALUE);
        // A source clock slightly ahead of ours must not hide its newest event from the fold.
        long evaluatedAt = Math.max(now.getEpochSecond(), latest);
        TicketFold current = fold;
        TicketSla sla = current.fold(ticket, events, evaluatedAt);
        String source = source(ticket, events);
        long version = previous.version() + 1;

        WriteBack.SlaFields fields = fields(sla);
        String fieldsJson = WriteBackJson.write(fields);
        boolean changed = !fieldsJson.equals(previous.slaFields());
        if (changed && (previous.slaFields() != null || !sla.cycles().isEmpty())) {
            tx.enqueue(ticket, source, fields, ticket + "/fields/" + version, now);
        }
        if (!sla.escalationsDue().isEmpty()) {
            Set<String> done = tx.stepsDone(ticket);
            for (EscalationDue due : sla.escalationsDue()) {
                if (!done.contains(due.key())) {
                    tx.markStepDone(due, now);
                    enqueueActions(tx, current.policies(), sla, due, title(events), source, now);
                }
            }
        }
        boolean open = sla.cycles().stream().anyMatch(c -> !c.isStopped());
        long wake = sla.nextAttentionAtEpochSecond();
        tx.saveTicket(new TicketRecord(ticket, source, sla.summary().name(), sla.earliestDueAt().map(Instant::getEpochSecond)
                .orElse(null), wake == MetricCycle.NONE ? null : wake, open, fieldsJson, cyclesJson(sla), version), now);
    }

    private static WriteBack.SlaFields fields(TicketSla sla) {
        Map<Metric, Instant> due = new EnumMap<>(Metric.class);
        for (MetricCycle c : sla.cycles()) {
            if (!c.isStopped() && c.dueAt().isPresent()) {
                due.merge(c.metric(), c.dueAt().get(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        return new WriteBack.SlaFields(sla.summary(), sla.earliestDueAt().orElse(null), due);
    }

    private static void enqueueActions(SlaStore.Transaction tx, PolicySet policies, TicketSla sla, EscalationDue due,
            String title, String source, Instant now) {
        EscalationStep step = policies.escalations().stream().filter(s -> s.name().equals(due.step())).findFirst()
                .orElseThrow();
        MetricCycle cycle = sla.cycles().stream().filter(c -> c.metric() == due.metric() && c.cycle() == due.cycle())
                .findFirst().orElseThrow();
        Map<String, String> values = new HashMap<>();
        values.put("ticket", sla.ticket());
        values.put("title", title == null ? "" : title);
        values.put("metric", cycle.metric().wireName());
        values.put("cycle", Integer.toString(cycle.cycle()));
        values.put("policy", cycle.policy());
        values.put("due", cycle.dueAt().map(d -> Instants.format(d.getEpochSecond())).orElse("(paused)"));
        values.put("status", cycle.status().wireName());
        long remaining = cycle.remainingSeconds();
        values.put("remaining", (remaining < 0 ? "-" : "") + TargetDuration.format(Math.abs(remaining)));
        values.put("step", step.name());
        List<EscalationAction> actions = step.actions();
        for (int i = 0; i < actions.size(); i++) {
            EscalationAction action = actions.get(i);
            WriteBack payload;
            if (action instanceof EscalationAction.Comment c) {
                payload = new WriteBack.Comment(c.visibility(), StepContext.render(c.template(), values));
            } else if (action instanceof EscalationAction.Notify n) {
                String subject = "SLA " + cycle.status().wireName() + ": " + cycle.metric().wireName() + " on " + sla.ticket();
                payload = new WriteBack.Notify(n.to(), subject, StepContext.render(n.template(), values));
            } else {
                payload = new WriteBack.SetPriority(((EscalationAction.SetPriority) action).priority());
            }
            tx.enqueue(sla.ticket(), source, payload, due.key() + "/" + i, now);
        }
    }

    private static String cyclesJson(TicketSla sla) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        // One ticket's cycles are a few hundred bytes each: the writer's default 64 KiB buffer, made for
        // replay, was most of what a refold allocated.
        try (CycleJsonWriter writer = new CycleJsonWriter(out, 2048)) {
            for (MetricCycle c : sla.cycles()) {
                writer.write(c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The system a ticket lives in: its `created` event's source, else the prefix of its key ({@code jira:...}). */
    private static String source(String ticket, List<TicketEvent> events) {
        for (TicketEvent e : events) {
            if (e.type() == EventType.CREATED && e.source() != null) {
                return e.source();
            }
        }
        return sourceOfKey(ticket);
    }

    private static String sourceOfKey(String ticket) {
        int colon = ticket.indexOf(':');
        return colon > 0 ? ticket.substring(0, colon) : "unknown";
    }

    private static String title(List<TicketEvent> events) {
        String title = null;
        long at = Long.MIN_VALUE;
        for (TicketEvent e : events) {
            if (e.title() != null && e.atEpochSecond() >= at) {
                title = e.title();
                at = e.atEpochSecond();
            }
        }
        return title;
    }
}
