package io.slabridge.routes.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation's links lead somewhere: every relative link in {@code README.md} and {@code docs/} names a
 * file of the repository and, where it has a {@code #fragment}, a heading of that page (GitHub's anchors); and every
 * page of {@code docs/} that a source file, script or build file mentions exists. A moved or renamed page fails here with
 * the file and line of each link it broke.
 */
class DocsLinksTest {
    private static final Path ROOT = repositoryRoot();
    /** A Markdown link or image: {@code [text](target)}, the target without spaces. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    /** A page of docs/ named in code or scripts, e.g. {@code docs/reference/report.md}. */
    private static final Pattern DOCS_MENTION = Pattern.compile("\\bdocs/[A-Za-z0-9_./-]+\\.md");

    @Test
    void everyRelativeLinkInTheDocsLeadsToAFileAndHeading() {
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        for (Path page : markdownPages()) {
            List<String> lines = read(page);
            boolean inCode = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("```")) {
                    inCode = !inCode;
                    continue;
                }
                if (inCode) {
                    continue;
                }
                Matcher m = LINK.matcher(line);
                while (m.find()) {
                    String problem = problem(page, m.group(1), anchors);
                    if (problem != null) {
                        broken.add(ROOT.relativize(page) + ":" + (i + 1) + ": " + m.group(1) + ": " + problem);
                    }
                }
            }
        }
        assertTrue(markdownPages().size() > 10, "the pages were not found under " + ROOT);
        assertEquals(List.of(), broken, "broken links in the docs");
    }

    @Test
    void everyDocsPageNamedInCodeOrScriptsExists() throws IOException {
        List<String> missing = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path file : files.filter(Files::isRegularFile).filter(DocsLinksTest::isSourceOrScript)
                    .filter(DocsLinksTest::notBuildOutput).toList()) {
                List<String> lines = read(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = DOCS_MENTION.matcher(lines.get(i));
                    while (m.find()) {
                        if (!Files.isRegularFile(ROOT.resolve(m.group()))) {
                            missing.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + m.group());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), missing, "docs pages named in code or scripts that do not exist");
    }

    @Test
    void headingsBecomeGitHubAnchors() {
        assertEquals("embedded-store-commits-through-kill--9-and-what-that-costs",
                anchor("Embedded store: commits through `kill -9`, and what that costs"));
        assertEquals("1-ticket-events-the-common-ticket-model-on-the-wire",
                anchor("1. Ticket events (the common ticket model on the wire)"));
    }

    /** Null when {@code target}, linked from {@code page}, exists (with its heading); else what is wrong. */
    private static String problem(Path page, String target, Map<Path, Set<String>> anchors) {
        if (target.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return null; // http:, https:, mailto: are not checked: no network in tests
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String fragment = hash < 0 ? null : target.substring(hash + 1);
        Path file = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
        if (!file.startsWith(ROOT) || !Files.exists(file)) {
            return "no such file";
        }
        if (fragment != null && file.toString().endsWith(".md")
                && !anchors.computeIfAbsent(file, DocsLinksTest::anchorsOf).contains(fragment)) {
            return "no heading with this anchor in " + ROOT.relativize(file);
        }
        return null;
    }

    private static Set<String> anchorsOf(Path page) {
        Set<String> out = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inCode = false;
        for (String line : read(page)) {
            if (line.startsWith("```")) {
                inCode = !inCode;
            } else if (!inCode && line.startsWith("#")) {
                String base = anchor(line.replaceFirst("^#+\\s*", ""));
                int n = seen.merge(base, 1, Integer::sum);
                out.add(n == 1 ? base : base + "-" + (n - 1)); // GitHub numbers repeated headings
            }
        }
        return out;
    }

    /** GitHub's anchor of a heading: lower case, punctuation dropped, each space a hyphen. */
    static String anchor(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-');
    }

    private static List<Path> markdownPages() {
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            List<Path> pages = docs.filter(p -> p.toString().endsWith(".md")).collect(Collectors.toList());
            pages.add(ROOT.resolve("README.md"));
            return pages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isSourceOrScript(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".java") || name.endsWith(".sh") || name.endsWith(".xml") || name.endsWith(".sql")
                || name.endsWith(".yaml") || name.endsWith(".properties") || name.equals("run");
    }

    private static boolean notBuildOutput(Path file) {
        Path relative = ROOT.relativize(file);
        return !relative.startsWith(".git") && relative.toString().split("/").length > 0
                && Stream.of(relative.toString().split("/")).noneMatch(part -> part.equals("target")
                        || part.equals("results") || part.equals("node_modules"));
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docs/ above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
