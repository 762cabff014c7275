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
    record SlaFields(SummaryState summary, Instant nextDue, Map<Metric, Instant> dueByMetric, Linked linked)
            implements WriteBack {
        public SlaFields {
            Objects.requireNonNull(summary, "summary");
            dueByMetric = Map.copyOf(dueByMetric);
        }

        /** The fields of a ticket that shows no linked ticket's clock. */
        public SlaFields(SummaryState summary, Instant nextDue, Map<Metric, Instant> dueByMetric) {
            this(summary, nextDue, dueByMetric, null);
        }

        @Override
        public String kind() {
            return "sla_fields";
        }
    }

    /**
     * What a ticket shows of the tickets linked to it (SLA-SPEC section 7, issue 16), written with its own SLA fields.
     * Every value may be null (nothing to show: the field is cleared).
     *
     * @param linkedStatus     on a customer ticket: each engineering ticket's OLA state, earliest due first
     *                         ({@code ENG-42 At risk, ENG-7 On track})
     * @param linkedDue        on a customer ticket: the earliest due of its running OLA cycles
     * @param customerStatus   on an engineering ticket: the most urgent waiting customer ticket's SLA state
     *                         ({@code 500A At risk})
     * @param customerDue      on an engineering ticket: that customer ticket's earliest SLA due
     * @param customerAccount  on an engineering ticket: that customer's account, and its tier in brackets
     * @param customersWaiting on an engineering ticket: how many linked customer tickets are waiting (not resolved)
     */
    record Linked(String linkedStatus, Instant linkedDue, String customerStatus, Instant customerDue,
            String customerAccount, int customersWaiting) {
        public Linked {
            if (customersWaiting < 0) {
                throw new IllegalArgumentException("customersWaiting must not be negative");
            }
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

    /**
     * A reassignment from an escalation step: {@code to} as the policy gives it (an e-mail address, a user's or a
     * queue's name), which the ticket's writer resolves to its system's user or queue.
     */
    record Assign(String to) implements WriteBack {
        public Assign {
            Objects.requireNonNull(to, "to");
        }

        @Override
        public String kind() {
            return "assign";
        }
    }

    /**
     * What a chat alert says of the step's cycle besides its text: the ticket's title and account, the metric, its
     * cycle and due instant, how far from it (negative: late), and the agent who last replied, as far as events tell.
     *
     * @param due       null while the cycle is paused
     * @param remainingSeconds business seconds left to the due instant; negative once late
     * @param assignee  the author of the ticket's latest agent reply (an e-mail address for mailbox tickets, a
     *                  name elsewhere), or null: the events carry no assignee
     */
    record Alert(String title, String account, String assignee, Metric metric, int cycle, String policy, String step,
            String condition, Instant due, long remainingSeconds) {
        public Alert {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(condition, "condition");
        }
    }

    /**
     * A Slack message from an escalation step: to {@code channel}, or, when it is null, to the ticket's assignee
     * (a direct message). Later steps of the same ticket, metric and cycle go into the first one's thread.
     */
    record SlackMessage(String channel, String text, Alert alert) implements WriteBack {
        public SlackMessage {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(alert, "alert");
        }

        @Override
        public String kind() {
            return "slack";
        }
    }

    /** An Adaptive Card posted to the Teams webhook named {@code webhook} ({@code sla.teams.webhook.<name>}). */
    record TeamsMessage(String webhook, String text, Alert alert) implements WriteBack {
        public TeamsMessage {
            Objects.requireNonNull(webhook, "webhook");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(alert, "alert");
        }

        @Override
        public String kind() {
            return "teams";
        }
    }
}
