package io.slabridge.board;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.slabridge.connector.api.TicketLinks;
import io.slabridge.store.JdbcBoardReads;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.CamelContext;
import org.apache.camel.component.vertx.common.VertxHelper;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live SLA board: a page (plain HTML, CSS and JavaScript from the jar), its data call ({@code /api/data}: every
 * open ticket with an SLA, today's figures, the accounts ranked) and its stream of changes ({@code /api/events},
 * Server-Sent Events; a page that lost its connection catches up from its {@code Last-Event-ID}). Read only: nothing
 * on it changes a ticket. On a Vert.x server of its own port, the stack Camel's webhook server already runs on.
 */
public final class Board implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Board.class);
    /** How often the store is asked what changed: well inside the 1 s a change may take to reach a page. */
    static final long LOOK_EVERY_MS = 200;
    /** A comment every so often keeps proxies from closing a quiet stream, and tells the page the clock. */
    static final long KEEP_ALIVE_MS = 10_000;
    private static final Set<String> PAGES = Set.of("index.html", "login.html", "board.css", "board.js");

    private final BoardSettings.Values settings;
    private final BoardModel model;
    private final StoreFollower follower;
    private final BoardAccess access;
    private final Clock clock;
    private final Vertx vertx;
    private final ScheduledExecutorService looks;
    private final Map<String, Buffer> pages = new ConcurrentHashMap<>();
    private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
    private final PaceMeter pace;
    private HttpServer server;

    private Board(BoardSettings.Values settings, JdbcBoardReads reads, TicketLinks links, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.model = new BoardModel(settings.zone());
        this.follower = new StoreFollower(reads, model, links, clock, settings.zone());
        this.access = new BoardAccess(settings);
        this.pace = new PaceMeter(clock);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(1));
        this.looks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sla-board-store");
            t.setDaemon(true);
            return t;
        });
        for (String page : PAGES) {
            try (InputStream in = Board.class.getResourceAsStream("/board/" + page)) {
                pages.put(page, Buffer.buffer(in.readAllBytes()));
            } catch (IOException | NullPointerException e) {
                throw new IllegalStateException("the board's page " + page + " is missing from the jar", e);
            }
        }
    }

    /**
     * Loads the tickets, starts following the store and serves the board.
     *
     * @param camel the Camel context whose {@code camel.ssl.*} key store HTTPS uses; may be null without HTTPS
     */
    public static Board start(BoardSettings.Values settings, JdbcBoardReads reads, TicketLinks links, Clock clock,
            CamelContext camel) {
        Board board = new Board(settings, reads, links, clock);
        try {
            board.begin(camel);
        } catch (RuntimeException e) {
            board.close();
            throw e;
        }
        return board;
    }

    private void begin(CamelContext camel) {
        long t0 = System.nanoTime();
        int loaded = follower.load();
        model.snapshot(clock.instant(), pace.pace()); // the first page's data call is then ready, and the code warm
        LOG.info("SLA board: {} tickets loaded from the store in {} ms", loaded, (System.nanoTime() - t0) / 1_000_000);
        looks.scheduleWithFixedDelay(() -> {
            pace.sample();
            follower.look(this::publish);
        }, LOOK_EVERY_MS, LOOK_EVERY_MS, TimeUnit.MILLISECONDS);
        looks.scheduleWithFixedDelay(this::keepAlive, KEEP_ALIVE_MS, KEEP_ALIVE_MS, TimeUnit.MILLISECONDS);
        looks.scheduleWithFixedDelay(() -> model.forgetBefore(clock.instant().atZone(settings.zone()).toLocalDate()
                .withDayOfMonth(1).atStartOfDay(settings.zone()).toEpochSecond()), 1, 1, TimeUnit.HOURS);

        HttpServerOptions options = new HttpServerOptions().setHost(settings.host()).setPort(settings.port())
                .setCompressionSupported(true);
        if (settings.https()) {
            SSLContextParameters ssl = camel == null ? null : camel.getSSLContextParameters();
            if (ssl == null) {
                throw new IllegalStateException(BoardSettings.HTTPS.problem("true, but camel.ssl.* sets no key store "
                        + "(camel.ssl.enabled=true, camel.ssl.keyStore=...)"));
            }
            options.setSsl(true);
            try {
                VertxHelper.setupSSLOptions(camel, ssl, options);
            } catch (Exception e) {
                throw new IllegalStateException(BoardSettings.HTTPS.problem("the key store of camel.ssl.* cannot be "
                        + "used: " + e.getMessage()), e);
            }
        }
        try {
            server = vertx.createHttpServer(options).requestHandler(router()).listen().toCompletionStage()
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the board", e);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException(BoardSettings.PORT.problem("the board cannot listen on " + settings.host()
                    + ":" + settings.port() + ": " + cause.getMessage()), cause);
        }
        if (settings.auth() == BoardSettings.Auth.NONE) {
            LOG.warn("SLA board: sla.board.auth=none: anyone who reaches {} sees every open ticket's customer and title",
                    url());
        }
        LOG.info("SLA board on {} (access: {})", url(), switch (settings.auth()) {
            case USERS -> settings.users().size() + " user(s) of sla.board.user.*";
            case PROXY -> "the user in " + settings.proxyHeader() + " from " + String.join(", ", settings.proxyAddresses());
            case NONE -> "anyone";
        });
    }

    /** Where the board is, as a browser on this machine reaches it. */
    public String url() {
        String host = settings.host().equals("0.0.0.0") || settings.host().equals("::") ? "127.0.0.1" : settings.host();
        return (settings.https() ? "https" : "http") + "://" + host + ":" + port() + "/";
    }

    /** The port the board listens on. */
    public int port() {
        return server == null ? settings.port() : server.actualPort();
    }

    /** {@code sla_board_clients}: pages following the board now; {@code sla_board_sessions}: logins open. */
    public void bindMetrics(MeterRegistry registry) {
        Gauge.builder("sla_board_clients", streams, Set::size)
                .description("Pages following the SLA board live (open event streams)").register(registry);
        Gauge.builder("sla_board_sessions", access, BoardAccess::sessions)
                .description("Sessions open on the SLA board's login form").register(registry);
    }

    /** Pages following the board now. */
    public int clients() {
        return streams.size();
    }

    private Router router() {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            HttpServerResponse r = ctx.response();
            r.putHeader("X-Content-Type-Options", "nosniff").putHeader("X-Frame-Options", "DENY")
                    .putHeader("Referrer-Policy", "no-referrer")
                    .putHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
            HttpMethod m = ctx.request().method();
            boolean form = m == HttpMethod.POST && (ctx.request().path().equals("/login")
                    || ctx.request().path().equals("/logout"));
            if (m != HttpMethod.GET && m != HttpMethod.HEAD && !form) {
                r.setStatusCode(405).putHeader("Allow", "GET, HEAD").end("The SLA board is read only.\n");
                return;
            }
            ctx.next();
        });
        // The page's code and style hold no data: the login form uses them too.
        router.get("/board.css").handler(ctx -> page(ctx, "board.css", "text/css; charset=utf-8"));
        router.get("/board.js").handler(ctx -> page(ctx, "board.js", "text/javascript; charset=utf-8"));
        router.get("/login").handler(ctx -> {
            if (settings.auth() != BoardSettings.Auth.USERS) {
                ctx.redirect("/");
                return;
            }
            page(ctx, "login.html", "text/html; charset=utf-8");
        });
        router.post("/login").handler(BodyHandler.create().setBodyLimit(4096)).handler(ctx -> {
            String user = ctx.request().getFormAttribute("user");
            String password = ctx.request().getFormAttribute("password");
            // bcrypt is slow on purpose: off the event loop
            vertx.<java.util.Optional<io.vertx.core.http.Cookie>>executeBlocking(() -> access.login(user, password),
                    false).onComplete(done -> {
                        if (done.succeeded() && done.result().isPresent()) {
                            ctx.response().addCookie(done.result().get());
                            ctx.redirect("/");
                        } else {
                            ctx.redirect("/login?failed");
                        }
                    });
        });
        router.post("/logout").handler(ctx -> {
            ctx.response().addCookie(access.logout(ctx.request()));
            ctx.redirect(settings.auth() == BoardSettings.Auth.USERS ? "/login" : "/");
        });
        // Everything below needs a user. Basic credentials are checked off the event loop (bcrypt).
        router.route().handler(ctx -> vertx.executeBlocking(() -> access.check(ctx.request()), false)
                .onComplete(done -> {
                    BoardAccess.Verdict v = done.succeeded() ? done.result()
                            : new BoardAccess.Verdict(null, 500, "cannot check access");
                    if (v.allowed()) {
                        ctx.put("user", v.user());
                        ctx.next();
                    } else if (v.status() == 401 && settings.auth() == BoardSettings.Auth.USERS
                            && ctx.request().path().equals("/")) {
                        ctx.redirect("/login");
                    } else {
                        // A script is asked for Basic credentials; a browser (it sends Sec-Fetch-Mode) is not, so
                        // that it shows no password dialog of its own: its page sends to the login form.
                        if (v.status() == 401 && settings.auth() == BoardSettings.Auth.USERS
                                && ctx.request().getHeader("Sec-Fetch-Mode") == null) {
                            ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"SLA board\", charset=\"UTF-8\"");
                        }
                        ctx.response().setStatusCode(v.status()).putHeader("Content-Type", "text/plain; charset=utf-8")
                                .end("SLA board: " + v.reason() + "\n");
                    }
                }));
        router.get("/").handler(ctx -> page(ctx, "index.html", "text/html; charset=utf-8"));
        router.get("/api/data").handler(this::data);
        router.get("/api/events").handler(this::events);
        return router;
    }

    private void page(RoutingContext ctx, String name, String type) {
        ctx.response().putHeader("Content-Type", type).putHeader("Cache-Control", "no-cache").end(pages.get(name));
    }

    private void data(RoutingContext ctx) {
        long asked = System.nanoTime();
        vertx.executeBlocking(() -> model.snapshot(clock.instant(), pace.pace()), false).onComplete(done -> {
            if (done.failed()) {
                ctx.response().setStatusCode(500).end();
                LOG.warn("SLA board: the data call failed", done.cause());
                return;
            }
            // The server's own time for the call (W3C Server-Timing): what the board's benchmark reports.
            ctx.response().putHeader("Server-Timing", String.format(java.util.Locale.ROOT, "board;dur=%.1f",
                    (System.nanoTime() - asked) / 1e6));
            ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                    .putHeader("X-Board-User", String.valueOf((Object) ctx.get("user"))).end(Buffer.buffer(done.result()));
        });
    }

    /** One page following the board: its response, written on the server's own thread for it. */
    private record Stream(HttpServerResponse response, Context context) {
        void send(String text) {
            context.runOnContext(v -> {
                if (!response.closed() && !response.ended()) {
                    response.write(text);
                }
            });
        }
    }

    private void events(RoutingContext ctx) {
        HttpServerResponse r = ctx.response();
        r.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store").putHeader("Content-Encoding", "identity")
                .putHeader("X-Accel-Buffering", "no");
        String last = ctx.request().getHeader("Last-Event-ID");
        if (last == null) {
            last = ctx.request().getParam("after");
        }
        Stream stream = new Stream(r, vertx.getOrCreateContext());
        r.closeHandler(v -> streams.remove(stream));
        r.write("retry: 1000\n\n");
        synchronized (streams) {
            streams.add(stream);
            List<BoardModel.Change> missed = changesAfter(last);
            if (missed == null) {
                stream.send("event: reload\ndata: {}\n\n");
            } else {
                missed.forEach(c -> stream.send(event(c)));
            }
        }
    }

    private List<BoardModel.Change> changesAfter(String lastEventId) {
        if (lastEventId == null) {
            return null;
        }
        int dash = lastEventId.lastIndexOf('-');
        if (dash < 0 || !lastEventId.substring(0, dash).equals(model.run())) {
            return null;
        }
        try {
            return model.changesAfter(Long.parseLong(lastEventId.substring(dash + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String event(BoardModel.Change c) {
        return "id: " + model.run() + "-" + c.number() + "\nevent: change\ndata: " + c.json() + "\n\n";
    }

    private void publish(BoardModel.Change change) {
        String text = event(change);
        synchronized (streams) {
            streams.forEach(s -> s.send(text));
        }
    }

    private void keepAlive() {
        String text = "event: clock\ndata: {\"now\":" + clock.millis() + ",\"pace\":" + pace.pace() + "}\n\n";
        synchronized (streams) {
            streams.forEach(s -> s.send(text));
        }
    }

    /** Number of tickets the board holds (tests). */
    int ticketsHeld() {
        return model.size();
    }

    @Override
    public void close() {
        looks.shutdownNow();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // stopping: nothing more to do
        }
    }

    /** How fast the board's clock runs against real time (1 in production; the demo's clock is faster). */
    static final class PaceMeter {
        private final Clock clock;
        private long realStart = System.nanoTime();
        private long clockStart;
        private volatile double pace = 1.0;

        PaceMeter(Clock clock) {
            this.clock = clock;
            this.clockStart = clock.millis();
        }

        void sample() {
            long real = System.nanoTime();
            if (real - realStart < 2_000_000_000L) {
                return;
            }
            long at = clock.millis();
            double measured = (at - clockStart) / ((real - realStart) / 1e6);
            double whole = Math.rint(measured);
            pace = whole >= 1 && Math.abs(measured - whole) <= 0.05 * whole ? whole : Math.max(measured, 0.0);
            realStart = real;
            clockStart = at;
        }

        double pace() {
            return pace;
        }
    }
}
