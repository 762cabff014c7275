package io.slabridge.board;

import io.slabridge.core.config.Setting;
import io.slabridge.core.config.Settings;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The SLA board's settings ({@code sla.board.*}), each declared once; the board is off unless its port is set. */
public final class BoardSettings {
    private BoardSettings() {
    }

    /** Who may see the board. */
    public enum Auth {
        /** The users of {@link #USERS}, by HTTP Basic or the login form. */
        USERS,
        /** A single sign-on proxy in front: the user named by {@link #PROXY_HEADER}, from {@link #PROXY_ADDRESSES} only. */
        PROXY,
        /** Anyone who reaches the port (a warning at start). */
        NONE
    }

    public static final Setting<Integer> PORT = Setting.integer("sla.board.port", 1, 65_535)
            .describedAs("The SLA board's HTTP port; unset: no board.");
    public static final Setting<String> HOST = Setting.text("sla.board.host").withDefault("0.0.0.0")
            .describedAs("The address the board listens on (127.0.0.1: this machine only).");
    public static final Setting<Auth> AUTH = Setting.choice("sla.board.auth", Auth.class).withDefault(Auth.USERS, "users")
            .describedAs("Who may see the board: users (sla.board.user.*), proxy (a trusted single sign-on proxy), or none (anyone: warned at start).");
    public static final Setting<Map<String, String>> USERS = Setting.entries("sla.board.user.", "name", "SLA_BOARD_USERS",
            "bcrypt hash ($2a$, $2b$ or $2y$)").secret()
            .describedAs("A board user and the bcrypt hash of their password (htpasswd -nbB NAME PASSWORD makes one).");
    public static final Setting<String> PROXY_HEADER = Setting.text("sla.board.proxy.header")
            .withDefault("X-Forwarded-Email").describedAs("With auth=proxy: the request header naming the signed-in user.");
    public static final Setting<List<String>> PROXY_ADDRESSES = Setting.list("sla.board.proxy.addresses")
            .describedAs("With auth=proxy: the proxy's IP addresses; a request from any other address is refused.");
    public static final Setting<Boolean> HTTPS = Setting.bool("sla.board.https").withDefault(false)
            .describedAs("Serve the board over HTTPS with the key store of camel.ssl.* (as the webhook port).");
    public static final Setting<Duration> SESSION_TIMEOUT = Setting.duration("sla.board.session-timeout")
            .withDefault(Duration.ofHours(12)).describedAs("How long a login on the board's form lasts.");
    public static final Setting<String> TIME_ZONE = Setting.text("sla.board.time-zone").withDefault("UTC")
            .describedAs("The time zone of the board's 'today' and 'this month' (e.g. Europe/Berlin).");

    /** Every board setting, in the order the reference lists them. */
    public static final List<Setting<?>> ALL = List.of(PORT, HOST, AUTH, USERS, PROXY_HEADER, PROXY_ADDRESSES, HTTPS,
            SESSION_TIMEOUT, TIME_ZONE);

    static {
        Setting.byName(ALL);
    }

    /** The board's settings as read and checked. */
    public record Values(int port, String host, Auth auth, Map<String, String> users, String proxyHeader,
            List<String> proxyAddresses, boolean https, Duration sessionTimeout, ZoneId zone) {
    }

    /** Whether the board is asked for ({@link #PORT} set). */
    public static boolean enabled(Settings settings) {
        return PORT.isSet(settings);
    }

    /** Reads and checks the board's settings, adding each problem (naming its setting) to {@code problems}. */
    public static Values read(Settings settings, List<String> problems) {
        int before = problems.size();
        Integer port = PORT.read(settings, problems);
        Auth auth = AUTH.read(settings, problems);
        Map<String, String> users = USERS.read(settings, problems);
        for (Map.Entry<String, String> u : users.entrySet()) {
            if (!Passwords.isBcrypt(u.getValue())) {
                // the value is a secret: named, not shown
                problems.add(USERS.entry(u.getKey()) + ": not a bcrypt hash; expected $2a$, $2b$ or $2y$, a cost and "
                        + "53 characters (htpasswd -nbB NAME PASSWORD makes one)");
            }
        }
        List<String> read = PROXY_ADDRESSES.read(settings, problems);
        List<String> addresses = new ArrayList<>(read == null ? List.of() : read);
        if (auth == Auth.USERS && users.isEmpty()) {
            problems.add(AUTH.problem("users, but no user is set; set sla.board.user.<name> to a bcrypt hash, "
                    + "sla.board.auth=proxy behind a single sign-on proxy, or sla.board.auth=none to let anyone in"));
        }
        if (auth == Auth.PROXY && addresses.isEmpty()) {
            problems.add(PROXY_ADDRESSES.missing("the IP addresses of the trusted proxy (sla.board.auth=proxy)"));
        }
        String header = PROXY_HEADER.read(settings, problems);
        ZoneId zone = ZoneId.of("UTC");
        String zoneText = TIME_ZONE.read(settings, problems);
        try {
            zone = ZoneId.of(zoneText);
        } catch (DateTimeException e) {
            problems.add(TIME_ZONE.problem("'" + zoneText + "' is not a time zone; expected e.g. UTC or Europe/Berlin"));
        }
        Duration timeout = SESSION_TIMEOUT.read(settings, problems);
        boolean https = HTTPS.read(settings, problems);
        String host = HOST.read(settings, problems);
        if (problems.size() > before || port == null) {
            return null;
        }
        return new Values(port, host, auth, Map.copyOf(users), header, List.copyOf(addresses), https, timeout, zone);
    }
}
