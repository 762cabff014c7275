-- Diagnostic: runtime-tx-lock-first.sql in 2 round trips instead of 6: the statements whose results the fold
-- needs (append, lock, read the log) go together, then the writes and the commit. Pipeline mode needs -M
-- extended or prepared. (JDBC has no general pipeline; pgjdbc sends a batch, or several statements in one
-- string, in one round trip.)
\set n random(1, 4611686018427387903)
\set t random(1, 3000)
\set k :t * :clients + :client_id
\startpipeline
BEGIN;
INSERT INTO ticket_event (event_id, ticket, at_epoch, body, received_at) VALUES ('evt-' || CAST(:n AS text), 'jira-SUP-' || CAST(:k AS text), 1780000000, repeat('x', 250), 1780000000) ON CONFLICT DO NOTHING;
SELECT ticket, source, summary, next_due_at, next_wake_at, is_open, sla_fields, cycles, version FROM ticket_state WHERE ticket = 'jira-SUP-' || CAST(:k AS text) FOR UPDATE;
SELECT event_id, body FROM ticket_event WHERE ticket = 'jira-SUP-' || CAST(:k AS text);
\endpipeline
\startpipeline
INSERT INTO outbox (ticket, source, kind, payload, idempotency_key, status, attempts, next_attempt_at, created_at) VALUES ('jira-SUP-' || CAST(:k AS text), 'jira', 'sla_fields', repeat('p', 200), 'jira-SUP-' || CAST(:k AS text) || '/fields/' || CAST(:n AS text), 'pending', 0, 1780000000, 1780000000) ON CONFLICT DO NOTHING;
UPDATE ticket_state SET source = 'jira', summary = 'ON_TRACK', next_due_at = 1780003600, next_wake_at = 1780002700, is_open = TRUE, sla_fields = repeat('f', 150), cycles = repeat('c', 500), version = version + 1, updated_at = 1780000000 WHERE ticket = 'jira-SUP-' || CAST(:k AS text);
END;
\endpipeline
