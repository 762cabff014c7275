#!/usr/bin/env bash
# The durable runtime against the local PostgreSQL, next to pgbench (docs/benchmarks.md, "Runtime store").
#
#   bench/store-bench.sh            # all: ingest vs pgbench, scheduler tick, heap
#   bench/store-bench.sh ingest     # only ingest vs pgbench
#   bench/store-bench.sh tick heap  # only the harness parts that need no pgbench
#
# Environment: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), PGDATABASE (test), DURATION (15: seconds
# of each pgbench run and of each ingest window), ROUNDS (1: ingest windows, each between two pgbench runs),
# CLIENTS (2: pgbench clients and ingest threads), STORE_BENCH_ARGS (extra harness options, e.g.
# "--sizes=10000,100000"). Raw output goes to bench-data/store-bench-<UTC time>/.
#
# Ingest is compared with pgbench inserting single rows, one per transaction, into a throwaway copy of the
# store's ticket_event table (its migration, applied to a schema of its own; the store's INSERT ... ON
# CONFLICT DO NOTHING), with the server's synchronous_commit, as the store gets it (the default). Each ingest
# window sits between two pgbench runs; its ratio is to their mean. A third pgbench run per round replays the
# statements the runtime sends for one event, in one transaction (a diagnostic, not the goal's baseline).
# Everything is created in schemas of their own (store_bench_*) and dropped at the end; nothing else in the
# database is touched.
set -euo pipefail

cd "$(dirname "$0")/.."
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}" PGDATABASE="${PGDATABASE:-test}"
DURATION="${DURATION:-15}"
ROUNDS="${ROUNDS:-1}"
CLIENTS="${CLIENTS:-2}"
PARTS=("$@")
[ ${#PARTS[@]} -eq 0 ] && PARTS=(ingest tick heap)

OUT="bench-data/store-bench-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$PGDATABASE"

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')   commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "nproc: $(nproc)   cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "memory: $(free -m | awk '/^Mem:/ {print $2 " MB total, " $7 " MB available"}')   load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "postgres: $(psql -XAtc 'SHOW server_version'), synchronous_commit=$(psql -XAtc 'SHOW synchronous_commit'), fsync=$(psql -XAtc 'SHOW fsync'), autovacuum=$(psql -XAtc 'SHOW autovacuum')"
} | tee "$OUT/machine.txt"

echo "building (test-compile) ..."
mvn -B -q -Dstyle.color=never -f sla-core/pom.xml test-compile > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }

harness() { # harness <log> <args...>
  local log="$1"; shift
  mvn -B -q -Dstyle.color=never -f sla-core/pom.xml exec:exec@store-bench \
      -Dstore.bench.jvm.args="-Dstore.bench.url=$JDBC_URL -Dstore.bench.user=$PGUSER" \
      -Dstore.bench.args="$*" 2>&1 | grep -v -i jqwik | tee "$log"
}

result() { # result <log> <key>
  sed -n "s/^RESULT $2=//p" "$1" | tail -1
}

PGB_SCHEMA=""
cleanup() {
  if [ -n "$PGB_SCHEMA" ]; then psql -Xq -c "DROP SCHEMA IF EXISTS $PGB_SCHEMA CASCADE" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

pgbench_run() { # pgbench_run <name> <script> [pgbench options...]: prints tps; the store's tables start empty
  local name="$1" script="$2"; shift 2
  psql -Xq -v ON_ERROR_STOP=1 -c "TRUNCATE $PGB_SCHEMA.ticket_event, $PGB_SCHEMA.ticket_state, $PGB_SCHEMA.outbox" >/dev/null
  PGOPTIONS="-c search_path=$PGB_SCHEMA" pgbench -n -c "$CLIENTS" -j "$CLIENTS" -T "$DURATION" "$@" -f "$OUT/$script" \
      > "$OUT/pgbench-$name.txt" 2>&1 || { cat "$OUT/pgbench-$name.txt" >&2; return 1; }
  sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$OUT/pgbench-$name.txt"
}

want() { local p; for p in "${PARTS[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }

if want ingest; then
  PGB_SCHEMA="store_bench_pgbench_$(od -An -N5 -tx1 /dev/urandom | tr -d ' \n')"
  # The store's own tables (its Flyway migration), in a schema of their own.
  { echo "CREATE SCHEMA $PGB_SCHEMA; SET search_path = $PGB_SCHEMA;"; cat sla-core/src/main/resources/db/migration/V1__sla_store.sql; } \
      | psql -Xq -v ON_ERROR_STOP=1 > /dev/null
  # Baseline: one row per transaction into a table shaped like ticket_event (it is one), with the store's
  # statement: a random event id and a 250-byte body.
  cat > "$OUT/pgbench-insert.sql" <<'SQL'
\set n random(1, 4611686018427387903)
\set t random(1, 20000)
INSERT INTO ticket_event (event_id, ticket, at_epoch, body, received_at) VALUES ('evt-' || CAST(:n AS text), 'jira-SUP-' || CAST(:t AS text), 1780000000, repeat('x', 250), 1780000000) ON CONFLICT DO NOTHING;
SQL
  # Diagnostic: the statements the runtime sends for one accepted event (SlaRuntime.accept on JdbcSlaStore),
  # in one transaction, with bodies of typical sizes; each client on its own 3,000 tickets. Run with
  # -M prepared, as the JDBC driver does once a statement has been used 5 times. No ':' in the keys:
  # pgbench would take it for a variable in prepared mode.
  cat > "$OUT/pgbench-store-tx.sql" <<'SQL'
\set n random(1, 4611686018427387903)
\set t random(1, 3000)
\set k :t * 2 + :client_id
BEGIN;
INSERT INTO ticket_event (event_id, ticket, at_epoch, body, received_at) VALUES ('evt-' || CAST(:n AS text), 'jira-SUP-' || CAST(:k AS text), 1780000000, repeat('x', 250), 1780000000) ON CONFLICT DO NOTHING;
INSERT INTO ticket_state (ticket, source, summary, is_open, cycles, version, updated_at) VALUES ('jira-SUP-' || CAST(:k AS text), 'jira', 'NONE', FALSE, '', 0, 0) ON CONFLICT DO NOTHING;
SELECT ticket, source, summary, next_due_at, next_wake_at, is_open, sla_fields, cycles, version FROM ticket_state WHERE ticket = 'jira-SUP-' || CAST(:k AS text) FOR UPDATE;
SELECT event_id, body FROM ticket_event WHERE ticket = 'jira-SUP-' || CAST(:k AS text);
INSERT INTO outbox (ticket, source, kind, payload, idempotency_key, status, attempts, next_attempt_at, created_at) VALUES ('jira-SUP-' || CAST(:k AS text), 'jira', 'sla_fields', repeat('p', 200), 'jira-SUP-' || CAST(:k AS text) || '/fields/' || CAST(:n AS text), 'pending', 0, 1780000000, 1780000000) ON CONFLICT DO NOTHING;
UPDATE ticket_state SET source = 'jira', summary = 'ON_TRACK', next_due_at = 1780003600, next_wake_at = 1780002700, is_open = TRUE, sla_fields = repeat('f', 150), cycles = repeat('c', 500), version = version + 1, updated_at = 1780000000 WHERE ticket = 'jira-SUP-' || CAST(:k AS text);
END;
SQL
  echo
  echo "pgbench: $CLIENTS clients, $DURATION s each, schema $PGB_SCHEMA; ingest: $CLIENTS threads, $DURATION s after 5 s warm-up"
  declare -a TPS RATE SHAPE
  TPS[0]=$(pgbench_run insert-0 pgbench-insert.sql)
  echo "pgbench single-row INSERT, run 0: ${TPS[0]} tps   (load $(cut -d' ' -f1 /proc/loadavg))"
  for ((r = 1; r <= ROUNDS; r++)); do
    harness "$OUT/ingest-$r.log" ingest --threads="$CLIENTS" --seconds="$DURATION" ${STORE_BENCH_ARGS:-} > /dev/null
    RATE[$r]=$(result "$OUT/ingest-$r.log" ingest.events_per_s)
    echo "ingest, round $r: ${RATE[$r]} events/s   ($(grep '^accept() latency' "$OUT/ingest-$r.log"); load $(cut -d' ' -f1 /proc/loadavg))"
    TPS[$r]=$(pgbench_run "insert-$r" pgbench-insert.sql)
    echo "pgbench single-row INSERT, run $r: ${TPS[$r]} tps   (load $(cut -d' ' -f1 /proc/loadavg))"
    SHAPE[$r]=$(pgbench_run "store-tx-$r" pgbench-store-tx.sql -M prepared)
    echo "pgbench with the runtime's transaction (diagnostic), run $r: ${SHAPE[$r]} tps   (load $(cut -d' ' -f1 /proc/loadavg))"
  done
  echo
  {
    echo "| round | pgbench INSERT before (tps) | ingest (events/s) | pgbench INSERT after (tps) | ingest / mean of the two | before and after within 25%? | pgbench, runtime's transaction (tps) |"
    echo "|---:|---:|---:|---:|---:|:---:|---:|"
    : > "$OUT/ratios.txt"
    for ((r = 1; r <= ROUNDS; r++)); do
      awk -v r="$r" -v b="${TPS[$((r - 1))]}" -v i="${RATE[$r]}" -v a="${TPS[$r]}" -v s="${SHAPE[$r]}" -v f="$OUT/ratios.txt" \
          'BEGIN { ratio = 100 * i / ((a + b) / 2); stable = (a > b ? a / b : b / a) <= 1.25
                   printf "| %d | %.0f | %.0f | %.0f | %.0f%% | %s | %.0f |\n", r, b, i, a, ratio, stable ? "yes" : "no", s
                   if (stable) printf "%f\n", ratio >> f }'
    done
    printf '%s\n' "${TPS[@]}" | sort -g > "$OUT/pgbench-tps.txt"
    printf '%s\n' "${RATE[@]}" | sort -g > "$OUT/ingest-rates.txt"
    printf '%s\n' "${SHAPE[@]}" | sort -g > "$OUT/store-tx-tps.txt"
    sort -g -o "$OUT/ratios.txt" "$OUT/ratios.txt"
    echo
    awk 'function median(a, n) { return n == 0 ? -1 : n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
         FILENAME ~ /pgbench-tps/ { t[++nt] = $1; next }
         FILENAME ~ /ingest-rates/ { i[++ni] = $1; next }
         FILENAME ~ /store-tx/ { s[++ns] = $1; next }
         { q[++nq] = $1 }
         END { mt = median(t, nt); mi = median(i, ni); ms = median(s, ns); mq = median(q, nq)
               printf "medians: pgbench INSERT %.0f tps (%d runs), ingest %.0f events/s (%d windows): ingest = %.0f%% of pgbench (goal: >= 50%%)\n", mt, nt, mi, ni, 100 * mi / mt
               if (nq > 0) printf "median ratio over the %d rounds whose two pgbench runs agree within 25%%: %.0f%%\n", nq, mq
               else print "no round had two pgbench runs within 25% of each other: the machine was too unsteady for a ratio"
               printf "pgbench running the runtime'"'"'s transaction (diagnostic): median %.0f tps = %.0f%% of pgbench INSERT\n", ms, 100 * ms / mt }' \
        "$OUT/pgbench-tps.txt" "$OUT/ingest-rates.txt" "$OUT/store-tx-tps.txt" "$OUT/ratios.txt"
  } | tee "$OUT/ingest-summary.md"
  cleanup
  PGB_SCHEMA=""
fi

REST=()
want tick && REST+=(tick)
want heap && REST+=(heap)
if [ ${#REST[@]} -gt 0 ]; then
  echo
  harness "$OUT/$(IFS=-; echo "${REST[*]}").log" "${REST[@]}" ${STORE_BENCH_ARGS:-}
fi
echo
echo "raw output: $OUT"
