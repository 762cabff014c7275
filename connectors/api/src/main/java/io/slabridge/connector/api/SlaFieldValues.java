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
    private final LinkedFieldIds linked;

    /**
     * The fields showing a linked ticket's clock (SLA-SPEC section 7, issue 16), each null when not written: on a
     * customer ticket engineering's OLA state (text) and due (date-time); on an engineering ticket the most urgent
     * customer's SLA state (text), due (date-time), account (text) and how many customers wait (number).
     */
    public record LinkedFieldIds(String linkedStatus, String linkedDue, String customerStatus, String customerDue,
            String customerAccount, String customersWaiting) {
        public static final LinkedFieldIds NONE = new LinkedFieldIds(null, null, null, null, null, null);
    }

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
        this.linked = LinkedFieldIds.NONE;
    }

    private SlaFieldValues(SlaFieldValues base, LinkedFieldIds linked) {
        this.statusField = base.statusField;
        this.statusShape = base.statusShape;
        this.nextDueField = base.nextDueField;
        this.dueFields = base.dueFields;
        this.dateTime = base.dateTime;
        this.linked = Objects.requireNonNull(linked, "linked");
    }

    /** These fields and the linked tickets' fields {@code ids}, written in the same update. */
    public SlaFieldValues withLinked(LinkedFieldIds ids) {
        return new SlaFieldValues(this, ids);
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
        // A ticket no longer linked (or never) has its linked fields cleared: a stale "ENG-42 At risk" misleads.
        WriteBack.Linked l = sla.linked() == null ? new WriteBack.Linked(null, null, null, null, null, 0) : sla.linked();
        putText(fields, linked.linkedStatus(), l.linkedStatus());
        if (linked.linkedDue() != null) {
            putDateTime(fields, linked.linkedDue(), l.linkedDue());
        }
        putText(fields, linked.customerStatus(), l.customerStatus());
        if (linked.customerDue() != null) {
            putDateTime(fields, linked.customerDue(), l.customerDue());
        }
        putText(fields, linked.customerAccount(), l.customerAccount());
        if (linked.customersWaiting() != null) {
            if (l.customersWaiting() == 0) {
                fields.putNull(linked.customersWaiting());
            } else {
                fields.put(linked.customersWaiting(), l.customersWaiting());
            }
        }
        return fields;
    }

    private static void putText(ObjectNode fields, String field, String text) {
        if (field != null) {
            fields.put(field, text); // null clears
        }
    }

    private void putDateTime(ObjectNode fields, String field, Instant at) {
        if (at == null) {
            fields.putNull(field);
        } else {
            fields.put(field, dateTime.format(at));
        }
    }
}
