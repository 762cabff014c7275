package io.slabridge.connector.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slabridge.core.model.Metric;
import io.slabridge.core.outbox.WriteBack;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;

/**
 * The SLA fields a source shows agents, as the JSON object its record update takes: the summary in the status
 * field, the next due instant and each metric's due instant in their date-time fields. Only configured fields are
 * written; a due instant that is absent clears its field. Immutable.
 */
public final class SlaFieldValues {
    /** How the summary is written: as text, or as a select list's option ({@code {"value": "On track"}}). */
    public enum StatusShape { TEXT, OPTION }

    private final String statusField;
    private final StatusShape statusShape;
    private final String nextDueField;
    private final Map<Metric, String> dueFields;
    private final DateTimeFormatter dateTime;

    /**
     * @param statusField  the summary's field, or null
     * @param nextDueField the next due instant's field, or null
     * @param dueFields    each metric's due instant field (a metric absent has none)
     * @param dateTime     how the source reads a date-time (its zone included)
     */
    public SlaFieldValues(String statusField, StatusShape statusShape, String nextDueField, Map<Metric, String> dueFields,
            DateTimeFormatter dateTime) {
        this.statusField = statusField;
        this.statusShape = Objects.requireNonNull(statusShape, "statusShape");
        this.nextDueField = nextDueField;
        this.dueFields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(dueFields));
        this.dateTime = Objects.requireNonNull(dateTime, "dateTime");
    }

    /** The configured fields and their values; empty when no SLA field is configured. */
    public ObjectNode of(WriteBack.SlaFields sla) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        if (statusField != null) {
            if (statusShape == StatusShape.OPTION) {
                fields.putObject(statusField).put("value", sla.summary().label());
            } else {
                fields.put(statusField, sla.summary().label());
            }
        }
        if (nextDueField != null) {
            putDateTime(fields, nextDueField, sla.nextDue());
        }
        for (Map.Entry<Metric, String> e : dueFields.entrySet()) {
            putDateTime(fields, e.getValue(), sla.dueByMetric().get(e.getKey()));
        }
        return fields;
    }

    private void putDateTime(ObjectNode fields, String field, Instant at) {
        if (at == null) {
            fields.putNull(field);
        } else {
            fields.put(field, dateTime.format(at));
        }
    }
}
