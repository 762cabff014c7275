package io.slabridge.routes.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Delivers signed webhooks at least once, the way Jira does: a delivery that does not get a 200 (refused, cut off
 * by a kill, timed out, 5xx) is delivered again later; and now and then one that did get its 200 is delivered once
 * more, as when Jira's side lost the answer. Each delivery goes to one of the instances that {@code targets} names
 * at that moment.
 */
final class WebhookSender implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final String secret;
    private final Supplier<List<URI>> targets;
    private final double redeliverAfterSuccess;
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final DelayQueue<Pending> queue = new DelayQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicInteger webhooks = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger cutOff = new AtomicInteger();
    private final AtomicInteger notOk = new AtomicInteger();
    private final java.util.Map<Integer, Integer> notOkStatuses = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger redelivered = new AtomicInteger();
    private volatile boolean running = true;

    /** One delivery waiting for its moment. */
    private static final class Pending implements Delayed {
        final String body;
        final int attempt;
        final boolean repeat;
        final long dueNanos;

        Pending(String body, int attempt, boolean repeat, Duration delay) {
            this.body = body;
            this.attempt = attempt;
            this.repeat = repeat;
            this.dueNanos = System.nanoTime() + delay.toNanos();
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(dueNanos, ((Pending) o).dueNanos);
        }
    }

    WebhookSender(String secret, Supplier<List<URI>> targets, double redeliverAfterSuccess, long seed, int threads) {
        this.secret = secret;
        this.targets = targets;
        this.redeliverAfterSuccess = redeliverAfterSuccess;
        this.random = new Random(seed);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::work, "webhook-sender-" + i);
            t.setDaemon(true);
            t.start();
            workers.add(t);
        }
    }

    /** Queues a webhook: delivered until an instance answers 200. */
    void send(String body) {
        webhooks.incrementAndGet();
        outstanding.incrementAndGet();
        queue.add(new Pending(body, 0, false, Duration.ZERO));
    }

    private void work() {
        while (running) {
            Pending p;
            try {
                p = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (p == null) {
                continue;
            }
            boolean ok = deliver(p.body);
            if (ok) {
                accepted.incrementAndGet();
                if (!p.repeat && chance(redeliverAfterSuccess)) {
                    redelivered.incrementAndGet();
                    outstanding.incrementAndGet();
                    queue.add(new Pending(p.body, 0, true, Duration.ofMillis(200 + nextInt(2000))));
                }
                outstanding.decrementAndGet();
            } else {
                // Jira backs off; here seconds rather than minutes, so that a test's run sees many redeliveries.
                long backoff = Math.min(3000, 250L << Math.min(p.attempt, 4)) + nextInt(250);
                queue.add(new Pending(p.body, p.attempt + 1, p.repeat, Duration.ofMillis(backoff)));
            }
        }
    }

    private synchronized boolean chance(double p) {
        return random.nextDouble() < p;
    }

    private synchronized int nextInt(int bound) {
        return random.nextInt(bound);
    }

    private boolean deliver(String body) {
        List<URI> live = targets.get();
        if (live.isEmpty()) {
            refused.incrementAndGet();
            return false;
        }
        URI target = live.get(nextInt(live.size()));
        attempts.incrementAndGet();
        HttpRequest request = HttpRequest.newBuilder(target).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature", "sha256=" + hmac(body))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 200) {
                return true;
            }
            notOk.incrementAndGet();
            notOkStatuses.merge(status, 1, Integer::sum);
            return false;
        } catch (java.net.ConnectException e) {
            refused.incrementAndGet(); // down, or not listening yet
            return false;
        } catch (IOException e) {
            cutOff.incrementAndGet(); // reset by a kill, or timed out: Jira tries again
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String hmac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until every webhook (and every repeat) has had its 200. */
    void awaitDelivered(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (outstanding.get() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(outstanding.get() + " webhooks still not delivered after " + timeout.toSeconds()
                        + " s");
            }
            Thread.sleep(50);
        }
    }

    /** Webhooks sent (each counted once). */
    int webhooks() {
        return webhooks.get();
    }

    /** HTTP deliveries tried, successful or not. */
    int attempts() {
        return attempts.get();
    }

    /** Deliveries refused: no instance listening at that address. */
    int refused() {
        return refused.get();
    }

    /** Deliveries cut off after they were sent (a kill) or timed out. */
    int cutOff() {
        return cutOff.get();
    }

    /** Deliveries answered with another status than 200 (401, 503...). */
    int notOk() {
        return notOk.get();
    }

    /** Those statuses, and how often each came. */
    java.util.Map<Integer, Integer> notOkStatuses() {
        return java.util.Map.copyOf(notOkStatuses);
    }

    /** Deliveries answered 200 (repeats included). */
    int accepted() {
        return accepted.get();
    }

    /** Webhooks delivered once more after their 200. */
    int redelivered() {
        return redelivered.get();
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : workers) {
            t.interrupt();
        }
    }
}
