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
                "first_response", T + 600, status, null, version, true, List.of(outcomes));
    }

    private static BoardTicket closed(String key, String account, BoardTicket.Outcome... outcomes) {
        return new BoardTicket("jira:" + key, "jira", key, null, account, "normal", null, null, null, SummaryState.MET,
                null, 5, false, List.of(outcomes));
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
}
