package io.slabridge.core.model;

/** Where one metric cycle stands at the evaluation instant. */
public enum CycleStatus {
    RUNNING, PAUSED, MET, BREACHED;

    public String wireName() {
        return WireName.of(this);
    }
}
