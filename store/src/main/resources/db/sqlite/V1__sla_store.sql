-- The sla-bridge store on SQLite, the embedded default: the tables of db/migration (PostgreSQL, H2) as SQLite
-- writes them. Keep the two in step: the same tables, columns and meaning, one migration version for one change.
-- Instants are epoch seconds (BIGINT): the fold works in them, and they compare the same everywhere.

-- Every ticket event ever accepted, idempotent on its id. The fold's truth: state is recomputed from here.
CREATE TABLE ticket_event (
    -- The order events were accepted in (V2 on PostgreSQL): the fold applies the events of one instant in it.
    seq         INTEGER       PRIMARY KEY AUTOINCREMENT,
    event_id    VARCHAR(1000) NOT NULL UNIQUE,
    ticket      VARCHAR(1000) NOT NULL,
    at_epoch    BIGINT        NOT NULL,
    body        TEXT          NOT NULL,   -- the event as JSON, as the wire format has it
    received_at BIGINT        NOT NULL
);
CREATE INDEX ticket_event_by_ticket_seq ON ticket_event (ticket, seq);

-- Each ticket's latest computed state. next_wake_at is when the scheduler must look again (null: only an
-- event can change the ticket); its index is what lets a tick touch only due tickets.
CREATE TABLE ticket_state (
    ticket       VARCHAR(1000) PRIMARY KEY,
    source       VARCHAR(100)  NOT NULL,
    summary      VARCHAR(40)   NOT NULL,
    next_due_at  BIGINT,
    next_wake_at BIGINT,
    is_open      BOOLEAN       NOT NULL,  -- some cycle has not stopped
    sla_fields   TEXT,                    -- the SLA fields last enqueued for the ticket's system (JSON)
    cycles       TEXT          NOT NULL,  -- the cycles as replay prints them (JSON lines)
    version      BIGINT        NOT NULL,
    updated_at   BIGINT        NOT NULL
);
CREATE INDEX ticket_state_by_wake ON ticket_state (next_wake_at);

-- Escalation steps already acted on: each fires once per ticket, metric and cycle, whatever happens later.
CREATE TABLE escalation_done (
    ticket  VARCHAR(1000) NOT NULL,
    metric  VARCHAR(40)   NOT NULL,
    cycle   INTEGER       NOT NULL,
    step    VARCHAR(200)  NOT NULL,
    done_at BIGINT        NOT NULL,
    PRIMARY KEY (ticket, metric, cycle, step)
);

-- Write-back commands, enqueued in the same transaction as the state change that caused them.
-- status: pending (to deliver; a claimed one has next_attempt_at moved forward by its lease), done, parked.
CREATE TABLE outbox (
    id              INTEGER       PRIMARY KEY AUTOINCREMENT,
    ticket          VARCHAR(1000) NOT NULL,
    source          VARCHAR(100)  NOT NULL,
    kind            VARCHAR(40)   NOT NULL,
    payload         TEXT          NOT NULL,
    idempotency_key VARCHAR(1300) NOT NULL UNIQUE,
    status          VARCHAR(16)   NOT NULL,
    attempts        INTEGER       NOT NULL,
    next_attempt_at BIGINT        NOT NULL,
    last_error      TEXT,
    created_at      BIGINT        NOT NULL,
    done_at         BIGINT
);
CREATE INDEX outbox_ready ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_ticket ON outbox (ticket, id);

-- Where each poller got to (a Jira JQL instant, a Salesforce SystemModstamp, an IMAP UID).
CREATE TABLE source_cursor (
    name       VARCHAR(200) PRIMARY KEY,
    cursor_value TEXT       NOT NULL,
    updated_at BIGINT       NOT NULL
);
