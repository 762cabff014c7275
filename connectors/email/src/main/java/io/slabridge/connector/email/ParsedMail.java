package io.slabridge.connector.email;

import io.slabridge.core.model.TicketEvent;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the connector reads from one message: its headers, sender, recipients and the text of its body. Only
 * text parts are read, never attachments. A body that cannot be decoded (broken MIME structure, an unknown
 * charset) leaves {@link #text()} empty and says why in {@link #bodyProblem()}: the message still counts.
 */
public record ParsedMail(String messageId, boolean syntheticId, List<String> inReplyTo, List<String> references,
        String from, String fromName, String replyTo, String returnPath, List<String> recipients, String subject,
        Instant at, String text, String bodyProblem, Map<String, String> headers) {

    /** Texts longer than this are cut: tags and keywords are near the top, and a 20 MB body is no one's reply. */
    static final int MAX_TEXT_CHARS = 64 * 1024;
    /** RFC 5321's longest forward path, without its angle brackets: a longer address cannot be written to. */
    static final int MAX_ADDRESS_CHARS = 254;
    /** RFC 5322's longest line: a subject is cut there (a 200 KB subject is no one's title). */
    static final int MAX_SUBJECT_CHARS = 998;
    /**
     * Message ids longer than this stand for themselves by a digest ({@link #storableId}): ids are keys of the store
     * (1000 characters) and of ticket and event ids ({@code email:<id>:reopen}).
     */
    static final int MAX_ID_CHARS = 900;
    private static final Pattern MESSAGE_ID = Pattern.compile("<([^<>\\s]+)>");
    /** Headers the loop guard reads, lower case. */
    private static final List<String> KEPT_HEADERS = List.of("auto-submitted", "precedence", "x-autoreply",
            "x-autorespond", "x-auto-response-suppress", "list-id", "list-unsubscribe", "x-sla-bridge",
            "content-type", "x-failed-recipients", "feedback-id");

    /** A message that cannot be read at all (no sender, headers that do not parse). */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }

    /**
     * Reads a message.
     *
     * @param fallbackAt the instant to use when the message has neither a received date nor a {@code Date} header
     * @throws Unreadable when it has no usable sender or its headers do not parse
     */
    static ParsedMail read(Message message, Instant fallbackAt) throws Unreadable {
        try {
            // All headers in one go (one IMAP FETCH of the header block, not one per header); later getHeader
            // calls are answered from them.
            Map<String, String> headers = new LinkedHashMap<>();
            java.util.Enumeration<jakarta.mail.Header> all = message.getAllHeaders();
            while (all.hasMoreElements()) {
                jakarta.mail.Header h = all.nextElement();
                String name = h.getName().toLowerCase(Locale.ROOT);
                if (KEPT_HEADERS.contains(name) && !headers.containsKey(name) && h.getValue() != null) {
                    headers.put(name, decode(h.getValue()).strip());
                }
            }
            String from = null;
            String fromName = null;
            Address[] fromAddresses = safeAddresses(() -> message.getFrom());
            if (fromAddresses != null) {
                for (Address a : fromAddresses) {
                    if (a instanceof InternetAddress ia && ia.getAddress() != null && ia.getAddress().contains("@")) {
                        from = ia.getAddress().toLowerCase(Locale.ROOT);
                        fromName = ia.getPersonal() == null ? null : utf8Headers(ia.getPersonal());
                        break;
                    }
                }
            }
            if (from == null) {
                throw new Unreadable("no sender address (From: " + cut(first(message, "From")) + ")");
            }
            if (from.length() > MAX_ADDRESS_CHARS) {
                throw new Unreadable("the sender address is " + from.length() + " characters long; no address is longer "
                        + "than " + MAX_ADDRESS_CHARS + " (" + cut(from) + ")");
            }
            String replyTo = from;
            Address[] replyAddresses = safeAddresses(() -> message.getReplyTo());
            if (replyAddresses != null) {
                for (Address a : replyAddresses) {
                    if (a instanceof InternetAddress ia && ia.getAddress() != null && ia.getAddress().contains("@")
                            && ia.getAddress().length() <= MAX_ADDRESS_CHARS) {
                        replyTo = ia.getAddress().toLowerCase(Locale.ROOT);
                        break;
                    }
                }
            }
            List<String> recipients = new ArrayList<>();
            for (Message.RecipientType type : new Message.RecipientType[] {Message.RecipientType.TO,
                    Message.RecipientType.CC}) {
                Address[] to = safeAddresses(() -> message.getRecipients(type));
                if (to != null) {
                    for (Address a : to) {
                        if (a instanceof InternetAddress ia && ia.getAddress() != null) {
                            recipients.add(ia.getAddress().toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
            String subject = decode(first(message, "Subject"));
            if (subject != null && subject.length() > MAX_SUBJECT_CHARS) {
                subject = subject.substring(0, MAX_SUBJECT_CHARS);
            }
            // The server's receipt time; else the sender's Date, unless it is in the future (a wrong clock or a
            // forged header); else now.
            Instant at = null;
            if (message.getReceivedDate() != null
                    && TicketEvent.representable(message.getReceivedDate().toInstant())) {
                at = message.getReceivedDate().toInstant();
            } else {
                Instant sent = safeSentDate(message);
                if (sent != null && TicketEvent.representable(sent)
                        && !sent.isAfter(fallbackAt.plus(java.time.Duration.ofDays(1)))) {
                    at = sent;
                }
            }
            if (at == null) {
                at = fallbackAt;
            }
            List<String> inReplyTo = ids(first(message, "In-Reply-To")).stream().map(ParsedMail::storableId).toList();
            List<String> references = ids(first(message, "References")).stream().map(ParsedMail::storableId).toList();
            String id = ids(first(message, "Message-ID")).stream().findFirst().map(ParsedMail::storableId).orElse(null);
            boolean synthetic = false;
            if (id == null) {
                // No Message-ID (some scripts and old gateways): one derived from what identifies the mail, so that
                // reading it again gives the same id.
                synthetic = true;
                id = "sha256-" + sha256(from + "\n" + first(message, "Date") + "\n" + subject + "\n" + at.getEpochSecond())
                        .substring(0, 32) + "@sla-bridge.invalid";
            }
            String returnPath = first(message, "Return-Path");
            String text = "";
            String problem = null;
            try {
                StringBuilder sb = new StringBuilder();
                collectText(message, sb, 0);
                text = sb.length() > MAX_TEXT_CHARS ? sb.substring(0, MAX_TEXT_CHARS) : sb.toString();
            } catch (MessagingException | IOException | RuntimeException e) {
                problem = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            return new ParsedMail(id, synthetic, inReplyTo, references, from, fromName, replyTo, returnPath,
                    List.copyOf(recipients), subject == null ? "" : subject, at, text, problem, headers);
        } catch (MessagingException | RuntimeException e) {
            throw new Unreadable("headers do not parse (" + e.getClass().getSimpleName() + ": " + cut(e.getMessage()) + ")");
        }
    }

    /**
     * A message id as the store keeps it: itself, or when longer than {@value #MAX_ID_CHARS} characters a digest of
     * it (the same for every mail naming it, so that replies still thread).
     */
    static String storableId(String id) {
        return id.length() <= MAX_ID_CHARS ? id : "sha256-" + sha256(id).substring(0, 32) + "@sla-bridge.invalid";
    }

    /** A header value for a log line: at most 200 characters. */
    static String cut(String text) {
        return text == null || text.length() <= 200 ? text : text.substring(0, 200) + "... (" + text.length()
                + " characters)";
    }

    /** The value of a kept header (lower-case name), or null. */
    String header(String name) {
        return headers.get(name);
    }

    @FunctionalInterface
    private interface AddressRead {
        Address[] read() throws MessagingException;
    }

    /** Addresses, or null when the header is not a valid address list (strict parsing fails, lenient is tried). */
    private static Address[] safeAddresses(AddressRead read) {
        try {
            return read.read();
        } catch (AddressException e) {
            return null;
        } catch (MessagingException e) {
            return null;
        }
    }

    private static Instant safeSentDate(Message message) {
        try {
            return message.getSentDate() == null ? null : message.getSentDate().toInstant();
        } catch (MessagingException | RuntimeException e) {
            return null;
        }
    }

    private static String first(Message message, String header) throws MessagingException {
        String[] values = message.getHeader(header);
        return values == null || values.length == 0 ? null : values[0];
    }

    /** An encoded-word header as text; one in an unknown charset stays as it came. */
    static String decode(String raw) {
        if (raw == null) {
            return null;
        }
        String text = utf8Headers(raw);
        try {
            return MimeUtility.decodeText(MimeUtility.unfold(text));
        } catch (IOException | RuntimeException e) {
            return MimeUtility.unfold(text);
        }
    }

    /**
     * Raw 8-bit header text as it was meant. Headers reach us as bytes read one per character (ISO-8859-1); clients
     * that send unencoded non-ASCII headers (RFC 6532) send UTF-8, so "RÃ©clamation" is "Réclamation". Text whose
     * bytes are not valid UTF-8 (a Latin-1 "für") stays as it was.
     */
    static String utf8Headers(String raw) {
        boolean high = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c > 0xFF) {
                return raw; // already decoded
            }
            high |= c >= 0x80;
        }
        if (!high) {
            return raw;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException e) {
            return raw;
        }
    }

    /** The message ids in a header ({@code <a@b> <c@d>}), without angle brackets, in order. */
    static List<String> ids(String header) {
        List<String> out = new ArrayList<>();
        if (header == null) {
            return out;
        }
        Matcher m = MESSAGE_ID.matcher(header);
        while (m.find()) {
            out.add(m.group(1));
        }
        if (out.isEmpty() && !header.isBlank() && !header.strip().contains(" ") && header.contains("@")) {
            out.add(header.strip()); // an id without brackets, as some clients write it
        }
        return out;
    }

    /** text/plain parts, else text/html stripped of tags; attachments are never opened. */
    private static void collectText(Part part, StringBuilder out, int depth) throws MessagingException, IOException {
        if (depth > 10 || out.length() > MAX_TEXT_CHARS) {
            return;
        }
        String disposition = part.getDisposition();
        if (Part.ATTACHMENT.equalsIgnoreCase(disposition)) {
            return;
        }
        if (part.isMimeType("text/plain")) {
            out.append(readText(part)).append('\n');
        } else if (part.isMimeType("text/html")) {
            out.append(readText(part).replaceAll("(?s)<(script|style).*?</\\1>", " ").replaceAll("<[^>]+>", " ")
                    .replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")).append('\n');
        } else if (part.isMimeType("multipart/alternative")) {
            Multipart mp = (Multipart) part.getContent();
            BodyPart chosen = null;
            for (int i = 0; i < mp.getCount(); i++) {
                BodyPart p = mp.getBodyPart(i);
                if (p.isMimeType("text/plain")) {
                    chosen = p;
                    break;
                }
                if (chosen == null) {
                    chosen = p;
                }
            }
            if (chosen != null) {
                collectText(chosen, out, depth + 1);
            }
        } else if (part.isMimeType("multipart/*")) {
            Object content = part.getContent();
            if (!(content instanceof Multipart mp)) {
                throw new MessagingException("multipart without parts");
            }
            for (int i = 0; i < mp.getCount(); i++) {
                collectText(mp.getBodyPart(i), out, depth + 1);
            }
        }
    }

    /** A text part as a string, bounded; an unknown charset is an error (the body is then not read). */
    private static String readText(Part part) throws MessagingException, IOException {
        Object content = part.getContent();
        if (content instanceof String s) {
            return s.length() > MAX_TEXT_CHARS ? s.substring(0, MAX_TEXT_CHARS) : s;
        }
        if (content instanceof InputStream in) {
            try (in) {
                return new String(in.readNBytes(MAX_TEXT_CHARS), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
