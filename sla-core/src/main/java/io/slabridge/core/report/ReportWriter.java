package io.slabridge.core.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.slabridge.core.io.Instants;
import io.slabridge.core.model.Metric;
import io.slabridge.core.report.ComplianceReport.Breach;
import io.slabridge.core.report.ComplianceReport.Row;
import io.slabridge.core.report.ComplianceReport.Times;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a {@link ComplianceReport} as a text table (for people), CSV (for spreadsheets) or JSON (for
 * programs). Instants are UTC ISO-8601; CSV and JSON give durations in whole seconds, text as {@code 1h30m}.
 */
public final class ReportWriter {
    /** The attributes a breach row shows, after its policy. */
    static final List<Dimension> BREACH_ATTRIBUTES = List.of(Dimension.PRIORITY, Dimension.CHANNEL, Dimension.TIER,
            Dimension.ACCOUNT);

    private ReportWriter() {
    }

    // ---- text --------------------------------------------------------------------------------------------

    /** @param breachLimit breaches listed at most (the total is always given); negative: all */
    public static void text(ComplianceReport r, int breachLimit, PrintWriter out) {
        out.println("SLA compliance report");
        out.println("period:       " + periodText(r));
        out.println("evaluated at: " + r.evaluatedAt());
        out.println("tickets:      " + r.tickets() + (r.by().isEmpty() ? ""
                : "  (by " + String.join(", ", r.by().stream().map(Dimension::wireName).toList()) + ")"));
        out.println();
        out.println("Compliance: cycles met (stopped by their due instant) or breached (the second after it) in the period");
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"group", "metric", "met", "breached", "% met", "breached, open", "open at end"});
        for (Row row : r.rows()) {
            table.add(new String[] {group(row), row.metric().wireName(), Long.toString(row.met()),
                Long.toString(row.breached()), percent(row.metPermille()), Long.toString(row.breachedOpen()),
                Long.toString(row.openAtEnd())});
        }
        table(out, table, "LLRRRRR");
        out.println();
        out.println("Times of cycles stopped in the period: business time as the SLA counts it (pauses excluded), "
                + "and calendar time");
        table = new ArrayList<>();
        table.add(new String[] {"group", "metric", "cycles", "median", "p80", "p90", "calendar median", "calendar p80",
            "calendar p90"});
        for (Row row : r.rows()) {
            if (row.business().count() == 0) {
                continue;
            }
            table.add(new String[] {group(row), row.metric().wireName(), Long.toString(row.business().count()),
                duration(row.business().median()), duration(row.business().p80()), duration(row.business().p90()),
                duration(row.calendar().median()), duration(row.calendar().p80()), duration(row.calendar().p90())});
        }
        if (table.size() == 1) {
            out.println("(no cycle stopped in the period)");
        } else {
            table(out, table, "LLRRRRRRR");
        }
        out.println();
        List<Breach> listed = limit(r.breaches(), breachLimit);
        out.println("Breaches: " + r.breaches().size() + " in the period, the latest first"
                + (listed.size() < r.breaches().size() ? " (the first " + listed.size() + "; --breaches N or all to see more)"
                        : ""));
        if (!listed.isEmpty()) {
            table = new ArrayList<>();
            table.add(new String[] {"ticket", "metric", "cycle", "policy", "priority", "target", "due", "stopped",
                "late (business)", "late (calendar)"});
            for (Breach b : listed) {
                table.add(new String[] {b.ticket(), b.metric().wireName(), Integer.toString(b.cycle()), b.policy(),
                    orNone(b.attribute(Dimension.PRIORITY)), duration(b.targetSeconds()), b.dueAt().toString(),
                    b.stoppedAt() == null ? "open" : b.stoppedAt().toString(), duration(b.lateBusinessSeconds()),
                    duration(b.lateCalendarSeconds())});
            }
            table(out, table, "LLRLLRLLRR");
        }
        r.olas().ifPresent(o -> olaText(o, breachLimit, out));
        out.flush();
    }

    /** The OLA section of the text report (SLA-SPEC section 7): only for a policy file with OLAs. */
    private static void olaText(OlaCompliance o, int breachLimit, PrintWriter out) {
        out.println();
        out.println("OLA compliance: engineering's cycles met or breached in the period (withdrawn: ended by an unlink)");
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"group", "metric", "met", "breached", "% met", "withdrawn"});
        for (OlaCompliance.Row row : o.byOla()) {
            table.add(olaRow("ola " + row.group(), row));
        }
        for (OlaCompliance.Row row : o.byProject()) {
            table.add(olaRow("project " + orNone(row.group()), row));
        }
        if (table.size() == 1) {
            out.println("(no OLA cycle decided in the period)");
        } else {
            table(out, table, "LLRRRR");
        }
        out.println("Customer breaches with a linked OLA: " + o.customerBreachesOlaFirst()
                + " after the OLA was breached, " + o.customerBreachesOlaMet() + " with the OLA met");
        List<OlaCompliance.Breach> listed = limit(o.breaches(), breachLimit);
        if (listed.isEmpty()) {
            return;
        }
        out.println();
        out.println("OLA breaches: " + o.breaches().size() + " in the period, the latest first"
                + (listed.size() < o.breaches().size() ? " (the first " + listed.size() + ")" : ""));
        table = new ArrayList<>();
        table.add(new String[] {"engineering", "customer", "ola", "metric", "cycle", "target", "due", "stopped",
            "late (business)", "late (calendar)"});
        for (OlaCompliance.Breach b : listed) {
            table.add(new String[] {b.engineering(), b.customer(), b.ola(), b.metric().wireName(),
                Integer.toString(b.cycle()), duration(b.targetSeconds()), b.dueAt().toString(),
                b.stoppedAt() == null ? "open" : b.stoppedAt().toString(), duration(b.lateBusinessSeconds()),
                duration(b.lateCalendarSeconds())});
        }
        table(out, table, "LLLLRRLLRR");
    }

    private static String[] olaRow(String group, OlaCompliance.Row row) {
        return new String[] {group, row.metric().wireName(), Long.toString(row.met()), Long.toString(row.breached()),
            percent(row.metPermille()), Long.toString(row.withdrawn())};
    }

    private static String periodText(ComplianceReport r) {
        String from = r.period().fromInstant().map(Instant::toString).orElse("the start of the history");
        String to = r.period().toInstant().map(t -> t + " (excluded)")
                .orElse(r.evaluatedAt() + " (the evaluation instant, included)");
        return from + " to " + to;
    }

    private static String group(Row row) {
        return row.dimension() == null ? "overall" : row.dimension().wireName() + " " + orNone(row.value());
    }

    private static String orNone(String value) {
        return value == null ? "(none)" : value;
    }

    private static String percent(long permille) {
        return permille < 0 ? "-" : permille / 10 + "." + permille % 10 + "%";
    }

    /** {@code 45s}, {@code 30m}, {@code 1h30m}, {@code 26h0m5s}: the way targets are written; {@code -} for none. */
    static String duration(long seconds) {
        if (seconds < 0) {
            return "-";
        }
        if (seconds == 0) {
            return "0s";
        }
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        StringBuilder b = new StringBuilder();
        if (h > 0) {
            b.append(h).append('h');
        }
        if (m > 0 || (h > 0 && s > 0)) {
            b.append(m).append('m');
        }
        if (s > 0) {
            b.append(s).append('s');
        }
        return b.toString();
    }

    /** Columns padded to their widest cell, aligned as {@code align} says per column: L left, R right. */
    private static void table(PrintWriter out, List<String[]> rows, String align) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    line.append("  ");
                }
                String pad = " ".repeat(width[i] - row[i].length());
                line.append(align.charAt(i) == 'L' ? row[i] + pad : pad + row[i]);
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static <T> List<T> limit(List<T> list, int limit) {
        return limit < 0 || limit >= list.size() ? list : list.subList(0, limit);
    }

    // ---- CSV ---------------------------------------------------------------------------------------------

    /** The columns of {@link #csvSummary}. */
    public static final List<String> SUMMARY_COLUMNS = List.of("dimension", "value", "metric", "met", "breached",
            "met_percent", "breached_open", "open_at_end", "stopped", "business_median_seconds",
            "business_p80_seconds", "business_p90_seconds", "calendar_median_seconds", "calendar_p80_seconds",
            "calendar_p90_seconds", "withdrawn");

    /** The columns of {@link #csvBreaches}. */
    public static final List<String> BREACH_COLUMNS = List.of("ticket", "metric", "cycle", "policy", "priority",
            "channel", "tier", "account", "target_seconds", "due_at", "stopped_at", "late_business_seconds",
            "late_calendar_seconds", "kind", "linked_ticket", "linked_ola");

    /**
     * One CSV row per group and metric (RFC 4180, CRLF line ends, a header row): {@code dimension} is
     * {@code overall} for the overall rows, whose {@code value} is empty, as is the value of tickets without one.
     * With OLAs, then the OLA rows: {@code dimension} {@code ola} (value: the OLA's name) and {@code ola_project}
     * (the engineering project), with met, breached, met_percent and withdrawn; and {@code customer_breaches} (value
     * {@code ola_breached_first} or {@code ola_met}), with the customer SLA breaches of that kind in {@code breached}.
     * Cells a row has no figure for are empty ({@code withdrawn} on SLA rows, times on OLA rows).
     */
    public static void csvSummary(ComplianceReport r, PrintWriter out) {
        csvRow(out, SUMMARY_COLUMNS);
        for (Row row : r.rows()) {
            Times b = row.business();
            Times c = row.calendar();
            csvRow(out, List.of(row.dimension() == null ? "overall" : row.dimension().wireName(), nullToEmpty(row.value()),
                    row.metric().wireName(), Long.toString(row.met()), Long.toString(row.breached()),
                    csvPercent(row.metPermille()), Long.toString(row.breachedOpen()), Long.toString(row.openAtEnd()),
                    Long.toString(b.count()), seconds(b.median()), seconds(b.p80()), seconds(b.p90()),
                    seconds(c.median()), seconds(c.p80()), seconds(c.p90()), ""));
        }
        r.olas().ifPresent(o -> olaCsvSummary(o, out));
        out.flush();
    }

    private static void olaCsvSummary(OlaCompliance o, PrintWriter out) {
        for (OlaCompliance.Row row : o.byOla()) {
            olaCsvRow(out, "ola", row);
        }
        for (OlaCompliance.Row row : o.byProject()) {
            olaCsvRow(out, "ola_project", row);
        }
        for (Metric m : Metric.values()) {
            long first = o.customerBreaches().stream().filter(b -> b.metric() == m && b.olaBreachedFirst()).count();
            long met = o.customerBreaches().stream().filter(b -> b.metric() == m && !b.olaBreachedFirst()).count();
            if (first + met > 0) {
                customerBreachCsvRow(out, "ola_breached_first", m, first);
                customerBreachCsvRow(out, "ola_met", m, met);
            }
        }
    }

    private static void olaCsvRow(PrintWriter out, String dimension, OlaCompliance.Row row) {
        csvRow(out, List.of(dimension, nullToEmpty(row.group()), row.metric().wireName(), Long.toString(row.met()),
                Long.toString(row.breached()), csvPercent(row.metPermille()), "", "", "", "", "", "", "", "", "",
                Long.toString(row.withdrawn())));
    }

    private static void customerBreachCsvRow(PrintWriter out, String value, Metric metric, long breached) {
        csvRow(out, List.of("customer_breaches", value, metric.wireName(), "", Long.toString(breached), "", "", "", "",
                "", "", "", "", "", "", ""));
    }

    private static String csvPercent(long permille) {
        return permille < 0 ? "" : permille / 10 + "." + permille % 10;
    }

    /**
     * One CSV row per breach, the latest first; {@code stopped_at} empty while open. {@code kind} is {@code sla};
     * a customer breach with a linked OLA names its engineering tickets in {@code linked_ticket} (space-separated)
     * and says in {@code linked_ola} whether one of those OLAs was breached first ({@code breached_first}) or not
     * ({@code met}). With OLAs, the OLA breaches follow, the latest first, {@code kind} {@code ola}: {@code ticket}
     * the engineering ticket, {@code policy} the OLA, {@code linked_ticket} the customer ticket, the ticket attributes
     * empty. {@code breachLimit} applies to each kind.
     */
    public static void csvBreaches(ComplianceReport r, int breachLimit, PrintWriter out) {
        csvRow(out, BREACH_COLUMNS);
        for (Breach b : limit(r.breaches(), breachLimit)) {
            List<String> cells = new ArrayList<>(List.of(b.ticket(), b.metric().wireName(), Integer.toString(b.cycle()),
                    b.policy()));
            for (Dimension d : BREACH_ATTRIBUTES) {
                cells.add(nullToEmpty(b.attribute(d)));
            }
            OlaCompliance.CustomerBreach handoff = r.olas()
                    .flatMap(o -> o.customerBreach(b.ticket(), b.metric(), b.cycle())).orElse(null);
            cells.addAll(csvLateness(b.targetSeconds(), b.dueAt(), b.stoppedAt(), b.lateBusinessSeconds(),
                    b.lateCalendarSeconds()));
            cells.addAll(List.of("sla",
                    handoff == null ? "" : String.join(" ", handoff.engineering()),
                    handoff == null ? "" : handoff.olaBreachedFirst() ? "breached_first" : "met"));
            csvRow(out, cells);
        }
        for (OlaCompliance.Breach b : r.olas().map(o -> limit(o.breaches(), breachLimit)).orElse(List.of())) {
            List<String> cells = new ArrayList<>(List.of(b.engineering(), b.metric().wireName(),
                    Integer.toString(b.cycle()), b.ola()));
            BREACH_ATTRIBUTES.forEach(d -> cells.add(""));
            cells.addAll(csvLateness(b.targetSeconds(), b.dueAt(), b.stoppedAt(), b.lateBusinessSeconds(),
                    b.lateCalendarSeconds()));
            cells.addAll(List.of("ola", b.customer(), ""));
            csvRow(out, cells);
        }
        out.flush();
    }

    private static List<String> csvLateness(long target, Instant due, Instant stopped, long lateBusiness,
            long lateCalendar) {
        return List.of(Long.toString(target), due.toString(), stopped == null ? "" : stopped.toString(),
                Long.toString(lateBusiness), Long.toString(lateCalendar));
    }

    private static String seconds(long v) {
        return v < 0 ? "" : Long.toString(v);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static void csvRow(PrintWriter out, List<String> cells) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            String cell = cells.get(i);
            if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0) {
                line.append('"').append(cell.replace("\"", "\"\"")).append('"');
            } else {
                line.append(cell);
            }
        }
        out.print(line.append("\r\n"));
    }

    // ---- JSON --------------------------------------------------------------------------------------------

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * One JSON object (pretty-printed): {@code evaluated_at}, {@code period} ({@code from}, {@code to}: null when
     * open), {@code by}, {@code tickets}, {@code compliance} (one object per group and metric) and
     * {@code breaches} ({@code total} and the {@code listed} ones).
     */
    public static void json(ComplianceReport r, int breachLimit, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("evaluated_at", Instants.format(r.evaluatedAt().getEpochSecond()));
            g.writeObjectFieldStart("period");
            instantField(g, "from", r.period().from());
            instantField(g, "to", r.period().to());
            g.writeEndObject();
            g.writeArrayFieldStart("by");
            for (Dimension d : r.by()) {
                g.writeString(d.wireName());
            }
            g.writeEndArray();
            g.writeNumberField("tickets", r.tickets());
            g.writeArrayFieldStart("compliance");
            for (Row row : r.rows()) {
                g.writeStartObject();
                g.writeStringField("dimension", row.dimension() == null ? "overall" : row.dimension().wireName());
                g.writeStringField("value", row.value());
                g.writeStringField("metric", row.metric().wireName());
                g.writeNumberField("met", row.met());
                g.writeNumberField("breached", row.breached());
                g.writeFieldName("met_percent");
                if (row.metPermille() < 0) {
                    g.writeNull();
                } else {
                    g.writeNumber(new java.math.BigDecimal(row.metPermille()).movePointLeft(1));
                }
                g.writeNumberField("breached_open", row.breachedOpen());
                g.writeNumberField("open_at_end", row.openAtEnd());
                times(g, "business_seconds", row.business());
                times(g, "calendar_seconds", row.calendar());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("breaches");
            g.writeNumberField("total", r.breaches().size());
            g.writeArrayFieldStart("listed");
            for (Breach b : limit(r.breaches(), breachLimit)) {
                g.writeStartObject();
                g.writeStringField("ticket", b.ticket());
                g.writeStringField("metric", b.metric().wireName());
                g.writeNumberField("cycle", b.cycle());
                g.writeStringField("policy", b.policy());
                for (Dimension d : BREACH_ATTRIBUTES) {
                    g.writeStringField(d.wireName(), b.attribute(d));
                }
                lateness(g, b.targetSeconds(), b.dueAt(), b.stoppedAt(), b.lateBusinessSeconds(),
                        b.lateCalendarSeconds());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            if (r.olas().isPresent()) {
                olaJson(r.olas().get(), breachLimit, g);
            }
            g.writeEndObject();
        }
        out.write('\n');
        out.flush();
    }

    /** {@code olas}: {@code by_ola} and {@code by_project} rows, and the customer breaches split by the OLA. */
    private static void olaJson(OlaCompliance o, int breachLimit, JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("olas");
        g.writeArrayFieldStart("by_ola");
        for (OlaCompliance.Row row : o.byOla()) {
            olaJsonRow(g, "ola", row);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("by_project");
        for (OlaCompliance.Row row : o.byProject()) {
            olaJsonRow(g, "project", row);
        }
        g.writeEndArray();
        g.writeObjectFieldStart("customer_breaches");
        g.writeNumberField("ola_breached_first", o.customerBreachesOlaFirst());
        g.writeNumberField("ola_met", o.customerBreachesOlaMet());
        g.writeEndObject();
        g.writeObjectFieldStart("breaches");
        g.writeNumberField("total", o.breaches().size());
        g.writeArrayFieldStart("listed");
        for (OlaCompliance.Breach b : limit(o.breaches(), breachLimit)) {
            g.writeStartObject();
            g.writeStringField("engineering", b.engineering());
            g.writeStringField("customer", b.customer());
            g.writeStringField("ola", b.ola());
            g.writeStringField("metric", b.metric().wireName());
            g.writeNumberField("cycle", b.cycle());
            lateness(g, b.targetSeconds(), b.dueAt(), b.stoppedAt(), b.lateBusinessSeconds(), b.lateCalendarSeconds());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    /** A breach's target, due, stop and lateness fields, alike for an SLA's and an OLA's. */
    private static void lateness(JsonGenerator g, long target, Instant due, Instant stopped, long lateBusiness,
            long lateCalendar) throws IOException {
        g.writeNumberField("target_seconds", target);
        instantField(g, "due_at", due);
        instantField(g, "stopped_at", stopped);
        g.writeNumberField("late_business_seconds", lateBusiness);
        g.writeNumberField("late_calendar_seconds", lateCalendar);
    }

    private static void olaJsonRow(JsonGenerator g, String groupField, OlaCompliance.Row row) throws IOException {
        g.writeStartObject();
        if (row.group() == null) {
            g.writeNullField(groupField);
        } else {
            g.writeStringField(groupField, row.group());
        }
        g.writeStringField("metric", row.metric().wireName());
        g.writeNumberField("met", row.met());
        g.writeNumberField("breached", row.breached());
        g.writeNumberField("withdrawn", row.withdrawn());
        g.writeEndObject();
    }

    private static void instantField(JsonGenerator g, String name, Instant at) throws IOException {
        if (at == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, Instants.format(at.getEpochSecond()));
        }
    }

    /** {@code "name": {"cycles": n, "median": s, "p80": s, "p90": s}}, the percentiles null without cycles. */
    private static void times(JsonGenerator g, String name, Times t) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("cycles", t.count());
        nullableSeconds(g, "median", t.median());
        nullableSeconds(g, "p80", t.p80());
        nullableSeconds(g, "p90", t.p90());
        g.writeEndObject();
    }

    private static void nullableSeconds(JsonGenerator g, String name, long v) throws IOException {
        if (v < 0) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, v);
        }
    }
}
