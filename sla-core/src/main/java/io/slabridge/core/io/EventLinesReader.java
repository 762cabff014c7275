package io.slabridge.core.io;

import io.slabridge.core.model.TicketEvent;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a JSON Lines file of ticket events into a {@link TicketHistories}: one event per line, blank lines
 * skipped, a second event with an id already read ignored. Every bad line is reported with its number; the
 * caller decides what a bad line means (replay refuses the whole file).
 *
 * <p>Streams the input through one reused buffer, so memory holds the events, never the file.
 */
public final class EventLinesReader {
    /** Bad lines reported in full; beyond this only their count. */
    public static final int MAX_REPORTED_PROBLEMS = 20;
    private static final int BUFFER = 1 << 20;

    private EventLinesReader() {
    }

    public static TicketHistories read(InputStream in) throws IOException {
        TicketEventJson json = new TicketEventJson();
        Map<String, List<TicketEvent>> byTicket = new HashMap<>();
        Set<String> ids = new HashSet<>();
        List<String> problems = new ArrayList<>();
        int[] counts = new int[3]; // bad lines, events, duplicates
        long[] latest = {Long.MIN_VALUE};
        LineHandler handler = (lineNumber, buf, off, len) -> {
            if (isBlank(buf, off, len)) {
                return;
            }
            TicketEvent e;
            try {
                e = json.read(buf, off, len);
            } catch (InvalidEventException ex) {
                if (++counts[0] <= MAX_REPORTED_PROBLEMS) {
                    problems.add("line " + lineNumber + ": " + ex.getMessage());
                }
                return;
            }
            if (!ids.add(e.id())) {
                counts[2]++;
                return;
            }
            counts[1]++;
            latest[0] = Math.max(latest[0], e.atEpochSecond());
            byTicket.computeIfAbsent(e.ticket(), t -> new ArrayList<>(8)).add(e);
        };
        forEachLine(in, handler);
        if (counts[0] > MAX_REPORTED_PROBLEMS) {
            problems.add("... and " + (counts[0] - MAX_REPORTED_PROBLEMS) + " more bad lines");
        }
        return new TicketHistories(byTicket, counts[1], counts[2], counts[0], latest[0], problems);
    }

    /** Receives each line without its line terminator; line numbers start at 1. */
    @FunctionalInterface
    interface LineHandler {
        void line(int lineNumber, byte[] buf, int offset, int length);
    }

    static void forEachLine(InputStream in, LineHandler handler) throws IOException {
        byte[] buf = new byte[BUFFER];
        int start = 0;
        int end = 0;
        int scan = 0;
        int lineNumber = 0;
        while (true) {
            if (end == buf.length) {
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    end -= start;
                    scan -= start;
                    start = 0;
                } else {
                    buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
                }
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                break;
            }
            end += n;
            for (; scan < end; scan++) {
                if (buf[scan] == '\n') {
                    lineNumber++;
                    emit(handler, lineNumber, buf, start, scan);
                    start = scan + 1;
                }
            }
        }
        if (start < end) {
            emit(handler, ++lineNumber, buf, start, end);
        }
    }

    private static void emit(LineHandler handler, int lineNumber, byte[] buf, int from, int to) {
        if (to > from && buf[to - 1] == '\r') {
            to--;
        }
        if (lineNumber == 1 && to - from >= 3 && (buf[from] & 0xFF) == 0xEF && (buf[from + 1] & 0xFF) == 0xBB
                && (buf[from + 2] & 0xFF) == 0xBF) {
            from += 3; // a UTF-8 byte order mark
        }
        handler.line(lineNumber, buf, from, to - from);
    }

    private static boolean isBlank(byte[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte b = buf[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
