package io.slabridge.routes.cli;

import io.slabridge.core.store.OutboxBacklog;
import io.slabridge.core.store.OutboxParking;
import io.slabridge.core.store.ParkedCommand;
import io.slabridge.core.store.StoreException;
import io.slabridge.store.JdbcSlaStore;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sla-bridge outbox}: the write-back commands waiting, done and parked; parked ones put back in line. */
@Command(name = "outbox", mixinStandardHelpOptions = true,
        description = {"Shows the outbox of write-back commands, lists the parked ones and puts them back in line.",
            "Without options it prints how many commands are pending, done and parked. A command is parked when its "
                + "system refused it for good (a deleted ticket, a field that does not exist) or it failed too often; "
                + "fix the cause, then --requeue sends it again from now, with its attempts reset."},
        footer = {"%nStore settings, each taken from the first place that has it: the option, the Java system property, "
                + "the environment variable, the --config file, application.properties in the working directory.",
            "  sla.store.url        SLA_STORE_URL        --store-url",
            "  sla.store.user       SLA_STORE_USER       --store-user",
            "  sla.store.password   SLA_STORE_PASSWORD   (no option: it would show in ps)",
            "  sla.store.pool-size  SLA_STORE_POOL_SIZE",
            "Without a URL the store is the embedded H2 database in ./data/ (only one process can open it: stop the "
                + "service, or use PostgreSQL)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:an id that is not parked, or a store that cannot be read (the message names it)",
            "2:bad command line"})
final class OutboxCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private StoreOptions store;

    @Option(names = "--failed", description = "list the parked commands, oldest first: id, ticket, source, kind, "
            + "attempts, when it was parked (UTC) and the error")
    private boolean failed;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "with --failed, list at most N (default: ${DEFAULT-VALUE})")
    private int limit;

    @Option(names = "--requeue", paramLabel = "ID", description = "put the parked command ID back in line; repeatable")
    private List<Long> requeue = new ArrayList<>();

    @Option(names = "--requeue-all", description = "put every parked command back in line")
    private boolean requeueAll;

    @Override
    public Integer call() {
        int modes = (failed ? 1 : 0) + (requeue.isEmpty() ? 0 : 1) + (requeueAll ? 1 : 0);
        if (modes > 1) {
            throw new ParameterException(spec.commandLine(), "--failed, --requeue and --requeue-all go one at a time");
        }
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, got " + limit);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (JdbcSlaStore s = store.open()) {
            if (failed) {
                return listParked(s, s, out);
            } else if (!requeue.isEmpty()) {
                return requeue(s, requeue, out, err);
            } else if (requeueAll) {
                return requeueAll(s, out);
            }
            out.println(counts(s.outboxCounts()));
            return 0;
        } catch (StoreOptions.UnusableStore e) {
            err.println(e.getMessage());
            return SlaBridgeCommand.BAD_INPUT;
        } catch (StoreException e) {
            err.println(store.scrub(e.getMessage()));
            return SlaBridgeCommand.BAD_INPUT;
        }
    }

    /** {@code pending 3, done 120, parked 2}, and any other status after those. */
    static String counts(Map<String, Long> byStatus) {
        List<String> parts = new ArrayList<>();
        byStatus.forEach((status, count) -> parts.add(status + " " + count));
        return String.join(", ", parts);
    }

    private int listParked(OutboxParking s, OutboxBacklog backlog, PrintWriter out) {
        List<ParkedCommand> parked = s.parked(limit);
        if (parked.isEmpty()) {
            out.println("no parked commands");
            return 0;
        }
        long total = backlog.outboxCounts().getOrDefault("parked", 0L);
        out.println(total > parked.size()
                ? "the first " + parked.size() + " of " + total + " parked commands (--limit to see more)"
                : parked.size() + (parked.size() == 1 ? " parked command" : " parked commands"));
        for (ParkedCommand p : parked) {
            out.println();
            out.println(p.command().id() + "  " + p.command().ticket() + "  " + p.command().payload().kind());
            out.println("  source:    " + p.command().source());
            out.println("  attempts:  " + p.command().attempts());
            out.println("  parked at: " + p.parkedAt());
            out.println("  error:     " + indent(p.error() == null ? "(none recorded)" : p.error(), "             "));
        }
        return 0;
    }

    /** The text with every line after the first indented, so that a multi-line error stays inside its block. */
    private static String indent(String text, String prefix) {
        return String.join(System.lineSeparator() + prefix, text.split("\r?\n", -1));
    }

    private int requeue(OutboxParking s, List<Long> ids, PrintWriter out, PrintWriter err) {
        Map<Long, ParkedCommand> parked = new LinkedHashMap<>();
        for (ParkedCommand p : s.parked(Integer.MAX_VALUE)) {
            parked.put(p.command().id(), p);
        }
        int status = 0;
        for (long id : new LinkedHashSet<>(ids)) {
            if (s.requeue(id, Instant.now())) {
                out.println("re-queued " + describe(id, parked.get(id)));
            } else {
                err.println("no parked command with id " + id + " (it is pending or done, or there is none): "
                        + "see sla-bridge outbox --failed");
                status = SlaBridgeCommand.BAD_INPUT;
            }
        }
        return status;
    }

    private int requeueAll(OutboxParking s, PrintWriter out) {
        int done = 0;
        int gone = 0;
        for (ParkedCommand p : s.parked(Integer.MAX_VALUE)) {
            if (s.requeue(p.command().id(), Instant.now())) {
                out.println("re-queued " + describe(p.command().id(), p));
                done++;
            } else {
                gone++; // re-queued by someone else since the listing
            }
        }
        out.println(done == 0 && gone == 0 ? "no parked commands"
                : "re-queued " + done + (done == 1 ? " command" : " commands")
                        + (gone == 0 ? "" : " (" + gone + " were no longer parked)"));
        return 0;
    }

    private static String describe(long id, ParkedCommand p) {
        if (p == null) {
            return String.valueOf(id);
        }
        return id + "  " + p.command().ticket() + "  " + p.command().payload().kind() + " (parked at " + p.parkedAt()
                + " after " + p.command().attempts() + (p.command().attempts() == 1 ? " attempt)" : " attempts)");
    }
}
