package io.slabridge.connector.email;

import java.util.Locale;

/**
 * Mail that no person wrote, which must never become activity and never be answered (RFC 3834 and the heuristics
 * mail systems use alongside it): auto-replies, bulk and list mail, bounces, and our own mail coming back.
 */
final class LoopGuard {
    private final EmailConfig config;

    LoopGuard(EmailConfig config) {
        this.config = config;
    }

    /** Why the message is automatic, or null when a person wrote it. */
    String automatic(ParsedMail m) {
        String autoSubmitted = m.header("auto-submitted");
        if (autoSubmitted != null && !autoSubmitted.toLowerCase(Locale.ROOT).startsWith("no")) {
            return "Auto-Submitted: " + autoSubmitted;
        }
        String precedence = m.header("precedence");
        if (precedence != null) {
            String p = precedence.toLowerCase(Locale.ROOT);
            if (p.equals("bulk") || p.equals("junk") || p.equals("list") || p.equals("auto_reply")) {
                return "Precedence: " + precedence;
            }
        }
        for (String h : new String[] {"x-autoreply", "x-autorespond", "x-auto-response-suppress"}) {
            if (m.header(h) != null) {
                return headerName(h) + ": " + m.header(h);
            }
        }
        if (m.header("list-id") != null || m.header("list-unsubscribe") != null) {
            return "mailing list mail (" + (m.header("list-id") != null ? "List-Id" : "List-Unsubscribe") + ")";
        }
        if (m.header("x-sla-bridge") != null) {
            return "sla-bridge's own mail (X-SLA-Bridge: " + m.header("x-sla-bridge") + ")";
        }
        String returnPath = m.returnPath();
        if (returnPath != null && returnPath.replaceAll("\\s", "").equals("<>")) {
            return "empty return path (Return-Path: <>): a bounce or an automatic message";
        }
        String contentType = m.header("content-type");
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("multipart/report")) {
            return "a delivery or read report (multipart/report)";
        }
        if (m.header("x-failed-recipients") != null) {
            return "a bounce (X-Failed-Recipients)";
        }
        String from = m.from();
        String local = from.substring(0, from.indexOf('@'));
        for (String ignored : config.ignoreSenders()) {
            if (ignored.contains("@") ? from.equals(ignored) : local.equals(ignored) || local.startsWith(ignored + "+")) {
                return "sender " + from + " is an automatic address";
            }
        }
        return null;
    }

    private static String headerName(String lower) {
        return switch (lower) {
            case "x-autoreply" -> "X-Autoreply";
            case "x-autorespond" -> "X-Autorespond";
            default -> "X-Auto-Response-Suppress";
        };
    }
}
