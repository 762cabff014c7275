package io.slabridge.connector.salesforce;

import java.util.List;

/**
 * A Salesforce call that failed: the HTTP status (0 when no answer came), Salesforce's error codes and its own
 * words. Never carries a credential.
 */
public final class SalesforceCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final List<String> errorCodes;
    private final boolean login;

    public SalesforceCallException(String message, int status, List<String> errorCodes, boolean login, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCodes = List.copyOf(errorCodes);
        this.login = login;
    }

    /** The HTTP status, 0 when Salesforce could not be reached or did not answer in time. */
    public int status() {
        return status;
    }

    public List<String> errorCodes() {
        return errorCodes;
    }

    /** The org's API request limit is used up ({@code REQUEST_LIMIT_EXCEEDED}, or HTTP 429). */
    public boolean limitExceeded() {
        return errorCodes.contains("REQUEST_LIMIT_EXCEEDED") || status == 429;
    }

    /** Salesforce's words for the limit ({@code TotalRequests Limit exceeded.}), else the message. */
    public String limitReason() {
        String m = getMessage();
        int at = m.indexOf("\"message\":\"");
        if (at >= 0) {
            int end = m.indexOf('"', at + 11);
            if (end > at + 11) {
                return "REQUEST_LIMIT_EXCEEDED: " + m.substring(at + 11, end);
            }
        }
        return m;
    }

    /** The credentials were refused: at login, or with 401 after camel-salesforce's own re-login. */
    public boolean credentialsRefused() {
        return status == 401 || (login && status >= 400 && status < 500);
    }

    /** Waiting may help: no answer, a 5xx, a timeout, or a lock or server error code. */
    public boolean transientFailure() {
        if (limitExceeded() || credentialsRefused()) {
            return false;
        }
        // A failure after a 2xx status: the answer was cut short (a timeout while its body came); the call may
        // have been applied or not, like one with no answer.
        return status == 0 || (status >= 200 && status < 300) || status >= 500 || status == 408
                || errorCodes.contains("SERVER_UNAVAILABLE")
                || errorCodes.contains("UNABLE_TO_LOCK_ROW") || errorCodes.contains("QUERY_TIMEOUT")
                || errorCodes.contains("REQUEST_RUNNING_TOO_LONG");
    }
}
