package io.slabridge.routes.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy to a server (PostgreSQL in the outage tests) that can fail like a network: {@link #cut()}
 * resets every open connection and stops listening, so that new ones are refused; {@link #restore()} listens again
 * on the same port. Each connection is two pump threads.
 */
final class TcpProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger reset = new AtomicInteger();
    private volatile ServerSocket listener;
    private volatile boolean closed;

    TcpProxy(int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.listener = listen(0);
        this.port = listener.getLocalPort();
        acceptOn(listener);
    }

    int port() {
        return port;
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    /** Connections reset by {@link #cut()} so far. */
    int reset() {
        return reset.get();
    }

    /** Resets every connection (RST, as a dropped network or a restarted server does) and refuses new ones. */
    synchronized void cut() throws IOException {
        ServerSocket l = listener;
        listener = null;
        if (l != null) {
            l.close();
        }
        for (Socket s : open) {
            try {
                s.setSoLinger(true, 0); // close with RST, not FIN
            } catch (SocketException e) {
                // already closed
            }
            closeQuietly(s);
            reset.incrementAndGet();
        }
        open.clear();
    }

    /** Listens again on the same port. */
    synchronized void restore() throws IOException {
        if (listener == null && !closed) {
            listener = listen(port);
            acceptOn(listener);
        }
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        return s;
    }

    private void acceptOn(ServerSocket l) {
        Thread acceptor = new Thread(() -> {
            while (!l.isClosed()) {
                try {
                    Socket client = l.accept();
                    Socket server = new Socket();
                    try {
                        server.connect(target, 5_000);
                    } catch (IOException e) {
                        closeQuietly(client);
                        closeQuietly(server);
                        continue;
                    }
                    accepted.incrementAndGet();
                    open.add(client);
                    open.add(server);
                    pump(client, server);
                    pump(server, client);
                } catch (IOException e) {
                    // the listener was closed (cut or close): this acceptor ends
                }
            }
        }, "tcp-proxy-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away (or was cut): close both
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        cut();
    }
}
