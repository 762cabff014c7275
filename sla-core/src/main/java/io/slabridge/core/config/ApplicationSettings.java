package io.slabridge.core.config;

import io.slabridge.core.runtime.OutboxDispatcher;
import java.time.Duration;
import java.util.List;

/**
 * sla-bridge's own settings (the policy, the store, the outbox, the scheduler, the HTTP ports...), each declared
 * once: name, kind, default, secret mark and what it is for. The application, the admin commands and the store read
 * them; docs/reference/settings.md is generated from {@link #ALL} and the connectors' lists.
 */
public final class ApplicationSettings {
    private ApplicationSettings() {
    }

    public static final Setting<String> POLICY = Setting.text("sla.policy")
            .describedAs("The path of the SLA policy file (YAML), e.g. sla.yaml (required by run).");
    public static final Setting<Duration> POLICY_RELOAD_INTERVAL = Setting.duration("sla.policy.reload-interval")
            .withDefault(Duration.ofSeconds(5)).describedAs("How often the policy file is checked for changes.");
    public static final Setting<String> STORE_URL = Setting.text("sla.store.url")
            .withDefault(null, "the SQLite file data/sla-bridge.db in the working directory")
            .describedAs("The store's JDBC URL: jdbc:postgresql://HOST:PORT/DB (several instances) or jdbc:sqlite:FILE.");
    public static final Setting<String> STORE_USER = Setting.text("sla.store.user")
            .describedAs("The database user.");
    public static final Setting<String> STORE_PASSWORD = Setting.text("sla.store.password").secret()
            .describedAs("The database password (no command-line option: ps would show it).");
    public static final Setting<Integer> STORE_POOL_SIZE = Setting.of("sla.store.pool-size", "whole number, at least 2",
            Integer::valueOf).withDefault(8).describedAs("Connections kept open (at least 2: opening the store migrates its schema).");
    public static final Setting<Duration> OUTBOX_POLL_INTERVAL = Setting.duration("sla.outbox.poll-interval")
            .withDefault(Duration.ofMillis(500)).describedAs("How often the outbox is looked at for write-backs due.");
    public static final Setting<Integer> OUTBOX_BATCH = Setting.integer("sla.outbox.batch", 1, 10_000).withDefault(50)
            .describedAs("Write-backs taken from the outbox at a time.");
    public static final Setting<Duration> OUTBOX_LEASE = Setting.duration("sla.outbox.lease")
            .withDefault(OutboxDispatcher.DEFAULT_LEASE)
            .describedAs("How long a write-back being written is kept from other instances; longer than any call.");
    public static final Setting<Duration> SCHEDULER_MAX_SLEEP = Setting.duration("sla.scheduler.max-sleep")
            .withDefault(Duration.ofSeconds(30)).describedAs("The longest the scheduler sleeps between looks.");
    public static final Setting<Duration> LOG_SUMMARY_INTERVAL = Setting.duration("sla.log.summary-interval")
            .withDefault(Duration.ofMinutes(5))
            .describedAs("How often the log says what happened (at least 1s); quiet periods print nothing.");
    public static final Setting<String> INSTANCE_NAME = Setting.text("sla.instance-name")
            .describedAs("This instance's name (1 to 200 characters): a restart takes back the write-backs it held.");
    public static final Setting<String> CLUSTER_FILE_LOCK_DIR = Setting.text("sla.cluster.file-lock-dir")
            .describedAs("A directory shared by several instances: only the one holding its lock polls the sources.");
    public static final Setting<Duration> CLUSTER_LOCK_INTERVAL = Setting.duration("sla.cluster.lock-interval")
            .withDefault(Duration.ofSeconds(10)).describedAs("How often an instance tries to take the pollers' lock.");
    public static final Setting<Integer> SERVER_PORT = Setting.integer("camel.server.port", 1, 65_535)
            .withDefault(8080).describedAs("Camel's HTTP server: the webhooks.");
    public static final Setting<Integer> MANAGEMENT_PORT = Setting.integer("camel.management.port", 1, 65_535)
            .withDefault(9876).describedAs("Camel's management server: /observe/health and /observe/metrics.");

    /** The store's settings, as the store and the admin commands read them. */
    public static final List<Setting<?>> STORE = List.of(STORE_URL, STORE_USER, STORE_PASSWORD, STORE_POOL_SIZE);

    /** Every application setting, in the order the reference lists them. */
    public static final List<Setting<?>> ALL = List.of(POLICY, POLICY_RELOAD_INTERVAL, STORE_URL, STORE_USER,
            STORE_PASSWORD, STORE_POOL_SIZE, OUTBOX_POLL_INTERVAL, OUTBOX_BATCH, OUTBOX_LEASE, SCHEDULER_MAX_SLEEP,
            LOG_SUMMARY_INTERVAL, INSTANCE_NAME, CLUSTER_FILE_LOCK_DIR, CLUSTER_LOCK_INTERVAL, SERVER_PORT,
            MANAGEMENT_PORT);

    static {
        Setting.byName(ALL); // a name declared twice fails here, at class load
    }
}
