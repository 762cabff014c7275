package io.slabridge.demo;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the simulators received from sla-bridge, as the demo prints it: a line per write-back, queued by the
 * simulators' threads until the demo's loop prints it, and a count per kind of write-back for the summary.
 */
final class WriteBackLog {
    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final Map<String, Long> counts = new TreeMap<>();

    /** A write-back of kind {@code kind} ({@code jira fields}, {@code mail notice}...), printed as {@code line}. */
    void wrote(String kind, String line) {
        synchronized (counts) {
            counts.merge(kind, 1L, Long::sum);
        }
        lines.add(line);
    }

    /** A line to print that is no write-back of its own (how a simulator answered one). */
    void note(String line) {
        lines.add(line);
    }

    /** The oldest line not printed yet, or null. */
    String next() {
        return lines.poll();
    }

    /** The counts so far, by kind in name order. */
    Map<String, Long> counts() {
        synchronized (counts) {
            return new TreeMap<>(counts);
        }
    }

    /** {@code text} on one line, without sla-bridge's marker, cut to 90 characters. */
    static String shorten(String text) {
        String one = text.replaceAll("\\s*\\[sla-bridge [^\\]]*\\]", "").replaceAll("\\s+", " ").strip();
        return one.length() > 90 ? one.substring(0, 87) + "..." : one;
    }

    /** A date-time as Jira or Salesforce receive it, as the demo prints times; "-" for none. */
    static String shortTime(String iso) {
        if (iso.isEmpty()) {
            return "-";
        }
        try {
            return DemoClock.dayAndTime(OffsetDateTime.parse(iso.replace("+0000", "Z")).toInstant());
        } catch (RuntimeException e) {
            return iso;
        }
    }
}
