package io.slabridge.board;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The board's users and their bcrypt password hashes. HTTP Basic sends the password with every request, and bcrypt
 * is slow on purpose (tens of milliseconds): a password once checked is remembered as its SHA-256 (never in clear),
 * so that later requests compare a digest. A wrong password always costs a full bcrypt check.
 */
final class Passwords {
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}");

    private final Map<String, String> hashes;
    private final Set<String> checked = ConcurrentHashMap.newKeySet();

    Passwords(Map<String, String> hashes) {
        this.hashes = Map.copyOf(hashes);
    }

    static boolean isBcrypt(String hash) {
        return hash != null && BCRYPT.matcher(hash.strip()).matches();
    }

    /** Whether {@code password} is {@code user}'s. */
    boolean matches(String user, String password) {
        String hash = user == null ? null : hashes.get(user);
        if (hash == null || password == null) {
            return false;
        }
        String key = user + '\n' + sha256(user + '\n' + password);
        if (checked.contains(key)) {
            return true;
        }
        boolean ok = BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8),
                hash.strip().getBytes(StandardCharsets.UTF_8)).verified;
        if (ok) {
            checked.add(key);
        }
        return ok;
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
