package io.slabridge.core.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicySet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The worked cases of the spec (copied from the shared examples into test resources): each scenario's
 * policy, events and evaluation instant must replay to exactly its expected rows.
 */
class SpecExamplesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> scenarios() throws IOException, URISyntaxException {
        Path root = Path.of(SpecExamplesTest.class.getResource("/replay").toURI());
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(Files::isDirectory).sorted().forEach(dirs::add);
        }
        return dirs.stream();
    }

    @ParameterizedTest(name = "scenario {0}")
    @MethodSource("scenarios")
    void replayMatchesExpectedRows(Path scenario) throws Exception {
        PolicySet policies = PolicyFileParser.parse(scenario.resolve("policy.yaml"));
        Instant at = Instant.parse(Files.readString(scenario.resolve("at.txt")).strip());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Replay.of(policies).run(scenario.resolve("events.jsonl"), at, out);

        Map<String, JsonNode> expected = rows(Files.readAllLines(scenario.resolve("expected.jsonl")));
        List<String> outLines = List.of(out.toString(StandardCharsets.UTF_8).split("\n"));
        Map<String, JsonNode> actual = rows(outLines);
        List<String> differences = new ArrayList<>();
        for (String key : new java.util.TreeSet<>(union(expected, actual))) {
            if (!java.util.Objects.equals(expected.get(key), actual.get(key))) {
                differences.add(key + "\n  expected " + expected.get(key) + "\n  actual   " + actual.get(key));
            }
        }
        assertEquals(List.of(), differences, differences.size() + " rows differ in " + scenario.getFileName());
        assertEquals(expected.size(), outLines.stream().filter(l -> !l.isBlank()).count(), "no row printed twice");
    }

    private static java.util.Set<String> union(Map<String, JsonNode> a, Map<String, JsonNode> b) {
        java.util.Set<String> keys = new java.util.HashSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private static Map<String, JsonNode> rows(List<String> lines) throws IOException {
        Map<String, JsonNode> rows = new TreeMap<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = JSON.readTree(line);
            rows.put(n.get("ticket").asText() + " " + n.get("metric").asText() + " " + n.get("cycle").asInt(), n);
        }
        return rows;
    }
}
