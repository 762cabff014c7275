package io.slabridge.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slabridge.core.model.SummaryState;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The board's figures and accounts, as a lead reads them. */
class BoardModelTest {
    private static final Instant NOW = Instant.parse("2026-03-16T10:00:00Z");
    private static final long T = NOW.getEpochSecond();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static BoardTicket open(String key, String account, String priority, SummaryState status, long version,
            BoardTicket.Outcome... outcomes) {
        return new BoardTicket("jira:" + key, "jira", key, key + " title", account, priority, "standard",
                "first_response", T + 600, status, null, version, true, List.of(outcomes), BoardTicket.Links.NONE);
    }

    private static BoardTicket closed(String key, String account, BoardTicket.Outcome... outcomes) {
        return new BoardTicket("jira:" + key, "jira", key, null, account, "normal", null, null, null, SummaryState.MET,
                null, 5, false, List.of(outcomes), BoardTicket.Links.NONE);
    }

    private static JsonNode snapshot(BoardModel model) throws Exception {
        return JSON.readTree(model.snapshot(NOW, 1.0));
    }

    @Test
    void accountsRankByTheirTicketsAtRiskOrBreachedWeightedByPriority() throws Exception {
        BoardModel model = new BoardModel(ZoneId.of("UTC"));
        model.load(List.of(
                // Initech: one normal ticket breached (2 x 2 = 4) and one low at risk (1): 5
                open("A-1", "Initech", "normal", SummaryState.BREACHED, 1),
                open("A-2", "Initech", "low", SummaryState.AT_RISK, 1),
                // Globex: one urgent ticket at risk (8): first, though fewer tickets are late
                open("B-1", "Globex", "urgent", SummaryState.AT_RISK, 1),
                // Hooli: many tickets, all on track: 0
                open("C-1", "Hooli", "urgent", SummaryState.ON_TRACK, 1),
                open("C-2", "Hooli", "high", SummaryState.ON_TRACK, 1)));
        JsonNode accounts = snapshot(model).get("accounts");
        List<String> order = new ArrayList<>();
        accounts.forEach(a -> order.add(a.get("a").asText() + " " + a.get("score").asInt()));
        assertEquals(List.of("Globex 8", "Initech 5", "Hooli 0"), order);
        assertEquals(1, accounts.get(1).get("breached").asInt());
        assertEquals(1, accounts.get(1).get("atRisk").asInt());
    }

    @Test
    void complianceCountsTheCyclesDecidedThisMonthAndTodaysFiguresThoseOfToday() throws Exception {
        BoardModel model = new BoardModel(ZoneId.of("Europe/Berlin"));
        long lastMonth = Instant.parse("2026-02-27T12:00:00Z").getEpochSecond();
        long earlierThisMonth = Instant.parse("2026-03-03T12:00:00Z").getEpochSecond();
        // 23:30 UTC on the 15th is already the 16th in Berlin: today there
        long todayInBerlin = Instant.parse("2026-03-15T23:30:00Z").getEpochSecond();
        model.load(List.of(
                open("A-1", "Initech", "normal", SummaryState.ON_TRACK, 1,
                        new BoardTicket.Outcome("first_response", true, todayInBerlin)),
                closed("A-2", "Initech", new BoardTicket.Outcome("first_response", false, earlierThisMonth),
                        new BoardTicket.Outcome("resolution", true, T - 60)),
                closed("A-3", "Initech", new BoardTicket.Outcome("first_response", false, lastMonth))));
        JsonNode data = snapshot(model);
        JsonNode month = data.get("accounts").get(0).get("month");
        assertEquals("[1,2]", month.get("first_response").toString(), "last month's breach is not this month's");
        assertEquals("[1,1]", month.get("resolution").toString());
        JsonNode today = data.get("figures").get("metToday");
        assertEquals("[1,1]", today.get("first_response").toString());
        assertEquals("[1,1]", today.get("resolution").toString());
        assertEquals(1, data.get("figures").get("open").asInt(), "closed tickets count for compliance only");
        assertEquals(1, data.get("tickets").size());
    }

    @Test
    void aChangeCarriesTheTicketsThatMovedAndThoseThatLeftTheBoardAndIsKeptForCatchingUp() throws Exception {
        BoardModel model = new BoardModel(ZoneId.of("UTC"));
        model.load(List.of(open("A-1", "Initech", "normal", SummaryState.ON_TRACK, 1),
                open("A-2", "Initech", "normal", SummaryState.ON_TRACK, 1)));
        assertNull(model.apply(List.of(open("A-1", "Initech", "normal", SummaryState.ON_TRACK, 1)), NOW),
                "the same version again is no change");
        BoardModel.Change first = model.apply(List.of(open("A-1", "Initech", "normal", SummaryState.AT_RISK, 2),
                closed("A-2", "Initech")), NOW);
        JsonNode change = JSON.readTree(first.json());
        assertEquals("jira:A-1", change.get("tickets").get(0).get("t").asText());
        assertEquals("At risk", change.get("tickets").get(0).get("st").asText());
        assertEquals("[\"jira:A-2\"]", change.get("gone").toString());
        assertEquals(1, change.get("figures").get("atRisk").asInt());

        BoardModel.Change second = model.apply(List.of(open("A-1", "Initech", "normal", SummaryState.BREACHED, 3)), NOW);
        assertEquals(List.of(first, second), model.changesAfter(0));
        assertEquals(List.of(second), model.changesAfter(1));
        assertEquals(List.of(), model.changesAfter(2));
        assertNull(model.changesAfter(7), "a number this board never gave: reload");
        for (int i = 4; i < 4 + BoardModel.KEPT_CHANGES; i++) {
            model.apply(List.of(open("A-1", "Initech", "normal", SummaryState.BREACHED, i)), NOW);
        }
        assertNull(model.changesAfter(1), "changes no longer kept: reload");
    }

    private static BoardTicket customer(SummaryState status, long version, BoardTicket.Linked... linked) {
        return new BoardTicket("salesforce:500A", "salesforce", "500A", "API returns 502", "Umbrella", "high", "high",
                "first_response", T + 900, status, null, version, true, List.of(),
                new BoardTicket.Links(null, List.of(linked), null));
    }

    private static BoardTicket engineering(String key, BoardTicket.Ola ola, long version) {
        return new BoardTicket("jira:" + key, "jira", key, "502 under load", null, "high", null, null, null,
                SummaryState.NONE, "https://acme.atlassian.net/browse/" + key, version, false, List.of(),
                new BoardTicket.Links(ola, List.of(), new BoardTicket.Serves("salesforce:500A", "500A", T + 900,
                        "Umbrella (gold)", 3, null)));
    }

    /** The row {@code key} of a snapshot's or change's rows, or null. */
    static JsonNode row(JsonNode rows, String key) {
        for (JsonNode r : rows) {
            if (r.get("t").asText().equals(key)) {
                return r;
            }
        }
        return null;
    }

    @Test
    void anEngineeringIssueUnderAnOlaIsARowOfItsOwnAndEachSideShowsTheOthersClock() throws Exception {
        BoardModel model = new BoardModel(ZoneId.of("UTC"));
        BoardTicket.Ola olaAtRisk = new BoardTicket.Ola("engineering", "first_response", T + 300, SummaryState.AT_RISK);
        model.load(List.of(
                customer(SummaryState.AT_RISK, 1,
                        new BoardTicket.Linked("jira:ENG-7", "ENG-7", SummaryState.AT_RISK, T + 300, "https://j/ENG-7"),
                        new BoardTicket.Linked("jira:ENG-8", "ENG-8", SummaryState.ON_TRACK, T + 1200, null)),
                engineering("ENG-7", olaAtRisk, 1),
                engineering("ENG-8", new BoardTicket.Ola("engineering", "first_response", T + 1200,
                        SummaryState.ON_TRACK), 1)));
        JsonNode data = snapshot(model);
        List<String> keys = new ArrayList<>();
        data.get("tickets").forEach(t -> keys.add(t.get("t").asText()));
        assertEquals(List.of("jira:ENG-7#ola", "salesforce:500A", "jira:ENG-8#ola"), keys,
                "OLA rows sort with the SLA rows by due; the issues have no SLA row of their own");
        JsonNode ola = row(data.get("tickets"), "jira:ENG-7#ola");
        assertEquals("OLA", ola.get("kd").asText());
        assertEquals("ENG-7", ola.get("k").asText());
        assertEquals("engineering", ola.get("po").asText());
        assertEquals("first_response", ola.get("m").asText());
        assertEquals(T + 300, ola.get("d").asLong());
        assertEquals("At risk", ola.get("st").asText());
        assertEquals("{\"k\":\"500A\",\"st\":\"At risk\",\"d\":" + (T + 900) + ",\"a\":\"Umbrella (gold)\",\"n\":3}",
                ola.get("sv").toString(), "the customer served first, its state as the board holds it, and how many wait");
        JsonNode customer = row(data.get("tickets"), "salesforce:500A");
        assertNull(customer.get("kd"), "an SLA row");
        assertEquals("[{\"k\":\"ENG-7\",\"st\":\"At risk\",\"d\":" + (T + 300) + ",\"l\":\"https://j/ENG-7\"},"
                + "{\"k\":\"ENG-8\",\"st\":\"On track\",\"d\":" + (T + 1200) + "}]", customer.get("li").toString());
        assertEquals(1, data.get("figures").get("open").asInt(), "the figures count customers' SLAs, not OLAs");

        // The customer breaches: the issues serving it are sent again with its new state.
        JsonNode change = JSON.readTree(model.apply(List.of(customer(SummaryState.BREACHED, 2,
                new BoardTicket.Linked("jira:ENG-7", "ENG-7", SummaryState.AT_RISK, T + 300, "https://j/ENG-7"),
                new BoardTicket.Linked("jira:ENG-8", "ENG-8", SummaryState.ON_TRACK, T + 1200, null))), NOW).json());
        assertEquals("Breached", row(change.get("tickets"), "jira:ENG-7#ola").get("sv").get("st").asText());
        assertEquals("Breached", row(change.get("tickets"), "jira:ENG-8#ola").get("sv").get("st").asText());

        // Engineering answers on ENG-7: its OLA stops, its row leaves the board.
        change = JSON.readTree(model.apply(List.of(engineering("ENG-7", null, 2)), NOW).json());
        assertEquals("[\"jira:ENG-7#ola\"]", change.get("gone").toString());
        assertEquals(java.util.Set.of("salesforce:500A", "jira:ENG-8#ola"), model.shownKeys());
    }
}
