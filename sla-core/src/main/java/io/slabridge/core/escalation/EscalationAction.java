package io.slabridge.core.escalation;

import io.slabridge.core.model.Priority;
import java.util.List;
import java.util.Objects;

/** What an escalation step does. Each action becomes one write-back command. */
public sealed interface EscalationAction {

    /** Who may read a comment: agents only ({@code internal}) or the customer too ({@code public}). */
    enum Visibility {
        INTERNAL, PUBLIC
    }

    /** A comment on the ticket in its own system; {@code template} may use the fields of {@link StepContext}. */
    record Comment(Visibility visibility, String template) implements EscalationAction {
        public Comment {
            Objects.requireNonNull(visibility, "visibility");
            if (template == null || template.isBlank()) {
                throw new IllegalArgumentException("a comment needs a text");
            }
        }
    }

    /** An e-mail to the given addresses; {@code template} may use the fields of {@link StepContext}. */
    record Notify(List<String> to, String template) implements EscalationAction {
        public Notify {
            to = List.copyOf(to);
            if (to.isEmpty()) {
                throw new IllegalArgumentException("notify needs at least one address");
            }
            for (String address : to) {
                if (!address.matches("[^@\\s]+@[^@\\s]+")) {
                    throw new IllegalArgumentException("'" + address + "' is not an e-mail address");
                }
            }
            Objects.requireNonNull(template, "template");
        }
    }

    /** Sets the ticket's priority in its own system. */
    record SetPriority(Priority priority) implements EscalationAction {
        public SetPriority {
            Objects.requireNonNull(priority, "priority");
        }
    }

    /**
     * Reassigns the ticket in its own system to {@code to}: in Jira the user found by that e-mail address (or name);
     * in Salesforce the user (by e-mail, user name or name) or queue (by name or API name) made the Case's owner.
     * A mailbox has no assignee.
     */
    record Assign(String to) implements EscalationAction {
        public Assign {
            if (to == null || to.isBlank()) {
                throw new IllegalArgumentException("assign needs 'to': an e-mail address, a user's or a queue's name");
            }
            to = to.strip();
        }
    }

    /**
     * A Slack message, through the {@code slack} channel: to a {@code channel} ({@code #name} or an id), or, when
     * {@code channel} is null, as a direct message to the ticket's assignee. {@code template} may use the fields of
     * {@link StepContext}.
     */
    record Slack(String channel, String template) implements EscalationAction {
        public Slack {
            if (channel != null && channel.isBlank()) {
                throw new IllegalArgumentException("a Slack channel cannot be blank");
            }
            Objects.requireNonNull(template, "template");
        }

        /** Whether it goes to the ticket's assignee rather than a channel. */
        public boolean toAssignee() {
            return channel == null;
        }
    }

    /**
     * An Adaptive Card posted to the Microsoft Teams webhook named {@code webhook} in settings
     * ({@code sla.teams.webhook.<name>}). {@code template} may use the fields of {@link StepContext}.
     */
    record Teams(String webhook, String template) implements EscalationAction {
        public Teams {
            if (webhook == null || !webhook.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("a Teams webhook name is letters, digits, '-' and '_', found '"
                        + webhook + "'");
            }
            Objects.requireNonNull(template, "template");
        }
    }
}
