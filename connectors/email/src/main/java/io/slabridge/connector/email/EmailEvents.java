package io.slabridge.connector.email;

import io.slabridge.connector.email.MailStore.KnownMessage;
import io.slabridge.connector.email.MailStore.MailTicket;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a read message into ticket events, and threads it.
 *
 * <p><b>Threading.</b> A message joins the ticket of the first message it names that we know: its
 * {@code In-Reply-To}, then its {@code References} from the newest back. Without such a header (mail clients and
 * gateways strip them), it joins the newest ticket of the same customer with the same normalized subject that is
 * not closed and had activity within {@code sla.email.subject-match-window}. Otherwise a customer's message opens a
 * ticket keyed {@code email:<its Message-ID>}; an agent's message that names a message we have not read yet waits
 * for it ({@code sla.email.thread-wait}), and one that starts a conversation is no ticket.
 *
 * <p><b>Ids.</b> Every event id is derived from the message's Message-ID ({@code email:<id>}, with a suffix for the
 * status events a message also leads to), so reading a message again changes nothing.
 */
public final class EmailEvents {
    static final String SOURCE = "email";
    static final String TICKET_PREFIX = "email:";
    private static final Pattern QUOTE_HEADER = Pattern.compile(
            "^(on .{3,200} wrote:|am .{3,200} schrieb .{1,200}:|le .{3,200} a écrit ?:|-{2,} ?original message ?-{2,}"
                    + "|-{2,} ?ursprüngliche nachricht ?-{2,}|_{8,}|from: .+@.+)\\s*$",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    private final EmailConfig config;
    private final MailStore store;

    public EmailEvents(EmailConfig config, MailStore store) {
        this.config = config;
        this.store = store;
    }

    /** What a message amounts to. */
    public sealed interface Decision {
        /** Events to ingest; {@code afterIngest} then records the thread (only once the events are stored). */
        record Events(String ticket, List<TicketEvent> events, Runnable afterIngest) implements Decision {
        }

        /** Nothing to do, for a reason worth a log line. */
        record Ignored(String reason) implements Decision {
        }

        /** Read it again later: its thread may not be read yet. */
        record Deferred(String reason) implements Decision {
        }
    }

    /**
     * @param firstSeen when a poll first saw the message: an agent's reply to a message not read yet waits for it
     *                  {@code sla.email.thread-wait} from then (so that downtime does not lose replies)
     */
    public Decision read(ParsedMail m, Instant now, Instant firstSeen) {
        boolean agent = config.isAgent(m.from());
        Optional<KnownMessage> self = store.message(m.messageId());
        if (self.isPresent() && self.get().role().equals("ours")) {
            return new Decision.Ignored("sla-bridge's own mail");
        }
        MailTicket ticket = null;
        boolean isRoot = false;
        if (self.isPresent()) {
            ticket = store.ticket(self.get().ticket()).orElse(null);
            isRoot = ticket != null && ticket.rootMessageId().equals(m.messageId());
        }
        if (ticket == null) {
            List<String> named = new ArrayList<>(m.inReplyTo());
            List<String> refs = new ArrayList<>(m.references());
            java.util.Collections.reverse(refs);
            named.addAll(refs);
            named.remove(m.messageId());
            Optional<KnownMessage> known = store.firstKnown(named);
            if (known.isPresent()) {
                ticket = store.ticket(known.get().ticket()).orElse(null);
            }
            if (ticket == null) {
                String customer = agent ? firstCustomer(m) : m.from();
                String subjectKey = Subjects.normalize(m.subject());
                if (customer != null && !subjectKey.isEmpty()) {
                    long since = m.at().minus(config.subjectMatchWindow()).getEpochSecond();
                    ticket = store.ticketBySubject(customer, subjectKey, since).orElse(null);
                }
            }
            if (ticket != null && !agent && ticket.status().equals(TicketStatus.CLOSED.wireName())) {
                ticket = null; // a customer writing on a closed ticket starts a follow-up
            }
            if (ticket == null) {
                if (agent) {
                    boolean names = !m.inReplyTo().isEmpty() || !m.references().isEmpty();
                    if (names && firstSeen.plus(config.threadWait()).isAfter(now)) {
                        return new Decision.Deferred("an agent's reply to a message not read yet");
                    }
                    return new Decision.Ignored(names ? "an agent's reply to no ticket we know"
                            : "an agent's mail that starts a conversation: no customer request, no ticket");
                }
                isRoot = true;
            }
        }
        return isRoot ? created(m) : onTicket(m, ticket, agent);
    }

    private Decision created(ParsedMail m) {
        String ticket = TICKET_PREFIX + m.messageId();
        String text = m.subject() + "\n" + unquoted(m.text());
        String domain = m.from().substring(m.from().indexOf('@') + 1);
        TicketEvent created = TicketEvent.builder(eventId(m, ""), ticket, m.at(), EventType.CREATED)
                .status(TicketStatus.OPEN).priority(priority(text)).tier(byDomain(config.tierByDomain(), domain))
                .account(byDomain(config.accountByDomain(), domain)).category(category(text)).channel(SOURCE)
                .source(SOURCE).title(m.subject().isBlank() ? null : m.subject()).author(m.from()).build();
        long at = m.at().getEpochSecond();
        MailTicket row = new MailTicket(ticket, m.messageId(), m.from(), m.replyTo(), Subjects.normalize(m.subject()),
                m.subject(), TicketStatus.OPEN.wireName(), at, at, null, null, config.ackEnabled(), null);
        return new Decision.Events(ticket, List.of(created), () -> store.recordTicket(row));
    }

    private Decision onTicket(ParsedMail m, MailTicket t, boolean agent) {
        long at = Math.max(m.at().getEpochSecond(), t.createdAt());
        List<TicketEvent> events = new ArrayList<>();
        String text = m.subject() + "\n" + unquoted(m.text());
        if (!agent) {
            events.add(TicketEvent.builder(eventId(m, ""), t.ticket(), at, EventType.CUSTOMER_MESSAGE).source(SOURCE)
                    .author(m.from()).build());
            boolean reopen = t.status().equals(TicketStatus.RESOLVED.wireName());
            if (reopen) {
                events.add(TicketEvent.builder(eventId(m, ":reopen"), t.ticket(), at, EventType.STATUS_CHANGED)
                        .status(TicketStatus.OPEN).source(SOURCE).author(m.from()).build());
            }
            return new Decision.Events(t.ticket(), events, () -> {
                store.recordMessage(m.messageId(), t.ticket(), "customer", at);
                store.customerWrote(t.ticket(), at, reopen ? TicketStatus.OPEN.wireName() : null);
            });
        }
        boolean internal = isInternal(m, text);
        events.add(TicketEvent.builder(eventId(m, ""), t.ticket(), at, internal ? EventType.INTERNAL_NOTE
                : EventType.AGENT_REPLY).source(SOURCE).author(m.from()).build());
        TicketStatus status = statusTag(text);
        if (status != null) {
            events.add(TicketEvent.builder(eventId(m, ":status"), t.ticket(), at, EventType.STATUS_CHANGED).status(status)
                    .source(SOURCE).author(m.from()).build());
        }
        events.addAll(links(m, t.ticket(), at));
        String newStatus = status == null ? null : status.wireName();
        return new Decision.Events(t.ticket(), events, () -> {
            store.recordMessage(m.messageId(), t.ticket(), internal ? "internal" : "agent", at);
            if (internal) {
                if (newStatus != null) {
                    store.setStatus(t.ticket(), newStatus);
                }
            } else {
                store.agentReplied(t.ticket(), at, m.messageId(), newStatus);
            }
        });
    }

    /** A Jira key as the link pattern may find it: a project key, a hyphen, a number. */
    private static final Pattern JIRA_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_]*-[0-9]{1,18}");
    /** What before a key makes its mention an unlink: {@code unlink ENG-42}, {@code Unlink: ENG-42}. */
    private static final Pattern UNLINK = Pattern.compile("(?i)(?<![\\p{L}\\p{N}])unlink[\\s:]+$");

    /**
     * The Jira issues an agent's reply or note names ({@code sla.email.link-pattern}), in the text it wrote (not
     * the quoted mail below, nor the subject, which repeats the customer's): {@code linked} to each, or
     * {@code unlinked} from one written {@code unlink ENG-42}. A mail is an act, not a state: it links or unlinks
     * what it names and leaves the rest; ids are the message's ({@code email:<Message-ID>:link:jira:ENG-42}), so
     * reading it again changes nothing.
     */
    private List<TicketEvent> links(ParsedMail m, String ticket, long at) {
        Pattern pattern = config.linkPattern();
        if (pattern == null) {
            return List.of();
        }
        String body = unquoted(m.text());
        Map<String, Boolean> unlinkByKey = new java.util.TreeMap<>();
        java.util.regex.Matcher found = pattern.matcher(body);
        while (found.find()) {
            String key = found.group().strip();
            if (!JIRA_KEY.matcher(key).matches()) {
                continue; // a pattern matching more than keys: only keys link
            }
            String before = body.substring(Math.max(0, found.start() - 20), found.start());
            // Named both ways in one mail, the unlink is what the agent meant.
            unlinkByKey.merge(key.toUpperCase(Locale.ROOT), UNLINK.matcher(before).find(), Boolean::logicalOr);
        }
        List<TicketEvent> out = new ArrayList<>();
        unlinkByKey.forEach((key, unlink) -> out.add(TicketEvent.builder(eventId(m, (unlink ? ":unlink:" : ":link:")
                + "jira:" + key), ticket, at, unlink ? EventType.UNLINKED : EventType.LINKED).other("jira:" + key)
                .source(SOURCE).author(m.from()).build()));
        return out;
    }

    /** The status events of tickets an agent left waiting for {@code sla.email.auto-resolve-after}. */
    public List<AutoResolved> autoResolve(Instant now) {
        List<AutoResolved> out = new ArrayList<>();
        if (config.autoResolveAfter() == null) {
            return out;
        }
        long after = config.autoResolveAfter().toSeconds();
        for (MailTicket t : store.waitingSince(now.getEpochSecond() - after, 500)) {
            String last = t.lastAgentMessage() == null ? t.rootMessageId() : t.lastAgentMessage();
            TicketEvent e = TicketEvent.builder(TICKET_PREFIX + last + ":auto-resolved", t.ticket(), t.lastAgentAt() + after,
                    EventType.STATUS_CHANGED).status(TicketStatus.RESOLVED).source(SOURCE).build();
            out.add(new AutoResolved(t.ticket(), e));
        }
        return out;
    }

    /** A ticket resolved for want of a customer answer. */
    public record AutoResolved(String ticket, TicketEvent event) {
    }

    private static String eventId(ParsedMail m, String suffix) {
        return TICKET_PREFIX + m.messageId() + suffix;
    }

    /** The first recipient who is not on the support side: the customer an agent writes to. */
    private String firstCustomer(ParsedMail m) {
        for (String r : m.recipients()) {
            if (!config.isAgent(r)) {
                return r;
            }
        }
        return null;
    }

    private boolean isInternal(ParsedMail m, String text) {
        if (config.internalTag() != null && text.toLowerCase(Locale.ROOT).contains(config.internalTag())) {
            return true;
        }
        return config.internalRule() == EmailConfig.InternalRule.INTERNAL_RECIPIENTS && !m.recipients().isEmpty()
                && m.recipients().stream().allMatch(config::isAgent);
    }

    private TicketStatus statusTag(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, TicketStatus> e : config.statusTags().entrySet()) {
            if (lower.contains(e.getKey())) {
                return e.getValue();
            }
        }
        return null;
    }

    Priority priority(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (Priority p : Priority.values()) { // urgent first: the highest priority named wins
            List<String> words = config.priorityKeywords().get(p);
            if (words != null && words.stream().anyMatch(w -> containsWord(lower, w))) {
                return p;
            }
        }
        return config.defaultPriority();
    }

    String category(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, List<String>> e : config.categoryKeywords().entrySet()) {
            if (e.getValue().stream().anyMatch(w -> containsWord(lower, w))) {
                return e.getKey();
            }
        }
        return null;
    }

    static boolean containsWord(String lowerText, String word) {
        return Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(word) + "(?![\\p{L}\\p{N}])",
                Pattern.UNICODE_CASE).matcher(lowerText).find();
    }

    /** The most specific rule for a domain or one of its parents ({@code eu.acme.com} → {@code acme.com}). */
    static String byDomain(Map<String, String> rules, String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        while (true) {
            String v = rules.get(d);
            if (v != null) {
                return v;
            }
            int dot = d.indexOf('.');
            if (dot < 0) {
                return null;
            }
            d = d.substring(dot + 1);
        }
    }

    /** The text someone wrote, without the quoted mail below it: tags and keywords are read only here. */
    static String unquoted(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\r?\n")) {
            String l = line.strip();
            if (QUOTE_HEADER.matcher(l).matches()) {
                break;
            }
            if (!l.startsWith(">")) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }
}
