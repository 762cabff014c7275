package io.slabridge.routes.demo;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.common.Slf4jNotifier;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.slabridge.core.model.SummaryState;
import io.slabridge.routes.app.SlaBridgeApplication;
import io.slabridge.routes.app.StartupException;
import io.slabridge.store.StoreSettings;
import jakarta.mail.Address;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code sla-bridge demo}: the real application (routes, store, scheduler, outbox) against simulators on loopback
 * (a Jira and a Salesforce on WireMock, a mailbox on GreenMail), seeded with six tickets, on an accelerated clock.
 * It prints a table of the tickets whenever it changes and a line per write-back as the simulators receive it
 * (their request journals are the source of truth), and at the end a summary.
 */
public final class Demo {
    /** Monday 2 March 2026, 09:00 UTC: inside the office hours of the demo policy. */
    public static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    static final String SECRET = "demo-webhook-secret";
    static final String SUPPORT = "support@acme.example";
    static final String LEAD = "lead@example.com";
    static final String DATA = "/services/data/v62.0";
    static final String CASE_A = "500Qy00000DemoAIAV";
    static final String CASE_B = "500Qy00000DemoBIAV";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final PrintWriter out;
    private final long factor;
    private final boolean once;
    private final Duration timeout;
    private volatile boolean stopRequested;

    private final ConcurrentLinkedQueue<String> writeLines = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> writeCounts = new TreeMap<>();

    private DemoClock clock;
    private WireMockServer jira;
    private WireMockServer salesforce;
    private GreenMail mail;
    private GreenMailUser support;
    private SlaBridgeApplication app;
    private int webhookPort;
    private final java.util.Set<String> mailsSeen = new java.util.HashSet<>();
    private final HttpClient http = HttpClient.newHttpClient();

    public Demo(PrintWriter out, long factor, boolean once, Duration timeout) {
        this.out = out;
        this.factor = factor;
        this.once = once;
        this.timeout = timeout;
    }

    /** Asks a running demo to stop (Ctrl-C). */
    public void stop() {
        stopRequested = true;
    }

    /** A step of the scripted story: at this point of the demo clock, this happens. */
    private record Step(Duration at, String what, ThrowingRunnable action) {
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Something that must have happened for {@code --once} to succeed. */
    private record Expectation(String what, BooleanSupplier met) {
    }

    /** Runs the demo; returns the exit code (0, or 1 when {@code --once} timed out before everything happened). */
    public int run() throws Exception {
        Path dir = Files.createTempDirectory("sla-bridge-demo");
        try {
            return run(dir);
        } finally {
            close();
            deleteTree(dir);
        }
    }

    private int run(Path dir) throws Exception {
        clock = new DemoClock(START, factor);
        startSimulators();
        Path policy = dir.resolve("sla.yaml");
        try (InputStream in = Demo.class.getResourceAsStream("/demo/sla.yaml")) {
            Files.copy(in, policy);
        }
        webhookPort = freePort();
        Properties p = settings(dir, policy);
        try {
            app = SlaBridgeApplication.create(p, Map.of(), clock);
        } catch (StartupException e) {
            throw new IllegalStateException("the demo's own settings are wrong: " + e.problems());
        }
        app.start();
        clock.begin(); // the story starts now, with everything up
        out.printf("sla-bridge demo: Jira (WireMock) on 127.0.0.1:%d, Salesforce (WireMock) on 127.0.0.1:%d, "
                + "mailbox (GreenMail) IMAP %d / SMTP %d, webhooks on %d%n", jira.port(), salesforce.port(),
                mail.getImap().getPort(), mail.getSmtp().getPort(), webhookPort);
        out.printf("policy: %s (standard: 1h first response / 8h resolution in office hours Mon-Fri 08-18 UTC; "
                + "gold tier: 40m; high and urgent: 30m; warning at 75%%; breach: internal comment + notice)%n",
                "demo/sla.yaml");
        out.printf("clock: starts %s UTC, %dx real time (1 s = %s)%s%n", HM.format(START), factor,
                Duration.ofSeconds(factor).toString().substring(2).toLowerCase(Locale.ROOT),
                once ? "; --once: ends when every expected write-back has happened" : "; Ctrl-C to stop");
        out.flush();

        List<Step> story = story();
        List<Expectation> expected = expectations();
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastTable = "";
        int nextStep = 0;
        boolean done = false;
        while (!stopRequested) {
            while (nextStep < story.size() && !clock.elapsed().minus(story.get(nextStep).at()).isNegative()) {
                Step s = story.get(nextStep++);
                out.printf("[%s] %s%n", HM.format(clock.instant()), s.what());
                s.action().run();
            }
            collectMail();
            String line;
            while ((line = writeLines.poll()) != null) {
                out.println(line);
            }
            String table = table();
            if (!table.equals(lastTable)) {
                out.printf("[%s] tickets%n%s", HM.format(clock.instant()), table);
                lastTable = table;
            }
            out.flush();
            if (once && nextStep == story.size() && expected.stream().allMatch(e -> e.met().getAsBoolean())
                    && pendingCommands() == 0) {
                done = true;
                break;
            }
            if (once && System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(200);
        }
        Thread.sleep(300); // the last answers reach the journals
        collectMail();
        String line;
        while ((line = writeLines.poll()) != null) {
            out.println(line);
        }
        summary();
        if (once && !done) {
            out.printf("demo --once: not everything happened within %ds:%n", timeout.toSeconds());
            for (Expectation e : expected) {
                if (!e.met().getAsBoolean()) {
                    out.println("  missing: " + e.what());
                }
            }
            if (nextStep < story.size()) {
                out.println("  the story did not reach: " + story.get(nextStep).what());
            }
            out.flush();
            return 1;
        }
        out.flush();
        return 0;
    }

    private Properties settings(Path dir, Path policy) {
        Properties p = new Properties();
        p.setProperty("sla.policy", policy.toString());
        // The embedded default (SQLite), in the demo's own directory. Ctrl-C: the demo stops Camel and prints its summary
        // from the store before the store closes.
        p.setProperty("sla.store.url", StoreSettings.sqliteFile(dir.resolve("demo.db")).url());
        // The scheduler sleeps in real time until the next due instant as the clock says it: on a clock 60x faster,
        // it must look again often.
        p.setProperty("sla.scheduler.max-sleep", "200");
        p.setProperty("sla.outbox.poll-interval", "200");
        p.setProperty("camel.server.port", Integer.toString(webhookPort));
        p.setProperty("camel.server.host", "127.0.0.1");
        p.setProperty("camel.management.enabled", "false");
        p.setProperty("camel.main.shutdownTimeout", "5");

        p.setProperty("sla.jira.enabled", "true");
        p.setProperty("sla.jira.url", "http://127.0.0.1:" + jira.port());
        p.setProperty("sla.jira.email", "sla-bridge@acme.example");
        p.setProperty("sla.jira.api-token", "demo-token");
        p.setProperty("sla.jira.webhook-secret", SECRET);
        p.setProperty("sla.jira.service-management", "true");
        p.setProperty("sla.jira.field.status", "customfield_10100");
        p.setProperty("sla.jira.field.next-due", "customfield_10101");

        p.setProperty("sla.salesforce.enabled", "true");
        p.setProperty("sla.salesforce.login-url", "http://127.0.0.1:" + salesforce.port());
        p.setProperty("sla.salesforce.client-id", "3MVG9-demo");
        p.setProperty("sla.salesforce.client-secret", "demo-secret");
        p.setProperty("sla.salesforce.field.status", "SLA_Status__c");
        p.setProperty("sla.salesforce.field.next-due", "SLA_Next_Due__c");
        p.setProperty("sla.salesforce.field.tier", "Account.Tier__c");
        p.setProperty("sla.salesforce.poll-interval", "1s");

        p.setProperty("sla.email.enabled", "true");
        p.setProperty("sla.email.imap.url", "imap://127.0.0.1:" + mail.getImap().getPort());
        p.setProperty("sla.email.imap.user", SUPPORT);
        p.setProperty("sla.email.imap.password", "demo-secret");
        p.setProperty("sla.email.smtp.url", "smtp://127.0.0.1:" + mail.getSmtp().getPort());
        p.setProperty("sla.email.smtp.starttls", "off");
        p.setProperty("sla.email.from", SUPPORT);
        p.setProperty("sla.email.from-name", "Acme Support");
        p.setProperty("sla.email.support-domains", "acme.example");
        p.setProperty("sla.email.ack.enabled", "true");
        p.setProperty("sla.email.poll-interval", "1s");
        return p;
    }

    // ---- the story ------------------------------------------------------------------------------------------

    private List<Step> story() {
        return List.of(
                new Step(Duration.ZERO, "jira: SUP-1 (High) created by a customer, through the signed webhook",
                        () -> jiraCreated("SUP-1", "10001", "Checkout returns 500", "High")),
                new Step(Duration.ZERO, "jira: SUP-2 (Medium) created by a customer",
                        () -> jiraCreated("SUP-2", "10002", "How do I export invoices?", "Medium")),
                new Step(Duration.ZERO, "salesforce: Cases " + CASE_A + " (High, created 5 min ago) and " + CASE_B
                        + " (Low, Gold tier) in the next poll", () -> { }),
                new Step(Duration.ofMinutes(1), "email: Dan writes to support@ (\"Question about our invoice\")",
                        () -> deliver("INBOX", customerMail("dan@initech.example", "Dan Dev", "Question about our invoice",
                                "d1@initech.example", "Which VAT rate applies to us?"))),
                new Step(Duration.ofMinutes(2), "email: Carla writes to support@ (\"Our shop is down\": urgent)",
                        () -> deliver("INBOX", customerMail("carla@globex.example", "Carla Customer",
                                "Our shop is down", "c1@globex.example", "Nothing loads since 10 minutes."))),
                new Step(Duration.ofMinutes(6), "email: an agent answers Dan from the shared mailbox (copy in Sent)",
                        () -> deliver("Sent", """
                                From: Acme Support <support@acme.example>
                                To: Dan Dev <dan@initech.example>
                                Subject: Re: Question about our invoice
                                Message-ID: <a1@acme.example>
                                In-Reply-To: <d1@initech.example>
                                References: <d1@initech.example>

                                The reduced rate applies; details attached.
                                """)),
                new Step(Duration.ofMinutes(8), "jira: an agent comments publicly on SUP-2",
                        () -> jiraAgentComment("SUP-2", "10002")));
    }

    private List<Expectation> expectations() {
        return List.of(
                new Expectation("jira SUP-1: SLA status written as Breached", () -> jiraStatusWritten("SUP-1", "Breached")),
                new Expectation("jira SUP-1: two internal comments (75% and breach)", () -> jiraComments("SUP-1") >= 2),
                new Expectation("jira SUP-2: first response met", () -> cycleStatus("jira:SUP-2", "met")),
                new Expectation("salesforce " + CASE_A + ": SLA status written as Breached",
                        () -> sfStatusWritten(CASE_A, "Breached")),
                new Expectation("salesforce " + CASE_A + ": two internal CaseComments", () -> sfComments(CASE_A) >= 2),
                new Expectation("salesforce " + CASE_B + ": SLA status written as At risk",
                        () -> sfStatusWritten(CASE_B, "At risk")),
                new Expectation("email: acknowledgements to Dan and Carla",
                        () -> mailsTo("dan@initech.example") >= 1 && mailsTo("carla@globex.example") >= 1),
                new Expectation("email d1: first response met by the reply in Sent",
                        () -> cycleStatus("email:d1@initech.example", "met")),
                new Expectation("email: three breach notices to " + LEAD + " (SUP-1, " + CASE_A + ", Carla's mail)",
                        () -> mailsTo(LEAD) >= 3));
    }

    private void jiraCreated(String key, String id, String summary, String priority) throws Exception {
        String created = jiraTime(clock.instant());
        webhook("""
                {"timestamp":TS,"webhookEvent":"jira:issue_created",
                 "user":{"accountId":"557058:cust-1","accountType":"customer","displayName":"Carla Customer"},
                 "issue":{"id":"ID","key":"KEY","fields":{"summary":"SUMMARY","created":"CREATED",
                   "status":{"name":"Waiting for support","statusCategory":{"key":"new"}},
                   "priority":{"name":"PRIORITY"},"reporter":{"accountId":"557058:cust-1","accountType":"customer"}}}}
                """.replace("TS", Long.toString(clock.millis())).replace("ID", id).replace("KEY", key)
                .replace("SUMMARY", summary).replace("CREATED", created).replace("PRIORITY", priority));
    }

    private void jiraAgentComment(String key, String id) throws Exception {
        String now = jiraTime(clock.instant());
        webhook("""
                {"timestamp":TS,"webhookEvent":"comment_created",
                 "comment":{"id":"10200","author":{"accountId":"5b10a2844c20165700ede21g","displayName":"Alex Agent",
                   "accountType":"atlassian","active":true},"body":"Go to Billing, then Export.",
                   "created":"NOW","updated":"NOW","jsdPublic":true},
                 "issue":{"id":"ID","key":"KEY","fields":{"summary":"How do I export invoices?",
                   "status":{"name":"Waiting for support","statusCategory":{"key":"new"}},"priority":{"name":"Medium"}}}}
                """.replace("TS", Long.toString(clock.millis())).replace("ID", id).replace("KEY", key)
                .replace("NOW", now));
    }

    private static String jiraTime(Instant at) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'+0000'").withZone(ZoneOffset.UTC).format(at);
    }

    private void webhook(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + webhookPort + "/webhooks/jira"))
                .header("X-Hub-Signature", "sha256=" + signature).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            out.printf("  (the webhook was answered %d: %s)%n", r.statusCode(), r.body());
        }
    }

    private static String customerMail(String from, String name, String subject, String messageId, String text) {
        return "From: " + name + " <" + from + ">\nTo: " + SUPPORT + "\nSubject: " + subject + "\nMessage-ID: <"
                + messageId + ">\n\n" + text + "\n";
    }

    private void deliver(String folder, String text) throws Exception {
        byte[] raw = text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)) {
            @Override
            protected void updateMessageID() {
                // keep the Message-ID as written
            }
        };
        m.setSentDate(Date.from(clock.instant()));
        var host = mail.getManagers().getImapHostManager();
        (folder.equals("INBOX") ? host.getInbox(support) : host.getFolder(support, folder))
                .appendMessage(m, new Flags(), Date.from(clock.instant()));
    }

    // ---- the simulators -------------------------------------------------------------------------------------

    private void startSimulators() throws Exception {
        jira = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").notifier(new Slf4jNotifier(false)));
        jira.start();
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/myself")).willReturn(okJson(
                "{\"accountId\":\"712020:sla-bridge-bot\",\"timeZone\":\"UTC\"}")));
        // The SLA fields the demo writes, as GET /rest/api/3/field and the status field's context and options
        // answer: sla-bridge checks them before it starts.
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/field")).willReturn(okJson("[{\"id\":\"customfield_10100\","
                + "\"key\":\"customfield_10100\",\"name\":\"SLA status\",\"custom\":true,\"schema\":{\"type\":\"option\","
                + "\"custom\":\"com.atlassian.jira.plugin.system.customfieldtypes:select\",\"customId\":10100}},"
                + "{\"id\":\"customfield_10101\",\"key\":\"customfield_10101\",\"name\":\"SLA next due\",\"custom\":true,"
                + "\"schema\":{\"type\":\"datetime\",\"custom\":\"com.atlassian.jira.plugin.system.customfieldtypes:datetime\","
                + "\"customId\":10101}}]")));
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/field/customfield_10100/context")).willReturn(okJson(
                "{\"maxResults\":50,\"startAt\":0,\"total\":1,\"isLast\":true,\"values\":[{\"id\":\"10200\","
                        + "\"name\":\"Default Configuration Scheme for SLA status\",\"isGlobalContext\":true,\"isAnyIssueType\":true}]}")));
        StringBuilder options = new StringBuilder();
        for (io.slabridge.core.model.SummaryState state : io.slabridge.core.model.SummaryState.values()) {
            options.append(options.length() == 0 ? "" : ",").append("{\"id\":\"1003").append(state.ordinal())
                    .append("\",\"value\":\"").append(state.label()).append("\",\"disabled\":false}");
        }
        jira.stubFor(get(urlPathEqualTo("/rest/api/3/field/customfield_10100/context/10200/option")).willReturn(okJson(
                "{\"maxResults\":50,\"startAt\":0,\"total\":6,\"isLast\":true,\"values\":[" + options + "]}")));
        jira.stubFor(get(urlPathMatching("/rest/api/3/issue/[A-Z]+-[0-9]+")).willReturn(okJson(
                "{\"fields\":{\"reporter\":{\"accountId\":\"557058:cust-1\",\"accountType\":\"customer\"}}}")));
        jira.stubFor(put(urlPathMatching("/rest/api/3/issue/[A-Z]+-[0-9]+")).willReturn(aResponse().withStatus(204)));
        jira.stubFor(post(urlPathMatching("/rest/api/3/issue/[A-Z]+-[0-9]+/comment"))
                .willReturn(okJson("{\"id\":\"10300\"}").withStatus(201)));
        jira.stubFor(get(urlPathMatching("/rest/api/3/issue/[A-Z]+-[0-9]+/comment"))
                .willReturn(okJson("{\"startAt\":0,\"total\":0,\"comments\":[]}")));
        jira.addMockServiceRequestListener((request, response) -> journal("jira", request, response.getStatus()));

        salesforce = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .notifier(new Slf4jNotifier(false)).extensions(new CompositeAnswer()));
        salesforce.start();
        String base = "http://127.0.0.1:" + salesforce.port();
        salesforce.stubFor(post(urlPathEqualTo("/services/oauth2/token")).willReturn(okJson(
                "{\"access_token\":\"demo-token\",\"instance_url\":\"" + base + "\",\"id\":\"" + base
                        + "/id/00DQy000001gPLEAY/005Qy00000SlaBotIAA\",\"token_type\":\"Bearer\","
                        + "\"issued_at\":\"1763629200000\",\"signature\":\"c2ln\"}")));
        salesforce.stubFor(get(urlPathEqualTo("/services/oauth2/revoke")).willReturn(aResponse().withStatus(200)));
        salesforce.stubFor(get(urlPathEqualTo(DATA + "/sobjects/Case/describe")).willReturn(okJson(
                FakeCaseDescribe.json(DATA, true, FakeCaseDescribe.SLA_FIELDS))));
        salesforce.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("FROM Case WHERE"))
                .willReturn(okJson(cases())));
        String none = "{\"totalSize\":0,\"done\":true,\"records\":[]}";
        salesforce.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("FROM EmailMessage"))
                .willReturn(okJson(none)));
        salesforce.stubFor(get(urlPathEqualTo(DATA + "/query")).withQueryParam("q", containing("FROM CaseComment"))
                .willReturn(okJson(none)));
        salesforce.stubFor(patch(urlPathEqualTo(DATA + "/composite/sobjects"))
                .willReturn(aResponse().withTransformers(CompositeAnswer.NAME)));
        salesforce.stubFor(post(urlPathEqualTo(DATA + "/composite/sobjects"))
                .willReturn(aResponse().withTransformers(CompositeAnswer.NAME)));
        salesforce.addMockServiceRequestListener((request, response) ->
                journal("salesforce", request, response.getStatus()));

        mail = new GreenMail(new ServerSetup[] {
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)});
        mail.start();
        support = mail.setUser(SUPPORT, SUPPORT, "demo-secret");
        mail.getManagers().getImapHostManager().createMailbox(support, "Sent");
    }

    private String cases() {
        String a = Instant.ofEpochSecond(START.minus(Duration.ofMinutes(5)).getEpochSecond()).toString()
                .replace("Z", ".000+0000");
        String b = START.toString().replace("Z", ".000+0000");
        return """
                {"totalSize":2,"done":true,"records":[
                 {"attributes":{"type":"Case"},"Id":"CASE_A","CaseNumber":"00001026","Subject":"API returns 502",
                  "Status":"New","Priority":"High","Origin":"Web","IsStopped":false,"StopStartDate":null,
                  "CreatedDate":"A","CreatedBy":{"Name":"Site Guest User"},"SystemModstamp":"A",
                  "Account":{"Tier__c":"Silver"},"Histories":null},
                 {"attributes":{"type":"Case"},"Id":"CASE_B","CaseNumber":"00001027","Subject":"Add a second admin",
                  "Status":"New","Priority":"Low","Origin":"Email","IsStopped":false,"StopStartDate":null,
                  "CreatedDate":"B","CreatedBy":{"Name":"Site Guest User"},"SystemModstamp":"B",
                  "Account":{"Tier__c":"gold"},"Histories":null}]}
                """.replace("CASE_A", CASE_A).replace("CASE_B", CASE_B).replace("\"A\"", "\"" + a + "\"")
                .replace("\"B\"", "\"" + b + "\"");
    }

    /** Salesforce's composite sObject answer: one success per record sent, in order. */
    static final class CompositeAnswer implements ResponseDefinitionTransformerV2 {
        static final String NAME = "sla-demo-composite";
        private final AtomicInteger ids = new AtomicInteger();

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            StringBuilder answer = new StringBuilder("[");
            try {
                JsonNode records = JSON.readTree(event.getRequest().getBodyAsString()).path("records");
                for (JsonNode r : records) {
                    String id = r.hasNonNull("id") ? r.get("id").asText() : r.hasNonNull("Id") ? r.get("Id").asText()
                            : String.format("00aQy%010dIAA", ids.incrementAndGet());
                    answer.append(answer.length() > 1 ? "," : "").append("{\"id\":\"").append(id)
                            .append("\",\"success\":true,\"errors\":[]}");
                }
            } catch (IOException e) {
                return ResponseDefinition.badRequest(null);
            }
            return okJson(answer.append(']').toString()).build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }

    // ---- write-backs, from the simulators' journals -----------------------------------------------------------

    private void journal(String source, Request request, int status) {
        String method = request.getMethod().getName();
        String path = URI.create(request.getUrl()).getPath();
        if (method.equals("GET") || path.contains("/oauth2/")) {
            return;
        }
        String at = HM.format(clock.instant());
        try {
            JsonNode body = JSON.readTree(request.getBodyAsString());
            if (source.equals("jira")) {
                Matcher m = Pattern.compile("/issue/([A-Z]+-[0-9]+)(/comment)?").matcher(path);
                String key = m.find() ? m.group(1) : path;
                if (m.group(2) == null) {
                    JsonNode f = body.path("fields");
                    count("jira fields");
                    writeLines.add(String.format("[%s]   -> jira %s: PUT SLA status = %s, next due = %s", at, key,
                            f.path("customfield_10100").path("value").asText("-"),
                            shortTime(f.path("customfield_10101").asText(""))));
                } else {
                    count("jira comments");
                    boolean internal = body.toString().contains("\"internal\":true");
                    writeLines.add(String.format("[%s]   -> jira %s: POST %s comment \"%s\"", at, key,
                            internal ? "internal" : "public", shorten(adfText(body.path("body")))));
                }
            } else {
                for (JsonNode r : body.path("records")) {
                    String type = r.path("attributes").path("type").asText();
                    if (method.equals("PATCH")) {
                        count("salesforce fields");
                        writeLines.add(String.format("[%s]   -> salesforce %s: PATCH SLA_Status__c = %s, "
                                + "SLA_Next_Due__c = %s", at, r.path("id").asText(r.path("Id").asText()), r.path("SLA_Status__c").asText("-"),
                                shortTime(r.path("SLA_Next_Due__c").asText(""))));
                    } else {
                        count("salesforce comments");
                        writeLines.add(String.format("[%s]   -> salesforce %s: %s (%s) \"%s\"", at,
                                r.path("ParentId").asText(), type,
                                r.path("IsPublished").asBoolean(true) ? "public" : "internal",
                                shorten(r.path("CommentBody").asText())));
                    }
                }
            }
            if (status >= 300) {
                writeLines.add("     (answered " + status + ")");
            }
        } catch (IOException | RuntimeException e) {
            writeLines.add(String.format("[%s]   -> %s %s %s", at, source, method, path));
        }
    }

    private synchronized void count(String what) {
        writeCounts.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
    }

    private static String adfText(JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        StringBuilder b = new StringBuilder();
        if (node.has("text")) {
            b.append(node.get("text").asText());
        }
        for (JsonNode c : node.path("content")) {
            String t = adfText(c);
            if (!t.isEmpty()) {
                b.append(b.length() > 0 ? " " : "").append(t);
            }
        }
        return b.toString();
    }

    private static String shorten(String text) {
        String one = text.replaceAll("\\s*\\[sla-bridge [^\\]]*\\]", "").replaceAll("\\s+", " ").strip();
        return one.length() > 90 ? one.substring(0, 87) + "..." : one;
    }

    private static String shortTime(String iso) {
        if (iso.isEmpty()) {
            return "-";
        }
        try {
            return HM.format(java.time.OffsetDateTime.parse(iso.replace("+0000", "Z")).toInstant());
        } catch (RuntimeException e) {
            return iso;
        }
    }

    private void collectMail() throws Exception {
        // GreenMail lists every mailbox's messages, not in arrival order: new ones are told by identity.
        for (MimeMessage m : mail.getReceivedMessages()) {
            String[] kind = m.getHeader("X-SLA-Bridge");
            if (kind == null) {
                continue; // the simulated customers' and agents' mail
            }
            Address[] to = m.getAllRecipients();
            String recipient = to == null || to.length == 0 ? "?" : to[0].toString();
            if (!mailsSeen.add(m.getMessageID() + " " + recipient)) {
                continue;
            }
            count("mail " + kind[0]);
            writeLines.add(String.format("[%s]   -> email: %s to %s \"%s\"", HM.format(clock.instant()), kind[0],
                    recipient, shorten(m.getSubject())));
        }
    }

    private long mailsTo(String address) {
        return Stream.of(mail.getReceivedMessages()).filter(m -> {
            try {
                Address[] to = m.getAllRecipients();
                return to != null && to.length > 0 && to[0].toString().contains(address);
            } catch (Exception e) {
                return false;
            }
        }).count();
    }

    private boolean jiraStatusWritten(String key, String status) {
        return jira.getAllServeEvents().stream().anyMatch(e -> e.getRequest().getMethod().getName().equals("PUT")
                && URI.create(e.getRequest().getUrl()).getPath().endsWith("/issue/" + key) // ?notifyUsers=false
                && e.getRequest().getBodyAsString().contains("\"value\":\"" + status + "\""));
    }

    private long jiraComments(String key) {
        return jira.getAllServeEvents().stream().filter(e -> e.getRequest().getMethod().getName().equals("POST")
                && URI.create(e.getRequest().getUrl()).getPath().endsWith("/issue/" + key + "/comment")).count();
    }

    private boolean sfStatusWritten(String id, String status) {
        return salesforce.getAllServeEvents().stream().anyMatch(e -> e.getRequest().getMethod().getName().equals("PATCH")
                && Pattern.compile("\"[iI]d\"\\s*:\\s*\"" + id + "\"[^}]*\"SLA_Status__c\"\\s*:\\s*\"" + status + "\"")
                        .matcher(e.getRequest().getBodyAsString()).find());
    }

    private long sfComments(String id) {
        return salesforce.getAllServeEvents().stream().filter(e -> e.getRequest().getMethod().getName().equals("POST")
                && e.getRequest().getBodyAsString().contains("\"ParentId\":\"" + id + "\"")).count();
    }

    // ---- the table, from the store ----------------------------------------------------------------------------

    private record Row(String source, String key, String priority, String policy, String status, String nextDue) {
    }

    private List<Row> rows() throws SQLException {
        List<Row> rows = new ArrayList<>();
        Pattern policyPattern = Pattern.compile("\"policy\":\"([^\"]*)\"");
        Pattern priorityPattern = Pattern.compile("\"priority\":\"([^\"]*)\"");
        try (Connection c = app.store().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT ticket, source, summary, next_due_at, cycles FROM ticket_state ORDER BY ticket");
                PreparedStatement events = c.prepareStatement(
                        "SELECT body FROM ticket_event WHERE ticket = ? ORDER BY at_epoch");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                String ticket = r.getString(1);
                String source = r.getString(2);
                String summary = r.getString(3);
                long due = r.getLong(4);
                boolean hasDue = !r.wasNull();
                String cycles = r.getString(5);
                List<String> policies = new ArrayList<>();
                Matcher pm = policyPattern.matcher(cycles);
                while (pm.find()) {
                    if (!policies.contains(pm.group(1))) {
                        policies.add(pm.group(1));
                    }
                }
                String priority = "-";
                events.setString(1, ticket);
                try (ResultSet e = events.executeQuery()) {
                    while (e.next()) {
                        Matcher m = priorityPattern.matcher(e.getString(1));
                        if (m.find()) {
                            priority = m.group(1);
                        }
                    }
                }
                String status;
                try {
                    status = SummaryState.valueOf(summary).label();
                } catch (IllegalArgumentException e) {
                    status = summary;
                }
                String key = ticket.startsWith(source + ":") ? ticket.substring(source.length() + 1) : ticket;
                rows.add(new Row(source, key, priority, policies.isEmpty() ? "-" : String.join(",", policies), status,
                        hasDue ? HM.format(Instant.ofEpochSecond(due)) : "-"));
            }
        }
        rows.sort(Comparator.comparing(Row::source).thenComparing(Row::key));
        return rows;
    }

    private String table() throws SQLException {
        List<Row> rows = rows();
        if (rows.isEmpty()) {
            return "";
        }
        String format = "  %-10s  %-22s  %-8s  %-14s  %-9s  %s%n";
        StringBuilder b = new StringBuilder(String.format(format, "SOURCE", "KEY", "PRIORITY", "POLICY", "STATUS",
                "NEXT DUE"));
        for (Row r : rows) {
            b.append(String.format(format, r.source(), r.key(), r.priority(), r.policy(), r.status(), r.nextDue()));
        }
        return b.toString();
    }

    private boolean cycleStatus(String ticket, String status) {
        try (Connection c = app.store().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT cycles FROM ticket_state WHERE ticket = ?")) {
            s.setString(1, ticket);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getString(1).matches("(?s).*\"metric\":\"first_response\"[^\\n]*\"status\":\""
                        + status + "\".*");
            }
        } catch (SQLException e) {
            return false;
        }
    }

    private long pendingCommands() {
        return app.store().outboxCounts().getOrDefault("pending", 0L);
    }

    private Map<String, Long> stepsDone() throws SQLException {
        Map<String, Long> steps = new LinkedHashMap<>();
        try (Connection c = app.store().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT step, COUNT(*) FROM escalation_done GROUP BY step ORDER BY step");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                steps.put(r.getString(1), r.getLong(2));
            }
        }
        return steps;
    }

    private void summary() throws SQLException {
        List<Row> rows = rows();
        Map<String, Long> steps = stepsDone();
        Map<String, Long> bySource = new TreeMap<>();
        for (Row r : rows) {
            bySource.merge(r.source(), 1L, Long::sum);
        }
        out.printf("%nsummary after %s of demo time (%s real):%n",
                human(clock.elapsed()), human(clock.elapsed().dividedBy(factor)));
        out.printf("  tickets: %d (%s)%n", rows.size(), join(bySource));
        out.printf("  warnings (75%%): %d, breaches: %d%n", steps.getOrDefault("three-quarters", 0L),
                steps.getOrDefault("breached", 0L));
        Map<String, Long> writes = new TreeMap<>();
        synchronized (this) {
            writeCounts.forEach((k, v) -> writes.put(k, (long) v.get()));
        }
        out.printf("  write-backs: %s%n", join(writes));
        Map<String, Long> outbox = app.store().outboxCounts();
        out.printf("  outbox: %s%n", join(new TreeMap<>(outbox)));
        out.flush();
    }

    private static String join(Map<String, Long> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((k, v) -> parts.add(k + " " + v));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void close() {
        if (app != null) {
            app.close();
        }
        if (jira != null) {
            jira.stop();
        }
        if (salesforce != null) {
            salesforce.stop();
        }
        if (mail != null) {
            mail.stop();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp dir: the OS cleans it eventually
        }
    }
}
