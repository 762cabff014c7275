package io.slabridge.connector.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.slabridge.core.outbox.OutboxWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.junit.jupiter.api.Test;

/** The numbers the application hands a source: another source's, asked at each use, by name. */
class SourceContextTest {

    /** A source that numbers its tickets once its routes are made ({@code numbers} set). */
    private static final class Numbering implements Source {
        TicketNumbers numbers;

        @Override
        public TicketMapping mapping() {
            throw new UnsupportedOperationException();
        }

        @Override
        public RoutesBuilder routes(SourceContext context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public OutboxWriter writer(CamelContext camel) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<TicketNumbers> ticketNumbers() {
            return Optional.ofNullable(numbers);
        }
    }

    @Test
    void aNumberIsAskedOfTheSourceNamedWhenItIsUsed() {
        Map<String, Source> sources = new HashMap<>();
        TicketNumbers salesforce = SourceContext.numbersOf(sources).apply("salesforce");
        TicketNumbers.Unavailable absent = assertThrows(TicketNumbers.Unavailable.class, () -> salesforce.ticket("1"));
        assertTrue(absent.getMessage().contains("sla.salesforce.enabled"), absent.getMessage());

        Numbering running = new Numbering();
        sources.put("salesforce", running);
        assertThrows(TicketNumbers.Unavailable.class, () -> salesforce.ticket("1"), "its routes are not made yet");

        running.numbers = n -> n.equals("00001026") ? Optional.of("salesforce:500A") : Optional.empty();
        assertEquals(Optional.of("salesforce:500A"), salesforce.ticket("00001026"));
        assertEquals(Optional.empty(), salesforce.ticket("00009999"));
    }
}
