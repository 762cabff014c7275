package io.slabridge.routes.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.slabridge.connector.api.TicketLinks;
import io.slabridge.core.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Where the board's and the chat alerts' links to tickets lead, with every connector the jar ships discovered. */
class TicketLinksTest {

    @Test
    void jiraAndSalesforceTicketsOpenWhereTheirOwnSettingsSay() {
        Properties p = new Properties();
        p.setProperty("sla.jira.url", "https://acme.atlassian.net/");
        p.setProperty("sla.salesforce.instance-url", "https://acme.my.salesforce.com");
        List<String> problems = new ArrayList<>();
        TicketLinks links = TicketLinks.from(new Settings(p, Map.of()), problems);
        assertEquals(List.of(), problems);
        assertEquals(Optional.of("https://acme.atlassian.net/browse/SUP-7"), links.link("jira:SUP-7"));
        assertEquals(Optional.of("https://acme.my.salesforce.com/lightning/r/Case/500Qy00000DemoAIAV/view"),
                links.link("salesforce:500Qy00000DemoAIAV"));
        assertEquals(Optional.empty(), links.link("email:c1@globex.example"), "a mail thread has no page");
    }

    @Test
    void aTicketLinkSettingGoesOverTheConnectorsPageAndABadOneIsNamed() {
        Properties p = new Properties();
        p.setProperty("sla.jira.url", "https://acme.atlassian.net");
        p.setProperty("sla.ticket-link.jira", "https://jira.internal.example/browse/{id}");
        p.setProperty("sla.ticket-link.salesforce", "acme.lightning.force.com/{id}");
        List<String> problems = new ArrayList<>();
        TicketLinks links = TicketLinks.from(new Settings(p, Map.of("SLA_TICKET_LINKS",
                "email=https://mail.example/thread/{id}")), problems);
        assertEquals(Optional.of("https://jira.internal.example/browse/SUP%201"), links.link("jira:SUP 1"));
        assertEquals(Optional.of("https://mail.example/thread/c1%40globex.example"), links.link("email:c1@globex.example"));
        assertEquals(List.of("sla.ticket-link.salesforce: 'acme.lightning.force.com/{id}'; expected an http(s) URL "
                + "with {id} for the ticket's key, e.g. https://acme.atlassian.net/browse/{id}"), problems);
        assertEquals(Optional.empty(), links.link("salesforce:500Qy00000DemoAIAV"), "no instance URL, no valid template");
    }
}
