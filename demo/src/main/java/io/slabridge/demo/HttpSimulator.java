package io.slabridge.demo;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Request;
import java.io.IOException;
import java.net.URI;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A system sla-bridge talks HTTP to, simulated by WireMock on loopback. Its request journal is the source of truth of
 * what sla-bridge wrote: each write (not the reads, not the log-in) is printed as it arrives.
 */
abstract class HttpSimulator implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final DemoClock clock;
    final WriteBackLog log;
    final WireMockServer server;
    private final String name;

    HttpSimulator(String name, DemoClock clock, WriteBackLog log, UnaryOperator<WireMockConfiguration> options) {
        this.name = name;
        this.clock = clock;
        this.log = log;
        server = new WireMockServer(options.apply(options().dynamicPort().bindAddress("127.0.0.1")
                .notifier(new Slf4jNotifier(false))));
        server.start();
        server.addMockServiceRequestListener((request, response) -> journal(request, response.getStatus()));
    }

    int port() {
        return server.port();
    }

    /** How many requests of this method, whose path and body the predicates accept, the simulator received. */
    long requests(String method, Predicate<String> path, Predicate<String> body) {
        return server.getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> r.getMethod().getName().equals(method) && path.test(URI.create(r.getUrl()).getPath())
                        && body.test(r.getBodyAsString()))
                .count();
    }

    /** A request's body as the simulator reads it: JSON here; a simulator of a form-posting API says otherwise. */
    JsonNode body(String raw) throws IOException {
        return JSON.readTree(raw);
    }

    /** Adds the line (or lines) that tell what this write was to the log. */
    abstract void wrote(String at, String method, String path, JsonNode body);

    private void journal(Request request, int status) {
        String method = request.getMethod().getName();
        String path = URI.create(request.getUrl()).getPath();
        if (method.equals("GET") || path.contains("/oauth2/")) {
            return;
        }
        String at = clock.now();
        try {
            wrote(at, method, path, body(request.getBodyAsString()));
            if (status >= 300) {
                log.note("     (answered " + status + ")");
            }
        } catch (IOException | RuntimeException e) {
            log.note(String.format("[%s]   -> %s %s %s", at, name, method, path));
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
