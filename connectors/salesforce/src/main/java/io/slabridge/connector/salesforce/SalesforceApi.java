package io.slabridge.connector.salesforce;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.apache.camel.component.salesforce.internal.SalesforceSession;
import org.apache.camel.component.salesforce.internal.client.SalesforceSecurityHandler;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.eclipse.jetty.client.ProtocolHandler;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.transport.HttpRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Salesforce REST API through camel-salesforce's {@code raw} operation: camel-salesforce does the OAuth
 * login (client credentials, JWT bearer or username-password), logs in again and repeats the call when a token
 * has expired (401), and owns the HTTP client (Jetty: TLS, proxy, timeouts). This class builds the paths and
 * JSON bodies and reads the answers as JSON trees: no generated DTOs. The typed sObject Collections operations
 * of camel-salesforce need DTO classes generated from a live org, so the collections are called through
 * {@code raw} with their documented paths.
 *
 * <p>The component is registered under a name of its own ({@code sla-salesforce-N}), so an application's own
 * {@code salesforce} component keeps its settings. It logs in lazily, on the first call: sla-bridge starts
 * even while Salesforce cannot be reached, and the poller and the outbox retry.
 *
 * <p>The org's API request limit ({@code REQUEST_LIMIT_EXCEEDED}) is org-wide: once any call meets it, every call
 * through this client (the poller's, the writer's, logins) is refused here, without a request, until
 * {@code sla.salesforce.limit-retry-after} has passed. The poller and the writer share one client for that.
 */
public final class SalesforceApi {
    private static final Logger LOG = LoggerFactory.getLogger(SalesforceApi.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    static final ObjectMapper JSON = new ObjectMapper();

    private final SalesforceConfig config;
    private final SalesforceComponent component;
    private final String endpoint;
    private final ProducerTemplate producer;
    private final Clock clock;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong logins = new AtomicLong();
    private final AtomicLong limitHits = new AtomicLong();
    private volatile String tokenUser;
    private volatile boolean loginGuarded;
    private volatile boolean loggedInOnce;
    /** The org's API limit as last met, or null; kept after it passed until a call goes through (to log that). */
    private volatile Limited limited;
    private volatile CaseSchema caseSchema;

    /** The org's API request limit was met: every call waits until {@code until}. */
    public record Limited(Instant until, String reason) {
    }

    private SalesforceApi(SalesforceConfig config, SalesforceComponent component, String endpoint, ProducerTemplate producer,
            Clock clock) {
        this.config = config;
        this.component = component;
        this.endpoint = endpoint;
        this.producer = producer;
        this.clock = clock;
    }

    /** Registers a camel-salesforce component for {@code config} in {@code camel}. */
    public static SalesforceApi create(CamelContext camel, SalesforceConfig config) {
        return create(camel, config, Clock.systemUTC());
    }

    /** As {@link #create(CamelContext, SalesforceConfig)}, timing the API limit's wait with {@code clock}. */
    public static SalesforceApi create(CamelContext camel, SalesforceConfig config, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        QuietStopComponent c = new QuietStopComponent();
        c.setLoginUrl(config.loginUrl());
        c.setClientId(config.clientId());
        switch (config.auth()) {
            case CLIENT_CREDENTIALS -> {
                c.setAuthenticationType(AuthenticationType.CLIENT_CREDENTIALS);
                c.setClientSecret(config.clientSecret());
            }
            case JWT -> {
                c.setAuthenticationType(AuthenticationType.JWT);
                c.setUserName(config.username());
                KeyStoreParameters keystore = new KeyStoreParameters();
                keystore.setResource("file:" + config.keystore().toAbsolutePath());
                keystore.setPassword(config.keystorePassword());
                String name = config.keystore().getFileName().toString().toLowerCase(java.util.Locale.ROOT);
                keystore.setType(name.endsWith(".jks") ? "JKS" : "PKCS12");
                c.setKeystore(keystore);
                if (config.jwtAudience() != null) {
                    c.setJwtAudience(config.jwtAudience());
                }
            }
            case USERNAME_PASSWORD -> {
                c.setAuthenticationType(AuthenticationType.USERNAME_PASSWORD);
                c.setClientSecret(config.clientSecret());
                c.setUserName(config.username());
                c.setPassword(config.password());
            }
        }
        if (config.instanceUrl() != null) {
            c.setInstanceUrl(config.instanceUrl());
        }
        c.setLazyLogin(true);
        // No generated DTOs: an empty package list (scanned in no time) instead of the component's warning.
        c.setPackages("io.slabridge.connector.salesforce.dto");
        c.setHttpRequestTimeout(config.requestTimeout().toMillis());
        SalesforceEndpointConfig endpointConfig = new SalesforceEndpointConfig();
        endpointConfig.setApiVersion(config.apiVersion());
        c.setConfig(endpointConfig);
        String name = "sla-salesforce-" + INSTANCES.incrementAndGet();
        camel.addComponent(name, c);
        SalesforceApi api = new SalesforceApi(config, c, name + ":raw?format=JSON", camel.createProducerTemplate(), clock);
        c.beforeStop = api::logOut;
        return api;
    }

    /** camel-salesforce's component, whose stop first revokes the token our way ({@link #logOut()}). */
    private static final class QuietStopComponent extends SalesforceComponent {
        private volatile Runnable beforeStop = () -> { };

        @Override
        protected void doStop() throws Exception {
            beforeStop.run();
            super.doStop();
        }
    }

    /** How long the token revoke at stop may take; then the stop goes on (the token expires by itself). */
    static final Duration REVOKE_WAIT = Duration.ofSeconds(5);

    /**
     * Revokes the token at stop, as camel-salesforce's session would when the component stops, but quietly and in
     * at most {@link #REVOKE_WAIT}: a refused revoke (401 for a token already gone, 500) or none at all only ends
     * in a log line. The session forgets its token in any case, so the component's own stop has nothing to revoke.
     */
    void logOut() {
        SalesforceSession session = component.getSession();
        if (session == null || session.getAccessToken() == null) {
            return;
        }
        try {
            session.logout();
        } catch (SalesforceException | RuntimeException e) {
            LOG.info("Salesforce: the token revoke at stop did not complete ({}); the token expires by itself",
                    e.getMessage());
        }
    }

    public SalesforceConfig config() {
        return config;
    }

    /** The clock the API limit's wait is timed with. */
    Clock clock() {
        return clock;
    }

    /** REST calls made so far (logins excluded: they do not count against the org's API limit). */
    public long calls() {
        return calls.get();
    }

    /**
     * The integration user's id (15 characters, case-sensitive, as every comparison here uses): configured, or
     * the user the OAuth token was issued to, read from the token response's identity URL.
     */
    public String integrationUser() {
        if (config.integrationUser() != null) {
            return shortId(config.integrationUser());
        }
        if (tokenUser == null) {
            ensureLogin();
        }
        return tokenUser;
    }

    /** The first 15 characters of an id: Salesforce's 18-character ids only add a case-insensitive checksum. */
    static String shortId(String id) {
        return id == null || id.length() < 15 ? id : id.substring(0, 15);
    }

    private SalesforceSession session() {
        SalesforceSession session = component.getSession();
        if (session == null) {
            // The component starts with the Camel context; a call before that is a programming error.
            throw new IllegalStateException("the Camel context holding the Salesforce component is not started");
        }
        return session;
    }

    /** Logs in when there is no session yet (the component logs in lazily). */
    private void ensureLogin() {
        SalesforceSession session = session();
        guardLogin();
        holdWhileLimited();
        if (session.getAccessToken() == null) {
            try {
                session.login(null);
                logins.incrementAndGet();
            } catch (SalesforceException e) {
                SalesforceCallException refused = new SalesforceCallException("Salesforce login at " + config.loginUrl()
                        + " failed (" + config.auth().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                        + "): " + describe(e), e.getStatusCode(), codes(e), true, null);
                noteLimit(refused);
                throw refused;
            }
        }
        String id = session.getId();
        if (id != null && tokenUser == null) {
            tokenUser = shortId(id.substring(id.lastIndexOf('/') + 1));
        }
        if (!loggedInOnce && session.getAccessToken() != null) {
            loggedInOnce = true;
            LOG.info("Salesforce: logged in as {} ({}), instance {}", config.username() != null ? config.username()
                    : "the connected app's run-as user", tokenUser, session.getInstanceUrl());
        }
    }

    /** Calls made through the org's API limit so far: each answer {@code REQUEST_LIMIT_EXCEEDED} (403) counts. */
    public long limitHits() {
        return limitHits.get();
    }

    /** The org's API limit while its wait lasts; empty when calls go out. */
    public Optional<Limited> limitedNow() {
        Limited l = limited;
        return l != null && clock.instant().isBefore(l.until()) ? Optional.of(l) : Optional.empty();
    }

    /** How long calls still wait for the org's API limit (zero when they go out). */
    public Duration limitWait() {
        return limitedNow().map(l -> Duration.between(clock.instant(), l.until())).orElse(Duration.ZERO);
    }

    /** Refuses the call, without a request, while the org's API limit's wait lasts. */
    private void holdWhileLimited() {
        Limited l = limitedNow().orElse(null);
        if (l != null) {
            throw new SalesforceCallException("the org's API request limit was reached (" + l.reason()
                    + "): no Salesforce call before " + l.until(), 0, List.of(LIMIT_CODE), false, null);
        }
    }

    private static final String LIMIT_CODE = "REQUEST_LIMIT_EXCEEDED";

    /**
     * Starts (or lengthens) the wait when Salesforce answered the org's limit. Only its documented answer, HTTP 403
     * with {@code REQUEST_LIMIT_EXCEEDED}, stops the whole client: a 429 (from a proxy in front) waits its own call.
     */
    private void noteLimit(SalesforceCallException e) {
        if (e.status() != 403 || !e.errorCodes().contains(LIMIT_CODE)) {
            return;
        }
        limitHits.incrementAndGet();
        Instant until = clock.instant().plus(config.limitRetryAfter());
        boolean started;
        synchronized (this) {
            Limited before = limitedNow().orElse(null);
            started = before == null;
            if (before == null || before.until().isBefore(until)) {
                limited = new Limited(until, e.limitReason());
            }
        }
        if (started) {
            LOG.warn("Salesforce: the org's API request limit is reached ({}): every Salesforce call of sla-bridge "
                    + "(polls, write-backs, logins) waits until {} (sla.salesforce.limit-retry-after = {})",
                    e.limitReason(), until, config.limitRetryAfter());
        }
    }

    /** A call went through: a limit met before is over. */
    private void noteThrough() {
        Limited l = limited;
        if (l != null && !clock.instant().isBefore(l.until())) {
            synchronized (this) {
                if (limited == l) {
                    limited = null;
                    LOG.info("Salesforce: calls go through again after the org's API request limit (waited until {})",
                            l.until());
                }
            }
        }
    }

    /**
     * Leaves the token endpoint's refusals to the login itself. camel-salesforce 4.18.0's security handler takes
     * every 401 and 400, and for a 401 to a login (which no REST client made) it fails with a NullPointerException
     * before passing the answer on: the login never completes, its thread waits for good, and every later login
     * waits behind it. With the handler wrapped, a refused login is a {@link SalesforceException} like any other;
     * the handler's own re-logins (after a REST call's 401) and everything else still go through it.
     */
    private void guardLogin() {
        if (loginGuarded) {
            return;
        }
        synchronized (this) {
            org.apache.camel.component.salesforce.SalesforceHttpClient client = component.getHttpClient();
            if (!loginGuarded && client != null) {
                // Same name: it takes the original's place, ahead of Jetty's own 401 handler.
                client.getProtocolHandlers().put(new LoginAnswersToLogin(new SalesforceSecurityHandler(client)));
                // The revoke is sent with the session's timeout (the request timeout, 60 s by default): a stop
                // waits no longer than REVOKE_WAIT for it.
                client.getRequestListeners().addQueuedListener(request -> {
                    if (LoginAnswersToLogin.revoke(request)) {
                        client.getScheduler().schedule(() -> request.abort(new java.util.concurrent.TimeoutException(
                                "no answer to the token revoke within " + REVOKE_WAIT.toSeconds() + " s")),
                                REVOKE_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                    }
                });
                loginGuarded = true;
            }
        }
    }

    /** camel-salesforce's security handler, except for the answer to a login of ours (see {@link #guardLogin()}). */
    static final class LoginAnswersToLogin implements ProtocolHandler {
        /** The conversation attribute the handler sets when it logs in again for a request (its own re-login). */
        private static final String RELOGIN = SalesforceSecurityHandler.class.getName() + ".request";
        private static final String TOKEN_PATH = "/services/oauth2/token";
        private static final String REVOKE_PATH = "/services/oauth2/revoke";

        private final ProtocolHandler handler;

        LoginAnswersToLogin(ProtocolHandler handler) {
            this.handler = handler;
        }

        static boolean ownLogin(Request request) {
            return revoke(request) || request.getPath() != null && request.getPath().endsWith(TOKEN_PATH)
                    && !(request instanceof HttpRequest r && r.getConversation().getAttribute(RELOGIN) != null);
        }

        /**
         * The token revoke at stop: the handler would take a 401 to it for an expired token and fail as for a login
         * (a NullPointerException, and the stop waiting for an answer that never comes); its answer goes back to the
         * session, which only logs it.
         */
        static boolean revoke(Request request) {
            return request.getPath() != null && request.getPath().endsWith(REVOKE_PATH);
        }

        @Override
        public String getName() {
            return handler.getName();
        }

        @Override
        public boolean accept(Request request, Response response) {
            if (ownLogin(request)) {
                // Taken here, so that no other handler (Jetty's for 401 challenges) claims it either.
                return response.getStatus() == 400 || response.getStatus() == 401;
            }
            return handler.accept(request, response);
        }

        @Override
        public Response.Listener getResponseListener() {
            return new Chosen();
        }

        /** The handler's listener, or for a login of ours one that hands the answer back unchanged. */
        private final class Chosen implements Response.Listener {
            private Response.Listener chosen;

            private Response.Listener of(Response response) {
                if (chosen == null) {
                    chosen = ownLogin(response.getRequest()) ? new BackToTheLogin() : handler.getResponseListener();
                }
                return chosen;
            }

            @Override
            public void onBegin(Response response) {
                of(response).onBegin(response);
            }

            @Override
            public boolean onHeader(Response response, org.eclipse.jetty.http.HttpField field) {
                return of(response).onHeader(response, field);
            }

            @Override
            public void onHeaders(Response response) {
                of(response).onHeaders(response);
            }

            @Override
            public void onContentSource(Response response, org.eclipse.jetty.io.Content.Source source) {
                of(response).onContentSource(response, source);
            }

            @Override
            public void onContent(Response response, org.eclipse.jetty.io.Content.Chunk chunk, Runnable demander)
                    throws Exception {
                of(response).onContent(response, chunk, demander);
            }

            @Override
            public void onContent(Response response, java.nio.ByteBuffer content) {
                of(response).onContent(response, content);
            }

            @Override
            public void onSuccess(Response response) {
                of(response).onSuccess(response);
            }

            @Override
            public void onFailure(Response response, Throwable failure) {
                of(response).onFailure(response, failure);
            }

            @Override
            public void onComplete(org.eclipse.jetty.client.Result result) {
                of(result.getResponse()).onComplete(result);
            }
        }
    }

    /** Reads the answer, then gives it, body and all, to the listeners of the request that was sent. */
    private static final class BackToTheLogin extends org.eclipse.jetty.client.BufferingResponseListener {
        @Override
        public void onComplete(org.eclipse.jetty.client.Result result) {
            HttpRequest request = (HttpRequest) result.getRequest();
            org.eclipse.jetty.client.transport.HttpConversation conversation = request.getConversation();
            conversation.updateResponseListeners(null);
            if (result.isFailed()) {
                conversation.getResponseListeners().emitFailureComplete(result);
            } else {
                conversation.getResponseListeners().emitSuccessComplete(new org.eclipse.jetty.client.Result(request,
                        new org.eclipse.jetty.client.internal.HttpContentResponse(result.getResponse(), getContent(),
                                getMediaType(), getEncoding())));
            }
        }
    }

    /**
     * The org's Case fields ({@code GET sobjects/Case/describe}), read once, checked against the configured fields.
     *
     * @throws SalesforceConfigException naming each property whose field is missing or cannot be written
     * @throws SalesforceCallException when the describe could not be read (asked again next time)
     */
    public CaseSchema caseSchema() {
        CaseSchema schema = caseSchema;
        if (schema == null) {
            schema = CaseSchema.of(call("GET", config.dataPath() + "/sobjects/Case/describe", Map.of(), null));
            List<String> problems = schema.problems(config);
            if (!problems.isEmpty()) {
                throw new SalesforceConfigException(problems);
            }
            if (!schema.hasEntitlementStops()) {
                LOG.info("Salesforce: Case has no IsStopped/StopStartDate (Entitlement Management is off): stopped "
                        + "Cases are not read as paused");
            }
            caseSchema = schema;
        }
        return schema;
    }

    /** A SOQL query's first page. */
    public JsonNode query(String soql) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("q", soql);
        return call("GET", config.dataPath() + "/query", query, null);
    }

    /** The page a query result's {@code nextRecordsUrl} names. */
    public JsonNode queryMore(String nextRecordsUrl) {
        if (!nextRecordsUrl.startsWith("/services/data/")) {
            throw new SalesforceCallException("nextRecordsUrl '" + nextRecordsUrl + "' is not a Salesforce data path",
                    0, List.of(), false, null);
        }
        return call("GET", nextRecordsUrl, Map.of(), null);
    }

    /** {@code PATCH /composite/sobjects}: an sObject Collections update; one result per record, in order. */
    public JsonNode updateCollection(JsonNode body) {
        return call("PATCH", config.dataPath() + "/composite/sobjects", Map.of(), body);
    }

    /** {@code POST /composite/sobjects}: an sObject Collections create; one result per record, in order. */
    public JsonNode createCollection(JsonNode body) {
        return call("POST", config.dataPath() + "/composite/sobjects", Map.of(), body);
    }

    /**
     * One REST call; the answer's JSON (null when it has no body).
     *
     * @throws SalesforceCallException with the status and Salesforce's error codes
     */
    public JsonNode call(String method, String path, Map<String, String> query, JsonNode body) {
        ensureLogin();
        String payload;
        try {
            payload = body == null ? null : JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        calls.incrementAndGet();
        Exchange answer = producer.send(endpoint, exchange -> {
            exchange.getIn().setHeader(SalesforceEndpointConfig.RAW_METHOD, method);
            exchange.getIn().setHeader(SalesforceEndpointConfig.RAW_PATH, path);
            if (!query.isEmpty()) {
                exchange.getIn().setHeader(SalesforceEndpointConfig.RAW_QUERY_PARAMETERS, String.join(",", query.keySet()));
                query.forEach(exchange.getIn()::setHeader);
            }
            if (method.equals("GET") && path.contains("/query")) {
                exchange.getIn().setHeader("Sforce-Query-Options", "batchSize=" + config.pageSize());
            }
            exchange.getIn().setBody(payload);
        });
        Exception failure = answer.getException();
        String text = bodyText(answer);
        if (failure != null) {
            SalesforceException sf = failure instanceof SalesforceException s ? s
                    : (failure.getCause() instanceof SalesforceException s2 ? s2 : null);
            int status = sf != null ? sf.getStatusCode() : 0;
            List<String> codes = new ArrayList<>(sf != null ? codes(sf) : List.of());
            String words = text != null && !text.isBlank() ? text : (sf != null ? describe(sf) : failure.toString());
            codes.addAll(codesIn(words));
            SalesforceCallException refused = new SalesforceCallException(method + " " + path + ": "
                    + (status == 0 ? "no answer" : "HTTP " + status) + ": " + abbreviate(words), status, codes, false,
                    failure);
            noteLimit(refused);
            throw refused;
        }
        noteThrough();
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SalesforceCallException(method + " " + path + ": the answer is not JSON: " + abbreviate(text), 200,
                    List.of(), false, e);
        }
    }

    private static String bodyText(Exchange answer) {
        Object body = answer.getMessage().getBody();
        try {
            if (body instanceof InputStream in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return null;
        }
        return body == null ? null : body.toString();
    }

    private static List<String> codes(SalesforceException e) {
        List<String> codes = new ArrayList<>();
        if (e.getErrors() != null) {
            for (RestError error : e.getErrors()) {
                if (error.getErrorCode() != null) {
                    codes.add(error.getErrorCode());
                }
            }
        }
        return codes;
    }

    /** The {@code errorCode}s of a REST error body ({@code [{"message":...,"errorCode":...}]}). */
    private static List<String> codesIn(String text) {
        List<String> codes = new ArrayList<>();
        try {
            JsonNode errors = JSON.readTree(text);
            if (errors != null && errors.isArray()) {
                for (JsonNode e : errors) {
                    if (e.path("errorCode").isTextual()) {
                        codes.add(e.path("errorCode").asText());
                    }
                }
            }
        } catch (JsonProcessingException | RuntimeException e) {
            // not a REST error body
        }
        return codes;
    }

    private static String describe(SalesforceException e) {
        if (e.getErrors() != null && !e.getErrors().isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (RestError error : e.getErrors()) {
                parts.add(error.getErrorCode() + ": " + error.getMessage());
            }
            return String.join("; ", parts);
        }
        return e.getMessage();
    }

    static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 500 ? oneLine : oneLine.substring(0, 500) + "...";
    }

    /** How many times this client logged in itself (re-logins after a 401 are camel-salesforce's, not counted). */
    long logins() {
        return logins.get();
    }
}
