package io.slabridge.connector.email;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of the email connector, for logs, metrics ({@code sla_email_*} on {@code /observe/metrics}) and tests.
 * Thread-safe.
 */
public final class EmailStats {
    /** What a mail sla-bridge sent was for: its {@code X-SLA-Bridge} header and its {@code kind} in metrics. */
    public static final List<String> SENT_KINDS = List.of("ack", "comment", "internal-comment", "notice");

    final AtomicLong read = new AtomicLong();
    final AtomicLong events = new AtomicLong();
    final AtomicLong automatic = new AtomicLong();
    final AtomicLong ignored = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();
    final AtomicLong unreadableBodies = new AtomicLong();
    final AtomicLong deferred = new AtomicLong();
    final AtomicLong autoResolved = new AtomicLong();
    private final Map<String, AtomicLong> sent = new LinkedHashMap<>();

    public EmailStats() {
        for (String kind : SENT_KINDS) {
            sent.put(kind, new AtomicLong()); // filled once here, only read after: no lock needed
        }
    }

    /** The counters at one moment; {@code sent} is the mail the SMTP server accepted, all kinds together. */
    public record Snapshot(long read, long events, long automatic, long ignored, long skipped, long unreadableBodies,
            long deferred, long autoResolved, long sent) {
    }

    public Snapshot snapshot() {
        return new Snapshot(read.get(), events.get(), automatic.get(), ignored.get(), skipped.get(),
                unreadableBodies.get(), deferred.get(), autoResolved.get(),
                sent.values().stream().mapToLong(AtomicLong::get).sum());
    }

    /** Mail of {@code kind} (one of {@link #SENT_KINDS}) that the SMTP server accepted. */
    public long sent(String kind) {
        AtomicLong n = sent.get(kind);
        if (n == null) {
            throw new IllegalArgumentException("'" + kind + "' is not a kind of mail sla-bridge sends " + SENT_KINDS);
        }
        return n.get();
    }

    void countSent(String kind) {
        AtomicLong n = sent.get(kind);
        if (n == null) {
            throw new IllegalArgumentException("'" + kind + "' is not a kind of mail sla-bridge sends " + SENT_KINDS);
        }
        n.incrementAndGet();
    }
}
