package io.slabridge.core.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;

/**
 * Ticket events as JSON objects with snake_case fields (SLA-SPEC section 1), read with Jackson's streaming
 * parser. Unknown fields are skipped so that producers may add some; a known field with a wrong value is an
 * error that names it.
 *
 * <p>Not thread-safe: each instance keeps a small table that shares repeated strings (ticket keys, tiers,
 * channels) so a large history holds each only once.
 */
public final class TicketEventJson {
    static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int MAX_SHARED = 1 << 18;

    private final StringPool pool = new StringPool(MAX_SHARED);

    /** Reads one JSON object from {@code length} bytes of UTF-8 at {@code offset}. */
    public TicketEvent read(byte[] bytes, int offset, int length) throws InvalidEventException {
        try (JsonParser p = JSON.createParser(bytes, offset, length)) {
            return read(p);
        } catch (JsonParseException e) {
            throw new InvalidEventException("not JSON: " + plain(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new InvalidEventException("cannot read: " + e.getMessage());
        }
    }

    public TicketEvent read(String json) throws InvalidEventException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return read(b, 0, b.length);
    }

    private TicketEvent read(JsonParser p) throws IOException, InvalidEventException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new InvalidEventException("not a JSON object");
        }
        TicketEvent e = readObject(p);
        if (p.nextToken() != null) {
            throw new InvalidEventException("more than one JSON value on the line");
        }
        return e;
    }

    /** Reads the object whose START_OBJECT is the parser's current token, up to and including its END_OBJECT. */
    TicketEvent readObject(JsonParser p) throws IOException, InvalidEventException {
        String id = null;
        String ticket = null;
        long at = Long.MIN_VALUE;
        EventType type = null;
        Priority priority = null;
        TicketStatus status = null;
        String tier = null;
        String channel = null;
        String category = null;
        String account = null;
        String source = null;
        String title = null;
        String author = null;
        String field;
        while ((field = p.nextFieldName()) != null) {
            JsonToken value = p.nextToken();
            switch (field) {
                case "id":
                    id = text(p, field, value);
                    break;
                case "ticket":
                    ticket = shared(p, field, value);
                    break;
                case "at":
                    if (value != JsonToken.VALUE_NULL) {
                        requireString(field, value);
                        try {
                            at = Instants.parseEpochSecond(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                        } catch (DateTimeException e) {
                            throw new InvalidEventException("field 'at': " + e.getMessage());
                        }
                    }
                    break;
                case "type":
                    String typeText = shared(p, field, value);
                    if (typeText != null) {
                        type = EventType.fromWire(typeText);
                        if (type == null) {
                            throw new InvalidEventException("unknown type '" + typeText + "' (types: " + EventType.wireChoices() + ")");
                        }
                    }
                    break;
                case "priority":
                    String priorityText = shared(p, field, value);
                    if (priorityText != null) {
                        priority = Priority.fromWire(priorityText);
                        if (priority == null) {
                            throw new InvalidEventException("unknown priority '" + priorityText + "' (priorities: "
                                    + Priority.wireChoices() + ")");
                        }
                    }
                    break;
                case "status":
                    String statusText = shared(p, field, value);
                    if (statusText != null) {
                        status = TicketStatus.fromWire(statusText);
                        if (status == null) {
                            throw new InvalidEventException("unknown status '" + statusText + "' (statuses: "
                                    + TicketStatus.wireChoices() + ")");
                        }
                    }
                    break;
                case "tier":
                    tier = shared(p, field, value);
                    break;
                case "channel":
                    channel = shared(p, field, value);
                    break;
                case "category":
                    category = shared(p, field, value);
                    break;
                case "account":
                    account = shared(p, field, value);
                    break;
                case "source":
                    source = shared(p, field, value);
                    break;
                case "title":
                    title = text(p, field, value);
                    break;
                case "author":
                    author = shared(p, field, value);
                    break;
                default:
                    p.skipChildren();
            }
        }
        if (type == null) {
            throw new InvalidEventException("missing field 'type'");
        }
        if (at == Long.MIN_VALUE) {
            throw new InvalidEventException("missing field 'at'");
        }
        try {
            return TicketEvent.builder(id, ticket, at, type).priority(priority).status(status).tier(tier)
                    .channel(channel).category(category).account(account).source(source).title(title).author(author)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(e.getMessage());
        }
    }

    /** A string value through the pool: repeated values (ticket keys, types, tiers) allocate nothing. */
    private String shared(JsonParser p, String field, JsonToken value) throws IOException, InvalidEventException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        requireString(field, value);
        return pool.get(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    }

    /** Jackson's message without its source reference, which names no source here and only confuses. */
    static String plain(String jacksonMessage) {
        return jacksonMessage.replaceAll("\\s*\\(start marker at \\[Source:[^\\]]*\\]\\)", "")
                .replaceAll("\\s*at \\[Source:[^\\]]*\\]", "").strip();
    }

    private static String text(JsonParser p, String field, JsonToken value) throws IOException, InvalidEventException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        requireString(field, value);
        return p.getText();
    }

    private static void requireString(String field, JsonToken value) throws InvalidEventException {
        if (value != JsonToken.VALUE_STRING) {
            throw new InvalidEventException("field '" + field + "' must be a string, found " + describe(value));
        }
    }

    private static String describe(JsonToken token) {
        switch (token) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            default:
                return token.toString();
        }
    }

    /** Writes an event as one JSON object, the form {@link #read(String)} reads. */
    public static String write(TicketEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("id", e.id());
            g.writeStringField("ticket", e.ticket());
            g.writeStringField("at", Instants.format(e.atEpochSecond()));
            g.writeStringField("type", e.type().wireName());
            if (e.priority() != null) {
                g.writeStringField("priority", e.priority().wireName());
            }
            if (e.status() != null) {
                g.writeStringField("status", e.status().wireName());
            }
            optional(g, "tier", e.tier());
            optional(g, "channel", e.channel());
            optional(g, "category", e.category());
            optional(g, "account", e.account());
            optional(g, "source", e.source());
            optional(g, "title", e.title());
            optional(g, "author", e.author());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void optional(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }
}
