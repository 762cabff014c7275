package io.slabridge.connector.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.slabridge.connector.api.TicketNumbers;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Cases by their number ({@code CaseNumber}, {@code 00001026}), for the other sources' links: one SOQL query per
 * number not seen yet. A Case's number never changes (an auto-number), so a number found is remembered, up to
 * {@value #REMEMBERED} of them; one not found is asked again at its next use (the Case may be made meanwhile).
 */
final class CaseNumbers implements TicketNumbers {
    static final int REMEMBERED = 10_000;

    private final SalesforceApi api;
    private final Map<String, String> found = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    });

    CaseNumbers(SalesforceApi api) {
        this.api = api;
    }

    @Override
    public Optional<String> ticket(String number) {
        String id = found.get(number);
        if (id != null) {
            return Optional.of(SalesforceEvents.SOURCE + ":" + id);
        }
        JsonNode answer;
        try {
            answer = api.query("SELECT Id FROM Case WHERE CaseNumber = " + SalesforceWriter.soqlString(number)
                    + " LIMIT 1");
        } catch (RuntimeException e) {
            throw new Unavailable("Salesforce did not tell which Case is number " + number + ": " + e.getMessage(), e);
        }
        JsonNode records = answer == null ? null : answer.path("records");
        if (records == null || records.isEmpty()) {
            return Optional.empty();
        }
        id = records.get(0).path("Id").asText("");
        if (id.isEmpty()) {
            return Optional.empty();
        }
        found.put(number, id);
        return Optional.of(SalesforceEvents.SOURCE + ":" + id);
    }
}
