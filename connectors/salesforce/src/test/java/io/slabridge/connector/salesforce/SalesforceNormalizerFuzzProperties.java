package io.slabridge.connector.salesforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slabridge.core.model.EventType;
import io.slabridge.core.model.TicketEvent;
import io.slabridge.core.model.TicketStatus;
import io.slabridge.core.testing.EventChecks;
import io.slabridge.core.testing.JsonMutator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The Salesforce normalizer fuzzed: Case (with its Histories subquery), CaseComment and EmailMessage records as
 * the REST API returns them, mutated by {@link JsonMutator}. Each record either becomes events that are each
 * complete ({@link EventChecks}) or is refused as a whole with a {@link SalesforcePayloadException} that says why
 * (the poller then skips that record and nothing of it goes out); no other exception escapes.
 */
class SalesforceNormalizerFuzzProperties {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CASE = """
            {"attributes":{"type":"Case"},"Id":"500000000000001AAA","CaseNumber":"00001001",
             "Subject":"Checkout returns 500","Status":"Escalated","Priority":"Critical","Origin":"Email",
             "IsStopped":false,"StopStartDate":null,"CreatedDate":"2025-11-20T09:00:00.000+0000",
             "CreatedBy":{"Name":"Web-to-Case"},"SystemModstamp":"2025-11-20T11:00:00.000+0000",
             "Account":{"Tier__c":"Gold","Name":"Acme"},
             "Histories":{"totalSize":3,"done":true,"records":[
               {"Id":"017000000000001AAA","Field":"Status","OldValue":"New","NewValue":"Working",
                "CreatedDate":"2025-11-20T09:10:00.000+0000","CreatedById":"005000000000002AAA","CreatedBy":{"Name":"Mia Agent"}},
               {"Id":"017000000000002AAA","Field":"Priority","OldValue":"High","NewValue":"Critical",
                "CreatedDate":"2025-11-20T09:20:00.000+0000","CreatedById":"005000000000001AAA","CreatedBy":{"Name":"SLA Bridge"}},
               {"Id":"017000000000003AAA","Field":"Status","OldValue":"Working","NewValue":"Escalated",
                "CreatedDate":"2025-11-20T09:30:00.000+0000","CreatedById":"005000000000002AAA","CreatedBy":{"Name":"Mia Agent"}}]}}
            """;
    private static final String STOPPED_CASE = """
            {"attributes":{"type":"Case"},"Id":"500000000000002AAA","CaseNumber":"00001002",
             "Subject":"Invoice question","Status":"Pending Vendor","Priority":"Medium","Origin":"Web",
             "IsStopped":true,"StopStartDate":"2025-11-20T10:30:00.000+0000",
             "CreatedDate":"2025-11-19T08:00:00.000+0000","SystemModstamp":"2025-11-20T11:30:00.000+0000",
             "Account":null,"Histories":null}
            """;
    private static final List<String> COMMENTS = List.of("""
            {"Id":"00a000000000001AAA","ParentId":"500000000000001AAA","IsPublished":true,
             "CreatedById":"005000000000003AAA","CreatedBy":{"Name":"Carla Customer","UserType":"PowerCustomerSuccess"},
             "CreatedDate":"2025-11-20T09:40:00.000+0000","SystemModstamp":"2025-11-20T09:40:00.000+0000"}
            """, """
            {"Id":"00a000000000003AAA","ParentId":"500000000000001AAA","IsPublished":false,
             "CreatedById":"005000000000002AAA","CreatedBy":{"Name":"Mia Agent","UserType":"Standard"},
             "CreatedDate":"2025-11-20T09:50:00.000+0000","SystemModstamp":"2025-11-20T09:50:00.000+0000"}
            """);
    private static final List<String> EMAILS = List.of("""
            {"Id":"02s000000000001AAA","ParentId":"500000000000001AAA","Incoming":true,"Status":"0",
             "FromAddress":"carla@customer.example","MessageDate":"2025-11-20T09:55:00.000+0000",
             "CreatedById":"005000000000009AAA","CreatedDate":"2025-11-20T09:55:01.000+0000"}
            """, """
            {"Id":"02s000000000002AAA","ParentId":"500000000000001AAA","Incoming":false,"Status":"3",
             "FromAddress":"support@acme.example","MessageDate":"2025-11-20T10:05:00.000+0000",
             "CreatedById":"005000000000002AAA","CreatedDate":"2025-11-20T10:05:00.000+0000"}
            """);

    private static final AtomicLong CASES_READ = new AtomicLong();
    private static final AtomicLong CASES_REFUSED = new AtomicLong();
    private static final AtomicLong RECORDS_READ = new AtomicLong();
    private static final AtomicLong RECORDS_REFUSED = new AtomicLong();

    private final SalesforceConfig config = SalesforceConfig.builder().loginUrl("https://login.salesforce.example")
            .clientCredentials("3MVG9-consumer-key", "consumer-secret").tierField("Account.Tier__c")
            .accountField("Account.Name").status("Pending Vendor", TicketStatus.ON_HOLD)
            .autoReplyAddresses(List.of("noreply@acme.example")).build();
    private final SalesforceEvents events = new SalesforceEvents(config, () -> "005000000000001");

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode mutated(Random random, String seedJson) {
        JsonMutator mutator = new JsonMutator(random);
        if (random.nextInt(20) == 0) {
            return mutator.randomJson(4);
        }
        JsonNode tree = tree(seedJson);
        for (int i = 1 + random.nextInt(random.nextBoolean() ? 1 : 4); i > 0; i--) {
            tree = mutator.mutateTree(tree);
        }
        return tree;
    }

    @Provide
    Arbitrary<JsonNode> cases() {
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            return mutated(random, random.nextBoolean() ? CASE : STOPPED_CASE);
        });
    }

    /**
     * What the poller makes of one Case record: its creation and history, its stop or resume, its attributes; all
     * or, on a {@link SalesforcePayloadException}, none.
     */
    @Property(tries = 10000)
    void aCaseBecomesCompleteEventsOrIsRefusedWithAReason(@ForAll("cases") JsonNode c) {
        List<TicketEvent> out = new ArrayList<>();
        try {
            List<JsonNode> histories = new ArrayList<>();
            c.path("Histories").path("records").forEach(histories::add);
            out.addAll(events.fromCase(c, histories));
            TicketEvent stop = events.stopped(c);
            if (stop != null) {
                out.add(stop);
            } else {
                out.add(events.resumed(c, 1763630000L)); // sla-bridge saw it stopped before
            }
            TicketEvent attributes = events.attributes(c);
            if (attributes != null) {
                out.add(attributes);
            }
        } catch (SalesforcePayloadException e) {
            CASES_REFUSED.incrementAndGet();
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a refusal says why");
            return;
        }
        CASES_READ.incrementAndGet();
        EventChecks.assertAllComplete(out, "salesforce:");
        assertEquals(EventType.CREATED, out.get(0).type());
        assertEquals(1, out.stream().map(TicketEvent::ticket).distinct().count(), "one Case, one ticket");
    }

    @Provide
    Arbitrary<JsonNode> commentsAndEmails() {
        return Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            List<String> seeds = random.nextBoolean() ? COMMENTS : EMAILS;
            JsonNode record = mutated(random, seeds.get(random.nextInt(seeds.size())));
            return record;
        });
    }

    @Property(tries = 10000)
    void aCommentOrEmailBecomesACompleteEventNothingOrIsRefusedWithAReason(@ForAll("commentsAndEmails") JsonNode r) {
        TicketEvent asComment;
        TicketEvent asEmail;
        try {
            // Either reading: the mutations may well make a comment look like an e-mail.
            asComment = events.fromComment(r);
            asEmail = events.fromEmail(r);
        } catch (SalesforcePayloadException e) {
            RECORDS_REFUSED.incrementAndGet();
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a refusal says why");
            return;
        }
        RECORDS_READ.incrementAndGet();
        for (TicketEvent e : new TicketEvent[] {asComment, asEmail}) {
            if (e != null) {
                EventChecks.assertComplete(e, "salesforce:");
            }
        }
    }

    @AfterContainer
    static void tally() {
        System.out.printf("salesforce fuzz: cases %d (%d read, %d refused); comments and e-mails %d (%d read, %d "
                + "refused)%n", CASES_READ.get() + CASES_REFUSED.get(), CASES_READ.get(), CASES_REFUSED.get(),
                RECORDS_READ.get() + RECORDS_REFUSED.get(), RECORDS_READ.get(), RECORDS_REFUSED.get());
        for (AtomicLong[] pair : new AtomicLong[][] {{CASES_READ, CASES_REFUSED}, {RECORDS_READ, RECORDS_REFUSED}}) {
            if (pair[0].get() + pair[1].get() > 0) {
                assertTrue(pair[0].get() > 0 && pair[1].get() > 0, "the mutations reach both outcomes");
            }
        }
    }
}
