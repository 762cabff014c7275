package io.slabridge.core.escalation;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values an escalation text may use, as {@code {name}}: {@code {ticket}}, {@code {title}},
 * {@code {metric}}, {@code {cycle}}, {@code {policy}}, {@code {due}} (UTC, ISO-8601), {@code {status}} (the cycle's:
 * running, paused, met, breached), {@code {condition}} (what a reader needs: breached, at risk once a warning is
 * reached, else the status), {@code {remaining}} (e.g. {@code -1h30m}), {@code {step}}. An unknown name is left as written.
 */
public final class StepContext {
    /** The names a template may use, for validating policy files. */
    public static final java.util.Set<String> NAMES = java.util.Set.of("ticket", "title", "metric", "cycle", "policy",
            "due", "status", "condition", "remaining", "step");
    /**
     * Any word in braces, so that validation catches near misses such as {@code {Ticket}} or {@code {due2}};
     * rendering leaves every name outside {@link #NAMES} as written.
     */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private StepContext() {
    }

    /** Fills {@code {name}} placeholders from {@code values}; unknown names stay as written. */
    public static String render(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The placeholder names a template uses that are not among {@link #NAMES}. */
    public static java.util.List<String> unknownNames(String template) {
        java.util.List<String> unknown = new java.util.ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!NAMES.contains(m.group(1))) {
                unknown.add(m.group(1));
            }
        }
        return unknown;
    }
}
