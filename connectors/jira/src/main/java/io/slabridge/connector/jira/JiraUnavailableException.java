package io.slabridge.connector.jira;

/** Jira could not be reached, timed out or answered garbage: worth trying again later. */
public final class JiraUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JiraUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public JiraUnavailableException(String message) {
        super(message);
    }
}
