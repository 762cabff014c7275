package io.slabridge.core.model;

/** Where one metric cycle stands at the evaluation instant. */
public enum CycleStatus {
    RUNNING, PAUSED, MET, BREACHED;

    private final String wire = WireName.of(this);

    /** The snake_case name used in events, policy files and output. */
    public String wireName() {
        return wire;
    }
}
