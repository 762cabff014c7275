package io.slabridge.core.model;

/** The one-word SLA state agents see on a ticket (SLA-SPEC section 5). */
public enum SummaryState {
    BREACHED("Breached"), AT_RISK("At risk"), PAUSED("Paused"), ON_TRACK("On track"), MET("Met"),
    /** The ticket has no SLA cycle at all (no matching policy has a target for it). */
    NONE("No SLA");

    private final String label;

    SummaryState(String label) {
        this.label = label;
    }

    /** The label written into the ticket's SLA field. */
    public String label() {
        return label;
    }
}
