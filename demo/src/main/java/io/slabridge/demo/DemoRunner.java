package io.slabridge.demo;

import io.slabridge.board.BoardSettings;
import io.slabridge.connector.email.EmailSettings;
import io.slabridge.connector.jira.JiraSettings;
import io.slabridge.connector.api.Connectors;
import io.slabridge.connector.salesforce.SalesforceSettings;
import io.slabridge.connector.slack.SlackConnector;
import io.slabridge.connector.slack.SlackSettings;
import io.slabridge.connector.teams.TeamsConnector;
import io.slabridge.connector.teams.TeamsSettings;
import io.slabridge.core.config.ApplicationSettings;
import io.slabridge.routes.app.SlaBridgeApplication;
import io.slabridge.routes.app.StartupException;
import io.slabridge.store.StoreSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Runs the demo: the real application (routes, store, scheduler, outbox) against the simulators on loopback, on an
 * accelerated clock, through {@link DemoStory}. It prints a table of the tickets whenever it changes and a line per
 * write-back as the simulators receive it (their journals are the source of truth), and at the end a summary.
 */
final class DemoRunner {
    /** The secret the simulated Jira signs its webhooks with, and sla-bridge checks them with. */
    private static final String WEBHOOK_SECRET = "demo-webhook-secret";
    /**
     * The board's demo user: demo, password demo (this is its bcrypt hash). The demo signs in like a deployment
     * does rather than with sla.board.auth=none, so that what it shows is what a team gets; it listens on loopback.
     */
    static final String BOARD_USER = "demo";
    static final String BOARD_PASSWORD = "demo";
    private static final String BOARD_PASSWORD_HASH = "$2a$10$wxRbp.9HUog1MP0clZ.kp.2vCqiCf73eNNpPsOfKtzzPFUoyz6Dla";

    private final PrintWriter out;
    private final long factor;
    private final boolean once;
    private final Duration timeout;
    private volatile boolean stopRequested;
    private final int boardPort;
    private final java.util.concurrent.CompletableFuture<String> boardUrl = new java.util.concurrent.CompletableFuture<>();

    private final WriteBackLog log = new WriteBackLog();
    private DemoClock clock;
    private JiraSimulator jira;
    private SalesforceSimulator salesforce;
    private MailboxSimulator mailbox;
    private SlackSimulator slack;
    private TeamsSimulator teams;
    private SlaBridgeApplication app;

    DemoRunner(PrintWriter out, long factor, boolean once, Duration timeout) {
        this(out, factor, once, timeout, 0);
    }

    /** @param boardPort the SLA board's port; 0: a free one */
    DemoRunner(PrintWriter out, long factor, boolean once, Duration timeout, int boardPort) {
        this.boardPort = boardPort;
        this.out = out;
        this.factor = factor;
        this.once = once;
        this.timeout = timeout;
    }

    /** The SLA board's address, once the demo has started it. */
    java.util.concurrent.CompletableFuture<String> boardUrl() {
        return boardUrl;
    }

    /** Asks a running demo to stop (Ctrl-C). */
    void stop() {
        stopRequested = true;
    }

    /** Runs the demo; returns the exit code (0, or 1 when {@code --once} timed out before everything happened). */
    int run() throws Exception {
        boardUrl.exceptionally(e -> null);
        Path dir = Files.createTempDirectory("sla-bridge-demo");
        try {
            return run(dir);
        } finally {
            close();
            deleteTree(dir);
        }
    }

    private int run(Path dir) throws Exception {
        clock = new DemoClock(DemoStory.START, factor);
        int webhookPort = freePort();
        jira = new JiraSimulator(clock, log, URI.create("http://127.0.0.1:" + webhookPort + "/webhooks/jira"),
                WEBHOOK_SECRET);
        salesforce = new SalesforceSimulator(clock, log, DemoStory.cases());
        mailbox = new MailboxSimulator(clock, log);
        slack = SlackSimulator.start(clock, log);
        teams = new TeamsSimulator(clock, log);
        Path policy = dir.resolve("sla.yaml");
        try (InputStream in = DemoRunner.class.getResourceAsStream("/demo/sla.yaml")) {
            Files.copy(in, policy);
        }
        try {
            app = SlaBridgeApplication.create(settings(dir, policy, webhookPort,
                    boardPort == 0 ? freePort() : boardPort), Map.of(), clock);
        } catch (StartupException e) {
            throw new IllegalStateException("the demo's own settings are wrong: " + e.problems());
        }
        app.start();
        clock.begin(); // the story starts now, with everything up
        out.printf("sla-bridge demo: Jira (WireMock) on 127.0.0.1:%d, Salesforce (WireMock) on 127.0.0.1:%d, "
                + "mailbox (GreenMail) IMAP %d / SMTP %d, webhooks on %d%n", jira.port(), salesforce.port(),
                mailbox.imapPort(), mailbox.smtpPort(), webhookPort);
        out.printf("chat: Slack Web API (WireMock) on 127.0.0.1:%d, Teams Workflows webhook (WireMock) on 127.0.0.1:%d%n",
                slack.port(), teams.port());
        String board = app.board().orElseThrow().url();
        out.printf("SLA board: %s (user %s, password %s)%n", board, BOARD_USER, BOARD_PASSWORD);
        boardUrl.complete(board);
        out.printf("policy: %s (standard: 1h first response / 8h resolution in office hours Mon-Fri 08-18 UTC; "
                + "gold tier: 40m; high and urgent: 30m; none for Jira project ENG, timed by the engineering OLA only; "
                + "warning at 75%%: internal comment + Slack %s; breach: internal "
                + "comment, notice, Slack reply in the thread, Teams card to %s, assign to %s)%n", "demo/sla.yaml",
                SlackSimulator.CHANNEL, TeamsSimulator.WEBHOOK, DemoStory.ASSIGNEE);
        out.printf("clock: starts %s UTC, %dx real time (1 s = %s)%s%n", DemoClock.dayAndTime(DemoStory.START), factor,
                Duration.ofSeconds(factor).toString().substring(2).toLowerCase(Locale.ROOT),
                once ? "; --once: ends when every expected write-back has happened" : "; Ctrl-C to stop");
        out.flush();

        StoreView store = new StoreView(app.store());
        DemoStory demoStory = new DemoStory(clock, jira, salesforce, mailbox, slack, teams, store, out);
        List<DemoStory.Step> story = demoStory.steps();
        List<DemoStory.Expectation> expected = demoStory.expectations();
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastTable = "";
        String lastLinked = "";
        int nextStep = 0;
        boolean done = false;
        while (!stopRequested) {
            while (nextStep < story.size() && !clock.elapsed().minus(story.get(nextStep).at()).isNegative()) {
                DemoStory.Step s = story.get(nextStep++);
                out.printf("[%s] %s%n", clock.now(), s.what());
                s.action().run();
            }
            printWriteBacks();
            String table = table(store.tickets());
            if (!table.equals(lastTable)) {
                out.printf("[%s] tickets%n%s", clock.now(), table);
                lastTable = table;
            }
            String linked = LinkedStory.table(jira, salesforce);
            if (!linked.equals(lastLinked)) {
                out.printf("[%s] linked tickets: each side's fields show the other's clock%n%s", clock.now(), linked);
                lastLinked = linked;
            }
            out.flush();
            if (once && nextStep == story.size() && expected.stream().allMatch(e -> e.met().getAsBoolean())
                    && store.outboxCounts().getOrDefault("pending", 0L) == 0) {
                done = true;
                break;
            }
            if (once && System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(200);
        }
        Thread.sleep(300); // the last answers reach the journals
        printWriteBacks();
        summary(store);
        if (once && !done) {
            out.printf("demo --once: not everything happened within %ds:%n", timeout.toSeconds());
            for (DemoStory.Expectation e : expected) {
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

    private Properties settings(Path dir, Path policy, int webhookPort, int boardPort) {
        Properties p = new Properties();
        p.setProperty(ApplicationSettings.POLICY.name(), policy.toString());
        // The embedded default (SQLite), in the demo's own directory. Ctrl-C: the demo stops Camel and prints its summary
        // from the store before the store closes.
        p.setProperty(ApplicationSettings.STORE_URL.name(), StoreSettings.sqliteFile(dir.resolve("demo.db")).url());
        // The scheduler sleeps in real time until the next due instant as the clock says it: on a clock 60x faster,
        // it must look again often.
        p.setProperty(ApplicationSettings.SCHEDULER_MAX_SLEEP.name(), "200");
        p.setProperty(ApplicationSettings.OUTBOX_POLL_INTERVAL.name(), "200");
        p.setProperty(ApplicationSettings.SERVER_PORT.name(), Integer.toString(webhookPort));
        p.setProperty("camel.server.host", "127.0.0.1");
        p.setProperty("camel.management.enabled", "false");
        p.setProperty("camel.main.shutdownTimeout", "5");
        p.setProperty(BoardSettings.PORT.name(), Integer.toString(boardPort));
        p.setProperty(BoardSettings.HOST.name(), "127.0.0.1");
        p.setProperty(BoardSettings.USERS.entry(BOARD_USER), BOARD_PASSWORD_HASH);

        p.setProperty(JiraSettings.ENABLED.name(), "true");
        p.setProperty(JiraSettings.URL.name(), "http://127.0.0.1:" + jira.port());
        p.setProperty(JiraSettings.EMAIL.name(), "sla-bridge@acme.example");
        p.setProperty(JiraSettings.API_TOKEN.name(), "demo-token");
        p.setProperty(JiraSettings.WEBHOOK_SECRET.name(), WEBHOOK_SECRET);
        p.setProperty(JiraSettings.SERVICE_MANAGEMENT.name(), "true");
        p.setProperty(JiraSettings.STATUS_FIELD.name(), JiraSimulator.STATUS_FIELD);
        p.setProperty(JiraSettings.NEXT_DUE_FIELD.name(), JiraSimulator.NEXT_DUE_FIELD);
        p.setProperty(JiraSettings.ACCOUNT_FIELD.name(), "customfield_10200"); // the board's accounts
        LinkedStory.settings(p, jira, salesforce); // the Case escalated to ENG-7: both clocks on both sides

        p.setProperty(SalesforceSettings.ENABLED.name(), "true");
        p.setProperty(SalesforceSettings.LOGIN_URL.name(), "http://127.0.0.1:" + salesforce.port());
        p.setProperty(SalesforceSettings.CLIENT_ID.name(), "3MVG9-demo");
        p.setProperty(SalesforceSettings.CLIENT_SECRET.name(), "demo-secret");
        p.setProperty(SalesforceSettings.STATUS_FIELD.name(), SalesforceSimulator.STATUS_FIELD);
        p.setProperty(SalesforceSettings.NEXT_DUE_FIELD.name(), SalesforceSimulator.NEXT_DUE_FIELD);
        p.setProperty(SalesforceSettings.TIER_FIELD.name(), "Account.Tier__c");
        p.setProperty(SalesforceSettings.ACCOUNT_FIELD.name(), "Account.Name");
        // The simulated org's Case pages, for the board's links (a real org's come from sla.salesforce.instance-url).
        p.setProperty("sla.ticket-link.salesforce", "http://127.0.0.1:" + salesforce.port() + "/lightning/r/Case/{id}/view");
        p.setProperty(SalesforceSettings.POLL_INTERVAL.name(), "1s");

        p.setProperty(EmailSettings.ENABLED.name(), "true");
        p.setProperty(EmailSettings.IMAP_URL.name(), "imap://127.0.0.1:" + mailbox.imapPort());
        p.setProperty(EmailSettings.IMAP_USER.name(), MailboxSimulator.ADDRESS);
        p.setProperty(EmailSettings.IMAP_PASSWORD.name(), MailboxSimulator.PASSWORD);
        p.setProperty(EmailSettings.SMTP_URL.name(), "smtp://127.0.0.1:" + mailbox.smtpPort());
        p.setProperty(EmailSettings.SMTP_STARTTLS.name(), "off");
        p.setProperty(EmailSettings.FROM.name(), MailboxSimulator.ADDRESS);
        p.setProperty(EmailSettings.FROM_NAME.name(), "Acme Support");
        p.setProperty(EmailSettings.SUPPORT_DOMAINS.name(), "acme.example");
        p.setProperty(EmailSettings.ACK_ENABLED.name(), "true");
        p.setProperty(EmailSettings.ACCOUNT.entry("globex.example"), "Globex");
        p.setProperty(EmailSettings.ACCOUNT.entry("initech.example"), "Initech");
        p.setProperty(EmailSettings.POLL_INTERVAL.name(), "1s");

        p.setProperty(Connectors.enabledProperty(new SlackConnector()), "true");
        p.setProperty(SlackSettings.TOKEN.name(), SlackSimulator.TOKEN);
        p.setProperty(SlackSettings.URL.name(), slack.url());
        p.setProperty(Connectors.enabledProperty(new TeamsConnector()), "true");
        p.setProperty(TeamsSettings.WEBHOOK_PREFIX + TeamsSimulator.WEBHOOK, teams.url());
        return p;
    }

    private void printWriteBacks() throws Exception {
        mailbox.collectSent();
        String line;
        while ((line = log.next()) != null) {
            out.println(line);
        }
    }

    private static String table(List<StoreView.Ticket> tickets) {
        if (tickets.isEmpty()) {
            return "";
        }
        String format = "  %-10s  %-22s  %-8s  %-14s  %-9s  %s%n";
        StringBuilder b = new StringBuilder(String.format(format, "SOURCE", "KEY", "PRIORITY", "POLICY", "STATUS",
                "NEXT DUE"));
        for (StoreView.Ticket t : tickets) {
            b.append(String.format(format, t.source(), t.key(), t.priority(), t.policies(), t.status(),
                    t.nextDue() == null ? "-" : DemoClock.dayAndTime(t.nextDue())));
        }
        return b.toString();
    }

    private void summary(StoreView store) {
        List<StoreView.Ticket> tickets = store.tickets();
        Map<String, Long> steps = store.stepsDone();
        Map<String, Long> bySource = new TreeMap<>();
        for (StoreView.Ticket t : tickets) {
            bySource.merge(t.source(), 1L, Long::sum);
        }
        out.printf("%nsummary after %s of demo time (%s real):%n",
                human(clock.elapsed()), human(clock.elapsed().dividedBy(factor)));
        out.printf("  tickets: %d (%s)%n", tickets.size(), join(bySource));
        out.printf("  escalated to engineering: salesforce %s -> jira %s; the Case showed %s; the issue showed %s%n",
                DemoStory.CASE_A, LinkedStory.ISSUE,
                LinkedStory.changes(LinkedStory.caseValues(salesforce, LinkedStory.ENGINEERING_STATUS_FIELD)),
                LinkedStory.changes(LinkedStory.issueValues(jira, LinkedStory.CUSTOMER_STATUS_FIELD)));
        out.printf("  warnings (75%%): %d, breaches: %d%n", steps.getOrDefault("three-quarters", 0L),
                steps.getOrDefault("breached", 0L));
        Map<String, Long> counts = log.counts();
        out.printf("  write-backs: %s%n", join(counts));
        out.printf("  arrived in chat: Slack %s %d (%d of them replies in a ticket's thread), Teams %s %d cards%n",
                SlackSimulator.CHANNEL, counts.getOrDefault("slack " + SlackSimulator.CHANNEL, 0L),
                slack.threadReplies(), TeamsSimulator.WEBHOOK, counts.getOrDefault("teams " + TeamsSimulator.WEBHOOK, 0L));
        out.printf("  reassigned to %s: jira %d, salesforce %d%n", DemoStory.ASSIGNEE,
                counts.getOrDefault("jira assignee", 0L), counts.getOrDefault("salesforce owner", 0L));
        out.printf("  outbox: %s%n", join(new TreeMap<>(store.outboxCounts())));
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
            jira.close();
        }
        if (salesforce != null) {
            salesforce.close();
        }
        if (mailbox != null) {
            mailbox.close();
        }
        if (slack != null) {
            slack.close();
        }
        if (teams != null) {
            teams.close();
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
