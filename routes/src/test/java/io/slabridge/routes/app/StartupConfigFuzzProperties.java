package io.slabridge.routes.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * {@code sla-bridge run}'s settings fuzzed: a complete, valid configuration (Jira, Salesforce and email enabled)
 * with one to three settings set to bad durations, URLs, numbers, sizes, unknown enum values, empty values, odd text,
 * or removed. {@link SlaBridgeApplication#create} either builds the application or throws {@link StartupException}
 * listing problems, each beginning with the property it is about; never another exception; never a secret of the
 * configuration in a message. A setting of a checked kind given a value that is wrong for every kind is always
 * named.
 */
class StartupConfigFuzzProperties {
    private static final Path DIR = tempDir();
    private static final Map<String, String> BASE = base();
    /** Secrets: their values must never show in a problem. */
    private static final List<String> SECRETS = List.of("sla.jira.api-token", "sla.jira.webhook-secret",
            "sla.salesforce.client-secret", "sla.email.imap.password", "sla.email.smtp.password", "sla.store.password");
    /** Settings read as a duration, number, size, boolean, enum or URL: a value wrong for all of these is refused. */
    private static final List<String> CHECKED = List.of("sla.jira.enabled", "sla.jira.url", "sla.jira.deployment",
            "sla.jira.poll-interval", "sla.jira.poll-overlap", "sla.jira.poll-lookback", "sla.jira.page-size",
            "sla.jira.webhook-max-bytes", "sla.jira.webhook-unsigned", "sla.jira.service-management",
            "sla.jira.customer-rule", "sla.jira.status.Done", "sla.jira.priority.P1", "sla.jira.default-priority",
            "sla.jira.internal-visibility", "sla.jira.connect-timeout", "sla.jira.response-timeout",
            "sla.salesforce.enabled", "sla.salesforce.login-url", "sla.salesforce.auth", "sla.salesforce.poll-interval",
            "sla.salesforce.page-size", "sla.salesforce.status.Escalated", "sla.salesforce.default-priority",
            "sla.salesforce.request-timeout", "sla.salesforce.comment-object", "sla.email.enabled", "sla.email.imap.url",
            "sla.email.smtp.url", "sla.email.smtp.starttls", "sla.email.from", "sla.email.poll-interval",
            "sla.email.lookback", "sla.email.max-message-size", "sla.email.internal-rule", "sla.email.auto-resolve-after",
            "sla.email.ack.enabled", "sla.email.ack.zone", "sla.email.ack.per-sender-per-day",
            "sla.email.default-priority", "sla.email.status-tag.[done]", "sla.cluster.lock-interval",
            "sla.scheduler.max-sleep", "sla.store.pool-size", "sla.policy", "sla.outbox.poll-interval", "sla.outbox.batch",
            "sla.policy.reload-interval");
    /** Values no checked setting accepts. */
    private static final List<String> WRONG_FOR_ALL = List.of("soon!", "-5x", "\u221e");
    private static final List<String> ODD = List.of("", " ", "0", "-1", "1", "99999999999999999999", "9999999999GB",
            "1e3", "5 m", "5min", "PT", "P-1D", "PT0S", "0ms", "http://", "https:/x", "not a url", "ftp://x.example",
            "://", "imap://", "smtps://:465", "mailto:x@y", "true", "maybe", "TRUE", "yes", "on", "cloud", "on-prem",
            "urgent", "whatever", "reporter", "agent-group:", "agent-domain:,", "role:", "group:x", "Europe/Nowhere",
            "x".repeat(5000), "\u0000", "${env:HOME}", "{{sla.policy}}", "#", "=", "a=b;c", "%s%n",
            "jdbc:mysql://127.0.0.1/sla");
    private static final AtomicLong BUILT = new AtomicLong();
    private static final AtomicLong REFUSED = new AtomicLong();
    private static final AtomicLong PROBLEMS = new AtomicLong();

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("startup-fuzz");
            Files.writeString(dir.resolve("sla.yaml"), """
                    calendars:
                      always: { zone: UTC, week: 24x7 }
                    policies:
                      - name: standard
                        calendar: always
                        targets: { first_response: 1h }
                    """);
            dir.toFile().deleteOnExit();
            dir.resolve("sla.yaml").toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> base() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sla.policy", DIR.resolve("sla.yaml").toString());
        // In memory only while an application holds it: a try whose fuzzed store password opened it first must not
        // leave it behind for the next (H2 keeps the first password a database was opened with).
        m.put("sla.store.url", "jdbc:h2:mem:startupfuzz;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        m.put("sla.store.user", "sa");
        m.put("sla.store.password", "store-Secret-4711");
        m.put("sla.store.pool-size", "2");
        m.put("sla.jira.enabled", "true");
        m.put("sla.jira.url", "https://acme.atlassian.net");
        m.put("sla.jira.deployment", "cloud");
        m.put("sla.jira.email", "sla-bridge@acme.example");
        m.put("sla.jira.api-token", "jira-Token-0815");
        m.put("sla.jira.webhook-secret", "webhook-Secret-1234");
        m.put("sla.jira.webhook-unsigned", "false");
        m.put("sla.jira.webhook-max-bytes", "2MB");
        m.put("sla.jira.projects", "SUP, OPS");
        m.put("sla.jira.poll-interval", "60s");
        m.put("sla.jira.poll-overlap", "2m");
        m.put("sla.jira.poll-lookback", "1d");
        m.put("sla.jira.page-size", "50");
        m.put("sla.jira.service-management", "true");
        m.put("sla.jira.customer-rule", "agent-domain:acme.example");
        m.put("sla.jira.status.Done", "resolved");
        m.put("sla.jira.priority.P1", "urgent");
        m.put("sla.jira.default-priority", "normal");
        m.put("sla.jira.internal-visibility", "role:Developers");
        m.put("sla.jira.connect-timeout", "5s");
        m.put("sla.jira.response-timeout", "30s");
        m.put("sla.jira.field.tier", "customfield_10050");
        m.put("sla.salesforce.enabled", "true");
        m.put("sla.salesforce.login-url", "https://login.salesforce.com");
        m.put("sla.salesforce.client-id", "3MVG9-consumer-key");
        m.put("sla.salesforce.client-secret", "sf-Secret-9876");
        m.put("sla.salesforce.auth", "client-credentials");
        m.put("sla.salesforce.poll-interval", "60s");
        m.put("sla.salesforce.page-size", "200");
        m.put("sla.salesforce.status.Escalated", "in_progress");
        m.put("sla.salesforce.default-priority", "normal");
        m.put("sla.salesforce.request-timeout", "60s");
        m.put("sla.salesforce.comment-object", "CaseComment");
        m.put("sla.email.enabled", "true");
        m.put("sla.email.imap.url", "imaps://imap.acme.example:993");
        m.put("sla.email.imap.user", "support@acme.example");
        m.put("sla.email.imap.password", "imap-Secret-5555");
        m.put("sla.email.smtp.url", "smtp://smtp.acme.example:587");
        m.put("sla.email.smtp.starttls", "required");
        m.put("sla.email.smtp.user", "support@acme.example");
        m.put("sla.email.smtp.password", "smtp-Secret-6666");
        m.put("sla.email.from", "support@acme.example");
        m.put("sla.email.support-domains", "acme.example");
        m.put("sla.email.poll-interval", "60s");
        m.put("sla.email.lookback", "7d");
        m.put("sla.email.max-message-size", "25MB");
        m.put("sla.email.internal-rule", "tag-only");
        m.put("sla.email.auto-resolve-after", "7d");
        m.put("sla.email.ack.enabled", "true");
        m.put("sla.email.ack.zone", "Europe/Berlin");
        m.put("sla.email.ack.per-sender-per-day", "5");
        m.put("sla.email.default-priority", "normal");
        m.put("sla.email.status-tag.[done]", "resolved");
        m.put("sla.cluster.lock-interval", "10s");
        m.put("sla.scheduler.max-sleep", "30s");
        m.put("sla.outbox.poll-interval", "500");
        m.put("sla.outbox.batch", "50");
        m.put("sla.policy.reload-interval", "5000");
        return m;
    }

    /** A configuration and which settings were changed. */
    record Config(Map<String, String> settings, List<String> changed) {
        @Override
        public String toString() {
            List<String> shown = new ArrayList<>();
            for (String key : changed) {
                String v = settings.get(key);
                shown.add(key + "=" + (v == null ? "(removed)" : v.length() > 60 ? v.substring(0, 60) + "..." : v));
            }
            return shown.toString();
        }
    }

    @Provide
    Arbitrary<Config> configs() {
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            Map<String, String> m = new LinkedHashMap<>(BASE);
            List<String> keys = new ArrayList<>(m.keySet());
            keys.remove("sla.store.url"); // a store URL is tried for real: only checked values (below) are fuzzed
            List<String> changed = new ArrayList<>();
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                String key = random.nextInt(3) == 0 ? CHECKED.get(random.nextInt(CHECKED.size()))
                        : keys.get(random.nextInt(keys.size()));
                switch (random.nextInt(6)) {
                    case 0 -> m.remove(key);
                    case 1 -> m.put(key, WRONG_FOR_ALL.get(random.nextInt(WRONG_FOR_ALL.size())));
                    case 2 -> m.put(key, BASE.get(keys.get(random.nextInt(keys.size())))); // another setting's value
                    default -> m.put(key, ODD.get(random.nextInt(ODD.size())));
                }
                changed.add(key);
            }
            if (random.nextInt(10) == 0) {
                m.put("sla.store.url", "jdbc:mysql://127.0.0.1/sla");
                changed.add("sla.store.url");
            }
            return new Config(m, changed);
        });
    }

    @Example
    void theConfigurationTheMutationsStartFromIsValid() throws Exception {
        Properties p = new Properties();
        p.putAll(BASE);
        try {
            SlaBridgeApplication.create(p, Map.of(), Clock.systemUTC()).close();
        } catch (StartupException e) {
            throw new AssertionError("the base configuration is refused: " + e.problems(), e);
        }
    }

    @Property(tries = 120)
    void settingsBuildTheApplicationOrEveryProblemIsNamedWithoutSecrets(@ForAll("configs") Config config) {
        Properties p = new Properties();
        p.putAll(config.settings());
        SlaBridgeApplication app;
        try {
            app = SlaBridgeApplication.create(p, Map.of(), Clock.systemUTC());
        } catch (StartupException e) {
            REFUSED.incrementAndGet();
            PROBLEMS.addAndGet(e.problems().size());
            assertFalse(e.problems().isEmpty());
            for (String problem : e.problems()) {
                assertTrue(problem.startsWith("sla."), () -> "a problem begins with its property: " + problem);
                for (String secret : SECRETS) {
                    String value = config.settings().get(secret);
                    // A secret copied into another setting is that setting's value, which its problem may quote.
                    if (value != null && value.strip().length() >= 6 && !valueOfAnotherSetting(secret, value, config)) {
                        assertFalse(problem.contains(value.strip()), () -> "the value of " + secret + " shows in: " + problem);
                    }
                }
            }
            for (String key : config.changed()) {
                String value = config.settings().get(key);
                if (CHECKED.contains(key) && value != null && WRONG_FOR_ALL.contains(value) && !overridden(key, config)) {
                    assertTrue(e.problems().stream().anyMatch(l -> l.startsWith(key + ":") || l.contains(key + " ")
                            || l.contains(" " + key + ":")), () -> key + "=" + value + " is named in " + e.problems());
                }
            }
            return;
        }
        BUILT.incrementAndGet();
        for (String key : config.changed()) {
            String value = config.settings().get(key);
            assertFalse(CHECKED.contains(key) && value != null && WRONG_FOR_ALL.contains(value) && !overridden(key, config),
                    () -> key + "=" + value + " was accepted");
        }
        app.close();
    }

    private static boolean valueOfAnotherSetting(String secret, String value, Config config) {
        return config.settings().entrySet().stream().anyMatch(e -> !e.getKey().equals(secret) && !SECRETS.contains(e.getKey())
                && value.equals(e.getValue()));
    }

    /** A wrong value that is never read: its connector is disabled, or the setting does not apply. */
    private static boolean overridden(String key, Config config) {
        for (String connector : List.of("jira", "salesforce", "email")) {
            if (key.startsWith("sla." + connector + ".") && !key.equals("sla." + connector + ".enabled")
                    && !"true".equalsIgnoreCase(String.valueOf(config.settings().get("sla." + connector + ".enabled")).strip())) {
                return true;
            }
        }
        // STARTTLS is a choice of smtp:// only.
        return key.equals("sla.email.smtp.starttls") && !String.valueOf(config.settings().get("sla.email.smtp.url"))
                .startsWith("smtp://");
    }

    @AfterContainer
    static void tally() {
        System.out.printf("startup config fuzz: %d configurations (%d built, %d refused with %d problems)%n",
                BUILT.get() + REFUSED.get(), BUILT.get(), REFUSED.get(), PROBLEMS.get());
        if (BUILT.get() + REFUSED.get() > 0) {
            assertTrue(BUILT.get() > 0 && REFUSED.get() > 0, "the mutations reach both outcomes");
        }
    }
}
