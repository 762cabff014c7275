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

    // Field indexes: one call site per kind of value keeps this hot method small for the JIT.
    private static final int ID = 0;
    private static final int TICKET = 1;
    private static final int AT = 2;
    private static final int TYPE = 3;
    private static final int PRIORITY = 4;
    private static final int STATUS = 5;
    private static final int TIER = 6;
    private static final int CHANNEL = 7;
    private static final int CATEGORY = 8;
    private static final int ACCOUNT = 9;
    private static final int SOURCE = 10;
    private static final int TITLE = 11;
    private static final int AUTHOR = 12;
    private static final int OTHER = 13;
    private static final int FIELDS = 14;

    private static int fieldIndex(String name) {
        switch (name) {
            case "id":
                return ID;
            case "ticket":
                return TICKET;
            case "at":
                return AT;
            case "type":
                return TYPE;
            case "priority":
                return PRIORITY;
            case "status":
                return STATUS;
            case "tier":
                return TIER;
            case "channel":
                return CHANNEL;
            case "category":
                return CATEGORY;
            case "account":
                return ACCOUNT;
            case "source":
                return SOURCE;
            case "title":
                return TITLE;
            case "author":
                return AUTHOR;
            case "other":
                return OTHER;
            default:
                return -1;
        }
    }

    /** Reads the object whose START_OBJECT is the parser's current token, up to and including its END_OBJECT. */
    TicketEvent readObject(JsonParser p) throws IOException, InvalidEventException {
        String[] text = new String[FIELDS];
        long at = Long.MIN_VALUE;
        String field;
        while ((field = p.nextFieldName()) != null) {
            JsonToken value = p.nextToken();
            int f = fieldIndex(field);
            if (f < 0) {
                p.skipChildren(); // unknown fields are allowed
                continue;
            }
            if (value == JsonToken.VALUE_NULL) {
                continue;
            }
            if (value != JsonToken.VALUE_STRING) {
                throw new InvalidEventException("field '" + field + "' must be a string, found " + describe(value));
            }
            if (f == AT) {
                try {
                    at = Instants.parseEpochSecond(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                } catch (DateTimeException e) {
                    throw new InvalidEventException("field 'at': " + e.getMessage());
                }
            } else if (f == ID || f == TITLE) {
                text[f] = p.getText(); // unique per event: nothing to share
            } else {
                // Repeated values (ticket keys, types, tiers) come from the pool without allocating.
                text[f] = pool.get(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            }
        }
        return event(text, at);
    }

    private static TicketEvent event(String[] text, long at) throws InvalidEventException {
        if (text[TYPE] == null) {
            throw new InvalidEventException("missing field 'type'");
        }
        EventType type = EventType.fromWire(text[TYPE]);
        if (type == null) {
            throw new InvalidEventException("unknown type '" + text[TYPE] + "' (types: " + EventType.wireChoices() + ")");
        }
        if (at == Long.MIN_VALUE) {
            throw new InvalidEventException("missing field 'at'");
        }
        Priority priority = Priority.fromWire(text[PRIORITY]);
        if (text[PRIORITY] != null && priority == null) {
            throw new InvalidEventException("unknown priority '" + text[PRIORITY] + "' (priorities: "
                    + Priority.wireChoices() + ")");
        }
        TicketStatus status = TicketStatus.fromWire(text[STATUS]);
        if (text[STATUS] != null && status == null) {
            throw new InvalidEventException("unknown status '" + text[STATUS] + "' (statuses: "
                    + TicketStatus.wireChoices() + ")");
        }
        try {
            return TicketEvent.builder(text[ID], text[TICKET], at, type).priority(priority).status(status)
                    .tier(text[TIER]).channel(text[CHANNEL]).category(text[CATEGORY]).account(text[ACCOUNT])
                    .source(text[SOURCE]).title(text[TITLE]).author(text[AUTHOR]).other(text[OTHER]).build();
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(e.getMessage());
        }
    }

    /** Jackson's message without its source reference, which names no source here and only confuses. */
    static String plain(String jacksonMessage) {
        return jacksonMessage.replaceAll("\\s*\\(start marker at \\[Source:[^\\]]*\\]\\)", "")
                .replaceAll("\\s*at \\[Source:[^\\]]*\\]", "").strip();
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
            optional(g, "other", e.other());
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
