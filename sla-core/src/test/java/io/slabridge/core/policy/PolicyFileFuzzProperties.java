package io.slabridge.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.testing.YamlMutator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Policy files fuzzed: every valid policy file of the project (the spec examples of the replay fixtures, the report
 * fixture, the quickstart, the benchmark and demo policies) broken by {@link YamlMutator}. The parser either returns
 * a policy set or refuses the file with {@link InvalidPolicyException}, whose every problem names the file and a line
 * of it (0 only for the file as a whole) and says what is wrong; no other exception, and no file takes long.
 */
class PolicyFileFuzzProperties {
    static final String FILE = "fuzz/sla.yaml";
    static final List<String> SEEDS = seeds();
    private static final AtomicLong VALID = new AtomicLong();
    private static final AtomicLong REFUSED = new AtomicLong();
    private static final AtomicLong PROBLEMS = new AtomicLong();

    static List<String> seeds() {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("000", "001", "002", "003", "004", "005")) {
            files.add(Path.of("src/test/resources/replay/" + dir + "/policy.yaml"));
        }
        files.add(Path.of("src/test/resources/report/policy.yaml"));
        // From the module directory, where Maven runs the tests.
        files.add(Path.of("../examples/quickstart/sla.yaml"));
        files.add(Path.of("../examples/bench/policy.yaml"));
        files.add(Path.of("../demo/src/main/resources/demo/sla.yaml"));
        List<String> texts = new ArrayList<>();
        for (Path f : files) {
            try {
                texts.add(Files.readString(f));
            } catch (IOException e) {
                throw new UncheckedIOException("a seed policy is missing: " + f.toAbsolutePath(), e);
            }
        }
        return texts;
    }

    @Provide
    Arbitrary<String> policyFiles() {
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            String text = SEEDS.get(random.nextInt(SEEDS.size()));
            return random.nextInt(15) == 0 ? text : new YamlMutator(random).mutate(text, random.nextBoolean() ? 1 : 4);
        });
    }

    @Property(tries = 8000)
    void aPolicyFileIsValidOrRefusedWithEveryProblemNamingFileAndLine(@ForAll("policyFiles") String yaml) {
        // Parsed on another thread so that a file that never finishes fails the property instead of hanging it.
        Object outcome = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try {
                return PolicyFileParser.parse(FILE, yaml);
            } catch (InvalidPolicyException e) {
                return e;
            }
        });
        if (outcome instanceof InvalidPolicyException e) {
            REFUSED.incrementAndGet();
            assertProblemsNameWhere(e, yaml);
            return;
        }
        PolicySet policies = (PolicySet) outcome;
        VALID.incrementAndGet();
        assertNotNull(policies);
        assertFalse(policies.policies().isEmpty(), "a valid file has policies");
        assertFalse(policies.calendars().isEmpty(), "a valid file has calendars");
    }

    static void assertProblemsNameWhere(InvalidPolicyException e, String yaml) {
        assertFalse(e.problems().isEmpty());
        PROBLEMS.addAndGet(e.problems().size());
        int lines = yaml.split("\n", -1).length;
        for (PolicyProblem p : e.problems()) {
            assertEquals(FILE, p.file());
            assertTrue(p.line() >= 0 && p.line() <= lines + 1, () -> "line " + p.line() + " of a " + lines + "-line file: " + p);
            assertFalse(p.message().isBlank(), "a problem says what is wrong");
            assertTrue(p.toString().startsWith(FILE + (p.line() == 0 ? ": " : ":" + p.line() + ": ")), p.toString());
            if (p.line() == 0) {
                // Only the file as a whole has no line: empty, or not readable.
                assertTrue(p.message().contains("file"), () -> "a problem without a line: " + p + "\n" + yaml);
            }
        }
        assertTrue(e.getMessage().startsWith(FILE), "the exception's message lists the problems: " + e.getMessage());
    }

    @AfterContainer
    static void tally() {
        System.out.printf("policy fuzz: %d files (%d valid, %d refused with %d problems)%n", VALID.get() + REFUSED.get(),
                VALID.get(), REFUSED.get(), PROBLEMS.get());
        if (VALID.get() + REFUSED.get() > 0) {
            assertTrue(VALID.get() > 0 && REFUSED.get() > 0, "the mutations reach both outcomes");
        }
    }
}
