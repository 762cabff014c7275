package io.slabridge.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicyProblem;
import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.policy.SlaPolicy;
import io.slabridge.core.testing.MutableClock;
import io.slabridge.core.testing.YamlMutator;
import io.slabridge.store.JdbcSlaStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
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
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * A running runtime's policy file replaced by a broken one, again and again: the quickstart policy (calendars with
 * holidays, layered policies, warnings, an escalation ladder) mutated by {@link YamlMutator} and written over the
 * file the {@link PolicyReloader} watches, with open tickets in the store. A file that is refused leaves everything
 * as it was (the same policies in force, every ticket's state, the outbox and the escalations done); a file that
 * is valid is in force entirely. Nothing is ever half applied, and the reloader never throws.
 */
class PolicyReloadFuzzProperties {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    private static final AtomicLong REFUSED = new AtomicLong();
    private static final AtomicLong RELOADED = new AtomicLong();

    private final Path dir;
    private final Path file;
    private final String base;
    private final JdbcSlaStore store = TestStores.h2();
    private final MutableClock clock = new MutableClock(T0);
    private final SlaRuntime runtime;
    private final PolicyReloader reloader;
    /** What the file held before this try: the reloader compares with the text it last looked at. */
    private String previous;

    PolicyReloadFuzzProperties() throws Exception {
        dir = Files.createTempDirectory("policy-reload-fuzz");
        file = dir.resolve("sla.yaml");
        base = Files.readString(Path.of("../examples/quickstart/sla.yaml"));
        Files.writeString(file, base);
        runtime = SlaRuntime.of(store, PolicyFileParser.parse(file), clock);
        reloader = new PolicyReloader(file, runtime, base);
        previous = base;
        // Open tickets of every kind the policy tells apart, some with escalations already done.
        int n = 0;
        for (String[] t : new String[][] {{"enterprise", null}, {"basic", "security"}, {"basic", null}, {"enterprise", "bug"}}) {
            String ticket = "jira:FUZZ-" + n++;
            runtime.accept(TicketEvent.builder(ticket + ":c", ticket, T0, EventType.CREATED).priority(Priority.HIGH)
                    .status(TicketStatus.OPEN).tier(t[0]).category(t[1]).build());
        }
        runtime.accept(TicketEvent.builder("jira:FUZZ-2:w", "jira:FUZZ-2", T0.plusSeconds(600), EventType.STATUS_CHANGED)
                .status(TicketStatus.WAITING_ON_CUSTOMER).build());
        clock.set(T0.plus(Duration.ofHours(3)));
        runtime.tick();
    }

    @AfterProperty
    void close() throws Exception {
        store.close();
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    @Provide
    Arbitrary<String> brokenPolicies() {
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            return new YamlMutator(random).mutate(base, random.nextBoolean() ? 1 : 3);
        });
    }

    @Property(tries = 1000)
    void aRefusedFileChangesNothingAndAValidOneIsInForceEntirely(@ForAll("brokenPolicies") String yaml) throws Exception {
        PolicySet before = runtime.policies();
        List<String> stateBefore = state();
        Files.writeString(file, yaml);
        PolicyReloader.Outcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(30), reloader::reloadIfChanged);
        if (outcome instanceof PolicyReloader.Outcome.Refused refused) {
            previous = yaml;
            REFUSED.incrementAndGet();
            assertSame(before, runtime.policies(), "the policies in force stay, all of them");
            assertEquals(stateBefore, state(), "no ticket refolded, nothing enqueued, no escalation marked");
            assertFalse(refused.problems().isEmpty());
            for (PolicyProblem p : refused.problems()) {
                assertEquals(file.toString(), p.file(), "a problem names the file");
                assertTrue(p.line() > 0 || p.message().contains("file"), () -> "a problem names its line: " + p);
            }
            return;
        }
        if (outcome instanceof PolicyReloader.Outcome.Unchanged) {
            // The text last looked at (the base, or a file refused once and reported then).
            assertEquals(previous, yaml, "only the same text is unchanged");
            assertSame(before, runtime.policies());
            assertEquals(stateBefore, state());
            return;
        }
        RELOADED.incrementAndGet();
        assertInstanceOf(PolicyReloader.Outcome.Reloaded.class, outcome);
        PolicySet parsed = PolicyFileParser.parse(file);
        assertNotSame(before, runtime.policies());
        assertEquals(describe(parsed), describe(runtime.policies()), "the new file is in force entirely");
        // Back to the base policies for the next try (a mutation may have given the base text back: nothing to do).
        Files.writeString(file, base);
        PolicyReloader.Outcome restored = reloader.reloadIfChanged();
        assertTrue(yaml.equals(base) ? restored instanceof PolicyReloader.Outcome.Unchanged
                : restored instanceof PolicyReloader.Outcome.Reloaded, restored::toString);
        previous = base;
        assertEquals(describe(PolicyFileParser.parse(file)), describe(runtime.policies()));
    }

    /** What of a policy set shows in its effect: each policy's name, calendar and targets; pauses, reopen, selection, warnings. */
    private static String describe(PolicySet p) {
        List<String> parts = new ArrayList<>();
        for (SlaPolicy policy : p.policies()) {
            parts.add(policy.toString());
        }
        parts.add(p.pauseStatuses().toString());
        parts.add(String.valueOf(p.onReopen()));
        parts.add(String.valueOf(p.selection()));
        parts.add(p.warnings().toString());
        parts.add(String.valueOf(p.escalations().size()));
        parts.add(p.calendars().keySet().toString());
        return String.join("\n", parts);
    }

    /** Every ticket's state row, the outbox and the escalations done, as text. */
    private List<String> state() throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT ticket, summary, next_due_at, next_wake_at, is_open, sla_fields, "
                    + "cycles, version FROM ticket_state ORDER BY ticket")) {
                while (rs.next()) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 1; i <= 8; i++) {
                        sb.append(rs.getString(i)).append('|');
                    }
                    rows.add(sb.toString());
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM outbox), (SELECT COUNT(*) FROM escalation_done)")) {
                rs.next();
                rows.add("outbox " + rs.getLong(1) + ", escalations done " + rs.getLong(2));
            }
        }
        return rows;
    }

    @AfterContainer
    static void tally() {
        System.out.printf("policy reload fuzz: %d files (%d refused, %d reloaded)%n", REFUSED.get() + RELOADED.get(),
                REFUSED.get(), RELOADED.get());
        if (REFUSED.get() + RELOADED.get() > 0) {
            assertTrue(REFUSED.get() > 0 && RELOADED.get() > 0, "the mutations reach both outcomes");
        }
    }
}
