package io.slabridge.demo;

import io.slabridge.core.model.CycleStatus;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The demo's scripted story: six tickets (two Jira issues through webhooks, two Salesforce Cases seeded in the
 * simulated org, two customer mails), the agents' answers, and what sla-bridge must have written back by the end.
 */
final class DemoStory {
    /** Monday 2 March 2026, 09:00 UTC: inside the office hours of the demo policy. */
    static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    /** Who the policy's breach notices go to. */
    static final String LEAD = "lead@example.com";
    /** Whom the policy's breach step assigns the ticket to (Jira: found by e-mail; Salesforce: a User by e-mail). */
    static final String ASSIGNEE = "lead@acme.example";
    static final String CASE_A = "500Qy00000DemoAIAV";
    static final String CASE_B = "500Qy00000DemoBIAV";
    private static final DateTimeFormatter JIRA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'+0000'")
            .withZone(ZoneOffset.UTC);

    /** A step of the story: at this point of the demo clock, this happens. */
    record Step(Duration at, String what, Action action) {
    }

    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /** Something that must have happened for {@code --once} to succeed. */
    record Expectation(String what, BooleanSupplier met) {
    }

    private final DemoClock clock;
    private final JiraSimulator jira;
    private final SalesforceSimulator salesforce;
    private final MailboxSimulator mailbox;
    private final SlackSimulator slack;
    private final TeamsSimulator teams;
    private final StoreView store;
    private final PrintWriter out;

    DemoStory(DemoClock clock, JiraSimulator jira, SalesforceSimulator salesforce, MailboxSimulator mailbox,
            SlackSimulator slack, TeamsSimulator teams, StoreView store, PrintWriter out) {
        this.clock = clock;
        this.jira = jira;
        this.salesforce = salesforce;
        this.mailbox = mailbox;
        this.slack = slack;
        this.teams = teams;
        this.store = store;
        this.out = out;
    }

    /** The Cases the simulated org holds from the start, as its answer to sla-bridge's poll (a SOQL result). */
    static String cases() {
        String a = START.minus(Duration.ofMinutes(5)).toString().replace("Z", ".000+0000");
        String b = START.toString().replace("Z", ".000+0000");
        return """
                {"totalSize":2,"done":true,"records":[
                 {"attributes":{"type":"Case"},"Id":"CASE_A","CaseNumber":"00001026","Subject":"API returns 502",
                  "Status":"New","Priority":"High","Origin":"Web","IsStopped":false,"StopStartDate":null,
                  "CreatedDate":"A","CreatedBy":{"Name":"Site Guest User"},"SystemModstamp":"A",
                  "Account":{"Tier__c":"Silver","Name":"Umbrella Corp"},"Histories":null},
                 {"attributes":{"type":"Case"},"Id":"CASE_B","CaseNumber":"00001027","Subject":"Add a second admin",
                  "Status":"New","Priority":"Low","Origin":"Email","IsStopped":false,"StopStartDate":null,
                  "CreatedDate":"B","CreatedBy":{"Name":"Site Guest User"},"SystemModstamp":"B",
                  "Account":{"Tier__c":"gold","Name":"Stark Industries"},"Histories":null}]}
                """.replace("CASE_A", CASE_A).replace("CASE_B", CASE_B).replace("\"A\"", "\"" + a + "\"")
                .replace("\"B\"", "\"" + b + "\"");
    }

    /** The steps, in demo-clock order. */
    List<Step> steps() {
        return List.of(
                new Step(Duration.ZERO, "jira: SUP-1 (High) created by a customer, through the signed webhook",
                        () -> jiraCreated("SUP-1", "10001", "Checkout returns 500", "High")),
                new Step(Duration.ZERO, "jira: SUP-2 (Medium) created by a customer",
                        () -> jiraCreated("SUP-2", "10002", "How do I export invoices?", "Medium")),
                new Step(Duration.ZERO, "salesforce: Cases " + CASE_A + " (High, created 5 min ago) and " + CASE_B
                        + " (Low, Gold tier) in the next poll", () -> { }),
                new Step(Duration.ofMinutes(1), "email: Dan writes to support@ (\"Question about our invoice\")",
                        () -> mailbox.deliver("INBOX", customerMail("dan@initech.example", "Dan Dev",
                                "Question about our invoice", "d1@initech.example", "Which VAT rate applies to us?"))),
                new Step(Duration.ofMinutes(2), "email: Carla writes to support@ (\"Our shop is down\": urgent)",
                        () -> mailbox.deliver("INBOX", customerMail("carla@globex.example", "Carla Customer",
                                "Our shop is down", "c1@globex.example", "Nothing loads since 10 minutes."))),
                new Step(Duration.ofMinutes(3), "jira: " + LinkedStory.ISSUE + " created by engineering for Case "
                        + CASE_A + " (its Salesforce Case field names it): the engineering OLA starts",
                        () -> webhook(LinkedStory.issueCreated(clock.millis(), JIRA_TIME.format(clock.instant())))),
                new Step(Duration.ofMinutes(6), "email: an agent answers Dan from the shared mailbox (copy in Sent)",
                        () -> mailbox.deliver("Sent", """
                                From: Acme Support <support@acme.example>
                                To: Dan Dev <dan@initech.example>
                                Subject: Re: Question about our invoice
                                Message-ID: <a1@acme.example>
                                In-Reply-To: <d1@initech.example>
                                References: <d1@initech.example>

                                The reduced rate applies; details attached.
                                """)),
                new Step(Duration.ofMinutes(8), "jira: an agent comments publicly on SUP-2",
                        () -> jiraAgentComment("SUP-2", "10002")),
                new Step(Duration.ofMinutes(12), "jira: an engineer answers on " + LinkedStory.ISSUE
                        + ": the OLA is met, and the Case shows it",
                        () -> webhook(LinkedStory.engineerComment(clock.millis(), JIRA_TIME.format(clock.instant())))));
    }

    /** What sla-bridge must have done by the end of the story. */
    List<Expectation> expectations() {
        return List.of(
                new Expectation("salesforce " + CASE_A + ": engineering's OLA shown on the Case, running then met",
                        () -> LinkedStory.caseValues(salesforce, LinkedStory.ENGINEERING_STATUS_FIELD)
                                .containsAll(List.of(LinkedStory.ISSUE + " On track", LinkedStory.ISSUE + " Met"))),
                new Expectation("jira " + LinkedStory.ISSUE + ": the Case's SLA shown on the issue, up to its breach",
                        () -> LinkedStory.issueValues(jira, LinkedStory.CUSTOMER_STATUS_FIELD)
                                .contains(CASE_A + " Breached")),
                new Expectation("jira SUP-1: SLA status written as Breached", () -> jira.statusWritten("SUP-1", "Breached")),
                new Expectation("jira SUP-1: two internal comments (75% and breach)", () -> jira.comments("SUP-1") >= 2),
                new Expectation("jira SUP-2: first response met",
                        () -> store.firstResponse("jira:SUP-2", CycleStatus.MET)),
                new Expectation("salesforce " + CASE_A + ": SLA status written as Breached",
                        () -> salesforce.statusWritten(CASE_A, "Breached")),
                new Expectation("salesforce " + CASE_A + ": two internal CaseComments",
                        () -> salesforce.comments(CASE_A) >= 2),
                new Expectation("salesforce " + CASE_B + ": SLA status written as At risk",
                        () -> salesforce.statusWritten(CASE_B, "At risk")),
                new Expectation("email: acknowledgements to Dan and Carla",
                        () -> mailbox.mailsTo("dan@initech.example") >= 1 && mailbox.mailsTo("carla@globex.example") >= 1),
                new Expectation("email d1: first response met by the reply in Sent",
                        () -> store.firstResponse("email:d1@initech.example", CycleStatus.MET)),
                new Expectation("email: three breach notices to " + LEAD + " (SUP-1, " + CASE_A + ", Carla's mail)",
                        () -> mailbox.mailsTo(LEAD) >= 3),
                new Expectation("slack " + SlackSimulator.CHANNEL + ": SUP-1's 75% alert and its breach in the thread",
                        () -> slack.messages("jira:SUP-1")[0] >= 2 && slack.messages("jira:SUP-1")[1] >= 1),
                new Expectation("slack " + SlackSimulator.CHANNEL + ": " + CASE_A + "'s alerts",
                        () -> slack.messages("salesforce:" + CASE_A)[0] >= 2),
                new Expectation("teams " + TeamsSimulator.WEBHOOK + ": breach cards for SUP-1 and " + CASE_A,
                        () -> teams.cards("jira:SUP-1") >= 1 && teams.cards("salesforce:" + CASE_A) >= 1),
                new Expectation("jira SUP-1: assigned to " + ASSIGNEE, () -> jira.assignedToLead("SUP-1")),
                new Expectation("salesforce " + CASE_A + ": owned by " + ASSIGNEE,
                        () -> salesforce.ownedByLead(CASE_A)));
    }

    private void jiraCreated(String key, String id, String summary, String priority) throws Exception {
        String created = JIRA_TIME.format(clock.instant());
        webhook("""
                {"timestamp":TS,"webhookEvent":"jira:issue_created",
                 "user":{"accountId":"557058:cust-1","accountType":"customer","displayName":"Carla Customer"},
                 "issue":{"id":"ID","key":"KEY","fields":{"summary":"SUMMARY","created":"CREATED",
                   "status":{"name":"Waiting for support","statusCategory":{"key":"new"}},
                   "priority":{"name":"PRIORITY"},"reporter":{"accountId":"557058:cust-1","accountType":"customer"},
                   "customfield_10200":{"value":"CUSTOMER"}}}}
                """.replace("TS", Long.toString(clock.millis())).replace("ID", id).replace("KEY", key)
                .replace("CUSTOMER", key.equals("SUP-1") ? "Acme Retail" : "Hooli")
                .replace("SUMMARY", summary).replace("CREATED", created).replace("PRIORITY", priority));
    }

    private void jiraAgentComment(String key, String id) throws Exception {
        String now = JIRA_TIME.format(clock.instant());
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

    private void webhook(String body) throws Exception {
        HttpResponse<String> r = jira.sendWebhook(body);
        if (r.statusCode() != 200) {
            out.printf("  (the webhook was answered %d: %s)%n", r.statusCode(), r.body());
        }
    }

    private static String customerMail(String from, String name, String subject, String messageId, String text) {
        return "From: " + name + " <" + from + ">\nTo: " + MailboxSimulator.ADDRESS + "\nSubject: " + subject
                + "\nMessage-ID: <" + messageId + ">\n\n" + text + "\n";
    }
}
