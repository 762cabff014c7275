package io.slabridge.routes.app;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard ({@code deploy/grafana/sla-bridge.json}) and the Prometheus alert rules
 * ({@code deploy/prometheus/}) against what sla-bridge really exports: the rules pass {@code promtool check rules} and
 * their unit tests ({@code promtool test rules}), and every metric either of them reads is on {@code /observe/metrics}
 * of a running application with Jira, Salesforce and the mailbox enabled. A renamed metric or a typo in a panel fails
 * here rather than as an empty panel or an alert that can never fire.
 */
class DashboardAndAlertRulesTest {
    private static final Path DEPLOY = repositoryRoot().resolve("deploy");
    private static final Path DASHBOARD = DEPLOY.resolve("grafana/sla-bridge.json");
    private static final Path RULES = DEPLOY.resolve("prometheus/sla-bridge-rules.yaml");
    private static final Path RULE_TESTS = DEPLOY.resolve("prometheus/sla-bridge-rules.test.yaml");
    /** Series Prometheus makes itself for each target, not read from the scrape. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");
    private static final String SECRET = "dashboard-test-webhook-secret";

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void theRulesPassPromtoolsCheckAndTheirUnitTests() throws Exception {
        String promtool = promtool();
        int rules = yaml(RULES).path("groups").findValues("rules").stream().mapToInt(JsonNode::size).sum();
        String check = run(promtool, "check", "rules", RULES.toString());
        assertTrue(check.contains("SUCCESS: " + rules + " rules found"), check);
        String test = run(promtool, "test", "rules", RULE_TESTS.toString());
        assertTrue(test.contains("SUCCESS"), test);
    }

    /**
     * Each dashboard query parses as PromQL: written as a recording rule, with Grafana's variables replaced by values
     * of theirs, for {@code promtool check rules} to parse (a typo would otherwise show only as a panel's error).
     */
    @Test
    void everyDashboardQueryIsValidPromQl() throws Exception {
        String promtool = promtool();
        ObjectMapper json = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ArrayNode rules = json.createArrayNode();
        for (JsonNode panel : panels(json.readTree(DASHBOARD.toFile()))) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText().replace("$__rate_interval", "4m").replace("$__range", "1d")
                        .replace("$source", ".*").replace("$policy", ".*");
                assertFalse(expr.contains("$"), "a Grafana variable this test does not know: " + expr);
                // Named after the panel, for promtool's message: e.g. dashboard:oldest_waiting_A.
                String record = "dashboard:" + panel.path("title").asText().toLowerCase(java.util.Locale.ROOT)
                        .replaceAll("[^a-z0-9]+", "_") + "_" + target.path("refId").asText();
                rules.addObject().put("record", record).put("expr", expr);
            }
        }
        com.fasterxml.jackson.databind.node.ObjectNode file = json.createObjectNode();
        file.putArray("groups").addObject().put("name", "dashboard-queries").set("rules", rules);
        Path asRules = dir.resolve("dashboard-queries.yaml");
        new YAMLMapper().writeValue(asRules.toFile(), file);
        String check = run(promtool, "check", "rules", asRules.toString());
        assertTrue(check.contains("SUCCESS: " + rules.size() + " rules found"), check);
    }

    @Test
    void everyAlertIsTestedOnceFiringAndOnceNot() throws Exception {
        Set<String> alerts = new TreeSet<>(yaml(RULES).findValuesAsText("alert"));
        Map<String, Set<Boolean>> tested = new TreeMap<>();
        for (JsonNode test : yaml(RULE_TESTS).path("tests")) {
            for (JsonNode t : test.path("alert_rule_test")) {
                tested.computeIfAbsent(t.path("alertname").asText(), k -> new TreeSet<>())
                        .add(t.path("exp_alerts").size() > 0);
            }
        }
        assertFalse(alerts.isEmpty());
        for (String alert : alerts) {
            assertEquals(Set.of(false, true), tested.getOrDefault(alert, Set.of()),
                    alert + " in " + RULE_TESTS.getFileName() + ": expected firing at one time and not at another");
        }
        assertEquals(alerts, tested.keySet(), "tests of alerts the rules do not have");
        for (JsonNode rule : yaml(RULES).findValues("rules").stream().flatMap(r -> stream(r)).toList()) {
            String name = rule.path("alert").asText();
            assertFalse(rule.path("for").asText().isEmpty(), name + ": no for:");
            assertFalse(rule.path("labels").path("severity").asText().isEmpty(), name + ": no severity label");
            assertFalse(rule.path("annotations").path("summary").asText().isEmpty(), name + ": no summary");
            assertFalse(rule.path("annotations").path("description").asText().isEmpty(), name + ": no description");
        }
    }

    @Test
    void theDashboardReadsItsDatasourceFromAVariableAndFiltersBySourceAndPolicy() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertTrue(dashboard.path("schemaVersion").asInt() >= 39, "a current Grafana's schema");
        Map<String, JsonNode> variables = new TreeMap<>();
        dashboard.path("templating").path("list").forEach(v -> variables.put(v.path("name").asText(), v));
        assertEquals(Set.of("datasource", "source", "policy"), variables.keySet());
        assertEquals("datasource", variables.get("datasource").path("type").asText());
        assertEquals("prometheus", variables.get("datasource").path("query").asText());
        List<JsonNode> panels = panels(dashboard);
        assertTrue(panels.size() >= 10, "panels: " + panels.size());
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), title);
            assertTrue(panel.path("targets").size() > 0, title + ": no query");
            for (JsonNode target : panel.path("targets")) {
                assertEquals("${datasource}", target.path("datasource").path("uid").asText(), title);
                assertFalse(target.path("expr").asText().isBlank(), title + ": empty query");
            }
        }
        String queries = panels.stream().flatMap(p -> stream(p.path("targets"))).map(t -> t.path("expr").asText())
                .collect(Collectors.joining("\n"));
        assertTrue(queries.contains("source=~\"$source\"") && queries.contains("policy=~\"$policy\""), queries);
    }

    @Test
    void everyMetricTheDashboardAndTheRulesReadIsInARealScrape() throws Exception {
        Map<String, Set<String>> used = new TreeMap<>();
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                PromQlNames.inExpression(target.path("expr").asText()).forEach(n -> used.computeIfAbsent(n,
                        k -> new TreeSet<>()).add("dashboard panel '" + panel.path("title").asText() + "'"));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            JsonNode query = variable.path("query");
            String text = query.isObject() ? query.path("query").asText() : query.asText();
            if (variable.path("type").asText().equals("query")) {
                PromQlNames.inVariableQuery(text).forEach(n -> used.computeIfAbsent(n, k -> new TreeSet<>())
                        .add("dashboard variable $" + variable.path("name").asText()));
            }
        }
        for (JsonNode rule : yaml(RULES).findValues("rules").stream().flatMap(r -> stream(r)).toList()) {
            PromQlNames.inExpression(rule.path("expr").asText()).forEach(n -> used.computeIfAbsent(n,
                    k -> new TreeSet<>()).add("alert " + rule.path("alert").asText()));
        }
        assertTrue(used.keySet().containsAll(Set.of("sla_breaches_total", "sla_source_up", "up")), used.toString());

        String scrape = scrapeOfARunningApplication();
        Files.writeString(Files.createDirectories(Path.of("target")).resolve("observe-metrics-scrape.txt"), scrape);
        Set<String> samples = scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
        Map<String, String> types = scrape.lines().filter(l -> l.startsWith("# TYPE "))
                .map(l -> l.substring("# TYPE ".length()).split(" "))
                .collect(Collectors.toMap(p -> p[0], p -> p[1], (a, b) -> a, TreeMap::new));
        List<String> missing = new ArrayList<>();
        used.forEach((name, where) -> {
            if (!PROMETHEUS_OWN.contains(name) && !exported(name, samples, types)) {
                missing.add(name + " (" + String.join(", ", where) + ")");
            }
        });
        assertEquals(List.of(), missing, "metrics read but not exported; the scrape is in routes/target/"
                + "observe-metrics-scrape.txt");

        // The other way round: each of sla-bridge's own metrics has a panel.
        Set<String> dashboardNames = new TreeSet<>();
        panels(dashboard).forEach(p -> p.path("targets").forEach(t ->
                dashboardNames.addAll(PromQlNames.inExpression(t.path("expr").asText()))));
        Set<String> withoutPanel = samples.stream().filter(n -> n.startsWith("sla_") && !dashboardNames.contains(n))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), withoutPanel, "sla-bridge metrics that no dashboard panel shows");
    }

    /** Whether {@code name} is a sample of the scrape, or the bucket, sum or count of a histogram or summary in it. */
    private static boolean exported(String name, Set<String> samples, Map<String, String> types) {
        if (samples.contains(name)) {
            return true;
        }
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            if (name.endsWith(suffix)) {
                String type = types.getOrDefault(name.substring(0, name.length() - suffix.length()), "");
                return type.equals("histogram") || (type.equals("summary") && !suffix.equals("_bucket"));
            }
        }
        return false;
    }

    /**
     * The metrics page of sla-bridge after some work: Jira (webhook and polling), Salesforce (polling) and the mailbox
     * enabled; a Jira ticket created seven hours ago, so that its first response (1h) has breached and its resolution
     * (8h) is at risk, and its SLA fields written back.
     */
    private String scrapeOfARunningApplication() throws Exception {
        WireMockServer jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        WireMockServer salesforce = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        GreenMail mail = new GreenMail(ServerSetup.dynamicPort(ServerSetupTest.SMTP_IMAP));
        jira.start();
        salesforce.start();
        mail.start();
        try {
            jira.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(okJson(
                    "{\"accountId\":\"712020:sla-bridge-bot\",\"timeZone\":\"UTC\"}")));
            jira.stubFor(post(urlPathEqualTo("/rest/api/3/search/jql")).willReturn(okJson("{\"issues\":[],\"isLast\":true}")));
            jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/SUP-12")).willReturn(aResponse().withStatus(204)));
            jira.stubFor(put(urlPathEqualTo("/rest/api/3/issue/ENG-7")).willReturn(aResponse().withStatus(204)));
            String sf = "http://127.0.0.1:" + salesforce.port();
            String data = "/services/data/v62.0";
            salesforce.stubFor(post(urlPathEqualTo("/services/oauth2/token")).willReturn(okJson(
                    "{\"access_token\":\"t\",\"instance_url\":\"" + sf + "\",\"id\":\"" + sf
                            + "/id/00D000000000001EAA/005000000000001AAA\",\"token_type\":\"Bearer\","
                            + "\"issued_at\":\"1763630102514\",\"signature\":\"c2ln\"}")));
            salesforce.stubFor(get(urlPathEqualTo("/services/oauth2/revoke")).willReturn(aResponse().withStatus(200)));
            salesforce.stubFor(get(urlPathEqualTo(data + "/sobjects/Case/describe")).willReturn(okJson(
                    io.slabridge.routes.testing.FakeCaseDescribe.json(data, false, Map.of()))));
            salesforce.stubFor(get(urlPathEqualTo(data + "/query")).willReturn(okJson(
                    "{\"totalSize\":0,\"done\":true,\"records\":[]}")));
            GreenMailUser support = mail.setUser("support@acme.example", "support@acme.example", "mail-secret");
            mail.getManagers().getImapHostManager().createMailbox(support, "Sent");

            int serverPort = freePort();
            int managementPort = freePort();
            Properties p = settings(serverPort, managementPort);
            p.setProperty("sla.jira.url", "http://127.0.0.1:" + jira.port());
            p.setProperty("sla.salesforce.login-url", sf);
            p.setProperty("sla.email.imap.url", "imap://127.0.0.1:" + mail.getImap().getPort());
            p.setProperty("sla.email.smtp.url", "smtp://127.0.0.1:" + mail.getSmtp().getPort());
            try (SlaBridgeApplication app = SlaBridgeApplication.create(p, Map.of(), Clock.systemUTC())) {
                app.start();
                String created = Instant.now().minus(7, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString()
                        .replace("Z", ".000+0000");
                String body = """
                        {"timestamp":1763630102514,"webhookEvent":"jira:issue_created",
                         "user":{"accountId":"557058:cust-1","accountType":"customer"},
                         "issue":{"id":"10001","key":"SUP-12","fields":{"summary":"Checkout returns 500",
                           "created":"CREATED","status":{"name":"Waiting for support","statusCategory":{"key":"new"}},
                           "priority":{"name":"High"},"reporter":{"accountId":"557058:cust-1","accountType":"customer"}}}}
                        """.replace("CREATED", created);
                webhook(serverPort, body);
                // ENG-7, escalated from SUP-12 by a Jira issue link as long ago: engineering's OLA first response
                // (1h) has breached and its resolution (8h) is at risk.
                webhook(serverPort, """
                        {"timestamp":1763630102600,"webhookEvent":"jira:issue_created",
                         "user":{"accountId":"557058:dev-1","accountType":"atlassian"},
                         "issue":{"id":"10007","key":"ENG-7","fields":{"summary":"500 from the checkout service",
                           "created":"CREATED","updated":"CREATED","status":{"name":"To Do","statusCategory":{"key":"new"}},
                           "priority":{"name":"High"},"reporter":{"accountId":"557058:dev-1","accountType":"atlassian"},
                           "issuelinks":[{"id":"20001","type":{"id":"10002","name":"Cause","inward":"is caused by",
                             "outward":"causes"},"outwardIssue":{"id":"10001","key":"SUP-12"}}]}}}
                        """.replace("CREATED", created));
                await(() -> jira.countRequestsMatching(putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-12"))
                        .build()).getCount() >= 1, "the SLA fields written to Jira");
                await(() -> {
                    String page = scrape(managementPort);
                    return page.contains("sla_breaches_total{") && page.contains("sla_warnings_total{")
                            && counted(page, "sla_ola_breaches_total", "first_response")
                            && counted(page, "sla_ola_warnings_total", "resolution")
                            && page.contains("sla_writebacks_total{") && !page.contains(
                                    "sla_source_last_success_timestamp_seconds{source=\"salesforce\"} NaN");
                }, "a breach, a warning, an OLA breach and warning, a write-back and a Salesforce poll on the metrics page");
                return scrape(managementPort);
            }
        } finally {
            mail.stop();
            salesforce.stop();
            jira.stop();
        }
    }

    /** Whether the scrape has the counter at 1 for the metric (the OLA's are exported from 0). */
    private static boolean counted(String page, String counter, String metric) {
        return page.lines().anyMatch(l -> l.startsWith(counter + "{") && l.contains("metric=\"" + metric + "\"")
                && l.endsWith(" 1.0"));
    }

    private void webhook(int serverPort, String body) throws Exception {
        HttpResponse<String> hook = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + serverPort + "/webhooks/jira"))
                .header("X-Hub-Signature", "sha256=" + hmac(body)).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, hook.statusCode(), hook.body());
    }

    private Properties settings(int serverPort, int managementPort) throws Exception {
        Path policy = dir.resolve("sla.yaml");
        Files.writeString(policy, """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: standard
                    calendar: always
                    targets: { first_response: 1h, resolution: 8h }
                olas:
                  - name: eng
                    when:
                      engineering: { source: jira, project: [ENG] }
                      customer: { source: jira, project: [SUP] }
                    calendar: always
                    targets: { first_response: 1h, resolution: 8h }
                warnings: ["75%"]
                """);
        Properties p = new Properties();
        p.setProperty("sla.policy", policy.toString());
        p.setProperty("sla.store.url", "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
        p.setProperty("sla.store.user", "sa");
        p.setProperty("sla.outbox.poll-interval", "100");
        // The SLA board, for its users' gauges (open to all here: nothing but this test reaches it).
        p.setProperty("sla.board.port", Integer.toString(freePort()));
        p.setProperty("sla.board.host", "127.0.0.1");
        p.setProperty("sla.board.auth", "none");
        p.setProperty("sla.jira.enabled", "true");
        p.setProperty("sla.jira.email", "sla-bridge@acme.example");
        p.setProperty("sla.jira.api-token", "dashboard-test-api-token");
        p.setProperty("sla.jira.webhook-secret", SECRET);
        p.setProperty("sla.jira.service-management", "true");
        p.setProperty("sla.jira.field.status", "customfield_10100");
        p.setProperty("sla.jira.projects", "SUP,ENG");
        p.setProperty("sla.jira.link-types", "Cause");
        p.setProperty("sla.jira.poll-interval", "1s");
        p.setProperty("sla.salesforce.enabled", "true");
        p.setProperty("sla.salesforce.client-id", "3MVG9-consumer-key");
        p.setProperty("sla.salesforce.client-secret", "consumer-secret-4Qz");
        p.setProperty("sla.salesforce.poll-interval", "1s");
        p.setProperty("sla.email.enabled", "true");
        p.setProperty("sla.email.imap.user", "support@acme.example");
        p.setProperty("sla.email.imap.password", "mail-secret");
        p.setProperty("sla.email.smtp.starttls", "off");
        p.setProperty("sla.email.from", "support@acme.example");
        p.setProperty("sla.email.support-domains", "acme.example");
        p.setProperty("sla.email.poll-interval", "1s");
        p.setProperty("camel.server.port", Integer.toString(serverPort));
        p.setProperty("camel.management.port", Integer.toString(managementPort));
        return p;
    }

    private String scrape(int managementPort) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + "/observe/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (Exception e) {
            return "";
        }
    }

    /** Every panel, those inside collapsed rows too. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            all.add(panel);
            panel.path("panels").forEach(all::add);
        }
        return all;
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list.stream();
    }

    private static JsonNode yaml(Path file) throws Exception {
        return new YAMLMapper().readTree(file.toFile());
    }

    /** Runs a command, returning what it printed; fails the test on a non-zero exit or after a minute. */
    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + ": still running after 60 s");
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + text);
        return text;
    }

    /** promtool's path; without it the test is skipped, or fails under CI=true. */
    private static String promtool() {
        Optional<Path> promtool = onPath("promtool");
        if (promtool.isEmpty()) {
            String why = "promtool not found on PATH: install Debian's prometheus package (apt-get install prometheus)";
            assertFalse("true".equals(System.getenv("CI")), why + "; CI=true, so this is a failure, not a skip");
            Assumptions.abort(why);
        }
        return promtool.get().toString();
    }

    private static Optional<Path> onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, program)).filter(Files::isExecutable).findFirst();
    }

    /** The checkout's root: the first directory up from here holding deploy/prometheus. */
    private static Path repositoryRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("deploy/prometheus"))) {
                return d;
            }
        }
        throw new IllegalStateException("no deploy/prometheus above " + Path.of("").toAbsolutePath());
    }

    private static String hmac(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
