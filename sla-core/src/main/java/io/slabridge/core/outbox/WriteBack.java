package io.slabridge.core.outbox;

import io.slabridge.core.escalation.EscalationAction.Visibility;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.SummaryState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What a write-back command asks the ticket's own system to do. */
public sealed interface WriteBack {

    /** A short name of the kind, stored with the command and shown by {@code sla-bridge outbox}. */
    String kind();

    /**
     * The SLA fields agents see: the summary, the earliest due instant of the running cycles, and each metric's
     * due instant: that of its latest cycle, running or stopped (met or breached), so a met due stays visible
     * until the metric's next cycle starts. A metric is absent when it has no cycle, or its latest cycle is
     * paused short of its target. Sent only when one of them changes.
     */
    record SlaFields(SummaryState summary, Instant nextDue, Map<Metric, Instant> dueByMetric) implements WriteBack {
        public SlaFields {
            Objects.requireNonNull(summary, "summary");
            dueByMetric = Map.copyOf(dueByMetric);
        }

        @Override
        public String kind() {
            return "sla_fields";
        }
    }

    /** A comment from an escalation step. */
    record Comment(Visibility visibility, String text) implements WriteBack {
        public Comment {
            Objects.requireNonNull(visibility, "visibility");
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String kind() {
            return "comment";
        }
    }

    /** An e-mail from an escalation step. */
    record Notify(List<String> to, String subject, String text) implements WriteBack {
        public Notify {
            to = List.copyOf(to);
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String kind() {
            return "notify";
        }
    }

    /** A priority change from an escalation step. */
    record SetPriority(Priority priority) implements WriteBack {
        public SetPriority {
            Objects.requireNonNull(priority, "priority");
        }

        @Override
        public String kind() {
            return "set_priority";
        }
    }
}
