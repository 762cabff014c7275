package io.slabridge.routes.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.slabridge.board.Board;
import io.slabridge.board.BoardSettings;
import io.slabridge.connector.api.TicketLinks;
import io.slabridge.connector.api.Connector;
import io.slabridge.connector.api.Connectors;
import io.slabridge.connector.api.Notices;
import io.slabridge.connector.api.Source;
import io.slabridge.connector.api.SourceContext;
import io.slabridge.connector.api.WriteCall;
import io.slabridge.connector.api.PollHealthCheck;
import io.slabridge.core.config.ApplicationSettings;
import io.slabridge.core.config.Setting;
import io.slabridge.core.config.Settings;
import io.slabridge.core.outbox.OutboxWriter;
import io.slabridge.core.policy.InvalidPolicyException;
import io.slabridge.core.policy.PolicyFileParser;
import io.slabridge.core.policy.PolicyProblem;
import io.slabridge.core.policy.PolicySet;
import io.slabridge.core.runtime.OutboxDispatcher;
import io.slabridge.core.runtime.PolicyReloader;
import io.slabridge.core.runtime.RetryPolicy;
import io.slabridge.core.runtime.Scheduler;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.core.store.StoreException;
import io.slabridge.routes.runtime.SlaRuntimeRoutes;
import io.slabridge.store.JdbcSlaStore;
import io.slabridge.store.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.slabridge.core.config.ApplicationSettings.*;

/**
 * The running sla-bridge: the store, the runtime, the enabled connectors' routes, the HTTP servers, health and
 * metrics, on Camel Main. {@link #create} checks every setting first and reports all problems at once; nothing
 * is started until they are fixed.
 *
 * <p>Settings ({@code sla.*}, declared in {@link ApplicationSettings} and each connector's {@link Connector#settings()})
 * are read with the one precedence of {@link Settings}: environment variables ({@code sla.jira.url} →
 * {@code SLA_JIRA_URL}) over the properties given (the {@code --config} file over {@code application.properties}).
 * Camel's own ({@code camel.*}) pass through to Camel Main, which also reads them from the
 * environment ({@code CAMEL_SERVER_PORT}).
 */
public final class SlaBridgeApplication implements AutoCloseable {
    /** Defaults for Camel Main that a deployment may override: webhooks on 8080, health and metrics on 9876. */
    private static final Logger LOG = LoggerFactory.getLogger(SlaBridgeApplication.class);

    static final Map<String, String> CAMEL_DEFAULTS = camelDefaults();

    private static Map<String, String> camelDefaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("camel.main.name", "sla-bridge");
        m.put("camel.server.enabled", "true");
        m.put(SERVER_PORT.name(), SERVER_PORT.defaultText());
        m.put("camel.management.enabled", "true");
        m.put(MANAGEMENT_PORT.name(), MANAGEMENT_PORT.defaultText());
        m.put("camel.management.healthCheckEnabled", "true");
        m.put("camel.management.metricsEnabled", "true");
        m.put("camel.metrics.enabled", "true");
        // Route metrics (camel_exchanges_total{routeId}) say what is needed; 4.18.0's exchange event notifier
        // registers one meter name with two tag sets, which Prometheus refuses with a warning per start.
        m.put("camel.metrics.enableExchangeEventNotifier", "false");
        m.put("camel.health.exposureLevel", "full");
        // In-flight exchanges get this long to finish on Ctrl-C; the outbox is transactional either way.
        m.put("camel.main.shutdownTimeout", "30");
        return m;
    }

    private final Main main;
    private final JdbcSlaStore store;
    private final Scheduler scheduler;
    private final OutboxDispatcher dispatcher;
    /** The SLA board once Camel has started it; empty when sla.board.port is not set. */
    private final Board[] board;

    private SlaBridgeApplication(Main main, JdbcSlaStore store, Scheduler scheduler, OutboxDispatcher dispatcher,
            Board[] board) {
        this.board = board;
        this.main = main;
        this.store = store;
        this.scheduler = scheduler;
        this.dispatcher = dispatcher;
    }

    /**
     * Checks the settings and builds the application, not yet started.
     *
     * @throws StartupException listing every problem, each naming its property
     */
    public static SlaBridgeApplication create(Properties properties, Map<String, String> environment, Clock clock)
            throws StartupException {
        List<String> problems = new ArrayList<>();
        Settings settings = new Settings(properties, environment);
        String policyPath = POLICY.raw(settings);
        PolicySet policies = null;
        String policyText = null;
        if (policyPath == null) {
            problems.add(POLICY.missing("the path of the SLA policy file (YAML), e.g. sla.yaml"));
        } else {
            try {
                Path path = Path.of(policyPath);
                policyText = Files.readString(path);
                policies = PolicyFileParser.parse(path.toString(), policyText);
            } catch (InvalidPolicyException e) {
                for (PolicyProblem p : e.problems()) {
                    problems.add(POLICY.problem(p.toString()));
                }
            } catch (java.nio.file.NoSuchFileException e) {
                problems.add(POLICY.problem("no such file: " + policyPath));
            } catch (java.nio.file.AccessDeniedException e) {
                problems.add(POLICY.problem("permission denied: " + policyPath));
            } catch (IOException e) {
                problems.add(POLICY.problem("cannot read " + policyPath + ": " + e.getMessage()));
            } catch (java.nio.file.InvalidPathException e) {
                problems.add(POLICY.problem("'" + policyPath + "' is not a path (" + e.getReason() + ")"));
            }
        }
        StoreSettings storeSettings = null;
        try {
            storeSettings = StoreSettings.from(properties, environment);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        // The sources: every connector on the class path, run when sla.<name>.enabled says so.
        List<Connector> connectors;
        try {
            connectors = Connectors.discover();
        } catch (IllegalStateException e) {
            throw new StartupException(List.of(e.getMessage()));
        }
        Map<Connector, Source> sources = new LinkedHashMap<>();
        for (Connector connector : connectors) {
            if (Connectors.enabled(connector, settings, problems)) {
                connector.configure(properties, environment, problems).ifPresent(s -> sources.put(connector, s));
            }
        }
        // Slack and Teams steps need their channel running, and what only it can check (a webhook's name).
        if (policies != null) {
            problems.addAll(ChannelChecks.problems(policies, sources.keySet().stream().map(Connector::name)
                    .collect(java.util.stream.Collectors.toSet())));
            for (Source source : sources.values()) {
                problems.addAll(source.checkPolicies(policies));
            }
        }
        // Several instances on one store: pollers only on the leader (the rest is safe everywhere: row locks).
        String lockDir = CLUSTER_FILE_LOCK_DIR.read(settings, problems);
        Duration lockInterval = CLUSTER_LOCK_INTERVAL.read(settings, problems);
        // How long the scheduler sleeps at most between looks (a plain number is milliseconds): the demo's fast
        // clock needs short sleeps, since the scheduler sleeps in real time.
        Duration maxSleep = SCHEDULER_MAX_SLEEP.read(settings, problems);
        // Read by the runtime's routes as placeholders: checked here, so that a bad value stops the start with its
        // name instead of failing a route later, and handed on in milliseconds.
        Duration outboxInterval = OUTBOX_POLL_INTERVAL.read(settings, problems);
        int outboxBatch = OUTBOX_BATCH.read(settings, problems);
        Duration reloadInterval = POLICY_RELOAD_INTERVAL.read(settings, problems);
        // How many of a source's write-back calls (different tickets) may be out at once: a slow answer holds one.
        Map<String, Integer> writeConcurrency = new LinkedHashMap<>();
        for (Connector c : connectors) {
            writeConcurrency.put(c.name(), Connectors.writeConcurrencySetting(c).read(settings, problems));
        }
        // How often the log says what happened (events in, write-backs out, parked); quiet periods print nothing.
        Duration summaryInterval = LOG_SUMMARY_INTERVAL.read(settings, problems);
        if (summaryInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add(LOG_SUMMARY_INTERVAL.problem("must be at least 1s, got " + summaryInterval.toMillis() + " ms"));
        }
        // How long a command being written is kept from other dispatchers; after a crash, how long it waits.
        Duration lease = OUTBOX_LEASE.read(settings, problems);
        leaseProblem(lease, sources.values().stream().map(Source::longestWriteCall).flatMap(Optional::stream).toList())
                .ifPresent(problems::add);
        // A restarted instance takes back the leases it held under this name (on the embedded store, all of them).
        String instanceName = INSTANCE_NAME.read(settings, problems);
        if (instanceName != null && (instanceName.isBlank() || instanceName.strip().length() > 200)) {
            problems.add(INSTANCE_NAME.problem("must be 1 to 200 characters, got '" + instanceName + "'"));
        }
        // The SLA board, when its port is set: its settings are checked with the rest.
        BoardSettings.Values boardSettings = BoardSettings.enabled(settings) ? BoardSettings.read(settings, problems) : null;
        TicketLinks links = TicketLinks.from(settings, problems);
        for (Source source : sources.values()) {
            problems.addAll(source.checkAgainstSource(clock));
        }
        if (!problems.isEmpty()) {
            // A connector's view reads its write concurrency too: one problem is said once.
            throw new StartupException(List.copyOf(new java.util.LinkedHashSet<>(problems)));
        }
        JdbcSlaStore store;
        try {
            store = JdbcSlaStore.open(storeSettings);
            int takenBack = store.takeBackLeases(instanceName == null ? null : instanceName.strip(), clock.instant());
            if (takenBack > 0) {
                LOG.info("Took back {} write-back(s) that were out when this instance last stopped; they go out now",
                        takenBack);
            }
        } catch (StoreException e) {
            throw new StartupException(List.of(STORE_URL.problem(e.getMessage())));
        }

        SlaRuntime runtime = SlaRuntime.of(store, policies, clock);
        Scheduler scheduler = new Scheduler(runtime, clock, maxSleep);
        SlaMetrics metrics = new SlaMetrics(store, clock, runtime::policies);
        runtime.onTransition(metrics::transition);
        // Writers need clients that the connectors' routes make when Camel configures them: bound then.
        // One source's tickets by number for another's links (a Jira field naming a Case by its number), asked at
        // each use: a source makes its client only when Camel configures its routes.
        Map<String, Source> byName = new LinkedHashMap<>();
        sources.forEach((connector, source) -> byName.put(connector.name(), source));
        SourceContext sourceContext = new SourceContext(store, store.dataSource(), SlaRuntimeRoutes.INGEST, clock,
                runtime::policies, SourceContext.numbersOf(byName));
        Map<String, DeferredWriters.Deferred> deferred = new LinkedHashMap<>();
        Set<String> pollingRoutes = new HashSet<>();
        List<RoutesBuilder> sourceRoutes = new ArrayList<>();
        for (Map.Entry<Connector, Source> e : sources.entrySet()) {
            deferred.put(e.getKey().name(), DeferredWriters.taking(e.getKey().writeLimits().maxBatch()));
            sourceRoutes.add(e.getValue().routes(sourceContext));
            pollingRoutes.addAll(e.getValue().pollingRoutes());
        }
        Map<String, OutboxWriter> writers = new LinkedHashMap<>(deferred);
        writeConcurrency.keySet().retainAll(writers.keySet());
        ActivityLog activity = new ActivityLog(summaryInterval);
        OutboxDispatcher dispatcher = new OutboxDispatcher(store, writers, clock, RetryPolicy.DEFAULT, new SecureRandom())
                .withLease(lease).withConcurrency(writeConcurrency).onDelivery((command, outcome) -> {
                    metrics.delivered(command, outcome);
                    activity.delivered(command, outcome);
                });

        Main main = new Main();
        Board[] board = new Board[1];
        Properties camel = new Properties();
        CAMEL_DEFAULTS.forEach(camel::setProperty);
        camel.putAll(properties);
        // The HTTP server holds a whole body in memory before the webhook sees it: bodies far above the webhook's own
        // limit are refused by the server (413), those just above it by the webhook (413 with its reason).
        if (!camel.containsKey("camel.server.maxBodySize") && !camel.containsKey("camel.server.max-body-size")) {
            int webhookLimit = sources.values().stream().map(Source::webhookMaxBytes)
                    .filter(java.util.OptionalInt::isPresent).mapToInt(java.util.OptionalInt::getAsInt).max().orElse(Source.DEFAULT_WEBHOOK_MAX_BYTES);
            camel.setProperty("camel.server.maxBodySize", Long.toString(2L * webhookLimit));
        }
        main.setInitialProperties(camel);
        main.addOverrideProperty(OUTBOX_POLL_INTERVAL.name(), Long.toString(outboxInterval.toMillis()));
        main.addOverrideProperty(OUTBOX_BATCH.name(), Integer.toString(outboxBatch));
        main.addOverrideProperty(POLICY_RELOAD_INTERVAL.name(), Long.toString(reloadInterval.toMillis()));
        main.configure().addRoutesBuilder(new SlaRuntimeRoutes(runtime, scheduler, dispatcher,
                new PolicyReloader(Path.of(policyPath), runtime, policyText)).onIngest((event, outcome) -> {
                    metrics.eventIn(event, outcome);
                    activity.eventIn(event, outcome);
                }));
        main.configure().addRoutesBuilder(activity);
        sourceRoutes.forEach(main.configure()::addRoutesBuilder);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                CamelContext context = m.getCamelContext();
                if (lockDir != null) {
                    electPollers(context, lockDir, lockInterval, pollingRoutes);
                }
                Map<String, OutboxWriter> made = new LinkedHashMap<>();
                sources.forEach((connector, source) -> made.put(connector.name(), source.writer(context)));
                // Escalation notices of every source go out by mail when a source can send it (the mailbox).
                Notices notices = sources.values().stream().map(Source::notices).flatMap(Optional::stream).findFirst()
                        .orElse(DeferredWriters.NO_MAIL);
                deferred.forEach((name, writer) -> writer.bind(made.get(name), notices));
                // The sources' readiness checks; a polled source's state is also on /observe/metrics (sla_source_up).
                List<org.apache.camel.health.HealthCheck> checks = new ArrayList<>();
                for (Source source : sources.values()) {
                    checks.addAll(source.healthChecks(clock));
                }
                HealthCheckRegistry health = HealthCheckRegistry.get(context);
                if (health != null) {
                    health.register(new SlaHealthChecks.Store(store));
                    checks.forEach(health::register);
                }
                // camel-micrometer binds the registry it exposes on /observe/metrics as "metricsRegistry".
                org.apache.camel.spi.Registry beans = m.getCamelContext().getRegistry();
                MeterRegistry registry = beans.lookupByNameAndType("metricsRegistry", MeterRegistry.class);
                if (registry == null) {
                    registry = beans.findByType(MeterRegistry.class).stream().findFirst().orElse(null);
                }
                if (boardSettings != null) {
                    // Started with Camel: HTTPS takes camel.ssl.*'s key store from the context.
                    board[0] = Board.start(boardSettings, store.boardReads(), links, clock, context);
                }
                if (registry != null) {
                    if (board[0] != null) {
                        board[0].bindMetrics(registry);
                    }
                    metrics.bindTo(registry);
                    SlaMetrics.sources(registry, checks.stream().filter(PollHealthCheck.class::isInstance)
                            .map(PollHealthCheck.class::cast).toList());
                    for (Source source : sources.values()) {
                        source.bindMetrics(registry);
                    }
                }
            }
        });
        List<Setting<?>> declared = new ArrayList<>(ApplicationSettings.ALL);
        declared.addAll(BoardSettings.ALL);
        declared.add(TicketLinks.SETTING);
        for (Connector connector : connectors) {
            declared.addAll(sources.containsKey(connector) ? connector.settings()
                    : List.of(Connectors.enabledSetting(connector)));
        }
        // What was set, each secret (by its declaration's mark) as ****: what a support request needs first.
        LOG.info("Settings given (environment over --config over application.properties): {}",
                Setting.shownSet(declared, settings));
        LOG.info("sla-bridge starting: sources {}; store {}; HTTP (webhooks, health, metrics) on port {}; instance {}; "
                + "{} polic{} from {}", writers.isEmpty() ? "none" : String.join(", ", writers.keySet()),
                storeSettings.safeUrl(), camel.getProperty(SERVER_PORT.name()),
                instanceName == null ? "unnamed" : instanceName.strip(), policies.policies().size(),
                policies.policies().size() == 1 ? "y" : "ies", policyPath);
        return new SlaBridgeApplication(main, store, scheduler, dispatcher, board);
    }

    /**
     * A lease no longer than one write-back call may take lets another dispatcher (another instance) take a command
     * that is still out and write it a second time: refused, naming the timeouts it must exceed.
     */
    static Optional<String> leaseProblem(Duration lease, List<WriteCall> calls) {
        List<String> longer = new ArrayList<>();
        Duration longest = Duration.ZERO;
        for (WriteCall call : calls) {
            longer.add(call.settings() + " = " + call.longest().toSeconds() + "s");
            longest = call.longest().compareTo(longest) > 0 ? call.longest() : longest;
        }
        if (lease.compareTo(longest) > 0) {
            return Optional.empty();
        }
        return Optional.of(OUTBOX_LEASE.problem(lease.toMillis() + " ms is not longer than a write-back call "
                + "may take (" + String.join(", ", longer) + "): a command still being written could be written twice"));
    }

    /** The namespace of the pollers' leadership: one instance at a time polls the sources. */
    static final String POLLERS = "sla-bridge-pollers";

    /**
     * Lets only the leader of {@value #POLLERS} run the poll routes ({@code *-poll} and those each source names in
     * {@link Source#pollingRoutes()}); another instance takes over when the leader stops or its lock lapses.
     * Webhooks, ingest, the scheduler and the outbox run everywhere.
     */
    private static void electPollers(CamelContext context, String lockDir, Duration interval, Set<String> polling) {
        FileLockClusterService cluster = new FileLockClusterService();
        cluster.setRoot(lockDir);
        cluster.setAcquireLockDelay(Math.min(1000, interval.toMillis()), TimeUnit.MILLISECONDS);
        cluster.setAcquireLockInterval(interval.toMillis(), TimeUnit.MILLISECONDS);
        try {
            context.addService(cluster);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the cluster service in " + lockDir, e);
        }
        context.addRoutePolicyFactory(new RoutePolicyFactory() {
            @Override
            public RoutePolicy createRoutePolicy(CamelContext camel, String routeId, NamedNode route) {
                if (!routeId.endsWith("-poll") && !polling.contains(routeId)) {
                    return null;
                }
                try {
                    return ClusteredRoutePolicy.forNamespace(cluster, POLLERS);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot elect a leader for " + routeId, e);
                }
            }
        });
    }

    /** Runs until Ctrl-C (or {@link #close()}); returns Camel Main's exit code. */
    public int run() throws Exception {
        try {
            main.run();
            return main.getExitCode();
        } finally {
            close();
        }
    }

    /** Starts in the background (tests, the demo). */
    public void start() throws Exception {
        main.start();
    }

    /** The store the application runs on (the demo reads its tickets' state from it). */
    public JdbcSlaStore store() {
        return store;
    }

    /** The SLA board, once started, when {@code sla.board.port} is set. */
    public Optional<Board> board() {
        return Optional.ofNullable(board[0]);
    }

    public CamelContext camelContext() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            // stopping: nothing more to do
        }
        if (board[0] != null) {
            board[0].close();
        }
        scheduler.stop();
        dispatcher.close();
        store.close();
    }
}
