package io.slabridge.routes.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One life of {@code sla-bridge run} in a JVM of its own: the same main class and command line a user runs
 * ({@code io.slabridge.routes.SlaBridge run --config FILE}), on this JVM's classpath, with free ports of its own.
 * Its output goes to {@code <name>.log}. {@link #kill()} is {@code kill -9}: on Linux
 * {@link Process#destroyForcibly()} sends SIGKILL, and the exit code 137 (128 + 9) proves it.
 */
final class ChildInstance {
    /** The exit code of a process ended by SIGKILL. */
    static final int SIGKILL_EXIT = 137;
    /** The exit code of a JVM that ran its shutdown hooks after SIGTERM (128 + 15). */
    static final int SIGTERM_EXIT = 143;
    /** How long a stop may take after SIGTERM. */
    static final Duration STOP_WITHIN = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final Process process;
    private final int serverPort;
    private final int managementPort;
    private final Path log;
    private final Instant started;
    private volatile Instant ready;

    private ChildInstance(String name, Process process, int serverPort, int managementPort, Path log, Instant started) {
        this.name = name;
        this.process = process;
        this.serverPort = serverPort;
        this.managementPort = managementPort;
        this.log = log;
        this.started = started;
    }

    /**
     * Starts {@code sla-bridge run} with {@code settings} plus its own webhook and management ports, in
     * {@code dir/<name>/} (so that no {@code application.properties} or {@code ./data} of the caller is used).
     */
    static ChildInstance start(String name, Properties settings, Path dir) {
        return start(name, settings, dir, false);
    }

    /**
     * As {@link #start(String, Properties, Path)}, but {@code java -jar target/sla-bridge.jar run}, the shaded jar a
     * user runs (built by {@code package}, before failsafe's ITs), instead of this JVM's classpath.
     */
    static ChildInstance startJar(String name, Properties settings, Path dir) {
        Path jar = Path.of("target", "sla-bridge.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("no " + jar + ": build it first (mvn -B -q -o package -DskipTests)");
        }
        return start(name, settings, dir, true);
    }

    private static ChildInstance start(String name, Properties settings, Path dir, boolean fromJar) {
        try {
            Path home = Files.createDirectories(dir.resolve(name));
            int serverPort = freePort();
            int managementPort = freePort();
            Properties p = new Properties();
            p.putAll(settings);
            p.setProperty("camel.server.port", Integer.toString(serverPort));
            p.setProperty("camel.management.port", Integer.toString(managementPort));
            p.setProperty("camel.main.name", "sla-bridge-" + name);
            Path config = home.resolve("sla-bridge.properties");
            try (OutputStream out = Files.newOutputStream(config)) {
                p.store(out, "sla-bridge " + name);
            }
            Path log = dir.resolve(name + ".log");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // Small and quick to start: two cores run three of these, the test and PostgreSQL.
                    "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    // sla-bridge's own lines, Camel's start and the leadership of the pollers, besides warnings.
                    "-Dorg.slf4j.simpleLogger.log.io.slabridge=info",
                    "-Dorg.slf4j.simpleLogger.log.org.apache.camel.main=info",
                    "-Dorg.slf4j.simpleLogger.log.org.apache.camel.impl.cluster=info",
                    "-Dorg.slf4j.simpleLogger.log.org.apache.camel.component.file.cluster=info"));
            if (fromJar) {
                command.addAll(List.of("-jar", Path.of("target", "sla-bridge.jar").toAbsolutePath().toString()));
            } else {
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.slabridge.routes.SlaBridge"));
            }
            command.addAll(List.of("run", "--config", config.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(k -> k.startsWith("SLA_") || k.startsWith("CAMEL_"));
            Instant started = Instant.now();
            return new ChildInstance(name, builder.start(), serverPort, managementPort, log, started);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start sla-bridge " + name, e);
        }
    }

    /** A new directory for one test run's settings and logs, kept for reading after a failure. */
    static Path runDirectory(String test) {
        try {
            String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                    .format(java.time.LocalDateTime.now());
            return Files.createDirectories(Path.of("target", "cluster-it", test + "-" + stamp).toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Instant started() {
        return started;
    }

    /** When {@link #awaitReady} first saw it ready, or null. */
    Instant ready() {
        return ready;
    }

    Path log() {
        return log;
    }

    URI webhook() {
        return URI.create("http://127.0.0.1:" + serverPort + "/webhooks/jira");
    }

    boolean alive() {
        return process.isAlive();
    }

    /**
     * Waits until {@code /observe/health/ready} answers 200 (the store answers, the routes run).
     *
     * @throws AssertionError when the process ends first or {@code timeout} passes, with the log's tail
     */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                + "/observe/health/ready")).timeout(Duration.ofSeconds(2)).build();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("sla-bridge " + name + " ended with exit code " + process.exitValue()
                        + " before it was ready:\n" + tail(40));
            }
            try {
                HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    ready = Instant.now();
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("sla-bridge " + name + " not ready after " + timeout.toSeconds() + " s:\n"
                        + tail(40));
            }
            Thread.sleep(100);
        }
    }

    /** {@code kill -9}, and waits for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("sla-bridge " + name + " (pid " + process.pid() + ") survived SIGKILL");
        }
        if (process.exitValue() != SIGKILL_EXIT) {
            throw new AssertionError("sla-bridge " + name + " was not ended by SIGKILL: exit code " + process.exitValue()
                    + "\n" + tail(40));
        }
    }

    /**
     * SIGTERM, as from an operator, systemd or Kubernetes: the process must end by itself within {@link #STOP_WITHIN}
     * (the settings' {@code camel.main.shutdownTimeout} and the JVM's exit), with the exit code of a clean stop.
     */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
            String before = tail(40);
            kill();
            throw new AssertionError(this + " was still running " + STOP_WITHIN.toSeconds() + " s after SIGTERM:\n"
                    + before);
        }
        if (process.exitValue() != SIGTERM_EXIT) {
            throw new AssertionError(this + " stopped with exit code " + process.exitValue() + " after SIGTERM, not "
                    + SIGTERM_EXIT + ":\n" + tail(40));
        }
    }

    /** The last lines of its output, for failure messages. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public String toString() {
        return "sla-bridge " + name + " (pid " + process.pid() + ")";
    }
}
