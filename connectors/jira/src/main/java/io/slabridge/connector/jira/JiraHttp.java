package io.slabridge.connector.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jira REST API over Camel's HTTP producer: one call, its status, its JSON. Timeouts come from the
 * configuration (a component of its own, {@value #COMPONENT}, so other HTTP users keep theirs). Credentials go
 * in the {@code Authorization} header and are never part of a URI, a log line or an exception.
 */
public final class JiraHttp implements AutoCloseable {
    static final String COMPONENT = "jira-http";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(JiraHttp.class);

    private final JiraConfig config;
    private final ProducerTemplate producer;
    private final String endpoint;
    private final AtomicLong calls = new AtomicLong();
    /** Whether a call has succeeded yet: the first one is logged, so that the log shows which Jira and who. */
    private final AtomicBoolean reached = new AtomicBoolean();
    private final Clock clock;

    private JiraHttp(JiraConfig config, ProducerTemplate producer, String endpoint, Clock clock) {
        this.config = config;
        this.producer = producer;
        this.endpoint = endpoint;
        this.clock = clock;
    }

    /** Registers the connector's HTTP component on {@code context} (once) and returns a client. */
    public static JiraHttp create(CamelContext context, JiraConfig config, Clock clock) {
        if (context.hasComponent(COMPONENT) == null) {
            HttpComponent http = new HttpComponent();
            http.setConnectTimeout(timeout(config.connectTimeout()));
            http.setConnectionRequestTimeout(timeout(config.connectTimeout()));
            http.setResponseTimeout(timeout(config.responseTimeout()));
            http.setSoTimeout(timeout(config.responseTimeout()));
            // HttpClient would otherwise sleep out a 429's or 503's Retry-After and call again by itself: one
            // call is one call, and when to try again is the caller's decision (the outbox's, the poller's).
            http.setAutomaticRetriesDisabled(true);
            context.addComponent(COMPONENT, http);
        }
        // The real address travels in the CamelHttpUri header: one endpoint serves every path.
        String endpoint = COMPONENT + ":" + config.url().getHost() + "?throwExceptionOnFailure=false"
                + "&followRedirects=false&skipRequestHeaders=false";
        return new JiraHttp(config, context.createProducerTemplate(), endpoint, clock);
    }

    private static long timeout(Duration d) {
        return d.toMillis();
    }

    public JiraConfig config() {
        return config;
    }

    /** The clock answers are timed with. */
    Clock clock() {
        return clock;
    }

    /** Calls made since start (for the API-calls benchmark and metrics). */
    public long calls() {
        return calls.get();
    }

    public Response get(String path, Map<String, String> query) {
        return call("GET", path, query, null);
    }

    public Response post(String path, Map<String, String> query, JsonNode body) {
        return call("POST", path, query, body);
    }

    public Response put(String path, Map<String, String> query, JsonNode body) {
        return call("PUT", path, query, body);
    }

    /**
     * One HTTP call. A connection failure or timeout throws {@link JiraUnavailableException}; any HTTP status
     * comes back as a {@link Response}, whose body is parsed as JSON when it is JSON.
     */
    public Response call(String method, String path, Map<String, String> query, JsonNode body) {
        calls.incrementAndGet();
        String uri = config.url() + path + queryString(query);
        Exchange exchange;
        try {
            exchange = producer.send(endpoint, e -> {
                Message in = e.getMessage();
                in.setHeader(Exchange.HTTP_METHOD, method);
                in.setHeader(Exchange.HTTP_URI, uri);
                in.setHeader("Authorization", config.authorization());
                in.setHeader("Accept", "application/json");
                if (body != null) {
                    in.setHeader(Exchange.CONTENT_TYPE, "application/json");
                    in.setBody(JSON.writeValueAsBytes(body));
                } else {
                    in.setBody(null);
                }
            });
        } catch (RuntimeException e) {
            throw new JiraUnavailableException(method + " " + path + ": " + describe(e), e);
        }
        if (exchange.getException() != null) {
            throw new JiraUnavailableException(method + " " + path + ": " + describe(exchange.getException()),
                    exchange.getException());
        }
        Message out = exchange.getMessage();
        Integer status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String text = out.getBody(String.class);
        JsonNode json = null;
        if (text != null && !text.isBlank()) {
            try {
                json = JSON.readTree(text);
            } catch (IOException e) {
                json = null; // an HTML error page from a proxy, say: kept as text for the message
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : new String[] {"Retry-After", "X-RateLimit-Reset", "X-RateLimit-Remaining"}) {
            Object v = out.getHeader(name);
            if (v != null) {
                headers.put(name, v.toString());
            }
        }
        Response response = new Response(method, path, status == null ? 0 : status, json, text, headers, clock.instant());
        if (response.ok() && reached.compareAndSet(false, true)) {
            LOG.info("Jira reached at {}{} ({} {}: HTTP {})", displayUrl(), asWhom(path, json), method, path,
                    response.status());
        }
        return response;
    }

    /** The base URL without any user info (which would be a credential). */
    private String displayUrl() {
        java.net.URI u = config.url();
        return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort())
                + (u.getRawPath() == null ? "" : u.getRawPath());
    }

    /** " as Name (id)" when the call was {@code /myself}, else nothing. */
    private static String asWhom(String path, JsonNode json) {
        if (!path.endsWith("/myself") || json == null) {
            return "";
        }
        String id = JiraDirectory.userId(json);
        String name = json.path("displayName").asText(null);
        return " as " + (name != null ? name + " (" + id + ")" : id);
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    static String queryString(Map<String, String> query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("?");
        for (Map.Entry<String, String> e : query.entrySet()) {
            if (sb.length() > 1) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            producer.stop();
        } catch (RuntimeException e) {
            // closing: nothing left to do
        }
    }

    /** One answer from Jira. */
    public record Response(String method, String path, int status, JsonNode json, String text,
            Map<String, String> headers, Instant receivedAt) {
        public Response {
            Objects.requireNonNull(headers, "headers");
            headers = Map.copyOf(headers);
        }

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /**
         * How long Jira asked us to wait (429, or 503 with {@code Retry-After}): {@code Retry-After} in seconds
         * or as an HTTP date, else {@code X-RateLimit-Reset}; null when it did not say.
         */
        public Duration retryAfter() {
            String after = headers.get("Retry-After");
            if (after != null) {
                try {
                    return Duration.ofSeconds(Math.max(0, Long.parseLong(after.strip())));
                } catch (NumberFormatException e) {
                    try {
                        Instant at = java.time.ZonedDateTime.parse(after.strip(),
                                java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                        return nonNegative(Duration.between(receivedAt, at));
                    } catch (DateTimeParseException ignored) {
                        // fall through to the reset header
                    }
                }
            }
            String reset = headers.get("X-RateLimit-Reset");
            if (reset != null) {
                try {
                    return nonNegative(Duration.between(receivedAt, OffsetDateTime.parse(reset.strip()).toInstant()));
                } catch (DateTimeParseException ignored) {
                    return null;
                }
            }
            return null;
        }

        private static Duration nonNegative(Duration d) {
            return d.isNegative() ? Duration.ZERO : d;
        }

        /** Jira's own words for a failure ({@code errorMessages} and {@code errors}), or the status. */
        public String error() {
            StringBuilder sb = new StringBuilder();
            sb.append(method).append(' ').append(path).append(": HTTP ").append(status);
            if (json != null) {
                for (JsonNode m : json.path("errorMessages")) {
                    sb.append("; ").append(m.asText());
                }
                json.path("errors").fields().forEachRemaining(f -> sb.append("; ").append(f.getKey()).append(": ")
                        .append(f.getValue().asText()));
            } else if (text != null && !text.isBlank()) {
                String t = text.strip();
                sb.append("; ").append(t, 0, Math.min(t.length(), 200));
            }
            return sb.toString();
        }
    }
}
