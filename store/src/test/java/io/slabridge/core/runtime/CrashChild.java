package io.slabridge.core.runtime;

import io.slabridge.core.model.EventType;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.outbox.WriteResult;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Random;

/**
 * The process {@link CrashSafetyTest} kills: it works on an H2 file database and then halts the JVM at once
 * (no shutdown hooks, no pool close, nothing flushed), as a power cut or {@code kill -9} would.
 *
 * <p>{@code ingest DB}: accepts three tickets' events and runs the scheduler past their warnings, then dies
 * before anything is dispatched. {@code deliver-and-die DB REMOTE}: delivers one command to a writer that
 * records it in the file REMOTE (the "remote system") and dies before the outbox learns it was delivered.
 */
public final class CrashChild {
    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    private CrashChild() {
    }

    /** The embedded default's settings: what a user who sets nothing gets is what must survive a crash. */
    static StoreSettings settings(Path db) {
        return StoreSettings.sqliteFile(db);
    }

    public static void main(String[] args) throws Exception {
        JdbcSlaStore store = JdbcSlaStore.open(settings(Path.of(args[1])));
        if (args[0].equals("ingest")) {
            SlaRuntime runtime = SlaRuntime.of(store, RuntimeContractTest.policies("1h"), Clock.fixed(T0, ZoneOffset.UTC));
            for (int t = 1; t <= 3; t++) {
                String ticket = "jira:SUP-" + t;
                runtime.accept(TicketEvent.builder(ticket + ":1", ticket, T0, EventType.CREATED).priority(Priority.NORMAL)
                        .status(TicketStatus.OPEN).source("jira").build());
                runtime.accept(TicketEvent.builder(ticket + ":2", ticket, T0, EventType.INTERNAL_NOTE).build());
            }
            SlaRuntime later = SlaRuntime.of(store, RuntimeContractTest.policies("1h"),
                    Clock.fixed(T0.plusSeconds(2700), ZoneOffset.UTC));
            later.tick(); // the 75% warnings and their "warn" comments, committed
        } else {
            Path remote = Path.of(args[2]);
            OutboxDispatcher d = new OutboxDispatcher(store, Map.of("jira", c -> {
                Files.writeString(remote, c.idempotencyKey() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                Runtime.getRuntime().halt(137); // written remotely, never acknowledged locally
                return WriteResult.done();
            }), Clock.fixed(T0.plusSeconds(2700), ZoneOffset.UTC), RetryPolicy.DEFAULT, new Random(1));
            d.dispatchOnce(1);
        }
        Runtime.getRuntime().halt(137);
    }
}
