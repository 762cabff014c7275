package io.slabridge.routes.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small SMTP server on loopback (RFC 5321: EHLO, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT; no
 * STARTTLS) that keeps every message it receives. While {@link #holdAnswers(boolean) held}, it takes in a message's
 * DATA up to the final dot and then stalls instead of answering 250, until the client goes away: the message has
 * reached the server, the sender does not know it. Such a message is kept, marked not acknowledged: a real server
 * may have queued it already (RFC 1047's duplicate window), the worst case for the sender.
 */
final class LoopbackSmtp implements AutoCloseable {
    private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*(<[^>]+>)");

    /** A message the server received: its Message-ID, recipients, when, and whether the server answered 250. */
    record Received(String messageId, List<String> recipients, Instant at, boolean acknowledged) {
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Received> received = new ArrayList<>();
    private final List<Socket> open = new ArrayList<>();
    private volatile boolean hold;

    LoopbackSmtp() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::accept, "loopback-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** While true, each message's DATA is taken in and left without its answer. */
    void holdAnswers(boolean hold) {
        this.hold = hold;
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                synchronized (this) {
                    open.add(s);
                }
                Thread t = new Thread(() -> serve(s), "loopback-smtp-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.UTF_8)); OutputStream out = socket.getOutputStream()) {
            reply(out, "220 localhost ESMTP loopback");
            List<String> recipients = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String verb = line.length() < 4 ? line.toUpperCase(Locale.ROOT) : line.substring(0, 4).toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> reply(out, "250-localhost\r\n250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n250 SIZE 35882577");
                    case "HELO" -> reply(out, "250 localhost");
                    case "AUTH" -> authenticate(line, in, out);
                    case "MAIL" -> {
                        recipients.clear();
                        reply(out, "250 2.1.0 Ok");
                    }
                    case "RCPT" -> {
                        recipients.add(line.replaceFirst("(?i)^RCPT TO:\\s*", "").replaceAll("[<>]", "").strip());
                        reply(out, "250 2.1.5 Ok");
                    }
                    case "DATA" -> {
                        reply(out, "354 End data with <CR><LF>.<CR><LF>");
                        String message = readData(in);
                        // Headers may be folded onto continuation lines.
                        Matcher m = MESSAGE_ID.matcher(message.replaceAll("\r\n[ \t]+", " "));
                        String id = m.find() ? m.group(1) : null;
                        if (hold) {
                            record(new Received(id, List.copyOf(recipients), Instant.now(), false));
                            while (in.read() >= 0) {
                                // stall: no answer until the client is gone
                            }
                            return;
                        }
                        record(new Received(id, List.copyOf(recipients), Instant.now(), true));
                        reply(out, "250 2.0.0 Ok: queued");
                    }
                    case "RSET" -> {
                        recipients.clear();
                        reply(out, "250 2.0.0 Ok");
                    }
                    case "NOOP" -> reply(out, "250 2.0.0 Ok");
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 Bye");
                        return;
                    }
                    default -> reply(out, "502 5.5.2 Error: command not recognized");
                }
            }
        } catch (IOException e) {
            // the client went away (a kill): the session ends
        }
    }

    private static void authenticate(String line, BufferedReader in, OutputStream out) throws IOException {
        String[] words = line.split(" ");
        String mechanism = words.length > 1 ? words[1].toUpperCase(Locale.ROOT) : "";
        if (mechanism.equals("PLAIN") && words.length < 3) {
            reply(out, "334 ");
            in.readLine();
        } else if (mechanism.equals("LOGIN")) {
            if (words.length < 3) {
                reply(out, "334 VXNlcm5hbWU6");
                in.readLine();
            }
            reply(out, "334 UGFzc3dvcmQ6");
            in.readLine();
        } else if (!mechanism.equals("PLAIN")) {
            reply(out, "504 5.5.4 Unrecognized authentication type");
            return;
        }
        reply(out, "235 2.7.0 Authentication successful");
    }

    /** The message up to the line with a single dot, dot-stuffing undone. */
    private static String readData(BufferedReader in) throws IOException {
        StringBuilder message = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null && !line.equals(".")) {
            message.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
        }
        return message.toString();
    }

    private synchronized void record(Received r) {
        received.add(r);
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (this) {
            for (Socket s : open) {
                s.close();
            }
        }
    }
}
