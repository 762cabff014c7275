package io.slabridge.core.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A YAML document as a tree whose every node knows its line, built from Jackson's YAML token stream. Jackson's
 * own trees drop locations, and messages about a policy file must name the line. Scalars keep their text as
 * written (so {@code 12:30} stays a time and is never read as a base-60 number).
 */
final class YamlNode {
    enum Kind { MAP, LIST, SCALAR, NULL }

    private final Kind kind;
    private final int line;
    private final String text;
    private final Map<String, YamlNode> entries;
    private final Map<String, Integer> keyLines;
    private final List<YamlNode> items;

    private YamlNode(Kind kind, int line, String text, Map<String, YamlNode> entries, Map<String, Integer> keyLines,
            List<YamlNode> items) {
        this.kind = kind;
        this.line = line;
        this.text = text;
        this.entries = entries;
        this.keyLines = keyLines;
        this.items = items;
    }

    /**
     * Reads the value at the parser's current token.
     *
     * @param duplicateKey told of each key that repeats within one mapping, with its line
     */
    static YamlNode read(JsonParser p, BiConsumer<String, Integer> duplicateKey) throws IOException {
        JsonToken token = p.currentToken();
        int line = lineOf(p.currentTokenLocation());
        if (token == JsonToken.START_OBJECT) {
            Map<String, YamlNode> entries = new LinkedHashMap<>();
            Map<String, Integer> keyLines = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int keyLine = lineOf(p.currentTokenLocation());
                p.nextToken();
                YamlNode value = read(p, duplicateKey);
                if (entries.containsKey(key)) {
                    duplicateKey.accept(key, keyLine);
                } else {
                    entries.put(key, value);
                    keyLines.put(key, keyLine);
                }
            }
            return new YamlNode(Kind.MAP, line, null, entries, keyLines, List.of());
        }
        if (token == JsonToken.START_ARRAY) {
            List<YamlNode> items = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                items.add(read(p, duplicateKey));
            }
            return new YamlNode(Kind.LIST, line, null, Map.of(), Map.of(), items);
        }
        if (token == JsonToken.VALUE_NULL) {
            return new YamlNode(Kind.NULL, line, null, Map.of(), Map.of(), List.of());
        }
        return new YamlNode(Kind.SCALAR, line, p.getText(), Map.of(), Map.of(), List.of());
    }

    private static int lineOf(JsonLocation location) {
        return Math.max(location.getLineNr(), 0);
    }

    Kind kind() {
        return kind;
    }

    int line() {
        return line;
    }

    boolean isMap() {
        return kind == Kind.MAP;
    }

    boolean isList() {
        return kind == Kind.LIST;
    }

    boolean isScalar() {
        return kind == Kind.SCALAR;
    }

    boolean isNull() {
        return kind == Kind.NULL;
    }

    /** The scalar's text as written, or null for anything else. */
    String text() {
        return text;
    }

    Map<String, YamlNode> entries() {
        return Collections.unmodifiableMap(entries);
    }

    YamlNode get(String key) {
        return entries.get(key);
    }

    int keyLine(String key) {
        Integer l = keyLines.get(key);
        return l == null ? line : l;
    }

    List<YamlNode> items() {
        return items;
    }

    /** What the node is, for messages: "a list", "a mapping", "'abc'". */
    String describe() {
        switch (kind) {
            case MAP:
                return "a mapping";
            case LIST:
                return "a list";
            case NULL:
                return "nothing";
            default:
                return "'" + text + "'";
        }
    }
}
