package io.slabridge.core.io;

/** One event could not be read; the message names the field and what was wrong with it. */
public final class InvalidEventException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidEventException(String message) {
        super(message);
    }
}
