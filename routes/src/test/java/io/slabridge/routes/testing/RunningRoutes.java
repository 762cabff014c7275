package io.slabridge.routes.testing;

import io.slabridge.core.outbox.OutboxWriter;
import io.slabridge.core.runtime.OutboxDispatcher;
import io.slabridge.core.runtime.RetryPolicy;
import io.slabridge.core.runtime.Scheduler;
import io.slabridge.core.runtime.SlaRuntime;
import io.slabridge.core.store.SlaStore;
import io.slabridge.routes.runtime.SlaRuntimeRoutes;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The end-to-end tests' sla-bridge: a Camel context with an HTTP server on a free local port (the webhooks), the
 * runtime's routes (ingest, scheduler every 200 ms at most, outbox every 50 ms, writes retried after 2 s) and the
 * sources' routes, on the test's store, runtime and clock. The sources' writers need clients made on the context:
 * make them on {@link #camel()} between {@link #onFreePort()} and {@link #start}.
 */
public final class RunningRoutes implements AutoCloseable {
    private final DefaultCamelContext camel;
    private final int port;

    private RunningRoutes(DefaultCamelContext camel, int port) {
        this.camel = camel;
        this.port = port;
    }

    /** A context, not started, whose HTTP server will listen on a free port of 127.0.0.1. */
    public static RunningRoutes onFreePort() throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
        server.setBindHost("127.0.0.1");
        server.setBindPort(port);
        camel.addService(new VertxPlatformHttpServer(server));
        Properties settings = new Properties();
        settings.setProperty("sla.outbox.poll-interval", "50");
        camel.getPropertiesComponent().setInitialProperties(settings);
        return new RunningRoutes(camel, port);
    }

    public DefaultCamelContext camel() {
        return camel;
    }

    /** Adds the runtime's routes over {@code writers} (by source) and the sources' routes, and starts. */
    public RunningRoutes start(SlaStore store, SlaRuntime runtime, Clock clock, Map<String, OutboxWriter> writers,
            RoutesBuilder... sources) throws Exception {
        OutboxDispatcher dispatcher = new OutboxDispatcher(store, writers, clock,
                new RetryPolicy(Duration.ofSeconds(2), Duration.ofSeconds(2), 5), new Random(7));
        camel.addRoutes(new SlaRuntimeRoutes(runtime, new Scheduler(runtime, clock, Duration.ofMillis(200)), dispatcher,
                null));
        for (RoutesBuilder source : sources) {
            camel.addRoutes(source);
        }
        camel.start();
        return this;
    }

    /** Posts a webhook delivery to {@code path}, signed as Jira signs it ({@code X-Hub-Signature: sha256=<HMAC>}). */
    public HttpResponse<String> signedPost(String path, String secret, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("X-Hub-Signature", "sha256=" + hmac(secret, body))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Waits up to 15 s for {@code condition}, failing with {@code what}. */
    public static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        camel.stop();
    }
}
