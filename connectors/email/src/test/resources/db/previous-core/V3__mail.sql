-- The email connector's state (connectors/email). Kept in the store so that threading, "read once" and
-- "sent once" survive restarts and are shared by instances on one PostgreSQL.

-- Every message of a thread we know, ours included (acknowledgements, replies), so that a reply naming any of
-- them in In-Reply-To or References joins the ticket.
CREATE TABLE mail_message (
    message_id VARCHAR(1000) PRIMARY KEY,   -- without angle brackets
    ticket     VARCHAR(1000) NOT NULL,
    role       VARCHAR(16)   NOT NULL,      -- customer, agent, internal, ours
    at_epoch   BIGINT        NOT NULL
);
CREATE INDEX mail_message_by_ticket ON mail_message (ticket);

-- One row per email ticket: who the customer is, the subject threading falls back on, and what the connector
-- itself decides from mail (the status set by tags, the last customer and agent mail for auto-resolve).
CREATE TABLE mail_ticket (
    ticket             VARCHAR(1000) PRIMARY KEY,
    root_message_id    VARCHAR(1000) NOT NULL,
    customer           VARCHAR(320)  NOT NULL,  -- the customer's address, lower case
    reply_to           VARCHAR(1000) NOT NULL,  -- where acknowledgements go (Reply-To, else From)
    subject_key        VARCHAR(1000) NOT NULL,  -- the normalized subject
    subject            TEXT,
    status             VARCHAR(40)   NOT NULL,
    created_at         BIGINT        NOT NULL,
    last_customer_at   BIGINT,
    last_agent_at      BIGINT,
    last_agent_message VARCHAR(1000),
    ack_wanted         BOOLEAN       NOT NULL,  -- acknowledgements were on when the ticket was opened
    acknowledged_at    BIGINT
);
CREATE INDEX mail_ticket_by_subject ON mail_ticket (customer, subject_key);
CREATE INDEX mail_ticket_by_last_agent ON mail_ticket (last_agent_at);

-- The durable idempotent repository of the IMAP consumers: a message is read once across restarts. A row is
-- added (unconfirmed) when a poll takes the message and confirmed when it has been processed; an unconfirmed
-- row left by a crash lets the message be taken again.
CREATE TABLE mail_processed (
    repository  VARCHAR(200)  NOT NULL,
    message_key VARCHAR(1000) NOT NULL,
    confirmed   BOOLEAN       NOT NULL,
    added_at    BIGINT        NOT NULL,
    PRIMARY KEY (repository, message_key)
);

-- Mail sla-bridge sent (acknowledgements, notices, comments), under the Message-ID derived from the outbox
-- command: a command delivered again finds its mail here and does not send it twice.
CREATE TABLE mail_sent (
    message_id      VARCHAR(1000) PRIMARY KEY,
    ticket          VARCHAR(1000) NOT NULL,
    kind            VARCHAR(40)   NOT NULL,
    recipient       VARCHAR(1000) NOT NULL,
    idempotency_key VARCHAR(1300) NOT NULL,
    sent_at         BIGINT        NOT NULL
);
CREATE INDEX mail_sent_by_recipient ON mail_sent (recipient, sent_at);
