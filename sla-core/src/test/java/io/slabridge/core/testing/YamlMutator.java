package io.slabridge.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Breaks YAML files the way people editing them do: a line deleted, repeated or moved, indentation off by a few
 * spaces or a tab, a value or key replaced by a wrong one (bad durations, percentages, times, zones, enum names, YAML
 * syntax of every kind: anchors, aliases, tags, block scalars, flow collections, a second document), the file cut
 * short or given garbage. Everything is drawn from the {@link Random} given, so a seed reproduces a file.
 */
public final class YamlMutator {
    /** Values policy files get wrong, and YAML that surprises a reader. */
    public static final List<String> ODD_VALUES = List.of("", "~", "null", "[]", "{}", "[", "{", "}", "]", "&a x", "*a",
            "*undefined", "!!binary AA==", "!!python/object:os.system ls", "<<: *a", "|", ">", "'unterminated",
            "\"unterminated", "- item", "?", "@", "`", "%YAML 1.2", "---", "...", "1h30m", "-1h", "0m", "0", "-0",
            "99999999999999999999h", "9223372036854775807s", "PT1H", "P1D", "150%", "0%", "100%", "-5%", "75.5%", "%",
            "-15m", "+2h", "+0m", "breach", "breach+1h", "25:00-26:00", "17:00-09:00", "09:00-09:00", "09:00-", "9-5",
            "24x7", "24x8", "Mars/Olympus", "UTC+25", "Europe/Berlin", "XX", "DE", "urgent", "resume", "restart",
            "waiting_on_customer", "paused", "first_response", "resolution", "mon", "funday", "2026-02-30", "2026-12-24",
            "true", "yes", "on", "0x1F", "1e309", ".inf", ".nan", "\t", "\u0000", "\u202Eevil", "x".repeat(3000),
            "{ zone: UTC, week: 24x7 }", "[09:00-17:00, 18:00-17:00]", "{ visibility: secret, text: hi }",
            "{ to: nobody, text: \"{unknown} {ticket}\" }", "internal", "public", "first_match", "most_aggressive",
            "first-match");
    private static final List<String> KEYS = List.of("calendars", "policies", "pause_statuses", "on_reopen", "warnings",
            "escalations", "selection", "zone", "week", "holidays", "holiday_country", "name", "when", "calendar", "targets", "at",
            "metrics", "actions", "comment", "notify", "set_priority", "visibility", "text", "to", "tier", "channel",
            "category", "priority", "account", "source", "first_response", "next_response", "periodic_update",
            "resolution", "mon", "sun", "bogus", "<<", "? complex");

    private final Random random;

    public YamlMutator(Random random) {
        this.random = random;
    }

    /** One to {@code maxSteps} mutations of {@code yaml}. */
    public String mutate(String yaml, int maxSteps) {
        String text = yaml;
        for (int i = 1 + random.nextInt(maxSteps); i > 0; i--) {
            text = once(text);
        }
        return text;
    }

    private String once(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (lines.isEmpty()) {
            lines.add("");
        }
        int i = random.nextInt(lines.size());
        String line = lines.get(i);
        switch (random.nextInt(13)) {
            case 0 -> lines.remove(i);
            case 1 -> lines.add(i, line);
            case 2 -> {
                int j = random.nextInt(lines.size());
                lines.set(i, lines.get(j));
                lines.set(j, line);
            }
            case 3 -> lines.set(i, " ".repeat(1 + random.nextInt(4)) + line);
            case 4 -> lines.set(i, line.startsWith("  ") ? line.substring(2) : "\t" + line);
            case 5, 6, 7 -> lines.set(i, withValue(line, pick(ODD_VALUES)));
            case 8 -> lines.set(i, withKey(line, pick(KEYS)));
            case 9 -> {
                return text.substring(0, random.nextInt(text.length() + 1));
            }
            case 10 -> lines.add(i, pick(List.of("---", "...", "%TAG ! tag:x", "anchor: &a { zone: UTC, week: 24x7 }",
                    "alias: *a", "# comment", "", "  - ", "? x", "policies:", "calendars: {}")));
            case 11 -> {
                int at = random.nextInt(line.length() + 1);
                lines.set(i, line.substring(0, at) + pick(List.of(":", "-", "[", "{", "\"", "'", "#", "&", "*", "!", "|",
                        ",", "\t", "\\", "\u00e9", "\uFFFD")) + line.substring(at));
            }
            default -> lines.set(i, withValue(line, quoteOrUnquote(valueOf(line))));
        }
        return String.join("\n", lines);
    }

    private <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** The line with what follows its first {@code ": "} (or {@code "- "}) replaced. */
    private static String withValue(String line, String value) {
        int colon = line.indexOf(": ");
        if (colon >= 0) {
            return line.substring(0, colon + 2) + value;
        }
        if (line.endsWith(":")) {
            return line + " " + value;
        }
        int dash = line.indexOf("- ");
        if (dash >= 0) {
            return line.substring(0, dash + 2) + value;
        }
        return line + value;
    }

    private static String valueOf(String line) {
        int colon = line.indexOf(": ");
        return colon >= 0 ? line.substring(colon + 2) : line.strip();
    }

    private static String withKey(String line, String key) {
        int colon = line.indexOf(':');
        if (colon < 0) {
            return line;
        }
        int indent = 0;
        while (indent < line.length() && (line.charAt(indent) == ' ' || line.charAt(indent) == '-')) {
            indent++;
        }
        return line.substring(0, indent) + key + line.substring(colon);
    }

    private String quoteOrUnquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return random.nextBoolean() ? "\"" + value + "\"" : "'" + value + "'";
    }
}
