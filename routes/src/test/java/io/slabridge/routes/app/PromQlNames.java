package io.slabridge.routes.app;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression (or a Grafana variable query) reads, so that a test can look for each in a real
 * scrape. Not a PromQL parser: it removes what holds no metric name (strings, label matchers, ranges, grouping label
 * lists, Grafana variables), then keeps the identifiers that are neither followed by {@code (} (functions,
 * aggregations) nor PromQL keywords.
 */
final class PromQlNames {
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^{}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\[\\]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+|\\[\\[\\w+]]");
    /** An identifier not glued to a number or a name before it (so not the "e3" of 1e3, nor the "d" of 1d). */
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*");
    /** Grafana's {@code label_values(metric_or_selector, label)}: only the first argument names a metric. */
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*\\w+\\s*\\)\\s*$",
            Pattern.DOTALL);
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "offset", "bool", "atan2", "sum", "min", "max", "avg", "group", "stddev",
            "stdvar", "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio", "inf", "nan");

    private PromQlNames() {
    }

    /** The metric names in a PromQL expression, in the order they appear. */
    static Set<String> inExpression(String expr) {
        String s = STRING.matcher(expr).replaceAll(" ");
        s = GRAFANA_VARIABLE.matcher(s).replaceAll(" ");
        s = MATCHERS.matcher(s).replaceAll(" ");
        // Subqueries nest a range in a range only through an expression, and ranges hold no brackets: one pass.
        s = RANGE.matcher(s).replaceAll(" ");
        s = GROUPING.matcher(s).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String name = m.group();
            int next = m.end();
            while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
                next++;
            }
            boolean called = next < s.length() && s.charAt(next) == '(';
            if (!called && !KEYWORDS.contains(name.toLowerCase(Locale.ROOT))) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * The metric names in a Grafana Prometheus variable query: {@code label_values(selector, label)} reads the
     * selector's metric; {@code label_values(label)} reads none; {@code query_result(expr)} reads the expression's.
     */
    static Set<String> inVariableQuery(String query) {
        Matcher labelValues = LABEL_VALUES.matcher(query);
        if (labelValues.matches()) {
            return inExpression(labelValues.group(1));
        }
        if (query.strip().startsWith("label_values(")) {
            return Set.of();
        }
        return inExpression(query);
    }
}
