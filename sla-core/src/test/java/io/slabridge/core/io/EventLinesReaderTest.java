package io.slabridge.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.TicketEvent;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading a JSON Lines file of ticket events (SLA-SPEC sections 1 and 6). */
class EventLinesReaderTest {
    private static final String TYPES = "(types: created, customer_message, agent_reply, internal_note, status_changed, "
            + "priority_changed, attributes_changed, linked, unlinked)";

    @TempDir
    Path dir;

    // ---- events in, histories out -------------------------------------------------------------------

    @Test
    void groupsEventsByTicketInFileOrder() throws IOException {
        TicketHistories h = read(
                created("a1", "jira:SUP-1", "2026-03-02T09:00:00Z"),
                created("b1", "jira:SUP-2", "2026-03-02T09:05:00Z"),
                event("a2", "jira:SUP-1", "2026-03-02T11:00:00Z", "customer_message"),
                event("a3", "jira:SUP-1", "2026-03-02T10:00:00Z", "agent_reply")); // arrives late: kept in file order

        assertEquals(List.of("a1", "a2", "a3"), ids(h, "jira:SUP-1"));
        assertEquals(List.of("b1"), ids(h, "jira:SUP-2"));
        assertEquals(2, h.byTicket().size());
        assertEquals(4, h.events());
        assertEquals(0, h.duplicates());
        assertEquals(0, h.badLines());
        assertEquals(List.of(), h.problems());
        assertEquals(Optional.of(Instant.parse("2026-03-02T11:00:00Z")), h.latestAt(), "the latest at, not the last line's");
    }

    @Test
    void emptyAndBlankFilesHaveNoEvents() throws IOException {
        for (String text : List.of("", "\n", "  \n\t\n\r\n")) {
            TicketHistories h = EventLinesReader.read(write(text));

            assertEquals(0, h.events());
            assertEquals(Optional.empty(), h.latestAt());
            assertEquals(List.of(), h.problems());
            assertTrue(h.byTicket().isEmpty());
        }
    }

    // ---- bad lines ----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "LF, '', LF",
            "CRLF, '', CRLF",
            "BOM and LF, BOM, LF",
            "BOM and CRLF, BOM, CRLF",
    })
    void badLinesAreNumberedExactly(String name, String bom, String eol) throws IOException {
        String nl = eol.equals("CRLF") ? "\r\n" : "\n";
        String text = (bom.equals("BOM") ? "\uFEFF" : "")
                + created("a1", "t", "2026-03-02T09:00:00Z") + nl             // line 1
                + nl                                                          // line 2
                + "   " + nl                                                  // line 3
                + event("a2", "t", "2026-03-02T10:00:00Z", "reopened") + nl   // line 4
                + event("a3", "t", "2026-03-02T11:00:00Z", "agent_reply") + nl // line 5
                + nl                                                          // line 6
                + "this is not json" + nl                                     // line 7
                + "{\"id\":\"a4\",\"ticket\":\"t\",\"type\":\"agent_reply\"}" + nl // line 8
                + event("a5", "t", "2026-03-02T12:00:00Z", "agent_reply");    // line 9, no line break at the end

        TicketHistories h = EventLinesReader.read(write(text));

        assertEquals(3, h.badLines());
        assertEquals(3, h.problems().size(), () -> h.problems().toString());
        assertEquals("line 4: unknown type 'reopened' " + TYPES, h.problems().get(0));
        assertTrue(h.problems().get(1).startsWith("line 7: not JSON: Unrecognized token 'this'"), h.problems().get(1));
        assertEquals("line 8: missing field 'at'", h.problems().get(2));
        assertEquals(List.of("a1", "a3", "a5"), ids(h, "t"));
        assertEquals(Optional.of(Instant.parse("2026-03-02T12:00:00Z")), h.latestAt());
    }

    @Test
    void byteOrderMarkIsNotPartOfTheFirstLine() throws IOException {
        TicketHistories h = EventLinesReader.read(write("\uFEFF{\"id\":\"a1\",\"ticket\":\"t\",\"at\":\"2026-03-02T09:00:00Z\"}\n"
                + created("a2", "t", "2026-03-02T09:00:00Z") + "\n"));

        assertEquals(List.of("line 1: missing field 'type'"), h.problems(), "the object was read, the BOM skipped");
        assertEquals(List.of("a2"), ids(h, "t"));
    }

    @Test
    void twoObjectsOnOneLineAndOneObjectOverTwoLinesAreBad() throws IOException {
        String one = created("a1", "t", "2026-03-02T09:00:00Z");
        String[] split = event("a3", "t", "2026-03-02T10:00:00Z", "agent_reply").split(",", 2);

        TicketHistories h = read(
                one,                                                          // line 1
                event("a2", "t", "2026-03-02T09:30:00Z", "agent_reply") + " " + one, // line 2
                split[0] + ",",                                               // line 3
                split[1]);                                                    // line 4

        assertEquals(3, h.badLines());
        assertEquals("line 2: more than one JSON value on the line", h.problems().get(0));
        assertTrue(h.problems().get(1).startsWith("line 3: not JSON"), h.problems().get(1));
        assertEquals("line 4: not a JSON object", h.problems().get(2), "it starts with a string");
        assertEquals(List.of("a1"), ids(h, "t"));
    }

    @Test
    void twentyBadLinesAreReportedInFull() throws IOException {
        TicketHistories h = read(alternatingGoodAndBad(20));

        assertEquals(20, h.badLines());
        assertEquals(20, h.problems().size());
        assertEquals("line 40: unknown type 'bogus' " + TYPES, h.problems().get(19));
    }

    @Test
    void beyondTwentyBadLinesOnlyTheirCountIsReported() throws IOException {
        TicketHistories h = read(alternatingGoodAndBad(25));

        assertEquals(25, h.badLines());
        assertEquals(25, h.events());
        assertEquals(21, h.problems().size());
        List<String> expected = new ArrayList<>();
        for (int line = 2; line <= 40; line += 2) {
            expected.add("line " + line + ": unknown type 'bogus' " + TYPES);
        }
        expected.add("... and 5 more bad lines");
        assertEquals(expected, h.problems());
    }

    /** Odd lines good, even lines with an unknown type: {@code bad} of each. */
    private static String[] alternatingGoodAndBad(int bad) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < bad; i++) {
            lines.add(event("good" + i, "t", "2026-03-02T09:00:00Z", "customer_message"));
            lines.add(event("bad" + i, "t", "2026-03-02T09:00:00Z", "bogus"));
        }
        return lines.toArray(new String[0]);
    }

    @Test
    void lineLongerThanTheReadBufferDoesNotShiftTheLinesAfterIt() throws IOException {
        String title = "x".repeat(3 << 20); // 3 MiB, more than the reader's 1 MiB buffer
        String longLine = "{\"id\":\"long\",\"ticket\":\"t\",\"at\":\"2026-03-02T09:00:00Z\",\"type\":\"created\","
                + "\"priority\":\"low\",\"status\":\"open\",\"title\":\"" + title + "\"}";

        TicketHistories h = read(longLine, "", "{\"id\":\"x\"}", longLine.replace("\"long\"", "\"long2\""), "[]");

        assertEquals(List.of("line 3: missing field 'type'", "line 5: not a JSON object"), h.problems());
        assertEquals(List.of("long", "long2"), ids(h, "t"));
        assertEquals(title.length(), h.byTicket().get("t").get(0).title().length());
    }

    // ---- duplicates ---------------------------------------------------------------------------------

    @Test
    void firstEventWithAnIdWinsAndRepeatsAreCounted() throws IOException {
        TicketHistories h = read(
                created("a1", "t1", "2026-03-02T09:00:00Z"),
                event("a2", "t1", "2026-03-02T09:30:00Z", "customer_message"),
                event("a1", "t1", "2026-03-09T10:00:00Z", "agent_reply"),      // same id, other content
                event("a2", "t2", "2026-03-02T09:45:00Z", "agent_reply"),      // same id on another ticket
                created("a1", "t1", "2026-03-02T09:00:00Z"));                  // an exact repeat

        assertEquals(3, h.duplicates());
        assertEquals(2, h.events());
        assertEquals(0, h.badLines());
        List<TicketEvent> t1 = h.byTicket().get("t1");
        assertEquals(List.of("a1", "a2"), ids(h, "t1"));
        assertEquals(EventType.CREATED, t1.get(0).type());
        assertEquals(Instant.parse("2026-03-02T09:00:00Z"), t1.get(0).at());
        assertEquals(EventType.CUSTOMER_MESSAGE, t1.get(1).type());
        assertNull(h.byTicket().get("t2"), "t2 had only an ignored repeat");
        assertEquals(Optional.of(Instant.parse("2026-03-02T09:30:00Z")), h.latestAt(), "an ignored repeat has no say");
    }

    @Test
    void readsFromASourceAndOpensItAgainToNameBadLines() throws IOException {
        byte[] bytes = String.join("\n", created("a1", "t", "2026-03-02T09:00:00Z"), "{").getBytes(StandardCharsets.UTF_8);
        AtomicInteger opened = new AtomicInteger();

        TicketHistories h = EventLinesReader.read(() -> {
            opened.incrementAndGet();
            return new ByteArrayInputStream(bytes);
        });

        assertEquals(1, h.badLines());
        assertTrue(h.problems().get(0).startsWith("line 2: not JSON"), h.problems().get(0));
        assertEquals(List.of("a1"), ids(h, "t"));
        assertTrue(opened.get() <= 2, "opened at most twice");
    }

    // ---- files of 8 MiB and more are read in two halves ---------------------------------------------

    private static final int LARGE_LINES = 70_000;
    private static final long PARALLEL_THRESHOLD = 8L << 20;

    /**
     * A file of {@link #LARGE_LINES} lines of equal length, so that line 101 is in the first half and
     * line 69,990 in the second: the same id on both, the first at 10:00, the repeat three days later.
     * Every other event is at 09:00 on ticket {@code jira:T-(i % 500)}.
     */
    private Path largeFileWithARepeatAcrossTheHalves() throws IOException {
        return writeLarge(line -> {
            if (line == 101) {
                return event("dup", "jira:T-DUP", "2026-03-02T10:00:00Z", "customer_message");
            }
            if (line == 69_990) {
                return event("dup", "jira:T-DUP", "2026-03-05T10:00:00Z", "agent_reply");
            }
            if (line == 69_995) {
                return event("tail", "jira:T-DUP", "2026-03-02T09:00:00Z", "agent_reply");
            }
            return null;
        });
    }

    @Test
    void largeFileFirstOccurrenceWinsAcrossTheHalves() throws IOException {
        Path file = largeFileWithARepeatAcrossTheHalves();

        TicketHistories h = EventLinesReader.read(file);

        assertEquals(1, h.duplicates());
        assertEquals(LARGE_LINES - 1, h.events());
        assertEquals(0, h.badLines());
        List<TicketEvent> dup = h.byTicket().get("jira:T-DUP");
        assertEquals(List.of("dup", "tail"), ids(h, "jira:T-DUP"));
        assertEquals(EventType.CUSTOMER_MESSAGE, dup.get(0).type());
        assertEquals(Instant.parse("2026-03-02T10:00:00Z"), dup.get(0).at());
        // The same as reading it in one piece.
        TicketHistories whole = EventLinesReader.read(() -> Files.newInputStream(file));
        assertEquals(whole.byTicket(), h.byTicket());
        assertEquals(whole.duplicates(), h.duplicates());
    }

    @Test
    void largeFileLatestAtIgnoresARepeatInTheSecondHalf() throws IOException {
        TicketHistories h = EventLinesReader.read(largeFileWithARepeatAcrossTheHalves());

        assertEquals(Optional.of(Instant.parse("2026-03-02T10:00:00Z")), h.latestAt());
    }

    @Test
    void largeFileBadLineNearTheEndIsReportedWithItsLineNumber() throws IOException {
        Path file = writeLarge(line -> line == 69_998 ? event("bad", "jira:T-1", "2026-03-02T09:00:00Z", "escalated") : null);

        TicketHistories h = EventLinesReader.read(file);

        assertEquals(List.of("line 69998: unknown type 'escalated' " + TYPES), h.problems());
        assertEquals(1, h.badLines());
        assertEquals(LARGE_LINES - 1, h.events());
        assertEquals(Optional.of(Instant.parse("2026-03-02T09:00:00Z")), h.latestAt());
    }

    @Test
    void largeFileBadLinesInBothHalvesAreReported() throws IOException {
        Path file = writeLarge(line -> line == 3 || line == 69_999 ? "{\"id\":\"x" + line + "\"" : null);

        TicketHistories h = EventLinesReader.read(file);

        assertEquals(2, h.badLines());
        assertTrue(h.problems().get(0).startsWith("line 3: not JSON"), h.problems().get(0));
        assertTrue(h.problems().get(1).startsWith("line 69999: not JSON"), h.problems().get(1));
    }

    /** Writes {@link #LARGE_LINES} lines: {@code special} line's text where it gives one, a plain event elsewhere. */
    private Path writeLarge(IntFunction<String> special) throws IOException {
        Path file = dir.resolve("large.jsonl");
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int line = 1; line <= LARGE_LINES; line++) {
                String text = special.apply(line);
                w.write(text != null ? text : event(String.format("e%06d", line), "jira:T-" + (line % 500),
                        "2026-03-02T09:00:00Z", "customer_message"));
                w.write('\n');
            }
        }
        assertTrue(Files.size(file) > PARALLEL_THRESHOLD + (1 << 20), "the file must be large enough to be read in halves");
        return file;
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static String created(String id, String ticket, String at) {
        return "{\"id\":\"" + id + "\",\"ticket\":\"" + ticket + "\",\"at\":\"" + at
                + "\",\"type\":\"created\",\"priority\":\"normal\",\"status\":\"open\"}";
    }

    /** An event of {@code type} with a title that pads lines to about 150 bytes. */
    private static String event(String id, String ticket, String at, String type) {
        return "{\"id\":\"" + id + "\",\"ticket\":\"" + ticket + "\",\"at\":\"" + at + "\",\"type\":\"" + type
                + "\",\"title\":\"The printer on the third floor is on fire again\"}";
    }

    private TicketHistories read(String... lines) throws IOException {
        return EventLinesReader.read(write(String.join("\n", lines) + "\n"));
    }

    private Path write(String text) throws IOException {
        Path file = Files.createTempFile(dir, "events", ".jsonl");
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private static List<String> ids(TicketHistories h, String ticket) {
        return h.byTicket().get(ticket).stream().map(TicketEvent::id).collect(Collectors.toList());
    }
}
