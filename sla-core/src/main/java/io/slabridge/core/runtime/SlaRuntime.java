package io.slabridge.core.runtime;

import io.slabridge.core.escalation.EscalationAction;
import io.slabridge.core.escalation.EscalationStep;
import io.slabridge.core.escalation.StepContext;
import io.slabridge.core.fold.OlaFold;
import io.slabridge.core.fold.TicketFold;
import io.slabridge.core.io.Instants;
import io.slabridge.core.model.CycleStatus;
import io.slabridge.core.model.EscalationDue;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.MetricCycle;
import io.slabridge.core.model.OlaCycle;
import io.slabridge.core.model.OlaEscalationDue;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketSla;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteBackJson;
import io.slabridge.core.policy.OlaPolicy;
import io.slabridge.core.policy.OlaStep;
import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.policy.TargetDuration;
import io.slabridge.core.replay.CycleJsonReader;
import io.slabridge.core.replay.CycleJsonWriter;
import io.slabridge.core.store.OutboxEnqueue.NewCommand;
import io.slabridge.core.store.TicketRecord;
import io.slabridge.core.store.TicketStates;
import io.slabridge.core.store.TicketTransactions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

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

    private final TicketTransactions store;
    private final Clock clock;
    private volatile Folds fold;

    /** The two folds of one policy set, swapped together on reload. */
    private record Folds(TicketFold tickets, OlaFold olas) {
        static Folds of(PolicySet policies) {
            return new Folds(TicketFold.of(policies), OlaFold.of(policies));
        }

        PolicySet policies() {
            return tickets.policies();
        }

        boolean hasOlas() {
            return !policies().olas().isEmpty();
        }
    }

    private SlaRuntime(TicketTransactions store, PolicySet policies, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.fold = Folds.of(policies);
    }

    public static SlaRuntime of(TicketTransactions store, PolicySet policies, Clock clock) {
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

    /**
     * A cycle newly at risk or newly breached, as a refold found it: for metrics. Told after the transaction that
     * found it committed, once per cycle and condition (a later refold of the same state tells nothing). For an OLA
     * cycle, {@code ticket} is the engineering ticket, {@code policy} the OLA and {@code customer} the customer
     * ticket it serves; null for an SLA cycle.
     */
    public record Transition(String ticket, String source, Metric metric, String policy, Condition condition,
            String customer) {
        public enum Condition {
            AT_RISK, BREACHED
        }

        /** An SLA cycle's. */
        public Transition(String ticket, String source, Metric metric, String policy, Condition condition) {
            this(ticket, source, metric, policy, condition, null);
        }

        public boolean isOla() {
            return customer != null;
        }
    }

    /** Told of each {@link Transition}; must be quick and must not throw. */
    @FunctionalInterface
    public interface TransitionListener {
        void transition(Transition transition);
    }

    private volatile TransitionListener transitions = t -> { };

    public SlaRuntime onTransition(TransitionListener listener) {
        this.transitions = Objects.requireNonNull(listener, "listener");
        return this;
    }

    private void tell(List<Transition> found) {
        TransitionListener l = transitions;
        for (Transition t : found) {
            l.transition(t);
        }
    }

    /** Stores the event and refolds its ticket, in one transaction. Safe to call again with the same event. */
    public Outcome accept(TicketEvent event) {
        return acceptAll(List.of(event)).get(0);
    }

    /**
     * Stores a page of events (a poller's page, a burst of webhooks) and refolds each ticket that got a new one,
     * all in one transaction, with a few statements for the whole page rather than a few per event. Returns each
     * event's outcome, in the order given: an event already stored, or repeated earlier in the page, is a
     * {@link Outcome#DUPLICATE}. The result is the same as accepting the events one by one, in that order. Safe to
     * call again with the same page.
     */
    public List<Outcome> acceptAll(List<TicketEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        List<Transition> found = new ArrayList<>();
        List<Outcome> result = store.inTransaction(tx -> {
            found.clear(); // a retried transaction starts afresh
            List<TicketEvent> stored = tx.appendEvents(events, now);
            Set<String> touched = new TreeSet<>();
            List<TicketEvent> links = new ArrayList<>();
            for (TicketEvent e : stored) {
                touched.add(e.ticket());
                if (e.type().namesOther()) {
                    links.add(e);
                }
            }
            tx.indexLinks(links); // before the refold, which looks the new partners up
            found.addAll(refold(tx, touched, now));
            // Stored events come back in the page's order, so one walk over both lines them up.
            List<Outcome> outcomes = new ArrayList<>(events.size());
            int next = 0;
            for (TicketEvent e : events) {
                boolean isStored = next < stored.size() && stored.get(next) == e;
                outcomes.add(isStored ? Outcome.ACCEPTED : Outcome.DUPLICATE);
                next += isStored ? 1 : 0;
            }
            return List.copyOf(outcomes);
        });
        tell(found);
        return result;
    }

    /**
     * Refolds every ticket whose wake-up instant has come, a batch per transaction, and returns how many. With
     * nothing due this is one indexed query that touches no ticket.
     */
    public int tick() {
        int total = 0;
        while (true) {
            Instant now = clock.instant();
            List<Transition> found = new ArrayList<>();
            int n = store.inTransaction(tx -> {
                found.clear();
                List<String> due = tx.lockDueTickets(now, BATCH);
                found.addAll(refold(tx, due, now));
                return due.size();
            });
            tell(found);
            total += n;
            if (n < BATCH) {
                return total;
            }
        }
    }

    /** When the earliest ticket needs attention next, if any does. */
    public Optional<Instant> nextWake() {
        return store.inTransaction(TicketStates::earliestWake);
    }

    /**
     * Switches to new policies and refolds every open ticket under them (elapsed time is kept: it comes from the
     * event log). Returns how many tickets were refolded.
     */
    public int reload(PolicySet policies) {
        fold = Folds.of(Objects.requireNonNull(policies, "policies"));
        int total = 0;
        String after = "";
        while (true) {
            Instant now = clock.instant();
            String from = after;
            List<Transition> found = new ArrayList<>();
            List<String> page = store.inTransaction(tx -> {
                found.clear();
                List<String> tickets = tx.openTickets(from, BATCH);
                found.addAll(refold(tx, tickets, now));
                return tickets;
            });
            tell(found);
            total += page.size();
            if (page.size() < BATCH) {
                return total;
            }
            after = page.get(page.size() - 1);
        }
    }

    /** A ticket folded, before what it leads to is written; {@code olas} is the OLA fold of it and its partners. */
    private record Folded(String ticket, TicketRecord previous, List<TicketEvent> events, TicketSla sla, String source,
            OlaFold.Result olas, WriteBack.Linked linked) {
    }

    /**
     * The one way tickets are refolded: lock them, fold each one's whole event log at "now", and write each one's
     * new state and the commands for what changed. Statements are per batch of tickets, not per ticket; each
     * ticket's commands are enqueued in the order they arise.
     */
    private List<Transition> refold(TicketTransactions.Transaction tx, Collection<String> tickets, Instant now) {
        if (tickets.isEmpty()) {
            return List.of();
        }
        Folds folds = fold;
        TicketFold current = folds.tickets();
        // With OLAs, a ticket's partners are refolded with it (an event on either side of a link moves the pair's
        // OLA clock and what both tickets show), and the fold of each reads its partners' logs too.
        Set<String> refolded = new TreeSet<>(tickets);
        Map<String, Set<String>> partners = Map.of();
        if (folds.hasOlas()) {
            partners = tx.linkedTickets(tickets);
            partners.values().forEach(refolded::addAll);
            if (refolded.size() > new TreeSet<>(tickets).size()) { // the partners' own partners, for their folds
                partners = tx.linkedTickets(refolded);
            }
        }
        Map<String, TicketRecord> previous = tx.lockTickets(refolded, SlaRuntime::sourceOfKey);
        Set<String> read = new TreeSet<>(refolded);
        partners.values().forEach(read::addAll);
        Map<String, List<TicketEvent>> logs = tx.events(read);
        List<Folded> folded = new ArrayList<>(refolded.size());
        List<String> escalating = new ArrayList<>();
        // The OLA steps reached, once each however many of the pair's tickets found them.
        Map<String, OlaEscalationDue> olaSteps = new LinkedHashMap<>();
        for (String ticket : refolded) {
            List<TicketEvent> events = logs.getOrDefault(ticket, List.of());
            long latest = events.stream().mapToLong(TicketEvent::atEpochSecond).max().orElse(Long.MIN_VALUE);
            // A source clock slightly ahead of ours must not hide its newest event from the fold.
            long evaluatedAt = Math.max(now.getEpochSecond(), latest);
            TicketSla sla = current.fold(ticket, events, evaluatedAt);
            OlaFold.Result olas = olaFold(folds, ticket, partners.getOrDefault(ticket, Set.of()), logs, evaluatedAt);
            folded.add(new Folded(ticket, previous.get(ticket), events, sla, source(ticket, events), olas,
                    linked(ticket, olas, logs, current, evaluatedAt)));
            if (!sla.escalationsDue().isEmpty()) {
                escalating.add(ticket);
            }
            for (OlaEscalationDue due : olas.escalationsDue()) {
                if (due.engineering().equals(ticket) || due.customer().equals(ticket)) {
                    olaSteps.putIfAbsent(due.key(), due);
                }
            }
        }
        Map<String, Set<String>> done = tx.stepsDone(escalating);
        Map<String, OlaEscalationDue> olaCounted = olaConditions(folded);
        Set<String> olaDone = tx.olaStepsDone(java.util.stream.Stream.concat(olaSteps.values().stream(),
                olaCounted.values().stream()).map(OlaEscalationDue::engineering)
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));

        List<TicketRecord> saved = new ArrayList<>(folded.size());
        List<NewCommand> commands = new ArrayList<>();
        List<EscalationDue> newlyDone = new ArrayList<>();
        List<Transition> transitions = new ArrayList<>();
        for (Folded f : folded) {
            TicketSla sla = f.sla();
            transitions(f, transitions);
            long version = f.previous().version() + 1;
            WriteBack.SlaFields fields = fields(sla, f.linked());
            String fieldsJson = WriteBackJson.write(fields);
            boolean changed = !fieldsJson.equals(f.previous().slaFields());
            // An engineering ticket under no SLA policy still shows its customers' clocks.
            if (changed && (f.previous().slaFields() != null || !sla.cycles().isEmpty() || f.linked() != null)) {
                commands.add(new NewCommand(f.ticket(), f.source(), fields, f.ticket() + "/fields/" + version));
            }
            Set<String> doneBefore = done.getOrDefault(f.ticket(), Set.of());
            for (EscalationDue due : sla.escalationsDue()) {
                if (!doneBefore.contains(due.key())) {
                    newlyDone.add(due);
                    addActions(commands, current.policies(), sla, due, f.events(), f.source());
                }
            }
            boolean open = sla.cycles().stream().anyMatch(c -> !c.isStopped());
            long wake = earlier(sla.nextAttentionAtEpochSecond(), f.olas().nextAttentionAt());
            saved.add(new TicketRecord(f.ticket(), f.source(), sla.summary().name(), sla.earliestDueAt()
                    .map(Instant::getEpochSecond).orElse(null), wake == MetricCycle.NONE ? null : wake, open, fieldsJson,
                    cyclesJson(sla), version, olaJson(f.ticket(), f.olas(), open)));
        }
        List<OlaEscalationDue> olaNewlyDone = new ArrayList<>();
        for (OlaEscalationDue due : olaSteps.values()) {
            if (!olaDone.contains(due.key())) {
                olaNewlyDone.add(due);
                addOlaActions(commands, current.policies(), folded, logs, due);
            }
        }
        for (OlaEscalationDue counted : olaCounted.values()) {
            if (!olaDone.contains(counted.key())) {
                olaNewlyDone.add(counted);
                transitions.add(new Transition(counted.engineering(), source(counted.engineering(),
                        logs.getOrDefault(counted.engineering(), List.of())), counted.metric(), counted.ola(),
                        counted.step().equals(OLA_BREACHED) ? Transition.Condition.BREACHED
                                : Transition.Condition.AT_RISK, counted.customer()));
            }
        }
        tx.saveTickets(saved, now);
        tx.markStepsDone(newlyDone, now);
        tx.markOlaStepsDone(olaNewlyDone, now);
        tx.enqueue(commands, now);
        return transitions;
    }

    /**
     * The step names under which an OLA cycle's warning and breach are recorded as told, beside its steps (in the OLA
     * steps done): an OLA cycle is in no ticket's stored state, so this is how a later refold, on any instance, knows
     * it was told. No step is named so: step names are stripped of spaces.
     */
    private static final String OLA_AT_RISK = " at_risk";
    private static final String OLA_BREACHED = " breached";

    /** Per key, the OLA cycles of {@code folded} at risk or breached now, as markers to record once each. */
    private static Map<String, OlaEscalationDue> olaConditions(List<Folded> folded) {
        Map<String, OlaEscalationDue> out = new LinkedHashMap<>();
        for (Folded f : folded) {
            for (OlaCycle c : f.olas().cycles()) {
                String condition = c.status() == CycleStatus.BREACHED ? OLA_BREACHED : c.atRisk() ? OLA_AT_RISK : null;
                if (condition != null) {
                    OlaEscalationDue marker = new OlaEscalationDue(c.engineering(), c.customer(), c.ola(), c.metric(),
                            c.cycle(), condition, io.slabridge.core.model.LinkSide.ENGINEERING,
                            Instant.ofEpochSecond(c.startedAt()));
                    out.putIfAbsent(marker.key(), marker);
                }
            }
        }
        return out;
    }

    /** The OLA fold of {@code ticket} with the tickets ever linked to it: the pairs it is part of. */
    private static OlaFold.Result olaFold(Folds folds, String ticket, Set<String> partners,
            Map<String, List<TicketEvent>> logs, long evaluatedAt) {
        if (partners.isEmpty()) {
            return OlaFold.Result.NONE;
        }
        Map<String, List<TicketEvent>> pair = new HashMap<>();
        long at = evaluatedAt;
        for (String t : partners) {
            List<TicketEvent> events = logs.getOrDefault(t, List.of());
            pair.put(t, events);
            for (TicketEvent e : events) {
                at = Math.max(at, e.atEpochSecond());
            }
        }
        pair.put(ticket, logs.getOrDefault(ticket, List.of()));
        return folds.olas().fold(pair, at);
    }

    private static long earlier(long a, long b) {
        if (a == MetricCycle.NONE) {
            return b;
        }
        return b == MetricCycle.NONE ? a : Math.min(a, b);
    }

    /**
     * Adds a command for each action of the OLA step {@code due}, on the ticket its {@code on} names (the engineering
     * ticket, or the customer ticket), in the step's order, as {@link #addActions} does for a policy's step.
     */
    private static void addOlaActions(List<NewCommand> commands, PolicySet policies, List<Folded> folded,
            Map<String, List<TicketEvent>> logs, OlaEscalationDue due) {
        OlaPolicy ola = policies.olas().stream().filter(o -> o.name().equals(due.ola())).findFirst().orElseThrow();
        EscalationStep step = ola.escalations().stream().filter(s -> s.name().equals(due.step())).map(OlaStep::step)
                .findFirst().orElseThrow();
        OlaCycle cycle = folded.stream().flatMap(f -> f.olas().cycles().stream())
                .filter(c -> c.engineering().equals(due.engineering()) && c.customer().equals(due.customer())
                        && c.ola().equals(due.ola()) && c.metric() == due.metric() && c.cycle() == due.cycle())
                .findFirst().orElseThrow();
        String target = due.target();
        List<TicketEvent> events = logs.getOrDefault(target, List.of());
        String source = source(target, events);
        String title = title(events);
        String condition = condition(cycle.status(), cycle.atRisk());
        long remaining = cycle.remainingSeconds();
        Map<String, String> values = stepValues(target, title, cycle.metric(), cycle.cycle(), cycle.ola(), cycle.due(),
                cycle.status(), condition, remaining, step);
        WriteBack.Alert alert = new WriteBack.Alert(title, latest(events, TicketEvent::account), null, cycle.metric(),
                cycle.cycle(), cycle.ola(), step.name(), condition, cycle.due().orElse(null), remaining);
        List<EscalationAction> actions = step.actions();
        for (int i = 0; i < actions.size(); i++) {
            EscalationAction action = actions.get(i);
            String key = due.key() + "/" + i;
            if (action instanceof EscalationAction.Comment c) {
                commands.add(new NewCommand(target, source, new WriteBack.Comment(c.visibility(),
                        StepContext.render(c.template(), values)), key));
            } else if (action instanceof EscalationAction.Notify n) {
                String subject = "OLA " + condition + ": " + cycle.metric().wireName() + " on " + due.engineering()
                        + " for " + due.customer();
                commands.add(new NewCommand(target, source, new WriteBack.Notify(n.to(), subject,
                        StepContext.render(n.template(), values)), key));
            } else if (action instanceof EscalationAction.Slack sl) {
                commands.add(new NewCommand(target, "slack", new WriteBack.SlackMessage(sl.channel(),
                        StepContext.render(sl.template(), values), alert), key));
            } else if (action instanceof EscalationAction.Teams t) {
                commands.add(new NewCommand(target, "teams", new WriteBack.TeamsMessage(t.webhook(),
                        StepContext.render(t.template(), values), alert), key));
            }
            // set_priority and assign are refused in OLA steps when the policy file is read (OlaStep).
        }
    }

    /**
     * The cycles of {@code f} at risk or breached now that were not so in its stored state. The stored cycles
     * are read back only for tickets that have such a cycle now, which most refolds do not.
     */
    private static void transitions(Folded f, List<Transition> into) {
        List<MetricCycle> hot = new ArrayList<>();
        for (MetricCycle c : f.sla().cycles()) {
            if (c.status() == CycleStatus.BREACHED || c.atRisk()) {
                hot.add(c);
            }
        }
        if (hot.isEmpty()) {
            return;
        }
        String stored = f.previous().cycles();
        List<MetricCycle> before = stored == null || stored.isEmpty() ? List.of() : CycleJsonReader.read(stored);
        for (MetricCycle c : hot) {
            MetricCycle was = before.stream().filter(b -> b.metric() == c.metric() && b.cycle() == c.cycle())
                    .findFirst().orElse(null);
            if (c.status() == CycleStatus.BREACHED) {
                if (was == null || was.status() != CycleStatus.BREACHED) {
                    into.add(new Transition(f.ticket(), f.source(), c.metric(), c.policy(), Transition.Condition.BREACHED));
                }
            } else if (was == null || (!was.atRisk() && was.status() != CycleStatus.BREACHED)) {
                into.add(new Transition(f.ticket(), f.source(), c.metric(), c.policy(), Transition.Condition.AT_RISK));
            }
        }
    }

    /**
     * Each metric's due field is its latest cycle's due: the running one's, or, once it stopped, the one it was
     * met or breached against (agents keep seeing the due they met), until a new cycle of the metric starts.
     * Empty while the latest cycle is paused short of its target. {@code nextDue} is of running cycles only.
     */
    private static WriteBack.SlaFields fields(TicketSla sla, WriteBack.Linked linked) {
        Map<Metric, Instant> due = new EnumMap<>(Metric.class);
        for (MetricCycle c : sla.cycles()) { // a metric's cycles in number order: the latest one is put last
            if (c.dueAt().isPresent()) {
                due.put(c.metric(), c.dueAt().get());
            } else {
                due.remove(c.metric());
            }
        }
        return new WriteBack.SlaFields(sla.summary(), sla.earliestDueAt().orElse(null), due, linked);
    }

    /**
     * What {@code ticket} shows of its linked tickets' clocks, or null when nothing (never linked, or no OLA applies
     * to its links, or every link removed). As a customer ticket: each engineering ticket's OLA state, the earliest
     * due first, and that due; as an engineering ticket: the most urgent waiting customer's SLA state, due and
     * account, and how many customers wait.
     */
    private static WriteBack.Linked linked(String ticket, OlaFold.Result olas, Map<String, List<TicketEvent>> logs,
            TicketFold fold, long evaluatedAt) {
        if (olas.cycles().isEmpty() && olas.summaries().isEmpty()) {
            return null;
        }
        String linkedStatus = null;
        Instant linkedDue = null;
        List<OlaCycle> served = olas.ofCustomer(ticket).stream()
                .filter(c -> c.stoppedBy() != OlaCycle.StopCause.UNLINKED).toList();
        if (!served.isEmpty()) {
            Map<String, List<OlaCycle>> byEngineering = new LinkedHashMap<>(); // ofCustomer's order: earliest due first
            for (OlaCycle c : served) {
                byEngineering.computeIfAbsent(c.engineering(), e -> new ArrayList<>()).add(c);
            }
            List<String> states = new ArrayList<>();
            byEngineering.forEach((e, cycles) -> states.add(shortKey(e) + " " + OlaFold.Result.state(cycles).label()));
            linkedStatus = String.join(", ", states);
            linkedDue = served.stream().filter(c -> !c.isStopped() && c.dueAt() != MetricCycle.NONE).findFirst()
                    .map(c -> Instant.ofEpochSecond(c.dueAt())).orElse(null);
        }
        String customerStatus = null;
        Instant customerDue = null;
        String account = null;
        int waiting = 0;
        io.slabridge.core.model.LinkSummary summary = olas.summaryOf(ticket).orElse(null);
        if (summary != null && summary.customersWaiting() > 0) {
            waiting = summary.customersWaiting();
            String customer = summary.mostUrgentCustomer();
            if (customer != null) {
                TicketSla sla = fold.fold(customer, logs.getOrDefault(customer, List.of()), evaluatedAt);
                customerStatus = shortKey(customer) + " " + sla.summary().label();
                customerDue = Instant.ofEpochSecond(summary.mostUrgentCustomerDueAt());
                account = summary.account() == null ? null
                        : summary.account() + (summary.tier() == null ? "" : " (" + summary.tier() + ")");
            } else {
                // No waiting customer has a due (all paused, say): show the first one still open, without a due.
                for (String c : olas.cycles().stream().filter(o -> o.engineering().equals(ticket)
                        && o.stoppedBy() != OlaCycle.StopCause.UNLINKED).map(OlaCycle::customer)
                        .collect(java.util.stream.Collectors.toCollection(TreeSet::new))) {
                    List<TicketEvent> events = logs.getOrDefault(c, List.of());
                    TicketSla sla = fold.fold(c, events, evaluatedAt);
                    if (sla.cycles().stream().anyMatch(m -> !m.isStopped())) {
                        customerStatus = shortKey(c) + " " + sla.summary().label();
                        account = latest(events, TicketEvent::account);
                        break;
                    }
                }
            }
        }
        if (linkedStatus == null && customerStatus == null && waiting == 0) {
            return null;
        }
        return new WriteBack.Linked(linkedStatus, linkedDue, customerStatus, customerDue, account, waiting);
    }

    /** A ticket's key as people in its system say it: {@code jira:ENG-42} is ENG-42, {@code salesforce:500A} 500A. */
    private static String shortKey(String ticket) {
        int colon = ticket.indexOf(':');
        return colon > 0 ? ticket.substring(colon + 1) : ticket;
    }

    /**
     * Adds a command for each action of the step {@code due}, in the step's order: to the ticket's own system, or, for
     * a chat alert, to the channel's writer ({@code slack}, {@code teams}) with the ticket's key kept.
     */
    private static void addActions(List<NewCommand> commands, PolicySet policies, TicketSla sla,
            EscalationDue due, List<TicketEvent> events, String source) {
        String title = title(events);
        EscalationStep step = policies.escalations().stream().filter(s -> s.name().equals(due.step())).findFirst()
                .orElseThrow();
        MetricCycle cycle = sla.cycles().stream().filter(c -> c.metric() == due.metric() && c.cycle() == due.cycle())
                .findFirst().orElseThrow();
        Map<String, String> values = stepValues(sla.ticket(), title, cycle.metric(), cycle.cycle(), cycle.policy(),
                cycle.dueAt(), cycle.status(), condition(cycle), cycle.remainingSeconds(), step);
        List<EscalationAction> actions = step.actions();
        for (int i = 0; i < actions.size(); i++) {
            EscalationAction action = actions.get(i);
            WriteBack payload;
            if (action instanceof EscalationAction.Comment c) {
                payload = new WriteBack.Comment(c.visibility(), StepContext.render(c.template(), values));
            } else if (action instanceof EscalationAction.Notify n) {
                String subject = "SLA " + condition(cycle) + ": " + cycle.metric().wireName() + " on " + sla.ticket();
                payload = new WriteBack.Notify(n.to(), subject, StepContext.render(n.template(), values));
            } else if (action instanceof EscalationAction.Slack s) {
                commands.add(new NewCommand(sla.ticket(), "slack", new WriteBack.SlackMessage(s.channel(),
                        StepContext.render(s.template(), values), alert(cycle, step, title, events)), due.key() + "/" + i));
                continue;
            } else if (action instanceof EscalationAction.Teams t) {
                commands.add(new NewCommand(sla.ticket(), "teams", new WriteBack.TeamsMessage(t.webhook(),
                        StepContext.render(t.template(), values), alert(cycle, step, title, events)), due.key() + "/" + i));
                continue;
            } else if (action instanceof EscalationAction.Assign a) {
                payload = new WriteBack.Assign(a.to());
            } else {
                payload = new WriteBack.SetPriority(((EscalationAction.SetPriority) action).priority());
            }
            commands.add(new NewCommand(sla.ticket(), source, payload, due.key() + "/" + i));
        }
    }

    /**
     * What a notice's subject says of its cycle: {@code breached}, {@code at risk} (a warning threshold reached; its
     * status is still {@code running}, which told the reader nothing), else the status ({@code running},
     * {@code paused}) for a step placed before any warning.
     */
    private static String condition(MetricCycle cycle) {
        return condition(cycle.status(), cycle.atRisk());
    }

    /** As {@link #condition(MetricCycle)}, for an SLA's or an OLA's cycle. */
    private static String condition(CycleStatus status, boolean atRisk) {
        if (status == CycleStatus.BREACHED) {
            return CycleStatus.BREACHED.wireName();
        }
        return atRisk ? "at risk" : status.wireName();
    }

    /** The placeholders a step's texts may use ({@link StepContext#render}), for an SLA's or an OLA's cycle. */
    private static Map<String, String> stepValues(String ticket, String title, Metric metric, int cycle, String policy,
            Optional<Instant> due, CycleStatus status, String condition, long remaining, EscalationStep step) {
        Map<String, String> values = new HashMap<>();
        values.put("ticket", ticket);
        values.put("title", title == null ? "" : title);
        values.put("metric", metric.wireName());
        values.put("cycle", Integer.toString(cycle));
        values.put("policy", policy);
        values.put("due", due.map(d -> Instants.format(d.getEpochSecond())).orElse("(paused)"));
        values.put("status", status.wireName());
        values.put("condition", condition);
        values.put("remaining", (remaining < 0 ? "-" : "") + TargetDuration.format(Math.abs(remaining)));
        values.put("step", step.name());
        return values;
    }

    /**
     * What the SLA board shows of {@code ticket}'s links: the OLA cycles of the pairs it is part of (either side) and
     * its link summary, as replay prints them, while any of it is live (an OLA cycle running, a customer waiting, or
     * the ticket's own SLA running beside its OLA cycles); else null.
     */
    private static String olaJson(String ticket, OlaFold.Result olas, boolean open) {
        if (olas.cycles().isEmpty() && olas.summaries().isEmpty()) {
            return null; // most tickets: never linked
        }
        List<OlaCycle> mine = olas.cycles().stream()
                .filter(c -> c.engineering().equals(ticket) || c.customer().equals(ticket)).toList();
        Optional<io.slabridge.core.model.LinkSummary> summary = olas.summaryOf(ticket);
        boolean live = mine.stream().anyMatch(c -> !c.isStopped()) || (open && !mine.isEmpty())
                || summary.map(s -> s.customersWaiting() > 0).orElse(false);
        if (!live) {
            return null;
        }
        return jsonLines(writer -> {
            for (OlaCycle c : mine) {
                writer.write(c);
            }
            if (summary.isPresent()) {
                writer.write(summary.get());
            }
        });
    }

    private static String cyclesJson(TicketSla sla) {
        return jsonLines(writer -> {
            for (MetricCycle c : sla.cycles()) {
                writer.write(c);
            }
        });
    }

    private interface Rows {
        void writeTo(CycleJsonWriter writer) throws IOException;
    }

    /** What {@code rows} write, as replay prints them, for one ticket's stored state. */
    private static String jsonLines(Rows rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        // One ticket's rows are a few hundred bytes each: the writer's default 64 KiB buffer, made for
        // replay, was most of what a refold allocated.
        try (CycleJsonWriter writer = new CycleJsonWriter(out, 2048)) {
            rows.writeTo(writer);
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

    /** What a chat alert shows of the cycle besides its text. */
    private static WriteBack.Alert alert(MetricCycle cycle, EscalationStep step, String title, List<TicketEvent> events) {
        // The events carry no assignee: the agent who replied last is the nearest they tell.
        String agent = latest(events, e -> e.type() == EventType.AGENT_REPLY ? e.author() : null);
        return new WriteBack.Alert(title, latest(events, TicketEvent::account), agent, cycle.metric(), cycle.cycle(), cycle.policy(), step.name(),
                condition(cycle), cycle.dueAt().orElse(null), cycle.remainingSeconds());
    }

    private static String title(List<TicketEvent> events) {
        return latest(events, TicketEvent::title);
    }

    /** The value the latest event that has one gives (of events at one instant, the last in the list), or null. */
    private static String latest(List<TicketEvent> events, Function<TicketEvent, String> value) {
        String latest = null;
        long at = Long.MIN_VALUE;
        for (TicketEvent e : events) {
            String v = value.apply(e);
            if (v != null && e.atEpochSecond() >= at) {
                latest = v;
                at = e.atEpochSecond();
            }
        }
        return latest;
    }
}
