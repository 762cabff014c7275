package io.slabridge.connector.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.conversations.ConversationsHistoryResponse;
import com.slack.api.methods.response.conversations.ConversationsListResponse;
import com.slack.api.methods.response.conversations.ConversationsOpenResponse;
import com.slack.api.methods.response.conversations.ConversationsRepliesResponse;
import com.slack.api.methods.response.users.UsersLookupByEmailResponse;
import com.slack.api.model.Conversation;
import com.slack.api.model.ConversationType;
import com.slack.api.model.Message;
import io.slabridge.connector.api.TicketLinks;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.OutboxWriter;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.core.policy.TargetDuration;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts escalation alerts to Slack with the Web API: {@code chat.postMessage} with Block Kit blocks, the later steps of
 * a ticket's metric cycle in the first message's thread, and a direct message to the assignee through
 * {@code users.lookupByEmail} and {@code conversations.open}.
 *
 * <p>Each message carries metadata ({@value #EVENT_TYPE}, with the command's idempotency key). A command delivered
 * again after an attempt that may have posted (a crash or a lost answer: {@link OutboxCommand#attempts()} above 0)
 * first looks for that metadata in the conversation since the command was made ({@code conversations.history}, or
 * {@code conversations.replies} for a thread), and does not post twice.
 *
 * <p>Slack answers an error with HTTP 200, {@code ok:false} and its code: parked with the code and what to do,
 * except Slack's own transient ones (retried); HTTP 429 waits its {@code Retry-After}; 5xx and no answer are retried.
 */
final class SlackWriter implements OutboxWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SlackWriter.class);
    /** The metadata event type of sla-bridge's messages. */
    static final String EVENT_TYPE = "sla_bridge_escalation";
    /** Calls one write may make at most before it gives up for now: the bound the outbox's lease is checked against. */
    static final int CALLS_PER_WRITE = 8;
    private static final int PAGE = 200;
    /** How long before the command was made its message may carry as {@code ts}: clocks differ a little. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    /** Slack's {@code ok:false} codes that say "try again later". */
    private static final Set<String> TRANSIENT = Set.of("internal_error", "fatal_error", "service_unavailable",
            "request_timeout", "ratelimited");
    private static final Map<String, String> HINTS = Map.of(
            "channel_not_found", "no such channel, or a private one the app was not invited to",
            "not_in_channel", "invite the app to the channel (/invite @app)",
            "is_archived", "the channel is archived",
            "invalid_auth", "sla.slack.token is not a valid token",
            "not_authed", "sla.slack.token was not sent",
            "account_inactive", "the token's app or user was deactivated; make a new token",
            "token_revoked", "the token was revoked; make a new one",
            "missing_scope", "add the scope to the app and reinstall it",
            "users_not_found", "no Slack user has that e-mail address",
            "msg_too_long", "the text is too long");
    private static final DateTimeFormatter DUE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MethodsClient slack;
    private final SlackThreads threads;
    private final TicketLinks links;
    private final Clock clock;
    /** Channel ids by name ({@code #support} → {@code C0123}), learnt from posts and {@code conversations.list}. */
    private final Map<String, String> channelIds = new ConcurrentHashMap<>();

    SlackWriter(MethodsClient slack, SlackThreads threads, TicketLinks links, Clock clock) {
        this.slack = slack;
        this.threads = threads;
        this.links = links;
        this.clock = clock;
    }

    /** Slack said no: parked with its code. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public WriteResult write(OutboxCommand command) throws Exception {
        if (!(command.payload() instanceof WriteBack.SlackMessage message)) {
            return WriteResult.failed("the slack channel posts only escalation alerts; the " + command.payload().kind()
                    + " command of " + command.ticket() + " is not one");
        }
        Calls calls = new Calls();
        try {
            return post(command, message, calls);
        } catch (Refused e) {
            return WriteResult.failed(e.getMessage());
        } catch (SlackApiException e) {
            int status = e.getResponse().code();
            if (status == 429) {
                String after = e.getResponse().header("Retry-After");
                long seconds = after != null && after.strip().matches("\\d{1,6}") ? Long.parseLong(after.strip()) : 60;
                return WriteResult.retryAfter(Duration.ofSeconds(seconds), "Slack rate limit (HTTP 429, Retry-After "
                        + seconds + "s) on " + calls.last);
            }
            if (status >= 500) {
                throw new IOException("Slack " + calls.last + ": HTTP " + status, e);
            }
            return WriteResult.failed("Slack " + calls.last + ": HTTP " + status + " " + abbreviate(e.getResponseBody()));
        }
    }

    private WriteResult post(OutboxCommand command, WriteBack.SlackMessage message, Calls calls) throws Exception {
        WriteBack.Alert alert = message.alert();
        String conversation = message.channel() != null ? message.channel() : directMessage(command, alert, calls);
        String threadKey = command.ticket() + " " + alert.metric().wireName() + " " + alert.cycle();
        Optional<SlackThreads.Thread> thread = threads.find(conversation, threadKey);
        if (command.attempts() > 0) {
            // An earlier attempt may have posted and lost its answer: look before posting again.
            Optional<Message> earlier = earlier(command, thread.map(SlackThreads.Thread::channelId)
                    .orElse(null), conversation, thread.map(SlackThreads.Thread::ts).orElse(null), calls);
            if (earlier.isPresent()) {
                LOG.info("Slack alert {} of {} was already posted ({}): not posted again", command.idempotencyKey(),
                        command.ticket(), earlier.get().getTs());
                if (thread.isEmpty()) {
                    threads.remember(conversation, threadKey, new SlackThreads.Thread(channelId(conversation, calls),
                            earlier.get().getTs()));
                }
                return WriteResult.done();
            }
        }
        String threadTs = thread.map(SlackThreads.Thread::ts).orElse(null);
        Message.Metadata metadata = Message.Metadata.builder().eventType(EVENT_TYPE).eventPayload(Map.of(
                "key", command.idempotencyKey(), "ticket", command.ticket(), "metric", alert.metric().wireName(),
                "cycle", alert.cycle(), "step", alert.step())).build();
        String blocks = blocks(command.ticket(), message);
        ChatPostMessageResponse posted = calls.check("chat.postMessage to " + conversation,
                () -> slack.chatPostMessage(r -> r.channel(conversation).text(message.text()).blocksAsString(blocks)
                        .threadTs(threadTs).metadata(metadata).unfurlLinks(false).unfurlMedia(false)));
        if (conversation.startsWith("#") && posted.getChannel() != null) {
            channelIds.put(conversation, posted.getChannel());
        }
        if (thread.isEmpty()) {
            threads.remember(conversation, threadKey, new SlackThreads.Thread(posted.getChannel(), posted.getTs()));
        }
        return WriteResult.done();
    }

    /** The direct-message conversation with the ticket's assignee, found by e-mail. */
    private String directMessage(OutboxCommand command, WriteBack.Alert alert, Calls calls) throws Exception {
        String email = alert.assignee();
        if (email == null) {
            throw new Refused("Slack to: assignee for " + command.ticket() + ": no agent has replied on the ticket, "
                    + "and its events name no assignee");
        }
        if (!email.matches("[^@\\s]+@[^@\\s]+")) {
            throw new Refused("Slack to: assignee for " + command.ticket() + ": the ticket's last agent reply names '"
                    + email + "', not an e-mail address, and users.lookupByEmail needs one");
        }
        UsersLookupByEmailResponse user = calls.check("users.lookupByEmail for " + email + " (assignee of "
                + command.ticket() + ")", () -> slack.usersLookupByEmail(r -> r.email(email)));
        ConversationsOpenResponse open = calls.check("conversations.open with " + email,
                () -> slack.conversationsOpen(r -> r.users(List.of(user.getUser().getId()))));
        return open.getChannel().getId();
    }

    /** The message an earlier attempt of {@code command} posted, when there is one. */
    private Optional<Message> earlier(OutboxCommand command, String knownChannelId, String conversation, String threadTs,
            Calls calls) throws Exception {
        String channel = knownChannelId != null ? knownChannelId : channelId(conversation, calls);
        String oldest = command.createdAt().minus(CLOCK_SKEW).getEpochSecond() + ".000000";
        String cursor = null;
        do {
            String page = cursor;
            List<Message> messages;
            if (threadTs != null) {
                ConversationsRepliesResponse r = calls.check("conversations.replies in " + conversation,
                        () -> slack.conversationsReplies(q -> q.channel(channel).ts(threadTs).oldest(oldest)
                                .includeAllMetadata(true).limit(PAGE).cursor(page)));
                messages = r.getMessages();
                cursor = r.getResponseMetadata() == null ? null : r.getResponseMetadata().getNextCursor();
            } else {
                ConversationsHistoryResponse r = calls.check("conversations.history of " + conversation,
                        () -> slack.conversationsHistory(q -> q.channel(channel).oldest(oldest)
                                .includeAllMetadata(true).limit(PAGE).cursor(page)));
                messages = r.getMessages();
                cursor = r.getResponseMetadata() == null ? null : r.getResponseMetadata().getNextCursor();
            }
            for (Message m : messages == null ? List.<Message>of() : messages) {
                if (m.getMetadata() != null && EVENT_TYPE.equals(m.getMetadata().getEventType())
                        && m.getMetadata().getEventPayload() != null
                        && command.idempotencyKey().equals(m.getMetadata().getEventPayload().get("key"))) {
                    return Optional.of(m);
                }
            }
        } while (cursor != null && !cursor.isEmpty());
        return Optional.empty();
    }

    /** A conversation's id: an id as it is, a {@code #name} looked up once with {@code conversations.list}. */
    private String channelId(String conversation, Calls calls) throws Exception {
        if (!conversation.startsWith("#")) {
            return conversation;
        }
        String known = channelIds.get(conversation);
        if (known != null) {
            return known;
        }
        String name = conversation.substring(1);
        String cursor = null;
        do {
            String page = cursor;
            ConversationsListResponse r = calls.check("conversations.list (looking for " + conversation + ")",
                    () -> slack.conversationsList(q -> q.types(List.of(ConversationType.PUBLIC_CHANNEL,
                            ConversationType.PRIVATE_CHANNEL)).excludeArchived(true).limit(PAGE).cursor(page)));
            for (Conversation c : r.getChannels() == null ? List.<Conversation>of() : r.getChannels()) {
                channelIds.putIfAbsent("#" + c.getName(), c.getId());
            }
            cursor = r.getResponseMetadata() == null ? null : r.getResponseMetadata().getNextCursor();
        } while (!channelIds.containsKey(conversation) && cursor != null && !cursor.isEmpty());
        String id = channelIds.get(conversation);
        if (id == null) {
            throw new Refused("Slack conversations.list: no channel " + conversation + " the app can see ("
                    + HINTS.get("channel_not_found") + ")");
        }
        return id;
    }

    /** The message's blocks: the step's text, then the ticket with its link, account, metric, due and how late. */
    private String blocks(String ticket, WriteBack.SlackMessage message) {
        WriteBack.Alert a = message.alert();
        ArrayNode blocks = JSON.createArrayNode();
        section(blocks).putObject("text").put("type", "mrkdwn").put("text", escape(message.text()));
        ArrayNode fields = section(blocks).putArray("fields");
        String key = links.link(ticket).map(url -> "<" + url + "|" + escape(ticket) + ">").orElse(escape(ticket));
        field(fields, "Ticket", key + (a.title() == null ? "" : " " + escape(a.title())));
        field(fields, "Account", a.account() == null ? "—" : escape(a.account()));
        field(fields, "Metric", a.metric().wireName() + " (cycle " + a.cycle() + ", " + escape(a.policy()) + ")");
        field(fields, "Due", a.due() == null ? "paused" : DUE.format(a.due()));
        long remaining = a.remainingSeconds();
        field(fields, remaining < 0 ? "Late by" : "Time left", TargetDuration.format(Math.abs(remaining))
                + " (" + escape(a.condition()) + ")");
        ObjectNode context = blocks.addObject().put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", "sla-bridge · step " + escape(a.step()));
        return blocks.toString();
    }

    private static ObjectNode section(ArrayNode blocks) {
        return blocks.addObject().put("type", "section");
    }

    private static void field(ArrayNode fields, String name, String value) {
        fields.addObject().put("type", "mrkdwn").put("text", "*" + name + "*\n" + value);
    }

    /** Slack's mrkdwn reads {@code &}, {@code <} and {@code >} as markup. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        String t = text.strip();
        return t.length() > 300 ? t.substring(0, 300) + "…" : t;
    }

    /** One Web API call, as {@link Calls#check} makes it. */
    @FunctionalInterface
    private interface Call<T> {
        T call() throws IOException, SlackApiException;
    }

    /** The calls of one write: their number is bounded, and the last one is named in errors. */
    private final class Calls {
        private int made;
        private String last = "";
        private final Instant started = clock.instant();

        /** Makes the call; {@code ok:false} throws {@link Refused}, or {@link IOException} for a transient code. */
        <T extends SlackApiTextResponse> T check(String what, Call<T> call) throws Exception {
            if (++made > CALLS_PER_WRITE) {
                throw new IOException("Slack: " + CALLS_PER_WRITE + " calls in " + Duration.between(started,
                        clock.instant()).toSeconds() + "s did not finish the alert; trying again later");
            }
            last = what.split(" ")[0];
            T response = call.call();
            if (response.isOk()) {
                return response;
            }
            String error = response.getError();
            if (TRANSIENT.contains(error)) {
                throw new IOException("Slack " + what + ": " + error);
            }
            String hint = HINTS.get(error);
            String needed = response.getNeeded() == null ? "" : "; needed: " + response.getNeeded();
            throw new Refused("Slack " + what + ": " + error + needed + (hint == null ? "" : " (" + hint + ")"));
        }
    }
}
