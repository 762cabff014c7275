package io.slabridge.routes.app;

import io.slabridge.core.escalation.EscalationAction;
import io.slabridge.core.escalation.EscalationStep;
import io.slabridge.core.policy.PolicySet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The chat channels a policy's steps post to must run: a step for a channel that is off is refused at start. */
final class ChannelChecks {
    private ChannelChecks() {
    }

    /** The writer a chat action's commands are addressed to, or null for an action of the ticket's own system. */
    static String channelOf(EscalationAction action) {
        if (action instanceof EscalationAction.Slack) {
            return "slack";
        }
        if (action instanceof EscalationAction.Teams) {
            return "teams";
        }
        return null;
    }

    /** One problem per channel the policy posts to that is not among {@code running}, naming its first step. */
    static List<String> problems(PolicySet policies, Set<String> running) {
        Map<String, String> firstStep = new LinkedHashMap<>();
        for (EscalationStep step : policies.escalations()) {
            for (EscalationAction action : step.actions()) {
                String channel = channelOf(action);
                if (channel != null && !running.contains(channel)) {
                    firstStep.putIfAbsent(channel, step.name());
                }
            }
        }
        List<String> problems = new ArrayList<>();
        firstStep.forEach((channel, step) -> problems.add("sla." + channel + ".enabled: the policy's escalation '" + step
                + "' posts to " + channel + ", which is off; set sla." + channel + ".enabled=true and its settings "
                + "(sla." + channel + ".*)"));
        return problems;
    }
}
