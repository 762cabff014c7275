package io.slabridge.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Slack workspace's Web API on WireMock, as sla-bridge's Slack writer calls it (form-encoded POSTs to
 * {@code /api/<method>} with the bot token): {@code chat.postMessage} answers {@code ok}, the channel's id and the
 * message's {@code ts} and keeps the message with its metadata; {@code conversations.history} and
 * {@code conversations.replies} give the kept messages back (where a retried alert looks for itself);
 * {@code conversations.list} knows the one channel {@value #CHANNEL}. Errors as Slack gives them: {@code ok:false}
 * with {@code not_authed} or {@code channel_not_found}. Each message is printed as it arrives.
 */
final class SlackSimulator extends HttpSimulator {
    /** The one channel of the demo's workspace, and its id. */
    static final String CHANNEL = "#support-escalations";
    static final String CHANNEL_ID = "C0DEMOESC01";
    /** The bot token the demo gives sla-bridge. */
    static final String TOKEN = "xoxb-demo-token";

    private final WebApi api;

    private SlackSimulator(DemoClock clock, WriteBackLog log, WebApi api) {
        super("slack", clock, log, options -> options.extensions(api));
        this.api = api;
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/api/[a-zA-Z.]+"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withTransformers(WebApi.NAME)));
    }

    static SlackSimulator start(DemoClock clock, WriteBackLog log) {
        return new SlackSimulator(clock, log, new WebApi(clock));
    }

    /** The Web API's base address, as {@code sla.slack.url} takes it. */
    String url() {
        return "http://127.0.0.1:" + port();
    }

    /** How many messages about {@code ticket} arrived in the channel, and how many of them as thread replies. */
    int[] messages(String ticket) {
        return api.count(ticket);
    }

    /** How many messages arrived as replies in a thread. */
    long threadReplies() {
        return requests("POST", path -> path.equals("/api/chat.postMessage"), body -> body.contains("thread_ts="));
    }

    @Override
    JsonNode body(String raw) {
        return form(raw);
    }

    @Override
    void wrote(String at, String method, String path, JsonNode body) {
        if (!path.equals("/api/chat.postMessage")) {
            return; // a look-up, not a message
        }
        boolean reply = body.hasNonNull("thread_ts");
        log.wrote("slack " + body.path("channel").asText("?"), String.format("[%s]   -> slack %s: %s \"%s\"", at,
                body.path("channel").asText("?"), reply ? "reply in the ticket's thread" : "message",
                WriteBackLog.shorten(body.path("text").asText(""))));
    }

    /** A form-encoded body as an object of its fields. */
    static ObjectNode form(String raw) {
        ObjectNode fields = JSON.createObjectNode();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    /** The Web API's answers, and the messages posted so far. */
    static final class WebApi implements ResponseDefinitionTransformerV2 {
        static final String NAME = "sla-demo-slack";
        private final DemoClock clock;
        /** Posted messages by ts, in order. */
        private final Map<String, ObjectNode> messages = new LinkedHashMap<>();
        private int sequence;

        WebApi(DemoClock clock) {
            this.clock = clock;
        }

        @Override
        public synchronized ResponseDefinition transform(ServeEvent event) {
            String path = event.getRequest().getUrl().replaceAll("\\?.*", "");
            String auth = event.getRequest().getHeader("Authorization");
            ObjectNode in = form(event.getRequest().getBodyAsString());
            ObjectNode out = JSON.createObjectNode();
            if (auth == null || !auth.equals("Bearer " + TOKEN)) {
                return answer(out.put("ok", false).put("error", auth == null ? "not_authed" : "invalid_auth"));
            }
            switch (path) {
                case "/api/chat.postMessage" -> {
                    String channel = in.path("channel").asText("");
                    if (!channel.equals(CHANNEL) && !channel.equals(CHANNEL_ID)) {
                        return answer(out.put("ok", false).put("error", "channel_not_found"));
                    }
                    String ts = clock.instant().getEpochSecond() + String.format(".%06d", ++sequence);
                    ObjectNode message = JSON.createObjectNode().put("type", "message").put("subtype", "bot_message")
                            .put("text", in.path("text").asText("")).put("ts", ts).put("bot_id", "B0DEMOBOT")
                            .put("app_id", "A0DEMOAPP");
                    if (in.hasNonNull("thread_ts")) {
                        message.put("thread_ts", in.get("thread_ts").asText());
                    }
                    if (in.hasNonNull("metadata")) {
                        try {
                            message.set("metadata", JSON.readTree(in.get("metadata").asText()));
                        } catch (IOException e) {
                            return answer(out.put("ok", false).put("error", "invalid_metadata_format"));
                        }
                    }
                    messages.put(ts, message);
                    out.put("ok", true).put("channel", CHANNEL_ID).put("ts", ts).set("message", message);
                }
                case "/api/conversations.history", "/api/conversations.replies" -> {
                    boolean replies = path.endsWith("replies");
                    String thread = in.path("ts").asText("");
                    ArrayNode list = out.put("ok", true).putArray("messages");
                    List<ObjectNode> newestFirst = new ArrayList<>(messages.values());
                    java.util.Collections.reverse(newestFirst);
                    for (ObjectNode m : newestFirst) {
                        String parent = m.path("thread_ts").asText(null);
                        boolean inThread = m.path("ts").asText().equals(thread) || thread.equals(parent);
                        if (replies ? inThread : parent == null) {
                            list.add(m);
                        }
                    }
                    out.put("has_more", false).putObject("response_metadata").put("next_cursor", "");
                }
                case "/api/conversations.list" -> {
                    out.put("ok", true).putArray("channels").addObject().put("id", CHANNEL_ID)
                            .put("name", CHANNEL.substring(1)).put("is_channel", true).put("is_private", false)
                            .put("is_archived", false).put("is_member", true);
                    out.putObject("response_metadata").put("next_cursor", "");
                }
                default -> out.put("ok", false).put("error", "unknown_method");
            }
            return answer(out);
        }

        private static ResponseDefinition answer(ObjectNode body) {
            return com.github.tomakehurst.wiremock.client.WireMock.okJson(body.toString()).build();
        }

        /** Messages whose metadata names {@code ticket}: all of them, and those in a thread. */
        synchronized int[] count(String ticket) {
            int all = 0;
            int replies = 0;
            for (ObjectNode m : messages.values()) {
                if (ticket.equals(m.path("metadata").path("event_payload").path("ticket").asText())) {
                    all++;
                    replies += m.hasNonNull("thread_ts") ? 1 : 0;
                }
            }
            return new int[] {all, replies};
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }
}
