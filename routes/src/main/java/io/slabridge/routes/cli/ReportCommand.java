package io.slabridge.routes.cli;

import io.slabridge.core.fold.TicketFold;
import io.slabridge.core.io.TicketHistories;
import io.slabridge.core.policy.InvalidPolicyException;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicyProblem;
import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.replay.InvalidEventsException;
import io.slabridge.core.replay.Replay;
import io.slabridge.core.report.ComplianceReport;
import io.slabridge.core.report.Dimension;
import io.slabridge.core.report.HistoryReport;
import io.slabridge.core.report.ReportPeriod;
import io.slabridge.core.report.ReportWriter;
import io.slabridge.core.report.StoreReport;
import io.slabridge.core.store.StoreException;
import io.slabridge.store.JdbcSlaStore;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sla-bridge report}: SLA compliance for a period, from the store or from replay input. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Reports SLA compliance for a period: %% met per metric, overall and by priority, channel, tier, "
                + "account and policy; median, 80th and 90th percentile times; the breaches, latest first.",
            "From the store (read only; it changes nothing and needs no running service), or with --events and "
                + "--policy from a ticket history folded as replay does: to try a new policy on last quarter's history.",
            "A cycle counts in the period in which it was decided: met at its stop, breached the second after its due "
                + "instant (stopped later or still open). Times are of the cycles that stopped in the period. See "
                + "docs/reference/report.md."},
        footer = {"%nStore settings and the policy file, each taken from the first place that has it: the option, the "
                + "Java system property, the environment variable, the --config file, application.properties in the "
                + "working directory.",
            "  sla.store.url        SLA_STORE_URL        --store-url",
            "  sla.store.user       SLA_STORE_USER       --store-user",
            "  sla.store.password   SLA_STORE_PASSWORD   (no option: it would show in ps)",
            "  sla.policy           SLA_POLICY           the service's policy file: its OLAs time the linked tickets when "
                + "--policy is not given",
            "Without a URL the store is the embedded H2 database in ./data/ (only one process can open it: stop the "
                + "service, or use PostgreSQL).",
            "%nExamples:",
            "  sla-bridge report --from 2026-01-01 --to 2026-04-01",
            "  sla-bridge report --events q1.jsonl --policy new-sla.yaml --from 2026-01-01 --to 2026-04-01 --by tier",
            "  sla-bridge report --format csv --breach-list > breaches.csv"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:bad input: a bad events or policy file (the message names the file, the line and "
                + "the field), or a store that cannot be read", "2:bad command line"})
final class ReportCommand implements Callable<Integer> {
    static final String DEFAULT_BY = "priority,channel,tier,account,policy";
    /** Breaches a text report lists unless told otherwise. */
    static final int TEXT_BREACHES = 20;

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private SlaBridgeCommand parent;

    @Mixin
    private StoreOptions store;

    /** The clock of "now" for a report from the store; tests set it. */
    Clock clock = Clock.systemUTC();

    @Option(names = "--from", paramLabel = "INSTANT|DATE",
            description = "start of the period, included: an ISO-8601 instant with offset, or a date (00:00 UTC). "
                    + "Default: the start of the history.")
    private String from;

    @Option(names = "--to", paramLabel = "INSTANT|DATE",
            description = "end of the period, excluded (--from 2026-01-01 --to 2026-04-01 is the first quarter). "
                    + "Default: the evaluation instant, included.")
    private String to;

    @Option(names = "--by", paramLabel = "DIMENSION", split = ",", defaultValue = DEFAULT_BY,
            description = "break the figures down by these, after the overall ones: priority, channel, tier, account, "
                    + "policy, category, source, or none (default: ${DEFAULT-VALUE})")
    private List<String> by;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (tables, the default), csv or json")
    private String format;

    @Option(names = "--breaches", paramLabel = "N|all",
            description = "list at most N breaches, latest first, or all (default: " + TEXT_BREACHES + " in text, all in "
                    + "csv and json); the total is always given")
    private String breaches;

    @Option(names = "--breach-list", description = "with --format csv: write the breaches (one row each) instead of "
            + "the compliance rows")
    private boolean breachList;

    @Option(names = "--events", paramLabel = "FILE",
            description = "report on this ticket history (JSON lines, as replay reads it) instead of the store; "
                    + "needs --policy")
    private Path events;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "the policy to fold with: with --events, required; with the store, every ticket is "
                    + "refolded from its stored events with it, instead of using the cycles as last computed. Its OLAs "
                    + "time the linked tickets (from the store without --policy: those of sla.policy)")
    private Path policy;

    @Option(names = "--at", paramLabel = "INSTANT",
            description = "evaluation instant, ISO-8601 with offset; later events are ignored. Needs --policy. "
                    + "Default: the latest event's time with --events, now with the store.")
    private String at;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Instant fromInstant = instant("--from", from, true);
        Instant toInstant = instant("--to", to, true);
        Instant atInstant = instant("--at", at, false);
        ReportPeriod period;
        try {
            period = new ReportPeriod(fromInstant, toInstant);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--from " + from + " must be before --to " + to);
        }
        List<Dimension> dimensions = dimensions();
        String fmt = format.toLowerCase(Locale.ROOT);
        if (!List.of("text", "csv", "json").contains(fmt)) {
            throw new ParameterException(spec.commandLine(), "--format: '" + format + "' is not one of text, csv, json");
        }
        if (breachList && !fmt.equals("csv")) {
            throw new ParameterException(spec.commandLine(), "--breach-list goes with --format csv (text and json "
                    + "always list the breaches)");
        }
        int limit = breachLimit(fmt);
        if (events != null && policy == null) {
            throw new ParameterException(spec.commandLine(), "--events needs --policy: the policy to fold the history with");
        }
        if (atInstant != null && policy == null) {
            throw new ParameterException(spec.commandLine(), "--at needs --policy: the store's cycles are as of each "
                    + "ticket's last fold and cannot be evaluated at another instant without refolding");
        }

        ComplianceReport report;
        if (events != null) {
            report = fromEvents(atInstant, toInstant, period, dimensions, err);
        } else {
            report = fromStore(atInstant, period, dimensions, err);
        }
        if (report == null) {
            return SlaBridgeCommand.BAD_INPUT;
        }
        try {
            write(report, fmt, limit);
            return 0;
        } catch (IOException e) {
            err.println("cannot write the output: " + e.getMessage());
            return SlaBridgeCommand.BAD_INPUT;
        }
    }

    private void write(ComplianceReport report, String fmt, int limit) throws IOException {
        if (fmt.equals("json")) {
            ReportWriter.json(report, limit, parent.stdout());
            return;
        }
        PrintWriter out = new PrintWriter(new OutputStreamWriter(parent.stdout(), StandardCharsets.UTF_8));
        if (fmt.equals("text")) {
            ReportWriter.text(report, limit, out);
        } else if (breachList) {
            ReportWriter.csvBreaches(report, limit, out);
        } else {
            ReportWriter.csvSummary(report, out);
        }
        out.flush();
    }

    /** The report from --events and --policy, or null after the problems were printed. */
    private ComplianceReport fromEvents(Instant atInstant, Instant toInstant, ReportPeriod period,
            List<Dimension> dimensions, PrintWriter err) {
        PolicySet policies = readPolicy(policy, err);
        TicketHistories histories = null;
        try {
            histories = Replay.read(events);
        } catch (InvalidEventsException e) {
            for (String problem : e.problems()) {
                err.println(events + ": " + problem);
            }
        } catch (NoSuchFileException e) {
            err.println(events + ": no such file");
        } catch (IOException e) {
            err.println(events + ": cannot read: " + e.getMessage());
        }
        if (policies == null || histories == null) {
            return null;
        }
        Instant fallback = toInstant != null ? toInstant : clock.instant();
        return HistoryReport.of(TicketFold.of(policies), histories, atInstant, fallback, period, dimensions);
    }

    /**
     * The report from the store (refolded with --policy if given), or null after the problem was printed. OLA
     * figures are folded from the linked tickets' stored events with the OLAs of --policy, else of the service's
     * policy file (sla.policy, found as the store settings are).
     */
    private ComplianceReport fromStore(Instant atInstant, ReportPeriod period, List<Dimension> dimensions,
            PrintWriter err) {
        TicketFold fold = null;
        PolicySet olas = null;
        if (policy != null) {
            olas = readPolicy(policy, err);
            if (olas == null) {
                return null;
            }
            fold = TicketFold.of(olas);
        }
        Instant evaluatedAt = atInstant != null ? atInstant : Instant.ofEpochSecond(clock.instant().getEpochSecond());
        try (JdbcSlaStore s = store.openForReading()) {
            if (olas == null) {
                String servicePolicy = store.servicePolicy();
                if (servicePolicy != null) {
                    olas = readPolicy(Path.of(servicePolicy), err);
                    if (olas == null) {
                        err.println("(the service's policy file, sla.policy, read for its OLAs)");
                        return null;
                    }
                } else if (!s.ticketsEverLinked().isEmpty()) {
                    err.println("note: the store has linked tickets, but no policy file names their OLAs: give --policy, "
                            + "or set sla.policy as for run, to see OLA compliance");
                }
            }
            return StoreReport.of(s, fold, olas, evaluatedAt, period, dimensions);
        } catch (StoreOptions.UnusableStore e) {
            err.println(e.getMessage());
        } catch (StoreException e) {
            err.println(store.scrub(e.getMessage()) + " (is it an sla-bridge store? run the service once to create it)");
        } catch (java.nio.file.InvalidPathException e) {
            err.println("sla.policy: '" + e.getInput() + "' is not a path (" + e.getReason() + ")");
        } catch (IllegalArgumentException e) {
            err.println(store.scrub(e.getMessage()));
        }
        return null;
    }

    private static PolicySet readPolicy(Path file, PrintWriter err) {
        try {
            return PolicyFileParser.parse(file);
        } catch (InvalidPolicyException e) {
            for (PolicyProblem p : e.problems()) {
                err.println(p);
            }
            return null;
        }
    }

    /** The instant an option names, or null when it is not given; a date is its 00:00 UTC when allowed. */
    private Instant instant(String option, String text, boolean dateAllowed) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(OffsetDateTime.parse(text).toEpochSecond());
        } catch (DateTimeParseException e) {
            if (dateAllowed) {
                try {
                    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException ignored) {
                    // the message below says what is expected
                }
            }
            throw new ParameterException(spec.commandLine(), option + ": '" + text + "' is not an ISO-8601 instant with "
                    + "an offset, such as 2026-03-06T12:00:00Z" + (dateAllowed ? ", or a date such as 2026-03-01" : ""));
        }
    }

    private List<Dimension> dimensions() {
        List<Dimension> out = new ArrayList<>();
        for (String name : by) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            if (n.equals("none") || n.isEmpty()) {
                continue;
            }
            Dimension d = Dimension.fromWire(n);
            if (d == null) {
                throw new ParameterException(spec.commandLine(), "--by: '" + name + "' is not one of "
                        + Dimension.wireChoices() + " (or none)");
            }
            if (!out.contains(d)) {
                out.add(d);
            }
        }
        return out;
    }

    private int breachLimit(String fmt) {
        if (breaches == null) {
            return fmt.equals("text") ? TEXT_BREACHES : -1;
        }
        if (breaches.equalsIgnoreCase("all")) {
            return -1;
        }
        try {
            int n = Integer.parseInt(breaches);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new ParameterException(spec.commandLine(), "--breaches: '" + breaches + "' is not a number (0 or more) or all");
    }
}
