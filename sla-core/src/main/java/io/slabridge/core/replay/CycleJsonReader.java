package io.slabridge.core.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.slabridge.core.io.Instants;
import io.slabridge.core.model.CycleStatus;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.MetricCycle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

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
        String[] lines = jsonLines.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                cycles.add(line(lines[i]));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("cycle line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return cycles;
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
