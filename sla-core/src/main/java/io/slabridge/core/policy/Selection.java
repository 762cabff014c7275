package io.slabridge.core.policy;

/**
 * How the fold picks, for each metric, the winner among the matching policies with a target for it
 * (the policy file's top-level {@code selection}).
 */
public enum Selection {
    /** The candidate whose projected due instant is earliest; ties to the one written first (the default). */
    MOST_AGGRESSIVE("most_aggressive"),
    /**
     * The candidate written first in the file, whatever its due instant: ordered goals as teams migrating from
     * Zendesk or Jira Service Management have them.
     */
    FIRST_MATCH("first_match");

    private final String wireName;

    Selection(String wireName) {
        this.wireName = wireName;
    }

    /** As the policy file writes it. */
    public String wireName() {
        return wireName;
    }

    /** The allowed values, for messages: "most_aggressive, first_match". */
    public static String wireChoices() {
        return java.util.Arrays.stream(values()).map(Selection::wireName).collect(java.util.stream.Collectors.joining(", "));
    }

    /** The selection written {@code text}, or null when there is none such. */
    public static Selection fromWire(String text) {
        for (Selection s : values()) {
            if (s.wireName.equals(text)) {
                return s;
            }
        }
        return null;
    }
}
