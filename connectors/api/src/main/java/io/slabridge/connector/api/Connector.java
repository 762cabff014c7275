package io.slabridge.connector.api;

import io.slabridge.core.config.Setting;
import io.slabridge.core.config.Settings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A ticket source sla-bridge can read from and write back to, found at start by {@link java.util.ServiceLoader}:
 * a module on the classpath lists its implementation in
 * {@code META-INF/services/io.slabridge.connector.api.Connector}, and {@link Connectors#discover()} finds it. The
 * application names no source: it runs each one whose {@code sla.<name>.enabled} is true.
 *
 * <p>An implementation has a public no-argument constructor and holds no state; {@link #configure} reads its
 * settings and returns the {@link Source} that runs with them. A source that keeps tables of its own in the store
 * migrates them itself, under a Flyway history of its own, when it opens them (the mailbox's {@code MailStore}), so
 * the store's migrations know nothing of any source.
 */
public interface Connector {

    /**
     * The source's name, lower case: the prefix of its settings ({@code sla.<name>.*}), of its routes' ids
     * ({@code <name>-...}) and of its tickets' keys ({@code <name>:...}).
     */
    String name();

    /**
     * The source's settings ({@code sla.<name>.*}), each declared once: name, kind, default, secret mark and what it
     * is for. The settings reference is generated from them, and start-up lists those given with secrets masked. The
     * switch {@code sla.<name>.enabled} and {@code sla.<name>.write-concurrency}, when declared here, are read from
     * these declarations.
     */
    List<Setting<?>> settings();

    /** Whether it runs when {@code sla.<name>.enabled} is not set: no source runs unless asked to. */
    default boolean enabledByDefault() {
        return false;
    }

    /** How many write-back calls may be out at once, and how many commands one call may carry. */
    default WriteLimits writeLimits() {
        return WriteLimits.ONE_AT_A_TIME;
    }

    /**
     * Where one of the source's tickets opens in a browser, from the source's own settings: a URL with {@code {id}}
     * standing for the key after {@code <name>:} (Jira: {@code <sla.jira.url>/browse/{id}}); empty when its tickets
     * have no page or the settings do not say where. Chat alerts and the board link tickets with it, unless
     * {@code sla.ticket-link.<name>} says otherwise ({@link TicketLinks}).
     */
    default Optional<String> ticketPage(Settings settings) {
        return Optional.empty();
    }

    /**
     * Reads and checks the source's settings with the one precedence of {@code Settings}: {@code environment}
     * ({@code SLA_JIRA_URL} for {@code sla.jira.url}) over {@code properties}.
     *
     * @param problems where each wrong or missing setting is added, naming its property
     * @return the configured source; empty when a problem was added
     */
    Optional<Source> configure(Properties properties, Map<String, String> environment, List<String> problems);
}
