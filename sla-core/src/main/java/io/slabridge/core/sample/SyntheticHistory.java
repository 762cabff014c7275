package io.slabridge.core.sample;

import io.slabridge.core.io.Instants;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Generates a plausible, reproducible ticket history as JSON lines: the input of the replay benchmark and of
 * anyone who wants to try a policy on realistic volume.
 *
 * <p>The shape: tickets are created uniformly over {@code days}; each gets 4 to 16 events (10 on average)
 * that follow a support conversation: agent replies and customer messages at random gaps (exponential,
 * mean 3 h), waits on the customer and holds that later return to open, internal notes, priority and tier
 * changes, and a resolution, sometimes followed by a reopen. Ticket keys come from all three sources.
 * Lines are written in arrival order: by time, except that about 2% arrive late (up to a day) and about
 * 0.5% are delivered twice. Same seed, same bytes.
 */
public final class SyntheticHistory {
    private static final String[] PRIORITIES = {"urgent", "high", "high", "normal", "normal", "normal", "normal", "low", "low", "normal"};
    private static final String[] TIERS = {"starter", "starter", "starter", "pro", "pro", "enterprise"};
    private static final String[] CHANNELS = {"email", "portal", "slack", "phone"};
    private static final String[] CATEGORIES = {"billing", "bug", "bug", "security", "other", "other"};
    private static final String[] SOURCES = {"jira", "salesforce", "email"};
    private static final double MEAN_GAP_SECONDS = 3 * 3600;

    private final int tickets;
    private final int days;
    private final long seed;
    private final long startEpochSecond;

    private SyntheticHistory(int tickets, int days, long seed, long startEpochSecond) {
        this.tickets = tickets;
        this.days = days;
        this.seed = seed;
        this.startEpochSecond = startEpochSecond;
    }

    /**
     * @param start first possible creation instant, epoch seconds
     */
    public static SyntheticHistory of(int tickets, int days, long seed, long start) {
        if (tickets < 1 || days < 1) {
            throw new IllegalArgumentException("tickets and days must be at least 1");
        }
        return new SyntheticHistory(tickets, days, seed, start);
    }

    /** One generated line and the instant it arrives at (its own time, or later when late). */
    private static final class Line {
        final long arrival;
        final int order;
        final String json;

        Line(long arrival, int order, String json) {
            this.arrival = arrival;
            this.order = order;
            this.json = json;
        }
    }

    /** Writes the history; returns the number of lines written. */
    public long writeTo(Writer out) throws IOException {
        Objects.requireNonNull(out, "out");
        SplittableRandom random = new SplittableRandom(seed);
        List<Line> lines = new ArrayList<>(tickets * 11);
        StringBuilder b = new StringBuilder(256);
        long span = days * 86_400L;
        for (int i = 0; i < tickets; i++) {
            String source = SOURCES[random.nextInt(SOURCES.length)];
            String ticket = source + ":" + (source.equals("jira") ? "SUP-" : source.equals("salesforce") ? "500" : "msg-") + (i + 1);
            long t = startEpochSecond + random.nextLong(span);
            int events = 4 + random.nextInt(13);
            String status = "open";
            int n = 0;
            lines.add(line(random, lines.size(), t, event(b, ticket, ++n, t, "created")
                    .append(",\"priority\":\"").append(pick(random, PRIORITIES)).append("\",\"status\":\"open\",\"tier\":\"")
                    .append(pick(random, TIERS)).append("\",\"channel\":\"").append(pick(random, CHANNELS))
                    .append("\",\"category\":\"").append(pick(random, CATEGORIES)).append("\",\"source\":\"")
                    .append(source).append("\"}")));
            while (n < events) {
                t += gap(random);
                boolean last = n == events - 1;
                String type;
                String extra = "";
                if (last || (status.equals("open") && random.nextInt(12) == 0)) {
                    type = "status_changed";
                    status = status.equals("resolved") ? "open" : "resolved";
                    extra = ",\"status\":\"" + status + "\"";
                } else if (status.equals("resolved")) {
                    // After a resolution the customer may write again, and the ticket may reopen.
                    if (random.nextBoolean()) {
                        type = "customer_message";
                    } else {
                        type = "status_changed";
                        status = "open";
                        extra = ",\"status\":\"open\"";
                    }
                } else if (!status.equals("open") && !status.equals("in_progress")) {
                    type = "status_changed";
                    status = random.nextBoolean() ? "open" : "in_progress";
                    extra = ",\"status\":\"" + status + "\"";
                } else {
                    int r = random.nextInt(100);
                    if (r < 38) {
                        type = "agent_reply";
                    } else if (r < 63) {
                        type = "customer_message";
                    } else if (r < 73) {
                        type = "status_changed";
                        status = random.nextInt(3) == 0 ? "on_hold" : "waiting_on_customer";
                        extra = ",\"status\":\"" + status + "\"";
                    } else if (r < 85) {
                        type = "internal_note";
                    } else if (r < 93) {
                        type = "priority_changed";
                        extra = ",\"priority\":\"" + pick(random, PRIORITIES) + "\"";
                    } else {
                        type = "attributes_changed";
                        extra = ",\"tier\":\"" + pick(random, TIERS) + "\"";
                    }
                }
                lines.add(line(random, lines.size(), t, event(b, ticket, ++n, t, type).append(extra).append('}')));
            }
        }
        Line[] ordered = lines.toArray(new Line[0]);
        Arrays.sort(ordered, (x, y) -> x.arrival != y.arrival ? Long.compare(x.arrival, y.arrival) : Integer.compare(x.order, y.order));
        long written = 0;
        for (Line l : ordered) {
            out.write(l.json);
            out.write('\n');
            written++;
            if (random.nextInt(200) == 0) {
                out.write(l.json); // delivered twice
                out.write('\n');
                written++;
            }
        }
        out.flush();
        return written;
    }

    private static Line line(SplittableRandom random, int order, long at, StringBuilder json) {
        long arrival = random.nextInt(50) == 0 ? at + random.nextLong(86_400) : at;
        return new Line(arrival, order, json.toString());
    }

    private static StringBuilder event(StringBuilder b, String ticket, int n, long at, String type) {
        b.setLength(0);
        return b.append("{\"id\":\"").append(ticket).append(':').append(n).append("\",\"ticket\":\"").append(ticket)
                .append("\",\"at\":\"").append(Instants.format(at)).append("\",\"type\":\"").append(type).append('"');
    }

    private static long gap(SplittableRandom random) {
        return 60 + (long) (-Math.log(1 - random.nextDouble()) * MEAN_GAP_SECONDS);
    }

    private static String pick(SplittableRandom random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
