package io.slabridge.core.replay;

import io.slabridge.core.model.LinkSummary;
import io.slabridge.core.model.MetricCycle;
import io.slabridge.core.model.OlaCycle;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/**
 * Writes metric cycles as the JSON lines of SLA-SPEC section 6, fields in the spec's order.
 *
 * <p>Written by hand into a byte buffer rather than through a JSON generator: replay prints hundreds of
 * thousands of rows, all of one fixed shape. Strings are escaped as JSON requires and written as UTF-8.
 */
public final class CycleJsonWriter implements Closeable {
    private final OutputStream out;
    private byte[] buf;
    private int len;

    /** @param out receives UTF-8 JSON lines; flushed on {@link #close()}, not closed */
    public CycleJsonWriter(OutputStream out) {
        this(out, 1 << 16);
    }

    /**
     * @param out        receives UTF-8 JSON lines; flushed on {@link #close()}, not closed
     * @param bufferSize bytes buffered before they go to {@code out} (it grows for a longer row): 64 KiB suits
     *                   replay's hundreds of thousands of rows, a few KiB one ticket's cycles
     */
    public CycleJsonWriter(OutputStream out, int bufferSize) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be positive, got " + bufferSize);
        }
        this.out = out;
        this.buf = new byte[bufferSize];
    }

    public void write(MetricCycle c) throws IOException {
        if (buf.length - len < 1024) {
            flushBuffer();
        }
        ascii("{\"ticket\":");
        string(c.ticket());
        ascii(",\"metric\":\"");
        ascii(c.metric().wireName());
        ascii("\",\"cycle\":");
        number(c.cycle());
        ascii(",\"policy\":");
        string(c.policy());
        ascii(",\"calendar\":");
        string(c.calendar());
        ascii(",\"target_seconds\":");
        number(c.targetSeconds());
        ascii(",\"started_at\":");
        instant(c.startedAtEpochSecond());
        ascii(",\"due_at\":");
        instant(c.dueAtEpochSecond());
        ascii(",\"stopped_at\":");
        instant(c.stoppedAtEpochSecond());
        ascii(",\"status\":\"");
        ascii(c.status().wireName());
        ascii("\",\"elapsed_seconds\":");
        number(c.elapsedSeconds());
        ascii(",\"remaining_seconds\":");
        number(c.remainingSeconds());
        ascii(c.atRisk() ? ",\"at_risk\":true}\n" : ",\"at_risk\":false}\n");
    }

    /** An OLA cycle row of SLA-SPEC 7.7: the SLA row's fields, with {@code customer}, {@code ola} and two more. */
    public void write(OlaCycle c) throws IOException {
        if (buf.length - len < 1024) {
            flushBuffer();
        }
        ascii("{\"ticket\":");
        string(c.engineering());
        ascii(",\"customer\":");
        string(c.customer());
        ascii(",\"ola\":");
        string(c.ola());
        ascii(",\"metric\":\"");
        ascii(c.metric().wireName());
        ascii("\",\"cycle\":");
        number(c.cycle());
        ascii(",\"calendar\":");
        string(c.calendar());
        ascii(",\"target_seconds\":");
        number(c.targetSeconds());
        ascii(",\"started_at\":");
        instant(c.startedAt());
        ascii(",\"due_at\":");
        instant(c.dueAt());
        ascii(",\"stopped_at\":");
        instant(c.stoppedAt());
        ascii(",\"status\":\"");
        ascii(c.status().wireName());
        ascii("\",\"elapsed_seconds\":");
        number(c.elapsedSeconds());
        ascii(",\"remaining_seconds\":");
        number(c.remainingSeconds());
        ascii(c.atRisk() ? ",\"at_risk\":true" : ",\"at_risk\":false");
        ascii(",\"customer_due_at\":");
        instant(c.customerDueAt());
        ascii(",\"stopped_by\":");
        if (c.stoppedBy() == null) {
            ascii("null}\n");
        } else {
            ascii("\"" + c.stoppedBy().wireName() + "\"}\n");
        }
    }

    /** A link summary row of SLA-SPEC 7.7. */
    public void write(LinkSummary s) throws IOException {
        if (buf.length - len < 1024) {
            flushBuffer();
        }
        ascii("{\"ticket\":");
        string(s.engineering());
        ascii(",\"customers_waiting\":");
        number(s.customersWaiting());
        ascii(",\"most_urgent_customer\":");
        nullableString(s.mostUrgentCustomer());
        ascii(",\"most_urgent_customer_due_at\":");
        instant(s.mostUrgentCustomerDueAt());
        ascii(",\"account\":");
        nullableString(s.account());
        ascii(",\"tier\":");
        nullableString(s.tier());
        ascii("}\n");
    }

    private void nullableString(String s) {
        if (s == null) {
            ascii("null");
        } else {
            string(s);
        }
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void number(long v) {
        ascii(Long.toString(v));
    }

    /** UTC {@code "YYYY-MM-DDTHH:MM:SSZ"}, or null. */
    private void instant(long epochSecond) {
        if (epochSecond == MetricCycle.NONE) {
            ascii("null");
            return;
        }
        ensure(22);
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(epochSecond, 86_400L));
        int secs = (int) Math.floorMod(epochSecond, 86_400L);
        buf[len++] = '"';
        digits(date.getYear(), 4);
        buf[len++] = '-';
        digits(date.getMonthValue(), 2);
        buf[len++] = '-';
        digits(date.getDayOfMonth(), 2);
        buf[len++] = 'T';
        digits(secs / 3600, 2);
        buf[len++] = ':';
        digits(secs / 60 % 60, 2);
        buf[len++] = ':';
        digits(secs % 60, 2);
        buf[len++] = 'Z';
        buf[len++] = '"';
    }

    private void digits(int value, int width) {
        for (int i = len + width - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        len += width;
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped; UTF-8. */
    private void string(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\') {
                byte[] utf8 = escaped(s).getBytes(StandardCharsets.UTF_8);
                ensure(utf8.length);
                System.arraycopy(utf8, 0, buf, len, utf8.length);
                len += utf8.length;
                return;
            }
        }
        ensure(s.length() + 2);
        buf[len++] = '"';
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
        buf[len++] = '"';
    }

    /** The slow, general path: the JSON literal as a Java string. */
    static String escaped(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8).append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"' || ch == '\\') {
                b.append('\\').append(ch);
            } else if (ch < 0x20) {
                b.append(String.format("\\u%04x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return b.append('"').toString();
    }

    private void ensure(int room) {
        if (buf.length - len < room) {
            byte[] bigger = new byte[Math.max(buf.length * 2, len + room)];
            System.arraycopy(buf, 0, bigger, 0, len);
            buf = bigger;
        }
    }

    private void flushBuffer() throws IOException {
        out.write(buf, 0, len);
        len = 0;
    }

    @Override
    public void close() throws IOException {
        flushBuffer();
        out.flush();
    }
}
