package io.slabridge.connector.api;

import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketStatus;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * How a source's own status and priority names read as ticket statuses and priorities, and which of its priority
 * names an escalation's {@code set_priority} writes. Every source has one: its defaults, with the operator's
 * {@code sla.<name>.status.*} / {@code sla.<name>.priority.*} over them. Names are compared by the source's own key
 * (lower case at least), so {@code "In Progress"} and {@code "in progress"} are one name. Immutable.
 */
public final class TicketMapping {
    private final UnaryOperator<String> key;
    private final Map<String, TicketStatus> statuses;
    private final Map<String, Priority> priorities;
    private final Map<Priority, String> priorityNames;
    private final Priority defaultPriority;

    private TicketMapping(Builder b) {
        this.key = b.key;
        this.statuses = Collections.unmodifiableMap(new LinkedHashMap<>(b.statuses));
        this.priorities = Collections.unmodifiableMap(new LinkedHashMap<>(b.priorities));
        this.priorityNames = Collections.unmodifiableMap(new EnumMap<>(b.priorityNames));
        this.defaultPriority = b.defaultPriority;
    }

    /** A mapping whose names are compared by {@code key} (applied to the names given and to those looked up). */
    public static Builder builder(UnaryOperator<String> key) {
        return new Builder(key);
    }

    /** The status a source's status name reads as; empty when the name is not mapped (the source decides then). */
    public Optional<TicketStatus> status(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(statuses.get(key.apply(name)));
    }

    /** The priority a source's priority name reads as; empty when it is not mapped. */
    public Optional<Priority> priority(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(priorities.get(key.apply(name)));
    }

    /** The source's name for a priority, written by {@code set_priority}; empty when none is mapped to it. */
    public Optional<String> nameOf(Priority priority) {
        return Optional.ofNullable(priorityNames.get(priority));
    }

    /** The priority of a ticket whose own priority is not mapped. */
    public Priority defaultPriority() {
        return defaultPriority;
    }

    /** Every status name mapped, by key. */
    public Map<String, TicketStatus> statuses() {
        return statuses;
    }

    /** Every priority name mapped, by key. */
    public Map<String, Priority> priorities() {
        return priorities;
    }

    /** The ticket statuses some name reads as. */
    public Set<TicketStatus> statusesReached() {
        Set<TicketStatus> out = EnumSet.noneOf(TicketStatus.class);
        out.addAll(statuses.values());
        return out;
    }

    /** Builds a mapping: later entries for a name replace earlier ones, so defaults go first. */
    public static final class Builder {
        private final UnaryOperator<String> key;
        private final Map<String, TicketStatus> statuses = new LinkedHashMap<>();
        private final Map<String, Priority> priorities = new LinkedHashMap<>();
        private final Map<Priority, String> priorityNames = new EnumMap<>(Priority.class);
        private Priority defaultPriority = Priority.NORMAL;

        private Builder(UnaryOperator<String> key) {
            this.key = Objects.requireNonNull(key, "key");
        }

        public Builder statuses(Map<String, TicketStatus> byName) {
            byName.forEach((name, status) -> statuses.put(key.apply(name), Objects.requireNonNull(status, name)));
            return this;
        }

        public Builder priorities(Map<String, Priority> byName) {
            byName.forEach((name, priority) -> priorities.put(key.apply(name), Objects.requireNonNull(priority, name)));
            return this;
        }

        public Builder priorityNames(Map<Priority, String> names) {
            priorityNames.putAll(names);
            return this;
        }

        public Builder defaultPriority(Priority value) {
            this.defaultPriority = Objects.requireNonNull(value, "defaultPriority");
            return this;
        }

        public TicketMapping build() {
            return new TicketMapping(this);
        }
    }
}
