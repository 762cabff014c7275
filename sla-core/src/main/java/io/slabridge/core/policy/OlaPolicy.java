package io.slabridge.core.policy;

import io.slabridge.core.calendar.BusinessCalendar;
import io.slabridge.core.model.Metric;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of the policy file's {@code olas:} section (SLA-SPEC 7.2): an operational-level agreement timing the
 * engineering ticket of a link for the customer ticket it serves.
 */
public final class OlaPolicy {
    /** The metrics an OLA can time. */
    public static final Set<Metric> METRICS = Set.of(Metric.FIRST_RESPONSE, Metric.RESOLUTION);
    /** {@link #withinCustomerSeconds()} of an OLA without {@code within_customer}. */
    public static final long NO_MARGIN = -1;

    private final String name;
    private final int position;
    private final PolicyCondition engineering;
    private final PolicyCondition customer;
    private final BusinessCalendar calendar;
    private final Map<Metric, Long> targets;
    private final long withinCustomerSeconds;
    private final List<OlaStep> escalations;

    private OlaPolicy(String name, int position, PolicyCondition engineering, PolicyCondition customer,
            BusinessCalendar calendar, Map<Metric, Long> targets, long withinCustomerSeconds, List<OlaStep> escalations) {
        this.name = name;
        this.position = position;
        this.engineering = engineering;
        this.customer = customer;
        this.calendar = calendar;
        this.targets = targets;
        this.withinCustomerSeconds = withinCustomerSeconds;
        this.escalations = escalations;
    }

    /**
     * @param position              the OLA's place in the {@code olas:} list, from 0: ties go to the lower one
     * @param withinCustomerSeconds the margin before the customer's due, or {@link #NO_MARGIN}
     * @throws IllegalArgumentException when the sides could match one ticket, a target is not positive or of a
     *                                  metric an OLA cannot time, or step names repeat
     */
    public static OlaPolicy of(String name, int position, PolicyCondition engineering, PolicyCondition customer,
            BusinessCalendar calendar, Map<Metric, Long> targets, long withinCustomerSeconds, List<OlaStep> escalations) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(calendar, "calendar");
        if (!engineering.excludes(customer)) {
            throw new IllegalArgumentException("OLA '" + name + "': the engineering and customer conditions could match "
                    + "one ticket");
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("OLA '" + name + "' has no targets");
        }
        targets.forEach((m, s) -> {
            if (!METRICS.contains(m) || s == null || s <= 0) {
                throw new IllegalArgumentException("OLA '" + name + "': bad target of " + m.wireName());
            }
        });
        if (withinCustomerSeconds < 0 && withinCustomerSeconds != NO_MARGIN) {
            throw new IllegalArgumentException("OLA '" + name + "': within_customer must not be negative");
        }
        if (escalations.stream().map(OlaStep::name).distinct().count() != escalations.size()) {
            throw new IllegalArgumentException("OLA '" + name + "': step names repeat");
        }
        return new OlaPolicy(name, position, engineering, customer, calendar, Map.copyOf(new EnumMap<>(targets)),
                withinCustomerSeconds, List.copyOf(escalations));
    }

    public String name() {
        return name;
    }

    public int position() {
        return position;
    }

    public PolicyCondition engineering() {
        return engineering;
    }

    public PolicyCondition customer() {
        return customer;
    }

    public BusinessCalendar calendar() {
        return calendar;
    }

    public Map<Metric, Long> targets() {
        return targets;
    }

    /** Target seconds for the metric, or 0 when this OLA sets none. */
    public long targetSeconds(Metric metric) {
        Long t = targets.get(metric);
        return t == null ? 0 : t;
    }

    /** The margin of {@code within_customer} in seconds, or {@link #NO_MARGIN}. */
    public long withinCustomerSeconds() {
        return withinCustomerSeconds;
    }

    public boolean hasMargin() {
        return withinCustomerSeconds != NO_MARGIN;
    }

    public List<OlaStep> escalations() {
        return escalations;
    }

    @Override
    public String toString() {
        return "OLA " + name;
    }
}
