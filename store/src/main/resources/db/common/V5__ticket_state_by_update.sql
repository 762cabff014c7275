-- What the SLA board follows: the tickets whose state changed since it last looked, found through this index rather
-- than by reading every ticket's row a few times a second.
CREATE INDEX ticket_state_by_update ON ticket_state (updated_at);
