package io.slabridge.board;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is asking: the board's access rule ({@link BoardSettings.Auth}). With users, a request is let in by its session
 * cookie (the login form) or its HTTP Basic credentials; with a proxy, by the proxy's header, and only when it comes
 * from one of the proxy's addresses (anyone else could set that header); with none, always.
 */
final class BoardAccess {
    static final String COOKIE = "sla_board_session";

    private final BoardSettings.Values settings;
    private final Passwords passwords;
    private final Set<String> proxies;
    private final Clock realTime = Clock.systemUTC(); // sessions last in real time, whatever the board's clock
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    private record Session(String user, Instant expires) {
    }

    /** The outcome of a look at a request: a user, or a refusal with its HTTP status. */
    record Verdict(String user, int status, String reason) {
        boolean allowed() {
            return user != null;
        }
    }

    BoardAccess(BoardSettings.Values settings) {
        this.settings = settings;
        this.passwords = new Passwords(settings.users());
        this.proxies = Set.copyOf(settings.proxyAddresses());
    }

    Verdict check(HttpServerRequest request) {
        switch (settings.auth()) {
            case NONE:
                return new Verdict("anonymous", 200, null);
            case PROXY: {
                String from = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
                if (from == null || !proxies.contains(from)) {
                    return new Verdict(null, 403, "not from the trusted proxy");
                }
                String user = request.getHeader(settings.proxyHeader());
                if (user == null || user.isBlank()) {
                    return new Verdict(null, 401, "the proxy named no user (" + settings.proxyHeader() + ")");
                }
                return new Verdict(user.strip(), 200, null);
            }
            default: {
                Cookie cookie = request.getCookie(COOKIE);
                if (cookie != null) {
                    Session s = sessions.get(cookie.getValue());
                    if (s != null && s.expires().isAfter(realTime.instant())) {
                        return new Verdict(s.user(), 200, null);
                    }
                    if (s != null) {
                        sessions.remove(cookie.getValue());
                    }
                }
                Optional<String> basic = basicUser(request.getHeader("Authorization"));
                if (basic.isPresent()) {
                    return new Verdict(basic.get(), 200, null);
                }
                return new Verdict(null, 401, "sign in");
            }
        }
    }

    /** Checks a login form's credentials; returns a new session's cookie, or empty. */
    Optional<Cookie> login(String user, String password) {
        if (settings.auth() != BoardSettings.Auth.USERS || !passwords.matches(user, password)) {
            return Optional.empty();
        }
        sessions.values().removeIf(s -> !s.expires().isAfter(realTime.instant()));
        byte[] token = new byte[32];
        random.nextBytes(token);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(token);
        sessions.put(id, new Session(user, realTime.instant().plus(settings.sessionTimeout())));
        return Optional.of(cookie(id, settings.sessionTimeout()));
    }

    /** Ends the session of {@code request}, if any; returns the cookie that clears it. */
    Cookie logout(HttpServerRequest request) {
        Cookie c = request.getCookie(COOKIE);
        if (c != null) {
            sessions.remove(c.getValue());
        }
        return cookie("", Duration.ZERO);
    }

    private Cookie cookie(String value, Duration maxAge) {
        return Cookie.cookie(COOKIE, value).setPath("/").setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
                .setSecure(settings.https()).setMaxAge(maxAge.toSeconds());
    }

    /** Sessions open now (the login form's). */
    int sessions() {
        Instant now = realTime.instant();
        return (int) sessions.values().stream().filter(s -> s.expires().isAfter(now)).count();
    }

    private Optional<String> basicUser(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String user = decoded.substring(0, colon);
        return passwords.matches(user, decoded.substring(colon + 1)) ? Optional.of(user) : Optional.empty();
    }
}
