package io.slabridge.core.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.slabridge.core.model.TicketEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a JSON Lines file of ticket events into {@link TicketHistories}: one event per line, blank lines
 * skipped, an event whose id was already read ignored (the first one read wins). Every bad line is reported
 * with its number; the caller decides what a bad line means (replay refuses the whole file).
 *
 * <p>Two passes when needed, one when not: the input is first read with streaming parsers, which is
 * fast; if anything is wrong with it (a line that does not parse, an event that does not check, two
 * objects on one line or one object over several lines), it is read again line by line to name every bad
 * line exactly. Memory holds the events, never the file.
 */
public final class EventLinesReader {
    /** Bad lines reported in full; beyond this only their count. */
    public static final int MAX_REPORTED_PROBLEMS = 20;
    private static final int BUFFER = 1 << 20;
    /** Files from this size on are read in two parallel halves. */
    private static final long PARALLEL_THRESHOLD = 8L << 20;

    /** Opens the input; called once, or twice when the input has problems. */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    private EventLinesReader() {
    }

    /**
     * Reads a file. A large file is first read as two halves in parallel (split at a line break), each
     * with one streaming parser; the halves are then joined in file order, so "the first one read wins"
     * still means the first in the file.
     */
    public static TicketHistories read(Path file) throws IOException {
        long size = Files.size(file);
        if (size < PARALLEL_THRESHOLD) {
            return read(() -> Files.newInputStream(file));
        }
        long middle = lineStartAfter(file, size / 2);
        CompletableFuture<Collector> second = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = slice(file, middle, size)) {
                return collect(readStreaming(in, new TicketEventJson()));
            } catch (IOException e) {
                return null;
            }
        });
        Collector first;
        try (InputStream in = slice(file, 0, middle)) {
            first = collect(readStreaming(in, new TicketEventJson()));
        }
        Collector rest = second.join();
        if (first == null || rest == null) {
            return readExactly(() -> Files.newInputStream(file));
        }
        first.absorb(rest);
        return first.result();
    }

    private static Collector collect(List<TicketEvent> events) {
        if (events == null) {
            return null;
        }
        Collector c = new Collector(events.size());
        events.forEach(c::accept);
        return c;
    }

    public static TicketHistories read(Source source) throws IOException {
        List<TicketEvent> events;
        try (InputStream in = source.open()) {
            events = readStreaming(in, new TicketEventJson());
        }
        if (events == null) {
            return readExactly(source);
        }
        return collect(events).result();
    }

    private static TicketHistories readExactly(Source source) throws IOException {
        Collector exact = new Collector(1 << 12);
        try (InputStream in = source.open()) {
            readLineByLine(in, exact);
        }
        return exact.result();
    }

    /**
     * One parser over the whole input: the events in input order, or null as soon as anything needs the
     * exact, line-by-line pass.
     */
    private static List<TicketEvent> readStreaming(InputStream in, TicketEventJson json) {
        List<TicketEvent> events = new ArrayList<>(1 << 12);
        try (JsonParser p = TicketEventJson.JSON.createParser(in)) {
            int previousEndLine = 0;
            JsonToken token;
            while ((token = p.nextToken()) != null) {
                int line = p.currentTokenLocation().getLineNr();
                if (token != JsonToken.START_OBJECT || line <= previousEndLine) {
                    return null;
                }
                TicketEvent e = json.readObject(p);
                int endLine = p.currentTokenLocation().getLineNr();
                if (endLine != line) {
                    return null;
                }
                previousEndLine = endLine;
                events.add(e);
            }
            return events;
        } catch (IOException | InvalidEventException e) {
            return null;
        }
    }

    /** The offset just after the first line break at or after {@code from}, or the file size. */
    private static long lineStartAfter(Path file, long from) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            long pos = from;
            while (true) {
                buf.clear();
                int n = ch.read(buf, pos);
                if (n <= 0) {
                    return ch.size();
                }
                for (int i = 0; i < n; i++) {
                    if (buf.get(i) == '\n') {
                        return pos + i + 1;
                    }
                }
                pos += n;
            }
        }
    }

    /** The bytes {@code [from, to)} of a file as a stream. */
    private static InputStream slice(Path file, long from, long to) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        ch.position(from);
        InputStream whole = Channels.newInputStream(ch);
        return new InputStream() {
            private long left = to - from;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = whole.read();
                if (b >= 0) {
                    left--;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = whole.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                whole.close();
            }
        };
    }

    private static void readLineByLine(InputStream in, Collector sink) throws IOException {
        TicketEventJson json = new TicketEventJson();
        forEachLine(in, (lineNumber, buf, off, len) -> {
            if (isBlank(buf, off, len)) {
                return;
            }
            try {
                sink.accept(json.read(buf, off, len));
            } catch (InvalidEventException ex) {
                sink.problem(lineNumber, ex.getMessage());
            }
        });
    }

    /** Gathers what either pass reads. */
    private static final class Collector {
        final IdSet ids;
        final Map<String, List<TicketEvent>> byTicket;

        /** @param expectedEvents a guess that sizes the tables, so that they need not grow while reading */
        Collector(int expectedEvents) {
            ids = new IdSet(expectedEvents);
            byTicket = new HashMap<>(Math.max(16, expectedEvents / 4));
        }

        final List<String> problems = new ArrayList<>();
        int badLines;
        int events;
        int duplicates;
        long latest = Long.MIN_VALUE;

        void accept(TicketEvent e) {
            if (!ids.add(e.id())) {
                duplicates++;
                return;
            }
            events++;
            latest = Math.max(latest, e.atEpochSecond());
            byTicket.computeIfAbsent(e.ticket(), t -> new ArrayList<>(12)).add(e);
        }

        /**
         * Takes in what was read from the part of the file after this one: an event whose id this part
         * already had is a repeat; the rest join their tickets' lists after this part's events.
         */
        void absorb(Collector later) {
            duplicates += later.duplicates;
            later.byTicket.forEach((ticket, events) -> {
                List<TicketEvent> mine = null;
                for (TicketEvent e : events) {
                    if (ids.contains(e.id())) {
                        duplicates++;
                        continue;
                    }
                    if (mine == null) {
                        mine = byTicket.computeIfAbsent(ticket, t -> new ArrayList<>(events.size()));
                    }
                    mine.add(e);
                    this.events++;
                    latest = Math.max(latest, e.atEpochSecond()); // only kept events count, not dropped repeats
                }
            });
        }

        void problem(int lineNumber, String message) {
            if (++badLines <= MAX_REPORTED_PROBLEMS) {
                problems.add("line " + lineNumber + ": " + message);
            }
        }

        TicketHistories result() {
            if (badLines > MAX_REPORTED_PROBLEMS) {
                problems.add("... and " + (badLines - MAX_REPORTED_PROBLEMS) + " more bad lines");
            }
            return new TicketHistories(byTicket, events, duplicates, badLines, latest, problems);
        }
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
