package io.slabridge.connector.email;

import io.slabridge.core.testing.JsonMutator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Breaks raw mail the way senders and gateways do: headers deleted, repeated, given odd, huge, 8-bit or
 * wrongly encoded values; boundaries lost; content types, charsets and transfer encodings swapped; bodies nested
 * deeper, truncated or sprinkled with bytes. Works on the bytes (as ISO-8859-1 text, one character per byte),
 * drawing everything from the {@link Random} given, so a seed reproduces a message.
 */
final class MimeMutator {
    private static final List<String> HEADERS = List.of("From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID",
            "In-Reply-To", "References", "Content-Type", "Content-Transfer-Encoding", "MIME-Version", "Auto-Submitted",
            "Return-Path", "X-Anything");
    private static final List<String> CONTENT_TYPES = List.of("text/plain", "text/html", "multipart/mixed",
            "multipart/mixed; boundary=\"\"", "multipart/alternative; boundary=\"b\"", "multipart/report; boundary=b",
            "message/rfc822", "application/octet-stream", "text/plain; charset=x-klingon-8", "text/plain; charset=\"",
            "text/plain; charset=utf-16", "text/plain; charset=ISO-2022-JP", ";;;", "", "text/plain; name*0=x; name*2=y",
            "multipart/mixed; boundary=\"" + "b".repeat(500) + "\"");
    private static final List<String> ENCODINGS = List.of("base64", "quoted-printable", "7bit", "8bit", "binary",
            "x-uuencode", "x-rot13", "", "base64; foo");
    private static final List<String> ODD_HEADER_VALUES = List.of("", " ", "=?x-unknown?Q?Hello?=", "=?utf-8?B?////?=",
            "=?utf-8?Q?=FF=FE?=", "=?UTF-8?B?w6k=?= =?ISO-8859-1?Q?f=FCr?=", "<>", "<<<>>>", "undisclosed-recipients:;",
            "\"unterminated <a@b.example>", "a@", "@b", "Carla <carla@globex.example", "carla@globex.example",
            "<" + "x".repeat(3000) + "@globex.example>", "Thu, 31 Feb 99999 25:61:61 +9999", "Mon, 1 Jan 1900 00:00:00 GMT",
            "Sat, 1 Jan 10000 00:00:00 +0000", "0", "-1", "R\u00c3\u00a9clamation", "F\u00fcr", "\u0000\u0001",
            "a\r\n\tfolded", "b".repeat(100_000));

    private final Random random;
    private final JsonMutator strings;

    MimeMutator(Random random) {
        this.random = random;
        this.strings = new JsonMutator(random);
    }

    /** One to {@code maxSteps} mutations of a raw message. */
    byte[] mutate(byte[] raw, int maxSteps) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        for (int i = 1 + random.nextInt(maxSteps); i > 0; i--) {
            text = once(text);
        }
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private String once(String text) {
        int split = text.indexOf("\r\n\r\n");
        String head = split < 0 ? text : text.substring(0, split);
        String body = split < 0 ? "" : text.substring(split + 4);
        List<String> lines = new ArrayList<>(List.of(head.split("\r\n", -1)));
        switch (random.nextInt(14)) {
            case 0 -> lines.remove(random.nextInt(lines.size()));
            case 1 -> lines.add(random.nextInt(lines.size() + 1), lines.get(random.nextInt(lines.size())));
            case 2 -> setHeader(lines, strings.pick(HEADERS), strings.pick(ODD_HEADER_VALUES));
            case 3 -> setHeader(lines, strings.pick(HEADERS), latin1(strings.pick(JsonMutator.ODD_STRINGS)));
            case 4 -> setHeader(lines, "Content-Type", strings.pick(CONTENT_TYPES));
            case 5 -> setHeader(lines, "Content-Transfer-Encoding", strings.pick(ENCODINGS));
            case 6 -> body = body.replace("--", random.nextBoolean() ? "-" : "---");
            case 7 -> body = nested(lines, body, 1 + random.nextInt(14));
            case 8 -> {
                String all = String.join("\r\n", lines) + "\r\n\r\n" + body;
                return all.substring(0, random.nextInt(all.length() + 1));
            }
            case 9 -> body = insert(body, bytes());
            case 10 -> {
                return String.join("\r\n", lines) + "\r\n" + body; // no blank line after the headers
            }
            case 11 -> setHeader(lines, "Subject", latin1("R\u00e9clamation \u20ac ") + bytes());
            case 12 -> body = body + "\r\n" + strings.pick(List.of("--b--", "--", "=", "=\r\n", "begin 644 x\r\n"));
            default -> lines.add(random.nextInt(lines.size() + 1), "X-" + random.nextInt(1000) + ": "
                    + strings.pick(ODD_HEADER_VALUES));
        }
        return String.join("\r\n", lines) + "\r\n\r\n" + body;
    }

    /** Sets a header (the first of its name) or adds it. */
    private static void setHeader(List<String> lines, String name, String value) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                lines.set(i, name + ": " + value);
                return;
            }
        }
        lines.add(name + ": " + value);
    }

    /** Wraps the body in {@code depth} more multipart layers, the original content type innermost. */
    private String nested(List<String> lines, String body, int depth) {
        String type = "text/plain";
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).regionMatches(true, 0, "Content-Type:", 0, 13)) {
                type = lines.get(i).substring(13).strip();
                lines.remove(i);
                break;
            }
        }
        String inner = "Content-Type: " + type + "\r\n\r\n" + body;
        for (int d = 0; d < depth; d++) {
            String b = "n" + d + "x" + random.nextInt(1000);
            inner = "Content-Type: multipart/" + strings.pick(List.of("mixed", "alternative", "related")) + "; boundary=\""
                    + b + "\"\r\n\r\n--" + b + "\r\n" + inner + "\r\n--" + b + "--\r\n";
        }
        int split = inner.indexOf("\r\n\r\n");
        lines.add(inner.substring(0, split));
        return inner.substring(split + 4);
    }

    private String insert(String text, String what) {
        int at = random.nextInt(text.length() + 1);
        return text.substring(0, at) + what + text.substring(at);
    }

    /** A few random bytes, 8-bit and control characters included. */
    private String bytes() {
        StringBuilder sb = new StringBuilder();
        for (int i = 1 + random.nextInt(12); i > 0; i--) {
            sb.append((char) random.nextInt(256));
        }
        return sb.toString();
    }

    /** Text as the UTF-8 bytes a client would send unencoded, one character per byte. */
    private static String latin1(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
