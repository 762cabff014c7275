package io.slabridge.core.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.io.EventLinesReader;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicySet;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The worked OLA cases of SLA-SPEC section 7 (docs/examples/ola, computed by hand in each README): each replays
 * to exactly its expected lines, byte for byte, and so does its history shuffled with every line repeated.
 */
class OlaExamplesTest {
    /** Surefire runs in the module's directory; the examples are the project's docs. */
    private static final Path EXAMPLES = Path.of("..", "docs", "examples", "ola");

    static Stream<Path> examples() throws IOException {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            s.filter(Files::isDirectory).sorted().forEach(dirs::add);
        }
        return dirs.stream();
    }

    @Test
    void everyDecisionOfTheSpecHasAnExample() throws IOException {
        assertTrue(examples().count() >= 7, "examples 000 to 006 of SLA-SPEC 7.6");
    }

    @ParameterizedTest(name = "example {0}")
    @MethodSource("examples")
    void replayPrintsExactlyTheExpectedLines(Path example) throws Exception {
        byte[] events = Files.readAllBytes(example.resolve("events.jsonl"));

        assertEquals(Files.readString(example.resolve("expected.jsonl")), replay(example, events));
    }

    @ParameterizedTest(name = "example {0}")
    @MethodSource("examples")
    void arrivalOrderAndRepeatsDoNotMatter(Path example) throws Exception {
        assertEquals(Files.readString(example.resolve("expected.jsonl")), replay(example, shuffledWithRepeats(example)));
    }

    /** The example's events, every line twice, in an order of its own (the same on every run). */
    static byte[] shuffledWithRepeats(Path example) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(example.resolve("events.jsonl")));
        lines.addAll(List.copyOf(lines));
        Collections.shuffle(lines, new Random(example.getFileName().toString().hashCode()));
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** What {@code replay} prints for the example's policy file and instant, over {@code events}. */
    static String replay(Path example, byte[] events) throws Exception {
        PolicySet policies = PolicyFileParser.parse(example.resolve("policy.yaml"));
        Instant at = Instant.parse(Files.readString(example.resolve("at.txt")).strip());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Replay.of(policies).run(EventLinesReader.read(() -> new ByteArrayInputStream(events)), at, out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
