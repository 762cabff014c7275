package io.slabridge.routes.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Customers and agents at work in the fake Jira, in real time: issues raised at a steady rate, some answered,
 * some answered and then written to again, each change sent as a webhook (or, for a share of issues, left for the
 * poller to find). It remembers every event it caused and which escalations must follow, under the policy of
 * {@link #POLICY}: {@code first_response} and {@code next_response} of 20 s, a step at 50% and one at the breach.
 *
 * <ul>
 *   <li>{@link Kind#QUIET}: nobody answers; {@code first_response} reaches 50% after 10 s and breaches after 21 s:
 *       two comments.</li>
 *   <li>{@link Kind#ANSWERED}: an agent answers after 3 s; no escalation is needed.</li>
 *   <li>{@link Kind#CHATTY}: an agent answers after 2 s, the customer writes again after 4 s and nobody answers:
 *       {@code next_response} reaches both steps: two comments.</li>
 * </ul>
 * An answer that reaches sla-bridge only after a step was due (its instance was down) lets that step fire; the
 * test accepts such a step only when the store shows it was done before the answer was stored.
 */
final class Workload implements AutoCloseable {
    static final String POLICY = """
            calendars:
              always: { zone: UTC, week: 24x7 }
            policies:
              - name: crash
                calendar: always
                targets: { first_response: 20s, next_response: 20s }
            escalations:
              - name: half
                at: "50%"
                actions:
                  - comment: { visibility: internal, text: "SLA {metric} on {ticket} is half gone: due {due}." }
              - name: breached
                at: breach
                actions:
                  - comment: { visibility: internal, text: "SLA {metric} on {ticket} breached: it was due {due}." }
            """;
    /** {@link #POLICY}, each step also sending a notice to the lead (its second action). */
    static final String POLICY_WITH_NOTICES = """
            calendars:
              always: { zone: UTC, week: 24x7 }
            policies:
              - name: crash
                calendar: always
                targets: { first_response: 20s, next_response: 20s }
            escalations:
              - name: half
                at: "50%"
                actions:
                  - comment: { visibility: internal, text: "SLA {metric} on {ticket} is half gone: due {due}." }
                  - notify: { to: [lead@acme.example], text: "SLA {metric} on {ticket} is half gone: due {due}." }
              - name: breached
                at: breach
                actions:
                  - comment: { visibility: internal, text: "SLA {metric} on {ticket} breached: it was due {due}." }
                  - notify: { to: [lead@acme.example], text: "SLA {metric} on {ticket} breached: it was due {due}." }
            """;
    /** After its last event, how long until an issue's last escalation is due (the breach of a 20 s target, + 1 s). */
    static final Duration LAST_STEP_AFTER = Duration.ofSeconds(21);

    enum Kind { QUIET, ANSWERED, CHATTY }

    /** An issue the workload raised. */
    record Planned(String key, String id, Kind kind, boolean viaWebhook, Instant created) {
        String ticket() {
            return "jira:" + key;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeJira jira;
    private final WebhookSender webhooks;
    private final Random random;
    private final double webhookShare;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "workload");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger next = new AtomicInteger(1);
    private final Map<String, Planned> issues = new ConcurrentHashMap<>();
    /** The mail tickets customers opened. */
    private final Set<String> mails = ConcurrentHashMap.newKeySet();
    /** Every event the workload caused: event id → ticket. */
    private final Map<String, String> events = new ConcurrentHashMap<>();
    /** The event id of each ticket's agent answer. */
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> lastEvent = new AtomicReference<>(Instant.EPOCH);
    private final AtomicInteger followUpsPending = new AtomicInteger();
    private volatile Instant stopAt = Instant.MAX;
    /** Where customers' mail goes, when the workload has a mail side; null otherwise. */
    private volatile com.icegreen.greenmail.user.GreenMailUser mailbox;
    private volatile double mailShare;

    /**
     * @param webhookShare the share of issues whose changes are sent as webhooks; the others only the poller finds
     */
    Workload(FakeJira jira, WebhookSender webhooks, long seed, double webhookShare) {
        this.jira = jira;
        this.webhooks = webhooks;
        this.random = new Random(seed);
        this.webhookShare = webhookShare;
    }

    /**
     * Makes a share of the new tickets mail: a customer writes to {@code mailbox} (delivered into its inbox, where
     * sla-bridge reads it over IMAP) and nobody answers, so that {@code first_response} reaches both steps, as for
     * a {@link Kind#QUIET} issue.
     */
    void withMail(com.icegreen.greenmail.user.GreenMailUser mailbox, double share) {
        this.mailbox = mailbox;
        this.mailShare = share;
    }

    /** Raises an issue every {@code every} for {@code duration}, from now. */
    void run(Duration every, Duration duration) {
        stopAt = Instant.now().plus(duration);
        timer.scheduleAtFixedRate(() -> {
            if (Instant.now().isBefore(stopAt)) {
                raise();
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void raise() {
        boolean viaWebhook;
        boolean mail;
        synchronized (random) {
            viaWebhook = random.nextDouble() < webhookShare;
            mail = mailbox != null && random.nextDouble() < mailShare;
        }
        if (mail) {
            mail();
        } else {
            raise(viaWebhook);
        }
    }

    /** A customer's new mail, with a Message-ID of our own: its ticket is {@code email:<that id>}. */
    private void mail() {
        int n = next.getAndIncrement();
        String messageId = "crash-" + n + "@customer.example";
        try {
            jakarta.mail.internet.MimeMessage m = new jakarta.mail.internet.MimeMessage(
                    jakarta.mail.Session.getInstance(new java.util.Properties())) {
                @Override
                protected void updateMessageID() throws jakarta.mail.MessagingException {
                    setHeader("Message-ID", "<" + messageId + ">");
                }
            };
            m.setFrom("customer-" + n + "@customer.example");
            m.setRecipients(jakarta.mail.Message.RecipientType.TO, mailbox.getEmail());
            m.setSubject("Checkout fails, order " + n);
            m.setText("Hello, checkout fails for order " + n + ".");
            m.setSentDate(new java.util.Date());
            m.saveChanges();
            mailbox.deliver(m);
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException("cannot deliver mail " + messageId, e);
        }
        String ticket = "email:" + messageId;
        mails.add(ticket);
        event(ticket, ticket);
    }

    /** Raises one issue now, of a random kind; its changes go out as webhooks or are left for the poller. */
    Planned raise(boolean viaWebhook) {
        Kind kind;
        synchronized (random) {
            double r = random.nextDouble();
            kind = r < 0.5 ? Kind.QUIET : r < 0.8 ? Kind.ANSWERED : Kind.CHATTY;
        }
        return raise(kind, viaWebhook);
    }

    /**
     * Raises {@code count} quiet issues at once (a mass incident): their escalations fall due in the same second,
     * and the outbox has a backlog to work through.
     */
    void burst(int count) {
        for (int i = 0; i < count; i++) {
            raise(Kind.QUIET, true);
        }
    }

    private Planned raise(Kind kind, boolean viaWebhook) {
        int n = next.getAndIncrement();
        String key = "SUP-" + n;
        String id = Integer.toString(10_000 + n);
        String reporter = "557058:cust-" + n;
        Instant created = jira.createIssue(id, key, reporter);
        Planned p = new Planned(key, id, kind, viaWebhook, created);
        issues.put(key, p);
        event("jira:" + id + ":created", p.ticket());
        if (viaWebhook) {
            webhooks.send(issueCreated(p, reporter));
        }
        switch (kind) {
            case QUIET -> { }
            case ANSWERED -> later(Duration.ofSeconds(3), () -> comment(p, FakeJira.AGENT, "atlassian", true));
            case CHATTY -> {
                later(Duration.ofSeconds(2), () -> comment(p, FakeJira.AGENT, "atlassian", true));
                later(Duration.ofSeconds(4), () -> comment(p, reporter, "customer", false));
            }
        }
        return p;
    }

    private void later(Duration delay, Runnable action) {
        followUpsPending.incrementAndGet();
        timer.schedule(() -> {
            try {
                action.run();
            } finally {
                followUpsPending.decrementAndGet();
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void comment(Planned p, String author, String authorType, boolean answer) {
        FakeJira.Comment c = jira.addComment(p.key(), author, authorType);
        String eventId = "jira:" + p.id() + ":c" + c.id();
        event(eventId, p.ticket());
        if (answer) {
            answers.put(p.ticket(), eventId);
        }
        if (p.viaWebhook()) {
            webhooks.send(commentCreated(p, c));
        }
    }

    private void event(String eventId, String ticket) {
        events.put(eventId, ticket);
        lastEvent.accumulateAndGet(Instant.now(), (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Stops raising issues and waits for the follow-ups of those raised. */
    void finish(Duration timeout) throws InterruptedException {
        stopAt = Instant.now();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (followUpsPending.get() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(followUpsPending.get() + " follow-ups of the workload still pending");
            }
            Thread.sleep(50);
        }
        timer.shutdownNow();
    }

    /** When the last event happened in Jira; the last escalation is due {@link #LAST_STEP_AFTER} later. */
    Instant lastEvent() {
        return lastEvent.get();
    }

    Set<String> mailTickets() {
        return Set.copyOf(mails);
    }

    Map<String, Planned> issues() {
        return Map.copyOf(issues);
    }

    Map<String, String> events() {
        return Map.copyOf(events);
    }

    Map<String, String> answers() {
        return Map.copyOf(answers);
    }

    /** The comments escalations must have written in any case: command keys {@code <step key>/0}. */
    Set<String> requiredEscalations() {
        Set<String> keys = new TreeSet<>();
        for (Planned p : issues.values()) {
            String metric = switch (p.kind()) {
                case QUIET -> "first_response";
                case CHATTY -> "next_response";
                case ANSWERED -> null;
            };
            if (metric != null) {
                for (String step : List.of("half", "breached")) {
                    keys.add(p.ticket() + "/" + metric + "/1/" + step + "/0");
                }
            }
        }
        for (String ticket : mails) {
            for (String step : List.of("half", "breached")) {
                keys.add(ticket + "/first_response/1/" + step + "/0");
            }
        }
        return keys;
    }

    private static String issueCreated(Planned p, String reporter) {
        ObjectNode body = JSON.createObjectNode();
        body.put("timestamp", p.created().toEpochMilli()).put("webhookEvent", "jira:issue_created");
        body.set("user", FakeJira.user(reporter, "customer"));
        ObjectNode issue = body.putObject("issue").put("id", p.id()).put("key", p.key());
        ObjectNode fields = issue.putObject("fields");
        fields.put("summary", "Checkout fails for " + p.key());
        fields.put("created", FakeJira.jiraTime(p.created())).put("updated", FakeJira.jiraTime(p.created()));
        fields.putObject("status").put("name", "Waiting for support").putObject("statusCategory").put("key", "new");
        fields.putObject("priority").put("name", "High");
        fields.set("reporter", FakeJira.user(reporter, "customer"));
        return body.toString();
    }

    private static String commentCreated(Planned p, FakeJira.Comment c) {
        ObjectNode body = JSON.createObjectNode();
        body.put("timestamp", c.created().toEpochMilli()).put("webhookEvent", "comment_created");
        ObjectNode comment = body.putObject("comment").put("id", c.id());
        comment.set("author", FakeJira.user(c.authorId(), c.authorType()));
        comment.put("body", "About " + p.key()).put("created", FakeJira.jiraTime(c.created()))
                .put("updated", FakeJira.jiraTime(c.created())).put("jsdPublic", true);
        ObjectNode issue = body.putObject("issue").put("id", p.id()).put("key", p.key());
        ObjectNode fields = issue.putObject("fields");
        fields.put("summary", "Checkout fails for " + p.key());
        fields.putObject("status").put("name", "Waiting for support");
        fields.putObject("priority").put("name", "High");
        return body.toString();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
