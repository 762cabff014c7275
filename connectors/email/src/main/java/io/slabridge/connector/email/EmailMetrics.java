package io.slabridge.connector.email;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * The email connector's counters ({@link EmailStats}) on {@code /observe/metrics}, named like the application's
 * ({@code sla_<what>_total}): read from the connector's own counters at each scrape, so that nothing is counted
 * twice. docs/how-to/run-in-production.md lists them.
 */
public final class EmailMetrics {
    private EmailMetrics() {
    }

    public static void bindTo(MeterRegistry registry, EmailStats stats) {
        counter(registry, stats, "sla_email_read_total", "Messages read from the mailbox's folders, each once "
                + "(an agent's reply waiting for its thread again at each poll)", s -> s.snapshot().read());
        counter(registry, stats, "sla_email_events_total", "Ticket events made from mail", s -> s.snapshot().events());
        counter(registry, stats, "sla_email_automatic_total", "Automatic mail not read as activity: auto-replies, "
                + "lists, bounces, sla-bridge's own mail", s -> s.snapshot().automatic());
        counter(registry, stats, "sla_email_ignored_total", "Mail read that is no ticket's business",
                s -> s.snapshot().ignored());
        counter(registry, stats, "sla_email_skipped_total", "Mail skipped: too large, or no usable sender",
                s -> s.snapshot().skipped());
        counter(registry, stats, "sla_email_unreadable_bodies_total", "Mail read without its text (a body that "
                + "could not be decoded)", s -> s.snapshot().unreadableBodies());
        counter(registry, stats, "sla_email_deferred_total", "Polls at which an agent's reply waited for its thread",
                s -> s.snapshot().deferred());
        counter(registry, stats, "sla_email_auto_resolved_total", "Tickets resolved by sla.email.auto-resolve-after",
                s -> s.snapshot().autoResolved());
        for (String kind : EmailStats.SENT_KINDS) {
            FunctionCounter.builder("sla_email_sent_total", stats, s -> s.sent(kind))
                    .description("Mail sla-bridge sent that the SMTP server accepted, by kind").tag("kind", kind)
                    .register(registry);
        }
    }

    private static void counter(MeterRegistry registry, EmailStats stats, String name, String description,
            ToDoubleFunction<EmailStats> value) {
        FunctionCounter.builder(name, stats, value).description(description).register(registry);
    }
}
