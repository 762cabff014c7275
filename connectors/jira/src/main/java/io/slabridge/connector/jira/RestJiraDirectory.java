package io.slabridge.connector.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link JiraDirectory} over the REST API, caching: who we are and our time zone ({@code /myself}, once), status
 * categories ({@code /status}, again at most every ten minutes when an unknown status turns up), group
 * memberships and reporters (an hour, a bounded number).
 */
public final class RestJiraDirectory implements JiraDirectory {
    private static final Duration MEMBERSHIP_TTL = Duration.ofHours(1);
    private static final Duration STATUS_REFRESH = Duration.ofMinutes(10);
    private static final int CACHE_LIMIT = 10_000;

    private final JiraHttp http;
    private final Clock clock;
    private volatile Myself myself;
    private final Map<String, String> categories = new ConcurrentHashMap<>();
    private volatile Instant statusesReadAt = Instant.MIN;
    private final Map<String, Timed<Set<String>>> groups = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> reporters = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, JsonNode> eldest) {
                    return size() > CACHE_LIMIT;
                }
            });

    public RestJiraDirectory(JiraHttp http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    private record Myself(String id, ZoneId zone) {
    }

    private record Timed<T>(T value, Instant at) {
    }

    private Myself myself() {
        Myself m = myself;
        if (m == null) {
            JsonNode me = JiraRequestException.requireOk(http.get(http.config().apiBase() + "/myself", Map.of())).json();
            ZoneId zone;
            try {
                zone = me.path("timeZone").isTextual() ? ZoneId.of(me.path("timeZone").asText()) : ZoneOffset.UTC;
            } catch (java.time.DateTimeException e) {
                zone = ZoneOffset.UTC;
            }
            String configured = http.config().integrationUser();
            m = new Myself(configured != null ? configured : JiraDirectory.userId(me), zone);
            myself = m;
        }
        return m;
    }

    @Override
    public String integrationUser() {
        String configured = http.config().integrationUser();
        return configured != null ? configured : myself().id();
    }

    /** The integration user's time zone: JQL reads times in it. */
    public ZoneId zone() {
        return myself().zone();
    }

    @Override
    public Set<String> groupsOf(String userId) {
        Instant now = clock.instant();
        Timed<Set<String>> cached = groups.get(userId);
        if (cached != null && cached.at().plus(MEMBERSHIP_TTL).isAfter(now)) {
            return cached.value();
        }
        JsonNode answer;
        Set<String> names = new HashSet<>();
        if (http.config().deployment() == JiraConfig.Deployment.CLOUD) {
            answer = JiraRequestException.requireOk(http.get("/rest/api/3/user/groups", Map.of("accountId", userId))).json();
            answer.forEach(g -> names.add(g.path("name").asText()));
        } else {
            answer = JiraRequestException.requireOk(http.get("/rest/api/2/user",
                    Map.of("username", userId, "expand", "groups"))).json();
            answer.path("groups").path("items").forEach(g -> names.add(g.path("name").asText()));
        }
        if (groups.size() >= CACHE_LIMIT) {
            groups.clear();
        }
        groups.put(userId, new Timed<>(Set.copyOf(names), now));
        return Set.copyOf(names);
    }

    @Override
    public String statusCategory(String statusName) {
        String key = statusName.toLowerCase(Locale.ROOT);
        String category = categories.get(key);
        Instant now = clock.instant();
        if (category == null && statusesReadAt.plus(STATUS_REFRESH).isBefore(now)) {
            statusesReadAt = now;
            JsonNode all = JiraRequestException.requireOk(http.get(http.config().apiBase() + "/status", Map.of())).json();
            for (JsonNode s : all) {
                String c = s.path("statusCategory").path("key").asText(null);
                if (c != null) {
                    categories.put(s.path("name").asText().toLowerCase(Locale.ROOT), c);
                }
            }
            category = categories.get(key);
        }
        return category;
    }

    @Override
    public JsonNode reporterOf(String issueKey) {
        JsonNode cached = reporters.get(issueKey);
        if (cached != null) {
            return cached;
        }
        JiraHttp.Response r = http.get(http.config().apiBase() + "/issue/" + issueKey, Map.of("fields", "reporter"));
        if (r.status() == 404) {
            return MissingNode.getInstance();
        }
        JsonNode reporter = JiraRequestException.requireOk(r).json().path("fields").path("reporter");
        reporters.put(issueKey, reporter);
        return reporter;
    }

    /** Remembers an issue's reporter seen in a payload, saving a call when its comments arrive. */
    public void rememberReporter(String issueKey, JsonNode reporter) {
        if (reporter != null && reporter.isObject()) {
            reporters.put(issueKey, reporter);
        }
    }
}
