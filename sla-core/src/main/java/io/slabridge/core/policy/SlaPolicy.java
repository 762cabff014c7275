package io.slabridge.core.policy;

import io.slabridge.core.calendar.BusinessCalendar;
import io.slabridge.core.model.Metric;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/** One named policy of the file: a condition, a calendar and a target per metric. */
public final class SlaPolicy {
    private final String name;
    private final int position;
    private final PolicyCondition when;
    private final BusinessCalendar calendar;
    private final Map<Metric, Long> targets;
    private final long[] targetByOrdinal;

    private SlaPolicy(String name, int position, PolicyCondition when, BusinessCalendar calendar,
            Map<Metric, Long> targets) {
        this.name = name;
        this.position = position;
        this.when = when;
        this.calendar = calendar;
        this.targets = targets;
        this.targetByOrdinal = new long[Metric.values().length];
        targets.forEach((m, s) -> targetByOrdinal[m.ordinal()] = s);
    }

    /**
     * @param position the policy's place in the file, from 0: ties between candidates go to the lower one
     * @param targets  target seconds per metric, each positive, at least one
     */
    public static SlaPolicy of(String name, int position, PolicyCondition when, BusinessCalendar calendar,
            Map<Metric, Long> targets) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(calendar, "calendar");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a policy needs a name");
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("policy '" + name + "' has no targets");
        }
        targets.forEach((m, s) -> {
            if (s == null || s <= 0) {
                throw new IllegalArgumentException("policy '" + name + "': target of " + m.wireName() + " must be positive");
            }
        });
        return new SlaPolicy(name, position, when, calendar, Map.copyOf(new EnumMap<>(targets)));
    }

    public String name() {
        return name;
    }

    public int position() {
        return position;
    }

    public PolicyCondition when() {
        return when;
    }

    public BusinessCalendar calendar() {
        return calendar;
    }

    public Map<Metric, Long> targets() {
        return targets;
    }

    /** Target seconds for the metric, or 0 when this policy sets none. */
    public long targetSeconds(Metric metric) {
        return targetByOrdinal[metric.ordinal()];
    }

    @Override
    public String toString() {
        return "policy " + name;
    }
}
