package io.slabridge.connector.salesforce;

/** A record from Salesforce lacks what its event needs; the message names the record and the field. */
public final class SalesforcePayloadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SalesforcePayloadException(String message) {
        super(message);
    }
}
