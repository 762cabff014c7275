-- What refolds leave in ticket_state_by_wake until VACUUM, and what an idle tick pays for it
-- (docs/explanation/benchmarks.md, "Runtime store"). Run from the repository root:
--   psql -X -h 127.0.0.1 -U postgres -d test -f bench/wake-index-dead-entries.sql
-- It works in a schema of its own, store_bench_dead_tmp, and drops it.
\set ON_ERROR_STOP 1
CREATE SCHEMA store_bench_dead_tmp;
SET search_path = store_bench_dead_tmp;
\ir ../store/src/main/resources/db/migration/V1__sla_store.sql
-- 10^6 open tickets, wake-up instants over the 30 days after "now" (1780315200 = 2026-06-01T12:00:00Z).
INSERT INTO ticket_state (ticket, source, summary, next_due_at, next_wake_at, is_open, sla_fields, cycles, version, updated_at)
  SELECT 'fill:' || lpad(g::text, 8, '0'), 'jira', 'ON_TRACK', NULL, 1780315200 + 3600 + (g::bigint * 7919) % 2592000,
         TRUE, repeat('f', 150), repeat('c', 600), 1, 1780315200
  FROM generate_series(1, 1000000) g;
VACUUM ANALYZE ticket_state;
\echo == idle tick, clean index
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT ticket FROM ticket_state WHERE next_wake_at <= 1780315200 ORDER BY next_wake_at LIMIT 100 FOR UPDATE SKIP LOCKED;
-- 100,000 tickets come due (their wake-up instant is in the past) and are refolded (it moves to the future):
-- the index entries of the past instants are dead, in the range every idle tick scans.
UPDATE ticket_state SET next_wake_at = 1780315200 - 60 - (version % 3600) WHERE ticket <= 'fill:00100000';
UPDATE ticket_state SET next_wake_at = 1780315200 + 7200, version = version + 1 WHERE ticket <= 'fill:00100000';
\echo == first idle tick after 100,000 refolds
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT ticket FROM ticket_state WHERE next_wake_at <= 1780315200 ORDER BY next_wake_at LIMIT 100 FOR UPDATE SKIP LOCKED;
\echo == next idle tick
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT ticket FROM ticket_state WHERE next_wake_at <= 1780315200 ORDER BY next_wake_at LIMIT 100 FOR UPDATE SKIP LOCKED;
\echo == nextWake
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT MIN(next_wake_at) FROM ticket_state;
VACUUM ticket_state;
\echo == idle tick after VACUUM
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT ticket FROM ticket_state WHERE next_wake_at <= 1780315200 ORDER BY next_wake_at LIMIT 100 FOR UPDATE SKIP LOCKED;
\echo == nextWake after VACUUM
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT MIN(next_wake_at) FROM ticket_state;
DROP SCHEMA store_bench_dead_tmp CASCADE;
