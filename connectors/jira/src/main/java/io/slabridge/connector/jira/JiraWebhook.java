package io.slabridge.connector.jira;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slabridge.connector.api.LinkMemory;
import io.slabridge.connector.api.TicketNumbers;
import io.slabridge.core.model.TicketEvent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one Jira webhook delivery: checks its size and signature, parses it, and hands its events to the
 * runtime. Answers 200 when the events are stored (or there are none to store), 401 for a missing or wrong
 * signature, 400 for a body that is not a Jira webhook (with the reason), 413 for an oversized body, and 503
 * when the store or Jira cannot be reached, so that Jira delivers again. Nothing is stored unless the answer is
 * 200.
 */
public final class JiraWebhook implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(JiraWebhook.class);
    static final String SIGNATURE_HEADER = "X-Hub-Signature";
    /** Trailing tokens are refused: a body is one JSON document, not one followed by anything. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final JiraConfig config;
    private final JiraEvents events;
    private final Consumer<List<TicketEvent>> sink;
    private final int maxBytes;
    private final JiraLinks links;

    /** A webhook that reads no links. */
    public JiraWebhook(JiraConfig config, JiraEvents events, Consumer<List<TicketEvent>> sink, int maxBytes) {
        this(config, events, sink, maxBytes, null, null);
    }

    /** A webhook that looks up no Case numbers. */
    public JiraWebhook(JiraConfig config, JiraEvents events, Consumer<List<TicketEvent>> sink, int maxBytes,
            LinkMemory links, JiraHttp http) {
        this(config, events, sink, maxBytes, links, http, TicketNumbers.unavailable("Case numbers are not looked up"));
    }

    /**
     * @param links       remembers what each issue was last seen linked to ({@code sla.jira.link-types} and the rest)
     * @param http        reads the two issues an {@code issuelink_created} or {@code issuelink_deleted} delivery names,
     *                    and remote links
     * @param caseNumbers Salesforce Cases by the number in {@code sla.jira.field.linked-case}
     */
    public JiraWebhook(JiraConfig config, JiraEvents events, Consumer<List<TicketEvent>> sink, int maxBytes,
            LinkMemory links, JiraHttp http, TicketNumbers caseNumbers) {
        this.config = config;
        this.events = events;
        this.sink = sink;
        this.maxBytes = maxBytes;
        this.links = new JiraLinks(config, links, http, caseNumbers);
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        byte[] body = in.getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        if (body.length > maxBytes) {
            answer(exchange, 413, "error", "the body is " + body.length + " bytes; the limit is " + maxBytes);
            return;
        }
        // Before the signature: a form or multipart body is taken apart by the HTTP server, so its signature could
        // never match, and "wrong signature" would send the sender looking in the wrong place.
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType != null && !isJson(contentType)) {
            answer(exchange, 400, "error", "the Content-Type is '" + cut(contentType) + "'; a Jira webhook is "
                    + "application/json");
            return;
        }
        if (config.webhookSigned()) {
            String problem = signatureProblem(config.webhookSecret(), body, in.getHeader(SIGNATURE_HEADER, String.class));
            if (problem != null) {
                LOG.warn("Jira webhook refused: {}", problem);
                answer(exchange, 401, "error", problem);
                return;
            }
        }
        // JSON is UTF-8 (RFC 8259): decoded strictly, rather than letting the parser guess UTF-16 or UTF-32 from
        // zero bytes, or replace bad bytes with U+FFFD in ticket titles.
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            answer(exchange, 400, "error", "the body is not UTF-8 text (" + e.getClass().getSimpleName()
                    + "); a Jira webhook is UTF-8 JSON");
            return;
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a byte order mark
        }
        JsonNode payload;
        try {
            payload = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            answer(exchange, 400, "error", "the body is not JSON: " + cut(e.getOriginalMessage()) + where(e));
            return;
        }
        if (payload == null || payload.isMissingNode()) {
            answer(exchange, 400, "error", "the body is empty");
            return;
        }
        JiraEvents.WebhookEvents result;
        LinkMemory.Change linkChange;
        try {
            result = events.fromWebhook(payload);
            if (readsIssue(result.webhookEvent())) {
                linkChange = links.read(payload.path("issue"));
            } else if (LINK_EVENTS.contains(result.webhookEvent())) {
                linkChange = links.fromLinkWebhook(payload);
            } else {
                linkChange = new LinkMemory.Change(List.of(), () -> { });
            }
        } catch (JiraPayloadException e) {
            answer(exchange, 400, "error", e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            // TicketEvent's own checks: a field the payload should have carried
            answer(exchange, 400, "error", "the payload does not make a valid event: " + e.getMessage());
            return;
        } catch (JiraRequestException | JiraUnavailableException e) {
            LOG.warn("Jira webhook not processed, Jira will deliver it again: {}", e.getMessage());
            answer(exchange, 503, "error", "cannot reach Jira to complete the event; deliver again later");
            return;
        } catch (RuntimeException e) {
            // A bug of ours, not the delivery's fault: logged in full, answered without internals, nothing stored.
            LOG.error("Jira webhook not processed: unexpected failure reading the payload", e);
            answer(exchange, 500, "error", "sla-bridge could not read this delivery (logged); nothing was stored");
            return;
        }
        List<TicketEvent> all = new java.util.ArrayList<>(result.events());
        all.addAll(linkChange.events());
        if (all.isEmpty()) {
            answer(exchange, 200, "ignored", LINK_EVENTS.contains(result.webhookEvent())
                    ? "no change to the links sla-bridge reads" : result.ignoredBecause());
            return;
        }
        try {
            sink.accept(all);
            linkChange.remember().run();
        } catch (RuntimeException e) {
            LOG.warn("Jira webhook for {} not stored, Jira will deliver it again: {}", result.issueKey(), rootMessage(e));
            answer(exchange, 503, "error", "the store is unavailable; deliver again later");
            return;
        }
        ObjectNode ok = JSON.createObjectNode();
        ok.put("issue", result.issueKey());
        ok.put("events", all.size());
        answer(exchange, 200, ok);
    }

    /** Deliveries about an issue link, naming its two issues by id. */
    private static final java.util.Set<String> LINK_EVENTS = java.util.Set.of("issuelink_created", "issuelink_deleted");

    /** Deliveries that carry the whole issue, its links included; a comment's carries a reduced one. */
    private static boolean readsIssue(String webhookEvent) {
        return "jira:issue_created".equals(webhookEvent) || "jira:issue_updated".equals(webhookEvent);
    }

    /**
     * Null when {@code header} is {@code sha256=<hex HMAC-SHA256 of body>} under {@code secret}; else what is
     * wrong. The comparison takes the same time wherever the first difference is.
     */
    static String signatureProblem(String secret, byte[] body, String header) {
        if (header == null || header.isBlank()) {
            return "the " + SIGNATURE_HEADER + " header is missing (a webhook secret is configured)";
        }
        String h = header.strip();
        if (!h.regionMatches(true, 0, "sha256=", 0, 7)) {
            return "the " + SIGNATURE_HEADER + " header is not sha256=<hex>";
        }
        byte[] expected = HexFormat.of().formatHex(hmac(secret, body)).getBytes(StandardCharsets.US_ASCII);
        byte[] given = h.substring(7).toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given) ? null : "the " + SIGNATURE_HEADER
                + " signature does not match the body";
    }

    static byte[] hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** application/json, or any {@code +json} type, with or without parameters. */
    static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        return type.equals("application/json") || type.endsWith("+json") || type.equals("text/json");
    }

    private static String where(JsonProcessingException e) {
        // Some parse failures (a nesting or size limit) carry no location.
        return e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    private static String cut(String text) {
        return text == null || text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private static void answer(Exchange exchange, int status, String field, String message) {
        ObjectNode node = JSON.createObjectNode();
        node.put(field, message);
        answer(exchange, status, node);
    }

    private static void answer(Exchange exchange, int status, ObjectNode body) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(body.toString());
    }
}
