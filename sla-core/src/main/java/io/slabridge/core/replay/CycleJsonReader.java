package io.slabridge.core.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.slabridge.core.fold.OlaFold;
import io.slabridge.core.io.Instants;
import io.slabridge.core.model.CycleStatus;
import io.slabridge.core.model.LinkSummary;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.MetricCycle;
import io.slabridge.core.model.OlaCycle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads back what {@link CycleJsonWriter} wrote: the cycle lines of SLA-SPEC section 6, as the store keeps
 * each ticket's latest cycles. The next warning instant is not written, so it reads back as none.
 */
public final class CycleJsonReader {
    private static final JsonFactory JSON = new JsonFactory();

    private CycleJsonReader() {
    }

    /**
     * @param jsonLines zero or more cycle lines
     * @throws IllegalArgumentException naming the line and the field that is wrong
     */
    public static List<MetricCycle> read(String jsonLines) {
        List<MetricCycle> cycles = new ArrayList<>();
        eachLine(jsonLines, "cycle line ", line -> cycles.add(line(line)));
        return cycles;
    }

    private interface LineReader {
        void read(String line) throws IOException;
    }

    /** Gives each non-blank line to {@code reader}; a failure becomes one naming the line ({@code what} and number). */
    private static void eachLine(String jsonLines, String what, LineReader reader) {
        String[] lines = jsonLines.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                reader.read(lines[i]);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(what + (i + 1) + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Reads back OLA cycle rows and link summary rows (SLA-SPEC 7.7), as the store keeps a linked ticket's. Escalation
     * steps and the next attention instant are not written, so they read back as none.
     *
     * @param jsonLines zero or more OLA cycle or link summary lines, in any order
     * @throws IllegalArgumentException naming the line and the field that is wrong
     */
    public static OlaFold.Result readOla(String jsonLines) {
        List<OlaCycle> cycles = new ArrayList<>();
        List<LinkSummary> summaries = new ArrayList<>();
        eachLine(jsonLines, "OLA line ", line -> {
            Map<String, String> f = fields(line);
            if (f.containsKey("customers_waiting")) {
                summaries.add(new LinkSummary(required(f, "ticket"), Integer.parseInt(required(f, "customers_waiting")),
                        f.get("most_urgent_customer"), instant(f.get("most_urgent_customer_due_at")), f.get("account"),
                        f.get("tier")));
            } else {
                String stoppedBy = f.get("stopped_by");
                cycles.add(new OlaCycle(required(f, "ticket"), required(f, "customer"), required(f, "ola"),
                        Metric.fromWire(required(f, "metric")), Integer.parseInt(required(f, "cycle")),
                        required(f, "calendar"), Long.parseLong(required(f, "target_seconds")),
                        instant(f.get("started_at")), instant(f.get("due_at")), instant(f.get("stopped_at")),
                        wireStatus(required(f, "status")), Long.parseLong(required(f, "elapsed_seconds")),
                        "true".equals(f.get("at_risk")), instant(f.get("customer_due_at")),
                        stoppedBy == null ? null : OlaCycle.StopCause.valueOf(stoppedBy.toUpperCase(Locale.ROOT))));
            }
        });
        return new OlaFold.Result(cycles, summaries, List.of(), MetricCycle.NONE);
    }

    /** A flat JSON object's fields as text (numbers and booleans as written), null for JSON null. */
    private static Map<String, String> fields(String line) throws IOException {
        Map<String, String> fields = new HashMap<>();
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                fields.put(field, value == JsonToken.VALUE_NULL ? null : p.getText());
                p.skipChildren();
            }
        }
        return fields;
    }

    private static String required(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return value;
    }

    private static long instant(String text) {
        return text == null ? MetricCycle.NONE : Instants.parseEpochSecond(text);
    }

    private static MetricCycle line(String line) throws IOException {
        String ticket = null;
        Metric metric = null;
        int cycle = 0;
        String policy = null;
        String calendar = null;
        long target = 0;
        long started = MetricCycle.NONE;
        long due = MetricCycle.NONE;
        long stopped = MetricCycle.NONE;
        CycleStatus status = null;
        long elapsed = 0;
        boolean atRisk = false;
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "ticket" -> ticket = p.getText();
                    case "metric" -> metric = Metric.fromWire(p.getText());
                    case "cycle" -> cycle = p.getIntValue();
                    case "policy" -> policy = p.getText();
                    case "calendar" -> calendar = p.getText();
                    case "target_seconds" -> target = p.getLongValue();
                    case "started_at" -> started = instant(p, value);
                    case "due_at" -> due = instant(p, value);
                    case "stopped_at" -> stopped = instant(p, value);
                    case "status" -> status = wireStatus(p.getText());
                    case "elapsed_seconds" -> elapsed = p.getLongValue();
                    case "at_risk" -> atRisk = value == JsonToken.VALUE_TRUE;
                    default -> p.skipChildren();
                }
            }
        }
        if (ticket == null || metric == null || status == null || policy == null || calendar == null) {
            throw new IllegalArgumentException("missing or unknown ticket, metric, status, policy or calendar");
        }
        return MetricCycle.of(ticket, metric, cycle, policy, calendar, target, started, due, stopped, status, elapsed,
                atRisk, MetricCycle.NONE);
    }

    private static long instant(JsonParser p, JsonToken value) throws IOException {
        return value == JsonToken.VALUE_NULL ? MetricCycle.NONE : Instants.parseEpochSecond(p.getText());
    }

    private static CycleStatus wireStatus(String text) {
        for (CycleStatus s : CycleStatus.values()) {
            if (s.wireName().equals(text)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown status '" + text + "'");
    }
}
