-- What the SLA board shows of linked tickets (SLA-SPEC section 7, issue 16): the OLA cycles of the pairs a ticket
-- is part of (either side) and, for an engineering ticket, its link summary, as replay prints them (JSON lines).
-- Null while nothing of them is live (no OLA cycle running, no customer waiting, and the ticket's own SLA stopped):
-- the board loads the rows where it is set, as it loads the open ones.
ALTER TABLE ticket_state ADD COLUMN ola_cycles TEXT;
