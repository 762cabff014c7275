package io.slabridge.core.policy;

import io.slabridge.core.calendar.BusinessCalendar;
import io.slabridge.core.escalation.EscalationStep;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.TicketStatus;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A whole, valid policy file: calendars, layered policies (in file order), pause statuses, the reopen rule
 * the warning thresholds and how a metric's winning policy is selected. Built by {@link PolicyFileParser}, which rejects a bad file as a whole.
 */
public final class PolicySet {
    /** {@code pause_statuses} when the file names none. */
    public static final Set<TicketStatus> DEFAULT_PAUSE_STATUSES = Set.of(TicketStatus.WAITING_ON_CUSTOMER);
    /** {@code warnings} when the file names none. */
    public static final List<WarningThreshold> DEFAULT_WARNINGS = List.of(WarningThreshold.parse("75%"));

    private final String origin;
    private final Map<String, BusinessCalendar> calendars;
    private final List<SlaPolicy> policies;
    private final Set<TicketStatus> pauseStatuses;
    private final boolean[] pausesByOrdinal;
    private final ReopenMode onReopen;
    private final List<WarningThreshold> warnings;
    private final Set<Metric> targetedMetrics;
    private final List<EscalationStep> escalations;
    private final Selection selection;
    private final List<OlaPolicy> olas;

    private PolicySet(String origin, Map<String, BusinessCalendar> calendars, List<SlaPolicy> policies,
            Set<TicketStatus> pauseStatuses, ReopenMode onReopen, List<WarningThreshold> warnings,
            List<EscalationStep> escalations, Selection selection, List<OlaPolicy> olas) {
        this.origin = origin;
        this.olas = olas;
        this.selection = selection;
        this.escalations = escalations;
        this.calendars = calendars;
        this.policies = policies;
        this.pauseStatuses = pauseStatuses;
        this.onReopen = onReopen;
        this.warnings = warnings;
        this.pausesByOrdinal = new boolean[TicketStatus.values().length];
        pauseStatuses.forEach(s -> pausesByOrdinal[s.ordinal()] = true);
        EnumSet<Metric> metrics = EnumSet.noneOf(Metric.class);
        policies.forEach(p -> metrics.addAll(p.targets().keySet()));
        this.targetedMetrics = Set.copyOf(metrics);
    }

    /**
     * @param origin where the policies came from (a file name), for messages
     * @throws IllegalArgumentException when there are no policies, or policy names repeat, or a pause status
     *                                  is one that ends the ticket
     */
    public static PolicySet of(String origin, Map<String, BusinessCalendar> calendars, List<SlaPolicy> policies,
            Set<TicketStatus> pauseStatuses, ReopenMode onReopen, List<WarningThreshold> warnings) {
        return of(origin, calendars, policies, pauseStatuses, onReopen, warnings, List.of());
    }

    /**
     * @param escalations the escalation ladder, in file order; step names must be unique
     */
    public static PolicySet of(String origin, Map<String, BusinessCalendar> calendars, List<SlaPolicy> policies,
            Set<TicketStatus> pauseStatuses, ReopenMode onReopen, List<WarningThreshold> warnings,
            List<EscalationStep> escalations) {
        return of(origin, calendars, policies, pauseStatuses, onReopen, warnings, escalations, Selection.MOST_AGGRESSIVE);
    }

    /**
     * @param selection how each metric's winner is chosen among the matching policies with a target for it
     */
    public static PolicySet of(String origin, Map<String, BusinessCalendar> calendars, List<SlaPolicy> policies,
            Set<TicketStatus> pauseStatuses, ReopenMode onReopen, List<WarningThreshold> warnings,
            List<EscalationStep> escalations, Selection selection) {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(selection, "selection");
        if (escalations.stream().map(EscalationStep::name).distinct().count() != escalations.size()) {
            throw new IllegalArgumentException("escalation step names repeat");
        }
        Objects.requireNonNull(onReopen, "onReopen");
        if (policies.isEmpty()) {
            throw new IllegalArgumentException("no policies");
        }
        if (policies.stream().map(SlaPolicy::name).distinct().count() != policies.size()) {
            throw new IllegalArgumentException("policy names repeat");
        }
        for (TicketStatus s : pauseStatuses) {
            if (s.isResolved()) {
                throw new IllegalArgumentException("'" + s.wireName() + "' cannot pause: it stops the clocks");
            }
        }
        return new PolicySet(origin, Map.copyOf(calendars), List.copyOf(policies), Set.copyOf(pauseStatuses), onReopen,
                List.copyOf(warnings), List.copyOf(escalations), selection, List.of());
    }

    /**
     * This policy set with the {@code olas:} section (SLA-SPEC section 7) given; names must be unique.
     */
    public PolicySet withOlas(List<OlaPolicy> olaList) {
        if (olaList.stream().map(OlaPolicy::name).distinct().count() != olaList.size()) {
            throw new IllegalArgumentException("OLA names repeat");
        }
        return new PolicySet(origin, calendars, policies, pauseStatuses, onReopen, warnings, escalations, selection,
                List.copyOf(olaList));
    }

    /** The OLAs of the {@code olas:} section, in file order; empty when the file has none. */
    public List<OlaPolicy> olas() {
        return olas;
    }

    public String origin() {
        return origin;
    }

    public Map<String, BusinessCalendar> calendars() {
        return calendars;
    }

    /** In file order: the order that breaks ties. */
    public List<SlaPolicy> policies() {
        return policies;
    }

    public Set<TicketStatus> pauseStatuses() {
        return pauseStatuses;
    }

    public boolean pauses(TicketStatus status) {
        return pausesByOrdinal[status.ordinal()];
    }

    public ReopenMode onReopen() {
        return onReopen;
    }

    public List<WarningThreshold> warnings() {
        return warnings;
    }

    /** The escalation ladder, in file order; empty when the file has none. */
    public List<EscalationStep> escalations() {
        return escalations;
    }

    /** How each metric's winning policy is chosen: {@code selection} of the file, most aggressive by default. */
    public Selection selection() {
        return selection;
    }

    /** The metrics some policy has a target for: only these can ever run. */
    public Set<Metric> targetedMetrics() {
        return targetedMetrics;
    }

    @Override
    public String toString() {
        return "policies of " + origin + " " + policies;
    }
}
