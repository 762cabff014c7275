package io.slabridge.core.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.slabridge.core.escalation.EscalationAction.Visibility;
import io.slabridge.core.io.Instants;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.SummaryState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Write-back payloads as stored in the outbox: small JSON objects, snake_case, instants as UTC text. The same
 * text for the same fields, which is how "the SLA fields changed" is decided.
 */
public final class WriteBackJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WriteBackJson() {
    }

    public static String write(WriteBack w) {
        ObjectNode o = JSON.createObjectNode();
        if (w instanceof WriteBack.SlaFields f) {
            o.put("summary", f.summary().name().toLowerCase(Locale.ROOT));
            o.put("next_due", f.nextDue() == null ? null : Instants.format(f.nextDue().getEpochSecond()));
            ObjectNode due = o.putObject("due");
            for (Metric m : Metric.values()) { // fixed order: equal fields give equal text
                Instant at = f.dueByMetric().get(m);
                if (at != null) {
                    due.put(m.wireName(), Instants.format(at.getEpochSecond()));
                }
            }
            if (f.linked() != null) { // absent on a ticket never linked: its stored fields read as they always did
                WriteBack.Linked l = f.linked();
                ObjectNode linked = o.putObject("linked");
                linked.put("linked_status", l.linkedStatus());
                linked.put("linked_due", instant(l.linkedDue()));
                linked.put("customer_status", l.customerStatus());
                linked.put("customer_due", instant(l.customerDue()));
                linked.put("customer_account", l.customerAccount());
                linked.put("customers_waiting", l.customersWaiting());
            }
        } else if (w instanceof WriteBack.Comment c) {
            o.put("visibility", c.visibility().name().toLowerCase(Locale.ROOT));
            o.put("text", c.text());
        } else if (w instanceof WriteBack.Notify n) {
            n.to().forEach(o.putArray("to")::add);
            o.put("subject", n.subject());
            o.put("text", n.text());
        } else if (w instanceof WriteBack.SetPriority p) {
            o.put("priority", p.priority().wireName());
        } else if (w instanceof WriteBack.Assign a) {
            o.put("to", a.to());
        } else if (w instanceof WriteBack.SlackMessage m) {
            o.put("channel", m.channel());
            o.put("text", m.text());
            writeAlert(o.putObject("alert"), m.alert());
        } else if (w instanceof WriteBack.TeamsMessage m) {
            o.put("webhook", m.webhook());
            o.put("text", m.text());
            writeAlert(o.putObject("alert"), m.alert());
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @throws IllegalArgumentException when the text is not a payload of that kind
     */
    public static WriteBack read(String kind, String json) {
        try {
            JsonNode o = JSON.readTree(json);
            switch (kind) {
                case "sla_fields": {
                    Map<Metric, Instant> due = new EnumMap<>(Metric.class);
                    o.path("due").fields().forEachRemaining(e -> due.put(Metric.fromWire(e.getKey()),
                            Instant.ofEpochSecond(Instants.parseEpochSecond(e.getValue().asText()))));
                    JsonNode next = o.path("next_due");
                    JsonNode l = o.path("linked");
                    WriteBack.Linked linked = l.isObject() ? new WriteBack.Linked(textOrNull(l.path("linked_status")),
                            readInstant(l.path("linked_due")), textOrNull(l.path("customer_status")),
                            readInstant(l.path("customer_due")), textOrNull(l.path("customer_account")),
                            l.path("customers_waiting").asInt(0)) : null;
                    return new WriteBack.SlaFields(SummaryState.valueOf(o.path("summary").asText().toUpperCase(Locale.ROOT)),
                            readInstant(next), due, linked);
                }
                case "comment":
                    return new WriteBack.Comment(Visibility.valueOf(o.path("visibility").asText().toUpperCase(Locale.ROOT)),
                            o.path("text").asText());
                case "notify": {
                    List<String> to = new ArrayList<>();
                    o.path("to").forEach(a -> to.add(a.asText()));
                    return new WriteBack.Notify(to, o.path("subject").asText(), o.path("text").asText());
                }
                case "set_priority":
                    return new WriteBack.SetPriority(Priority.fromWire(o.path("priority").asText()));
                case "assign": {
                    String to = textOrNull(o.path("to"));
                    if (to == null) {
                        throw new IllegalArgumentException("no 'to'");
                    }
                    return new WriteBack.Assign(to);
                }
                case "slack":
                    return new WriteBack.SlackMessage(textOrNull(o.path("channel")), o.path("text").asText(),
                            readAlert(o.path("alert")));
                case "teams":
                    return new WriteBack.TeamsMessage(o.path("webhook").asText(), o.path("text").asText(),
                            readAlert(o.path("alert")));
                default:
                    throw new IllegalArgumentException("unknown write-back kind '" + kind + "'");
            }
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a " + kind + " payload: " + json, e);
        }
    }

    private static String instant(Instant at) {
        return at == null ? null : Instants.format(at.getEpochSecond());
    }

    private static Instant readInstant(JsonNode n) {
        return n.isNull() || n.isMissingNode() ? null : Instant.ofEpochSecond(Instants.parseEpochSecond(n.asText()));
    }

    private static void writeAlert(ObjectNode o, WriteBack.Alert a) {
        o.put("title", a.title());
        o.put("account", a.account());
        o.put("assignee", a.assignee());
        o.put("metric", a.metric().wireName());
        o.put("cycle", a.cycle());
        o.put("policy", a.policy());
        o.put("step", a.step());
        o.put("condition", a.condition());
        o.put("due", a.due() == null ? null : Instants.format(a.due().getEpochSecond()));
        o.put("remaining_seconds", a.remainingSeconds());
    }

    private static WriteBack.Alert readAlert(JsonNode o) {
        if (!o.isObject()) {
            throw new IllegalArgumentException("no alert");
        }
        String due = textOrNull(o.path("due"));
        Metric metric = Metric.fromWire(o.path("metric").asText());
        if (metric == null) {
            throw new IllegalArgumentException("unknown metric " + o.path("metric"));
        }
        return new WriteBack.Alert(textOrNull(o.path("title")), textOrNull(o.path("account")),
                textOrNull(o.path("assignee")), metric, o.path("cycle").asInt(), o.path("policy").asText(),
                o.path("step").asText(), o.path("condition").asText(),
                due == null ? null : Instant.ofEpochSecond(Instants.parseEpochSecond(due)),
                o.path("remaining_seconds").asLong());
    }

    private static String textOrNull(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? null : node.asText();
    }
}
