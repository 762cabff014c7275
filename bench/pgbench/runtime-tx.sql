-- Diagnostic: the statements SlaRuntime.accept sends through JdbcSlaStore for one event of a known ticket, in
-- one transaction, with values of typical sizes: append the event, create-if-missing and lock the ticket's
-- row, read its log, enqueue the SLA fields, save the state. Each client works on its own 3,000 tickets
-- (-D clients=N). Run with -M prepared, as the JDBC driver runs a statement once it has been used 5 times.
\set n random(1, 4611686018427387903)
\set t random(1, 3000)
\set k :t * :clients + :client_id
BEGIN;
INSERT INTO ticket_event (event_id, ticket, at_epoch, body, received_at) VALUES ('evt-' || CAST(:n AS text), 'jira-SUP-' || CAST(:k AS text), 1780000000, repeat('x', 250), 1780000000) ON CONFLICT DO NOTHING;
INSERT INTO ticket_state (ticket, source, summary, is_open, cycles, version, updated_at) VALUES ('jira-SUP-' || CAST(:k AS text), 'jira', 'NONE', FALSE, '', 0, 0) ON CONFLICT DO NOTHING;
SELECT ticket, source, summary, next_due_at, next_wake_at, is_open, sla_fields, cycles, version FROM ticket_state WHERE ticket = 'jira-SUP-' || CAST(:k AS text) FOR UPDATE;
SELECT event_id, body FROM ticket_event WHERE ticket = 'jira-SUP-' || CAST(:k AS text);
INSERT INTO outbox (ticket, source, kind, payload, idempotency_key, status, attempts, next_attempt_at, created_at) VALUES ('jira-SUP-' || CAST(:k AS text), 'jira', 'sla_fields', repeat('p', 200), 'jira-SUP-' || CAST(:k AS text) || '/fields/' || CAST(:n AS text), 'pending', 0, 1780000000, 1780000000) ON CONFLICT DO NOTHING;
UPDATE ticket_state SET source = 'jira', summary = 'ON_TRACK', next_due_at = 1780003600, next_wake_at = 1780002700, is_open = TRUE, sla_fields = repeat('f', 150), cycles = repeat('c', 500), version = version + 1, updated_at = 1780000000 WHERE ticket = 'jira-SUP-' || CAST(:k AS text);
END;
