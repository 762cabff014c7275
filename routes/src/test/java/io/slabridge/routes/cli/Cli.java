package io.slabridge.routes.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import io.slabridge.routes.SlaBridge;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the command line exactly as the jar does, capturing exit code, stdout and stderr. */
final class Cli {
    static final ObjectMapper JSON = new ObjectMapper();

    private Cli() {
    }

    /** What one run of {@code sla-bridge} did. */
    record Result(int exitCode, String out, String err) {
        /** Non-empty stdout lines. */
        List<String> outLines() {
            return nonEmptyLines(out);
        }

        /** Non-empty stderr lines. */
        List<String> errLines() {
            return nonEmptyLines(err);
        }

        /** Every stdout line parsed as JSON; fails if any line is not JSON. */
        List<JsonNode> rows() {
            return parseLines(outLines());
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout:\n" + abbreviate(out) + "\n--- stderr:\n" + abbreviate(err);
        }
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SlaBridgeCommand.commandLine(out, err).execute(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The real executable in its own JVM, so that what it prints on System.err (logs included) is seen too. */
    static Result runMain(String... args) {
        return runMain(null, Map.of(), args);
    }

    /**
     * The real executable in its own JVM, in {@code directory} (null: this one's), with the store's environment
     * variables ({@code SLA_STORE_*}) removed and then {@code environment} added.
     */
    static Result runMain(Path directory, Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SlaBridge.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().keySet().removeIf(name -> name.startsWith("SLA_STORE_"));
        builder.environment().putAll(environment);
        try {
            Process p = builder.start();
            p.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            String out = readAll(p.getInputStream());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("sla-bridge " + String.join(" ", args) + " did not end within 60 s");
            }
            return new Result(p.exitValue(), out, err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A test resource as a path (read only: copy it before changing it). */
    static Path resource(String name) {
        try {
            return Path.of(Cli.class.getResource("/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource " + name, e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path writeLines(Path file, List<String> lines) {
        return write(file, String.join("\n", lines) + "\n");
    }

    static List<String> nonEmptyLines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        return lines;
    }

    static List<JsonNode> parseLines(List<String> lines) {
        List<JsonNode> nodes = new ArrayList<>(lines.size());
        for (String line : lines) {
            try {
                nodes.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }
        return nodes;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    static List<String> lines(Path file) {
        return nonEmptyLines(read(file));
    }

    private static String abbreviate(String s) {
        return s.length() <= 4000 ? s : s.substring(0, 4000) + "... (" + s.length() + " chars)";
    }
}
