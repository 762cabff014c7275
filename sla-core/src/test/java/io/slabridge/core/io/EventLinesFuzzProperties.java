package io.slabridge.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.testing.EventChecks;
import io.slabridge.core.testing.JsonMutator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The core's event readers fuzzed: event lines from the replay fixtures, mutated ({@link JsonMutator}: keys
 * deleted, values of other types, nulls, odd Unicode and times, truncation, garbage), some lines joined or split.
 * {@link TicketEventJson} either reads a line into a complete event or refuses it with {@link InvalidEventException}
 * and a reason; {@link EventLinesReader} reads a whole file exactly as reading it line by line would, reporting each
 * bad line by its number and never keeping an event from a bad line.
 */
class EventLinesFuzzProperties {
    private static final List<String> LINES = fixtureLines();
    private static final AtomicLong READ = new AtomicLong();
    private static final AtomicLong REFUSED = new AtomicLong();
    private static final AtomicLong FILES = new AtomicLong();
    private static final AtomicLong BAD_LINES = new AtomicLong();

    private static List<String> fixtureLines() {
        List<String> out = new ArrayList<>();
        for (String dir : List.of("000", "001", "002", "003", "004", "005")) {
            try (InputStream in = EventLinesFuzzProperties.class.getResourceAsStream("/replay/" + dir + "/events.jsonl")) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank()) {
                        out.add(line);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    @Provide
    Arbitrary<String> lines() {
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            JsonMutator mutator = new JsonMutator(random);
            if (random.nextInt(10) == 0) {
                return JsonMutator.write(mutator.randomJson(4));
            }
            return mutator.mutate(mutator.pick(LINES), random.nextBoolean() ? 1 : 3);
        });
    }

    @Property(tries = 10000)
    void aLineIsACompleteEventOrRefusedWithAReason(@ForAll("lines") String line) {
        TicketEvent e;
        try {
            e = new TicketEventJson().read(line);
        } catch (InvalidEventException ex) {
            REFUSED.incrementAndGet();
            assertFalse(ex.getMessage() == null || ex.getMessage().isBlank(), "a refusal says why");
            return;
        }
        READ.incrementAndGet();
        EventChecks.assertComplete(e, "");
    }

    @Provide
    Arbitrary<String> files() {
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            JsonMutator mutator = new JsonMutator(random);
            int start = random.nextInt(LINES.size());
            int count = 1 + random.nextInt(30);
            StringBuilder file = new StringBuilder();
            for (int i = 0; i < count; i++) {
                String line = LINES.get((start + i) % LINES.size());
                switch (random.nextInt(10)) {
                    case 0, 1 -> line = mutator.mutate(line, 2);
                    case 2 -> line = mutator.mutateText(line);
                    case 3 -> line = line + (random.nextBoolean() ? "" : " ") + LINES.get(random.nextInt(LINES.size()));
                    case 4 -> line = random.nextBoolean() ? "" : " \t";
                    case 5 -> line = LINES.get(random.nextInt(LINES.size())); // a repeated event: a duplicate
                    default -> { }
                }
                file.append(line).append(random.nextInt(8) == 0 ? "\r\n" : "\n");
            }
            if (random.nextInt(4) == 0) {
                file.setLength(random.nextInt(file.length() + 1)); // the file cut off anywhere
            }
            return file.toString();
        });
    }

    @Property(tries = 4000)
    void aFileIsReadExactlyAsItsLinesAreAndEveryBadLineIsNamed(@ForAll("files") String file) throws IOException {
        FILES.incrementAndGet();
        byte[] bytes = file.getBytes(StandardCharsets.UTF_8);
        TicketHistories read = EventLinesReader.read(() -> new ByteArrayInputStream(bytes));

        // The oracle: each line on its own, first id wins.
        List<Integer> badLines = new ArrayList<>();
        Map<String, List<TicketEvent>> expected = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        int duplicates = 0;
        String[] lines = file.split("\n", -1);
        int count = file.endsWith("\n") ? lines.length - 1 : lines.length;
        for (int i = 0; i < count; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.chars().allMatch(c -> c == ' ' || c == '\t' || c == '\r')) {
                continue;
            }
            try {
                TicketEvent e = new TicketEventJson().read(line);
                if (ids.add(e.id())) {
                    expected.computeIfAbsent(e.ticket(), t -> new ArrayList<>()).add(e);
                } else {
                    duplicates++;
                }
            } catch (InvalidEventException ex) {
                badLines.add(i + 1);
            }
        }
        BAD_LINES.addAndGet(badLines.size());
        assertEquals(badLines.size(), read.badLines(), () -> "bad lines " + badLines + " in\n" + file + "\n" + read.problems());
        assertEquals(expected, read.byTicket(), () -> "events of\n" + file);
        assertEquals(duplicates, read.duplicates());
        assertEquals(expected.values().stream().mapToInt(List::size).sum(), read.events());
        int reported = Math.min(badLines.size(), EventLinesReader.MAX_REPORTED_PROBLEMS);
        for (int i = 0; i < reported; i++) {
            String problem = read.problems().get(i);
            assertTrue(problem.startsWith("line " + badLines.get(i) + ": ") && problem.length() > ("line " + badLines.get(i)
                    + ": ").length(), () -> "a bad line named by its number with a reason: " + problem);
        }
        read.byTicket().values().forEach(events -> EventChecks.assertAllComplete(events, ""));
    }

    @AfterContainer
    static void tally() {
        System.out.printf("event-lines fuzz: %d single lines (%d read, %d refused); %d files with %d bad lines%n",
                READ.get() + REFUSED.get(), READ.get(), REFUSED.get(), FILES.get(), BAD_LINES.get());
        assertTrue(READ.get() > 0 && REFUSED.get() > 0, "the mutations make both good and bad lines");
    }
}
