package io.slabridge.connector.api;

import java.time.Duration;
import java.util.Objects;

/**
 * The longest one write-back call to a source may take, and the settings it comes from as an operator reads them
 * ({@code sla.jira.connect-timeout + sla.jira.response-timeout}): the outbox's lease must be longer.
 */
public record WriteCall(Duration longest, String settings) {
    public WriteCall {
        Objects.requireNonNull(longest, "longest");
        Objects.requireNonNull(settings, "settings");
    }
}
