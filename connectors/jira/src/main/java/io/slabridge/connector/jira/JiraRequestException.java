package io.slabridge.connector.jira;

import java.time.Duration;

/** Jira answered a read with an error status: its status, its own message, and how long it asked us to wait. */
public final class JiraRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Duration retryAfter;

    JiraRequestException(JiraHttp.Response response) {
        super(response.error() + hint(response.status()));
        this.status = response.status();
        this.retryAfter = response.retryAfter();
    }

    private static String hint(int status) {
        return switch (status) {
            case 401 -> " (Jira rejected the credentials: check sla.jira.email and sla.jira.api-token, or sla.jira.pat)";
            case 403 -> " (the integration user lacks a permission)";
            default -> "";
        };
    }

    public int status() {
        return status;
    }

    /** What Jira asked for (429, some 503s), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Rate limited or failing on Jira's side: worth trying again later. */
    public boolean transientFailure() {
        return status == 429 || status >= 500;
    }

    static JiraHttp.Response requireOk(JiraHttp.Response response) {
        if (!response.ok()) {
            throw new JiraRequestException(response);
        }
        if (response.json() == null) {
            throw new JiraUnavailableException(response.method() + " " + response.path() + ": HTTP " + response.status()
                    + " but the body is not JSON");
        }
        return response;
    }
}
