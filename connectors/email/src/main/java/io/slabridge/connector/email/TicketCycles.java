package io.slabridge.connector.email;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slabridge.core.calendar.BusinessCalendar;
import io.slabridge.core.policy.PolicySet;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.function.Supplier;

/** A ticket's cycles as the runtime last stored them, read for what mail tells people: policy, due, zone. */
final class TicketCycles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MailStore store;
    private final Supplier<PolicySet> policies;

    TicketCycles(MailStore store, Supplier<PolicySet> policies) {
        this.store = store;
        this.policies = policies;
    }

    /** One cycle's facts; {@code stopped}: met or breached for good (a reply or the resolution came). */
    record Cycle(String metric, int cycle, String policy, String calendar, Instant dueAt, String status,
            boolean stopped) {
    }

    /** The cycle {@code cycle} of {@code metric}, or the metric's latest cycle when {@code cycle} is 0. */
    Optional<Cycle> find(String ticket, String metric, int cycle) {
        Optional<String> lines = store.cycles(ticket);
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        Cycle found = null;
        for (String line : lines.get().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode c = JSON.readTree(line);
                if (!metric.equals(c.path("metric").asText()) || (cycle > 0 && c.path("cycle").asInt() != cycle)) {
                    continue;
                }
                Instant due = c.path("due_at").isTextual() ? Instant.parse(c.path("due_at").asText()) : null;
                Cycle candidate = new Cycle(metric, c.path("cycle").asInt(), c.path("policy").asText(null),
                        c.path("calendar").asText(null), due, c.path("status").asText(null),
                        c.path("stopped_at").isTextual());
                if (found == null || candidate.cycle() > found.cycle()) {
                    found = candidate;
                }
            } catch (java.io.IOException | RuntimeException e) {
                // a line we cannot read tells nothing
            }
        }
        return Optional.ofNullable(found);
    }

    /** The zone of a calendar of the policies in force, if there is such a calendar. */
    Optional<ZoneId> zone(String calendar) {
        if (calendar == null || policies == null) {
            return Optional.empty();
        }
        BusinessCalendar c = policies.get().calendars().get(calendar);
        return c == null ? Optional.empty() : Optional.of(c.zone());
    }
}
