package io.slabridge.connector.jira;

/** A Jira payload that cannot become ticket events: names what is wrong and where. */
public final class JiraPayloadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JiraPayloadException(String message) {
        super(message);
    }
}
