package io.slabridge.routes.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
