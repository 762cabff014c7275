-- Linked tickets (SLA-SPEC section 7, issue 16). Spelled alike on PostgreSQL, H2 and SQLite.

-- Which tickets were ever linked to which, both directions, from either side's linked or unlinked event: an event
-- on one ticket of a pair refolds the other too, even when only one side reported the link.
CREATE TABLE ticket_link (
    ticket        VARCHAR(1000) NOT NULL,
    linked_ticket VARCHAR(1000) NOT NULL,
    PRIMARY KEY (ticket, linked_ticket)
);

-- OLA escalation steps already acted on, by OlaEscalationDue.key() (engineering/customer/ola:NAME/metric/cycle/step):
-- each fires once per pair, OLA, metric and cycle, whichever ticket's refold found it.
CREATE TABLE ola_escalation_done (
    step_key VARCHAR(2600) PRIMARY KEY,
    ticket   VARCHAR(1000) NOT NULL,   -- the engineering ticket, to read a pair's steps by
    done_at  BIGINT        NOT NULL
);
CREATE INDEX ola_escalation_done_by_ticket ON ola_escalation_done (ticket);
