package io.slabridge.routes.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.slabridge.connector.jira.JiraConfig;
import io.slabridge.connector.jira.JiraConfigException;
import io.slabridge.connector.jira.JiraRoutes;
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
import io.slabridge.core.store.JdbcSlaStore;
import io.slabridge.core.store.StoreException;
import io.slabridge.core.store.StoreSettings;
import io.slabridge.routes.runtime.SlaRuntimeRoutes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * The running sla-bridge: the store, the runtime, the enabled connectors' routes, the HTTP servers, health and
 * metrics, on Camel Main. {@link #create} checks every setting first and reports all problems at once; nothing
 * is started until they are fixed.
 *
 * <p>Settings ({@code sla.*}) come from the properties given (the {@code --config} file over
 * {@code application.properties}), then environment variables ({@code sla.jira.url} →
 * {@code SLA_JIRA_URL}). Camel's own ({@code camel.*}) pass through to Camel Main, which also reads them from the
 * environment ({@code CAMEL_SERVER_PORT}).
 */
public final class SlaBridgeApplication implements AutoCloseable {
    /** Defaults for Camel Main that a deployment may override: webhooks on 8080, health and metrics on 9876. */
    static final Map<String, String> CAMEL_DEFAULTS = camelDefaults();

    private static Map<String, String> camelDefaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("camel.main.name", "sla-bridge");
        m.put("camel.server.enabled", "true");
        m.put("camel.server.port", "8080");
        m.put("camel.management.enabled", "true");
        m.put("camel.management.port", "9876");
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

    private SlaBridgeApplication(Main main, JdbcSlaStore store, Scheduler scheduler) {
        this.main = main;
        this.store = store;
        this.scheduler = scheduler;
    }

    /**
     * Checks the settings and builds the application, not yet started.
     *
     * @throws StartupException listing every problem, each naming its property
     */
    public static SlaBridgeApplication create(Properties properties, Map<String, String> environment, Clock clock)
            throws StartupException {
        List<String> problems = new ArrayList<>();
        String policyPath = setting(properties, environment, "sla.policy");
        PolicySet policies = null;
        String policyText = null;
        if (policyPath == null) {
            problems.add("sla.policy: missing; expected the path of the SLA policy file (YAML), e.g. sla.yaml");
        } else {
            Path path = Path.of(policyPath);
            try {
                policyText = Files.readString(path);
                policies = PolicyFileParser.parse(path.toString(), policyText);
            } catch (InvalidPolicyException e) {
                for (PolicyProblem p : e.problems()) {
                    problems.add("sla.policy: " + p);
                }
            } catch (java.nio.file.NoSuchFileException e) {
                problems.add("sla.policy: no such file: " + policyPath);
            } catch (java.nio.file.AccessDeniedException e) {
                problems.add("sla.policy: permission denied: " + policyPath);
            } catch (IOException e) {
                problems.add("sla.policy: cannot read " + policyPath + ": " + e.getMessage());
            }
        }
        StoreSettings storeSettings = null;
        try {
            storeSettings = StoreSettings.from(properties, environment);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        boolean jiraEnabled = enabled(properties, environment, "sla.jira.enabled", problems);
        JiraConfig jiraConfig = null;
        if (jiraEnabled) {
            try {
                jiraConfig = JiraConfig.from(properties, environment);
            } catch (JiraConfigException e) {
                problems.addAll(e.problems());
            }
        }
        for (String source : new String[] {"salesforce", "email"}) {
            if (enabled(properties, environment, "sla." + source + ".enabled", problems)) {
                problems.add("sla." + source + ".enabled: the " + source + " connector is not part of this build yet");
            }
        }
        if (!problems.isEmpty()) {
            throw new StartupException(problems);
        }
        JdbcSlaStore store;
        try {
            store = JdbcSlaStore.open(storeSettings);
        } catch (StoreException e) {
            throw new StartupException(List.of("sla.store.url: " + e.getMessage()));
        }

        SlaRuntime runtime = SlaRuntime.of(store, policies, clock);
        Scheduler scheduler = new Scheduler(runtime, clock, Duration.ofSeconds(30));
        SlaMetrics metrics = new SlaMetrics(store, clock);
        Map<String, OutboxWriter> writers = new LinkedHashMap<>();
        JiraRoutes jira = null;
        if (jiraEnabled) {
            JiraRoutes routes = new JiraRoutes(jiraConfig, store, SlaRuntimeRoutes.INGEST, clock);
            jira = routes;
            // The writer needs the routes' HTTP client, made when Camel configures them: looked up per command.
            writers.put("jira", command -> routes.writer().write(command));
        }
        OutboxDispatcher dispatcher = new OutboxDispatcher(store, writers, clock, RetryPolicy.DEFAULT, new SecureRandom())
                .onDelivery(metrics::delivered);

        Main main = new Main();
        Properties camel = new Properties();
        CAMEL_DEFAULTS.forEach(camel::setProperty);
        camel.putAll(properties);
        main.setInitialProperties(camel);
        main.configure().addRoutesBuilder(new SlaRuntimeRoutes(runtime, scheduler, dispatcher,
                new PolicyReloader(Path.of(policyPath), runtime, policyText)).onIngest(metrics::eventIn));
        if (jira != null) {
            main.configure().addRoutesBuilder(jira);
        }
        JiraRoutes jiraRoutes = jira;
        Duration jiraInterval = jiraConfig == null ? null : jiraConfig.pollInterval();
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                CamelContext context = m.getCamelContext();
                HealthCheckRegistry health = HealthCheckRegistry.get(context);
                if (health != null) {
                    health.register(new SlaHealthChecks.Store(store));
                    if (jiraRoutes != null) {
                        health.register(new SlaHealthChecks.Jira(jiraRoutes, jiraInterval, clock));
                    }
                }
                // camel-micrometer binds the registry it exposes on /observe/metrics as "metricsRegistry".
                org.apache.camel.spi.Registry beans = m.getCamelContext().getRegistry();
                MeterRegistry registry = beans.lookupByNameAndType("metricsRegistry", MeterRegistry.class);
                if (registry == null) {
                    registry = beans.findByType(MeterRegistry.class).stream().findFirst().orElse(null);
                }
                if (registry != null) {
                    metrics.bindTo(registry);
                }
            }
        });
        return new SlaBridgeApplication(main, store, scheduler);
    }

    private static boolean enabled(Properties properties, Map<String, String> environment, String property,
            List<String> problems) {
        String value = setting(properties, environment, property);
        if (value == null) {
            return false;
        }
        switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                problems.add(property + ": '" + value + "'; expected true or false");
                return false;
        }
    }

    static String setting(Properties properties, Map<String, String> environment, String property) {
        String value = properties.getProperty(property);
        if (value == null) {
            value = environment.get(property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return value == null || value.isBlank() ? null : value.strip();
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
        scheduler.stop();
        store.close();
    }
}
