package io.slabridge.core.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Turns valid JSON into the kinds of bad JSON sources send: a key deleted, a value of another type, null where a
 * value was, a value copied from elsewhere in the document, an array element repeated, odd Unicode, odd times and
 * numbers, a key renamed; and, on the text, truncation, garbage inserted, a span deleted or repeated. Also makes
 * random JSON. Everything is drawn from the {@link Random} given, so a seed reproduces an input exactly.
 */
public final class JsonMutator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Strings that break naive code: empty, blank, control characters, bidi overrides, lone surrogates... */
    public static final List<String> ODD_STRINGS = List.of("", " ", "\t\n", "\u0000", "null", "undefined", "NaN",
            "\u202Eevil\u202C", "e\u0301\u0301\u0301", "\uD83D\uDE00\uD83D\uDE00", "\uD800", "\uDFFF", "\uFEFF",
            "%s%n%x", "${jndi:ldap://127.0.0.1/a}", "'; DROP TABLE ticket_event; --", "../../etc/passwd",
            "<script>alert(1)</script>", "x".repeat(5000), "Ω".repeat(300), "\r\n\r\n", "true", "0", "-1",
            "9".repeat(40), "1e309", "0x1F", "SUP-12", "jira:SUP-12", "10001", "high", "Done", "open");

    /** Times of every shape a source might botch: not times, out of range, other formats. */
    public static final List<String> ODD_TIMES = List.of("2025-11-20T09:15:02.000+0000", "2025-11-20T09:15:02Z",
            "2025-11-20T09:15:02.000Z", "2025-11-20", "2025-13-45T99:99:99.000+0000", "2025-02-30T10:00:00.000+0000",
            "0000-01-01T00:00:00.000+0000", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999+0000",
            "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "99999-11-20T09:15:02.000+0000", "1763630102514",
            "yesterday", "2025-11-20T09:15:02.000+2500", "2025-11-20T09:15:02.000-1800", "2025-11-20T09:15:02+18:00",
            "2025-11-20T09:15:02.1234567890Z", "2025-11-20 09:15:02", "Thu, 20 Nov 2025 09:15:02 +0000", "T", "");

    private final Random random;

    public JsonMutator(Random random) {
        this.random = random;
    }

    /** One to {@code maxSteps} mutations of {@code json}: mostly on its tree, sometimes on its text. */
    public String mutate(String json, int maxSteps) {
        JsonNode tree;
        try {
            tree = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the seed is not JSON", e);
        }
        int steps = 1 + random.nextInt(maxSteps);
        for (int i = 0; i < steps; i++) {
            tree = mutateTree(tree);
        }
        String text = write(tree);
        if (random.nextInt(6) == 0) {
            text = mutateText(text);
        }
        return text;
    }

    /** One mutation of the tree (a copy: {@code root} is not changed). */
    public JsonNode mutateTree(JsonNode root) {
        JsonNode copy = root.deepCopy();
        List<Slot> slots = new ArrayList<>();
        collect(copy, null, null, -1, slots);
        if (slots.isEmpty()) {
            return randomJson(3);
        }
        Slot slot = slots.get(random.nextInt(slots.size()));
        switch (random.nextInt(12)) {
            case 0, 1 -> slot.delete();
            case 2, 3 -> slot.replace(otherType(slot.value()));
            case 4 -> slot.replace(NODES.nullNode());
            case 5 -> slot.replace(slots.get(random.nextInt(slots.size())).value().deepCopy());
            case 6 -> slot.duplicate();
            case 7 -> slot.replace(NODES.textNode(pick(ODD_STRINGS)));
            case 8 -> slot.replace(NODES.textNode(pick(ODD_TIMES)));
            case 9 -> slot.replace(oddNumber());
            case 10 -> slot.rename(renamed(slot.key()));
            default -> slot.replace(random.nextBoolean() ? NODES.arrayNode().add(slot.value().deepCopy())
                    : NODES.objectNode().set("value", slot.value().deepCopy()));
        }
        return slot.parent() == null ? slot.value() : copy;
    }

    /** One mutation of the text: truncated, garbage inserted, a span deleted or repeated. */
    public String mutateText(String text) {
        if (text.isEmpty()) {
            return pick(List.of("{", "[", "\"", "{}"));
        }
        int at = random.nextInt(text.length() + 1);
        int quote = text.indexOf('"', at);
        if (quote >= 0 && random.nextInt(6) == 0) {
            // An escaped lone surrogate or control character inside a string: valid JSON, invalid text.
            return text.substring(0, quote + 1) + pick(List.of("\\ud800", "\\udfff", "\\u0000", "\\u202e"))
                    + text.substring(quote + 1);
        }
        return switch (random.nextInt(5)) {
            case 0 -> text.substring(0, at);
            case 1 -> text.substring(0, at) + garbage() + text.substring(at);
            case 2 -> text.substring(0, at) + text.substring(Math.min(text.length(), at + 1 + random.nextInt(20)));
            case 3 -> {
                int end = Math.min(text.length(), at + 1 + random.nextInt(40));
                yield text.substring(0, end) + text.substring(at, end) + text.substring(end);
            }
            default -> text.substring(0, at) + pick(List.of(",", "}", "]", ":", "\"", "\\", "{", "[")) + text.substring(at);
        };
    }

    /** Random JSON up to {@code depth} levels deep. */
    public JsonNode randomJson(int depth) {
        int kind = depth <= 0 ? random.nextInt(4) : random.nextInt(6);
        switch (kind) {
            case 0:
                return NODES.textNode(random.nextBoolean() ? pick(ODD_STRINGS) : pick(ODD_TIMES));
            case 1:
                return oddNumber();
            case 2:
                return NODES.booleanNode(random.nextBoolean());
            case 3:
                return NODES.nullNode();
            case 4: {
                ArrayNode a = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    a.add(randomJson(depth - 1));
                }
                return a;
            }
            default: {
                ObjectNode o = NODES.objectNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    o.set(pick(List.of("id", "key", "type", "fields", "issue", "webhookEvent", "created", "Id", "Status",
                            "timestamp", "at", "ticket", "items", "name", "x")), randomJson(depth - 1));
                }
                return o;
            }
        }
    }

    public <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    public static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode otherType(JsonNode node) {
        List<JsonNode> others = new ArrayList<>();
        if (!node.isTextual()) {
            others.add(NODES.textNode(node.isContainerNode() ? "[object]" : node.asText()));
        }
        if (!node.isNumber()) {
            others.add(oddNumber());
        }
        if (!node.isBoolean()) {
            others.add(NODES.booleanNode(true));
        }
        if (!node.isObject()) {
            others.add(NODES.objectNode().set("name", node.deepCopy()));
        }
        if (!node.isArray()) {
            others.add(NODES.arrayNode().add(node.deepCopy()));
        }
        return pick(others);
    }

    private JsonNode oddNumber() {
        return switch (random.nextInt(9)) {
            case 0 -> NODES.numberNode(0);
            case 1 -> NODES.numberNode(-1);
            case 2 -> NODES.numberNode(Long.MAX_VALUE);
            case 3 -> NODES.numberNode(Long.MIN_VALUE);
            case 4 -> NODES.numberNode(1.5);
            case 5 -> NODES.numberNode(new BigInteger("123456789012345678901234567890"));
            case 6 -> NODES.numberNode(1763630102514L);
            case 7 -> NODES.numberNode(-1e300);
            default -> NODES.numberNode(random.nextInt(100_000));
        };
    }

    private String renamed(String key) {
        if (key == null) {
            return null;
        }
        return switch (random.nextInt(4)) {
            case 0 -> key.toUpperCase(java.util.Locale.ROOT);
            case 1 -> key + " ";
            case 2 -> key.isEmpty() ? "x" : key.substring(1);
            default -> "";
        };
    }

    private String garbage() {
        StringBuilder sb = new StringBuilder();
        for (int i = 1 + random.nextInt(8); i > 0; i--) {
            sb.append((char) (random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0x3000)));
        }
        return sb.toString();
    }

    private void collect(JsonNode node, JsonNode parent, String key, int index, List<Slot> out) {
        out.add(new Slot(parent, key, index, node));
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                collect(e.getValue(), node, e.getKey(), -1, out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), node, null, i, out);
            }
        }
    }

    /** A place in the tree: the root, a field of an object or an element of an array. */
    private static final class Slot {
        private final JsonNode parent;
        private final String key;
        private final int index;
        private JsonNode value;

        Slot(JsonNode parent, String key, int index, JsonNode value) {
            this.parent = parent;
            this.key = key;
            this.index = index;
            this.value = value;
        }

        JsonNode parent() {
            return parent;
        }

        String key() {
            return key;
        }

        JsonNode value() {
            return value;
        }

        void replace(JsonNode with) {
            if (parent instanceof ObjectNode o) {
                o.set(key, with);
            } else if (parent instanceof ArrayNode a) {
                a.set(index, with);
            }
            value = with;
        }

        void delete() {
            if (parent instanceof ObjectNode o) {
                o.remove(key);
            } else if (parent instanceof ArrayNode a) {
                a.remove(index);
            } else {
                value = NODES.objectNode();
            }
        }

        void duplicate() {
            if (parent instanceof ArrayNode a) {
                a.insert(index, value.deepCopy());
            } else if (value.isArray() && !value.isEmpty()) {
                ((ArrayNode) value).add(value.get(0).deepCopy());
            } else if (parent instanceof ObjectNode o) {
                o.set(key + "_copy", value.deepCopy());
            }
        }

        void rename(String newKey) {
            if (parent instanceof ObjectNode o && newKey != null) {
                o.remove(key);
                o.set(newKey, value);
            }
        }
    }
}
