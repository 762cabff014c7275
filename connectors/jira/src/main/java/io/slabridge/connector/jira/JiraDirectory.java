package io.slabridge.connector.jira;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * What the normalizer needs to know about a Jira instance beyond one payload: who we are, which groups a user is
 * in, which category a status belongs to, and an issue's reporter when a webhook leaves it out. The REST
 * implementation ({@link RestJiraDirectory}) caches every answer.
 */
public interface JiraDirectory {
    /** The account id (Cloud) or user name (Data Center) of the integration user: its changes are ours. */
    String integrationUser();

    /** Names of the groups {@code userId} is in. */
    Set<String> groupsOf(String userId);

    /** The status category key ({@code new}, {@code indeterminate}, {@code done}) of a status name, or null. */
    String statusCategory(String statusName);

    /** The issue's reporter object, or a missing node when it has none. */
    JsonNode reporterOf(String issueKey);

    /** The user's identity in either deployment: account id on Cloud, name (else key) on Data Center. */
    static String userId(JsonNode user) {
        if (user == null || user.isMissingNode() || user.isNull()) {
            return null;
        }
        for (String field : new String[] {"accountId", "name", "key"}) {
            JsonNode v = user.get(field);
            if (v != null && v.isTextual() && !v.asText().isEmpty()) {
                return v.asText();
            }
        }
        return null;
    }
}
