package io.slabridge.routes.cli;

import io.slabridge.core.policy.InvalidPolicyException;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicyProblem;
import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.replay.InvalidEventsException;
import io.slabridge.core.io.TicketHistories;
import io.slabridge.core.replay.Replay;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sla-bridge replay}: the fold from the command line (SLA-SPEC section 6). */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replays ticket history against a policy and prints every SLA cycle.",
            "Reads ticket events (JSON lines) and prints one JSON line per ticket, metric and cycle, sorted by "
                + "ticket, metric and cycle; instants are UTC. Bad input is reported on stderr with its line number, "
                + "and then nothing is printed."})
final class ReplayCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @ParentCommand
    private SlaBridgeCommand parent;

    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "policy file (YAML)")
    private Path policy;

    @Option(names = "--events", required = true, paramLabel = "FILE", description = "ticket events, one JSON object per line")
    private Path events;

    @Option(names = "--at", paramLabel = "INSTANT",
            description = "evaluation instant, ISO-8601 with offset (default: the latest event's time); later events are ignored")
    private String at;

    @Option(names = "--summary", description = "print counts (events, duplicates, tickets, cycles) on stderr")
    private boolean summary;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Instant evaluatedAt = null;
        if (at != null) {
            try {
                evaluatedAt = OffsetDateTime.parse(at).toInstant();
            } catch (DateTimeParseException e) {
                err.println("--at: '" + at + "' is not an ISO-8601 instant with an offset, such as 2026-03-06T12:00:00Z");
                return 2;
            }
        }
        // The policy (whose holiday calendars take a moment to load) is read while the events are.
        CompletableFuture<PolicySet> policyRead = CompletableFuture.supplyAsync(() -> {
            try {
                return PolicyFileParser.parse(policy);
            } catch (InvalidPolicyException e) {
                throw new CompletionException(e);
            }
        });
        TicketHistories histories = null;
        int status = 0;
        long readStart = System.nanoTime();
        try {
            histories = Replay.read(events);
        } catch (InvalidEventsException e) {
            for (String problem : e.problems()) {
                err.println(events + ": " + problem);
            }
            status = SlaBridgeCommand.BAD_INPUT;
        } catch (NoSuchFileException e) {
            err.println(events + ": no such file");
            status = SlaBridgeCommand.BAD_INPUT;
        } catch (IOException e) {
            err.println(events + ": cannot read: " + e.getMessage());
            status = SlaBridgeCommand.BAD_INPUT;
        }
        PolicySet policies;
        try {
            policies = policyRead.join();
        } catch (CompletionException e) {
            if (!(e.getCause() instanceof InvalidPolicyException)) {
                throw e;
            }
            for (PolicyProblem p : ((InvalidPolicyException) e.getCause()).problems()) {
                err.println(p);
            }
            return SlaBridgeCommand.BAD_INPUT;
        }
        if (histories == null) {
            return status;
        }
        try {
            long foldStart = System.nanoTime();
            Replay.Summary s = Replay.of(policies).run(histories, evaluatedAt, parent.stdout());
            if (summary) {
                err.printf("%d events (%d repeated ids ignored), %d tickets, %d cycles, evaluated at %s%n", s.events(),
                        s.duplicates(), s.tickets(), s.cycles(), s.evaluatedAt().map(Instant::toString).orElse("-"));
                err.printf("read events and policy %d ms, fold and write %d ms%n", (foldStart - readStart) / 1_000_000,
                        (System.nanoTime() - foldStart) / 1_000_000);
            }
            return 0;
        } catch (IOException e) {
            err.println("cannot write the output: " + e.getMessage());
            return SlaBridgeCommand.BAD_INPUT;
        }
    }
}
