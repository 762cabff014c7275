package io.slabridge.core.testing;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.policy.InvalidPolicyException;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicySet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Many tickets' lives as events, for load and fault-injection tests: seeded, so a run can be repeated. Under
 * {@link #POLICY} (first response 20 min, next response 30 min, resolution 1 h; 10 and 30 min when urgent) the
 * stories make every kind of write-back: SLA fields on creation, warnings, replies, pauses, priority changes and
 * resolution; comments at 75 %, at the breach and half an hour after it; a priority raised at the breach.
 */
public final class TicketStories {
    /** A 24x7 policy with a three-step ladder: comments and {@code set_priority}, nothing that needs e-mail. */
    public static final String POLICY = """
            calendars:
              always: { zone: UTC, week: 24x7 }
            policies:
              - name: support
                calendar: always
                targets: { first_response: 20m, next_response: 30m, resolution: 1h }
              - name: urgent
                when: { priority: [urgent] }
                calendar: always
                targets: { first_response: 10m, resolution: 30m }
            pause_statuses: [waiting_on_customer]
            warnings: ["75%"]
            escalations:
              - name: three-quarters
                at: "75%"
                metrics: [first_response, resolution]
                actions:
                  - comment: { visibility: internal, text: "SLA {metric} on {ticket} is at 75%: due {due} ({remaining} left)." }
              - name: breached
                at: breach
                actions:
                  - comment: { visibility: public, text: "We are late on {metric} for {ticket} ({title}); it was due {due}." }
                  - set_priority: urgent
              - name: half-hour-late
                at: "+30m"
                metrics: [first_response, resolution]
                actions:
                  - comment: { visibility: internal, text: "{ticket} is 30 minutes past its {metric} target ({policy})." }
            """;

    private TicketStories() {
    }

    public static PolicySet policies() {
        try {
            return PolicyFileParser.parse("fault-injection.yaml", POLICY);
        } catch (InvalidPolicyException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The events of {@code tickets} tickets created evenly at random within {@code spread} from {@code start},
     * all in time order (events of one instant in story order).
     *
     * @param key    the ticket key of the i-th ticket (from 0), e.g. {@code jira:FLT-1}
     * @param source the tickets' system, as {@code created} events name it
     */
    public static List<TicketEvent> generate(int tickets, Instant start, Duration spread, long seed,
            IntFunction<String> key, String source) {
        List<TicketEvent> all = new ArrayList<>();
        Random random = new Random(seed);
        for (int i = 0; i < tickets; i++) {
            Instant created = start.plusSeconds((long) (random.nextDouble() * spread.toSeconds()));
            new Story(key.apply(i), source, created, new Random(random.nextLong()), all).tell(i);
        }
        // Stable: a ticket's events of one instant keep their story order.
        all.sort(Comparator.comparing(TicketEvent::at));
        return all;
    }

    /** One ticket's events, appended to a shared list. */
    private static final class Story {
        private final String ticket;
        private final String source;
        private final Instant created;
        private final Random random;
        private final List<TicketEvent> out;
        private int n;

        Story(String ticket, String source, Instant created, Random random, List<TicketEvent> out) {
            this.ticket = ticket;
            this.source = source;
            this.created = created;
            this.random = random;
            this.out = out;
        }

        void tell(int index) {
            add(0, EventType.CREATED, b -> b.priority(random.nextBoolean() ? Priority.HIGH : Priority.NORMAL)
                    .status(TicketStatus.OPEN).source(source).title("Fault-injection ticket " + (index + 1)));
            double kind = random.nextDouble();
            if (kind < 0.35) {
                // Answered in time, resolved in time.
                reply(minutes(3, 14));
                status(minutes(25, 50), TicketStatus.RESOLVED);
            } else if (kind < 0.60) {
                // A late first reply: the ladder climbs; resolved in time or not.
                long reply = minutes(16, 45);
                reply(reply);
                status(reply + minutes(1, 2), TicketStatus.IN_PROGRESS);
                status(minutes(55, 100), TicketStatus.RESOLVED);
            } else if (kind < 0.80) {
                // Waiting on the customer (paused), who answers; the next reply may be late.
                long reply = minutes(3, 14);
                reply(reply);
                status(reply, TicketStatus.WAITING_ON_CUSTOMER);
                long back = reply + minutes(10, 60);
                add(back, EventType.CUSTOMER_MESSAGE, b -> b);
                status(back, TicketStatus.OPEN);
                long second = back + minutes(2, 35);
                reply(second);
                status(second + minutes(5, 30), TicketStatus.RESOLVED);
            } else if (kind < 0.90) {
                // Made urgent early: shorter targets, new due instants.
                add(minutes(2, 8), EventType.PRIORITY_CHANGED, b -> b.priority(Priority.URGENT));
                reply(minutes(9, 20));
                status(minutes(20, 60), TicketStatus.RESOLVED);
            } else {
                // Nobody answers: every step of the ladder, on both metrics, and the ticket stays open. The notes
                // stop nothing; the last comes after the last step (resolution +30m), so a run fed up to its
                // last event has seen every step.
                add(minutes(30, 40), EventType.INTERNAL_NOTE, b -> b.author("bot"));
                add(minutes(95, 100), EventType.INTERNAL_NOTE, b -> b.author("bot"));
            }
        }

        private long minutes(int from, int to) {
            return (from * 60L) + random.nextInt((to - from) * 60 + 1);
        }

        private void reply(long atSecond) {
            add(atSecond, EventType.AGENT_REPLY, b -> b.author("agent"));
        }

        private void status(long atSecond, TicketStatus status) {
            add(atSecond, EventType.STATUS_CHANGED, b -> b.status(status));
        }

        private void add(long atSecond, EventType type, java.util.function.UnaryOperator<TicketEvent.Builder> fill) {
            n++;
            out.add(fill.apply(TicketEvent.builder(ticket + "/" + n, ticket, created.plusSeconds(atSecond), type)).build());
        }
    }
}
