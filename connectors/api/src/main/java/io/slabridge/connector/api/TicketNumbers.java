package io.slabridge.connector.api;

import java.util.Optional;

/**
 * A source's tickets by the number people type for them (a Salesforce Case number, {@code 00001026}): the source that
 * numbers its tickets offers it ({@link Source#ticketNumbers()}), and the application hands it to the others
 * ({@link SourceContext#numbers()}), e.g. to the Jira connector, whose issues may name their Case by its number.
 *
 * <p>Why a contract here rather than one connector calling another: connectors depend on this module only, and the
 * application wires what one offers to those that need it, as it wires writers. Why not at the application level, on
 * the stored events: a link event names its other ticket by key, and what a connector remembers of a ticket's links
 * ({@link LinkMemory}) must be keys too, or a number and the id it stands for would read as two links.
 */
@FunctionalInterface
public interface TicketNumbers {

    /**
     * The key of the ticket numbered {@code number} ({@code salesforce:5003x00000ABCdEAAX}); empty when the source has
     * none with that number.
     *
     * @throws Unavailable when the source cannot answer now (it does not run here, cannot be reached, or is over
     *                     its API limit): the caller reads again later
     */
    Optional<String> ticket(String number);

    /** Numbers no ticket can be found by, with the reason. */
    static TicketNumbers unavailable(String why) {
        return number -> {
            throw new Unavailable(why);
        };
    }

    /** The source cannot tell now which ticket a number is. */
    final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message) {
            super(message);
        }

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
