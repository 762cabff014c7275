package io.slabridge.core.policy;

/** What a reopen (status leaving resolved or closed) does to the resolution clock. */
public enum ReopenMode {
    /** The last resolution cycle goes on with its elapsed time kept (the default). */
    RESUME,
    /** A new resolution cycle starts at the reopen with a fresh target. */
    RESTART
}
