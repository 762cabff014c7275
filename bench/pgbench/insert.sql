-- The baseline of the ingest goal: one row per transaction into ticket_event (a throwaway copy of the store's
-- table), with the store's statement: a random event id, a 250-byte body. No ':' in the keys: pgbench would
-- take ':SUP' for a variable in prepared mode.
\set n random(1, 4611686018427387903)
\set t random(1, 20000)
INSERT INTO ticket_event (event_id, ticket, at_epoch, body, received_at) VALUES ('evt-' || CAST(:n AS text), 'jira-SUP-' || CAST(:t AS text), 1780000000, repeat('x', 250), 1780000000) ON CONFLICT DO NOTHING;
