#!/usr/bin/env bash
# The durable runtime against the local PostgreSQL, next to pgbench (docs/explanation/benchmarks.md, "Runtime store").
#
#   bench/store-bench.sh            # all: ingest vs pgbench, scheduler tick, heap
#   bench/store-bench.sh ingest     # only ingest vs pgbench
#   bench/store-bench.sh tick heap  # only the harness parts that need no pgbench
#
# Environment: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), PGDATABASE (test); DURATION (15: seconds
# of each pgbench run and of each ingest window, which follows a 15 s warm-up); ROUNDS (1: ingest windows);
# CLIENTS (2: pgbench clients and ingest threads); BATCH (1: events per ingest call; 1 is accept(event), more
# is acceptAll(page) with pages of that many consecutive events of a thread's stream, as a poller delivers
# them); DIAGNOSTICS (0; 1 adds two pgbench runs per round of leaner variants of the runtime's transaction);
# STORE_BENCH_ARGS (extra harness options, e.g. "--sizes=10000,100000", or "--group=true" for single events
# through GroupCommit, as the application's ingest endpoint takes webhooks). Raw output goes to bench/results/store-bench-<UTC time>/.
#
# The goal's baseline is pgbench running bench/pgbench/insert.sql: one row per transaction into a throwaway
# copy of the store's ticket_event table (the store's migration, applied to a schema of its own; the store's
# INSERT ... ON CONFLICT DO NOTHING), with the server's synchronous_commit, as the store gets it (the
# default). A round is: an ingest window, then pgbench INSERT, then pgbench running the runtime's own
# transaction (bench/pgbench/runtime-tx.sql, a diagnostic); a pgbench INSERT run comes first, so that each
# ingest window sits between two, and its ratio is to their mean. Everything is created in schemas of their
# own (store_bench_*) and dropped at the end; nothing else in the database is touched.
set -euo pipefail

cd "$(dirname "$0")/.."
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}" PGDATABASE="${PGDATABASE:-test}"
DURATION="${DURATION:-15}"
ROUNDS="${ROUNDS:-1}"
CLIENTS="${CLIENTS:-2}"
BATCH="${BATCH:-1}"
DIAGNOSTICS="${DIAGNOSTICS:-0}"
PARTS=("$@")
[ ${#PARTS[@]} -eq 0 ] && PARTS=(ingest tick heap)

OUT="bench/results/store-bench-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$PGDATABASE"

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')   commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "nproc: $(nproc)   cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "memory: $(free -m | awk '/^Mem:/ {print $2 " MB total, " $7 " MB available"}')   load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "postgres: $(psql -XAtc 'SHOW server_version'), synchronous_commit=$(psql -XAtc 'SHOW synchronous_commit'), fsync=$(psql -XAtc 'SHOW fsync'), autovacuum=$(psql -XAtc 'SHOW autovacuum')"
  echo "pgbench: $(pgbench --version)"
} | tee "$OUT/machine.txt"

echo "building (test-compile) ..."
mvn -B -q -Dstyle.color=never -pl sla-core,store test-compile > "$OUT/build.log" 2>&1 || { cat "$OUT/build.log"; exit 1; }

harness() { # harness <log> <args...>
  local log="$1"; shift
  mvn -B -q -Dstyle.color=never -pl sla-core,store test-compile exec:exec@store-bench \
      -Dstore.bench.jvm.args="-Dstore.bench.url=$JDBC_URL -Dstore.bench.user=$PGUSER" \
      -Dstore.bench.args="$*" 2>&1 | grep -v -i jqwik | tee "$log"
}

result() { # result <log> <key>
  sed -n "s/^RESULT $2=//p" "$1" | tail -1
}

load() { cut -d' ' -f1 /proc/loadavg; }

PGB_SCHEMA=""
cleanup() {
  if [ -n "$PGB_SCHEMA" ]; then psql -Xq -c "DROP SCHEMA IF EXISTS $PGB_SCHEMA CASCADE" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

# pgbench_run <name> <script> [pgbench options...]: prints tps. Each run starts on empty tables, except for
# the rows of the tickets the runtime-tx scripts work on: they are known tickets.
pgbench_run() {
  local name="$1" script="$2"; shift 2
  psql -Xq -v ON_ERROR_STOP=1 -c "TRUNCATE $PGB_SCHEMA.ticket_event, $PGB_SCHEMA.ticket_state, $PGB_SCHEMA.outbox" \
      -c "INSERT INTO $PGB_SCHEMA.ticket_state (ticket, source, summary, is_open, cycles, version, updated_at)
          SELECT 'jira-SUP-' || g, 'jira', 'NONE', FALSE, '', 0, 0 FROM generate_series(1, 3001 * $CLIENTS) g" >/dev/null
  PGOPTIONS="-c search_path=$PGB_SCHEMA" pgbench -n -c "$CLIENTS" -j "$CLIENTS" -T "$DURATION" -D clients="$CLIENTS" "$@" \
      -f "bench/pgbench/$script" > "$OUT/pgbench-$name.txt" 2>&1 || { cat "$OUT/pgbench-$name.txt" >&2; return 1; }
  sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$OUT/pgbench-$name.txt"
}

want() { local p; for p in "${PARTS[@]}"; do [ "$p" = "$1" ] && return 0; done; return 1; }

if want ingest; then
  PGB_SCHEMA="store_bench_pgbench_$(od -An -N5 -tx1 /dev/urandom | tr -d ' \n')"
  { echo "CREATE SCHEMA $PGB_SCHEMA; SET search_path = $PGB_SCHEMA;"; cat store/src/main/resources/db/migration/V1__sla_store.sql; } \
      | psql -Xq -v ON_ERROR_STOP=1 > /dev/null
  echo
  echo "pgbench: $CLIENTS clients, $DURATION s each, in schema $PGB_SCHEMA; ingest: $CLIENTS threads, batch $BATCH, $DURATION s after 15 s warm-up"
  declare -a TPS RATE SHAPE LOCKFIRST PIPELINED
  TPS[0]=$(pgbench_run insert-0 insert.sql)
  echo "pgbench INSERT, run 0: ${TPS[0]} tps   (load $(load))"
  for ((r = 1; r <= ROUNDS; r++)); do
    harness "$OUT/ingest-$r.log" ingest --threads="$CLIENTS" --seconds="$DURATION" --batch="$BATCH" ${STORE_BENCH_ARGS:-} > /dev/null
    RATE[$r]=$(result "$OUT/ingest-$r.log" ingest.events_per_s)
    echo "ingest, round $r: ${RATE[$r]} events/s   ($(grep '^accept.* latency' "$OUT/ingest-$r.log"); load $(load))"
    TPS[$r]=$(pgbench_run "insert-$r" insert.sql)
    echo "pgbench INSERT, run $r: ${TPS[$r]} tps   (load $(load))"
    SHAPE[$r]=$(pgbench_run "runtime-tx-$r" runtime-tx.sql -M prepared)
    echo "pgbench runtime-tx (diagnostic), run $r: ${SHAPE[$r]} tps   (load $(load))"
    if [ "$DIAGNOSTICS" = 1 ]; then
      LOCKFIRST[$r]=$(pgbench_run "runtime-tx-lock-first-$r" runtime-tx-lock-first.sql -M prepared)
      echo "pgbench runtime-tx-lock-first (diagnostic), run $r: ${LOCKFIRST[$r]} tps   (load $(load))"
      PIPELINED[$r]=$(pgbench_run "runtime-tx-pipelined-$r" runtime-tx-pipelined.sql -M prepared)
      echo "pgbench runtime-tx-pipelined (diagnostic), run $r: ${PIPELINED[$r]} tps   (load $(load))"
    fi
  done
  echo
  {
    printf '| round | pgbench INSERT before (tps) | ingest (events/s) | pgbench INSERT after (tps) | ingest / mean of the two | before and after within 25%%? | runtime-tx (tps) |'
    [ "$DIAGNOSTICS" = 1 ] && printf ' runtime-tx-lock-first (tps) | runtime-tx-pipelined (tps) |'
    printf '\n|---:|---:|---:|---:|---:|:---:|---:|'
    [ "$DIAGNOSTICS" = 1 ] && printf -- '---:|---:|'
    printf '\n'
    : > "$OUT/ratios.txt"
    for ((r = 1; r <= ROUNDS; r++)); do
      awk -v r="$r" -v b="${TPS[$((r - 1))]}" -v i="${RATE[$r]}" -v a="${TPS[$r]}" -v s="${SHAPE[$r]}" \
          -v l="${LOCKFIRST[$r]:-}" -v p="${PIPELINED[$r]:-}" -v f="$OUT/ratios.txt" \
          'BEGIN { ratio = 100 * i / ((a + b) / 2); stable = (a > b ? a / b : b / a) <= 1.25
                   printf "| %d | %.0f | %.0f | %.0f | %.0f%% | %s | %.0f |", r, b, i, a, ratio, stable ? "yes" : "no", s
                   if (l != "") printf " %.0f | %.0f |", l, p
                   printf "\n"
                   if (stable) printf "%f\n", ratio >> f }'
    done
    printf '%s\n' "${TPS[@]}" | sort -g > "$OUT/pgbench-tps.txt"
    printf '%s\n' "${RATE[@]}" | sort -g > "$OUT/ingest-rates.txt"
    printf '%s\n' "${SHAPE[@]}" | sort -g > "$OUT/runtime-tx-tps.txt"
    sort -g -o "$OUT/ratios.txt" "$OUT/ratios.txt"
    echo
    awk 'function median(a, n) { return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
         FILENAME ~ /pgbench-tps/ { t[++nt] = $1; next }
         FILENAME ~ /ingest-rates/ { i[++ni] = $1; next }
         FILENAME ~ /runtime-tx/ { s[++ns] = $1; next }
         { q[++nq] = $1 }
         END { mt = median(t, nt); mi = median(i, ni); ms = median(s, ns)
               printf "medians: pgbench INSERT %.0f tps (%d runs), ingest %.0f events/s (%d windows): ingest = %.0f%% of pgbench INSERT (goal: >= 50%%)\n", mt, nt, mi, ni, 100 * mi / mt
               if (nq > 0) printf "median ratio over the %d rounds whose two pgbench INSERT runs agree within 25%%: %.0f%%\n", nq, median(q, nq)
               else print "no round had its two pgbench INSERT runs within 25% of each other: the machine was too unsteady for a ratio"
               printf "pgbench running the runtime'"'"'s transaction (diagnostic): median %.0f tps = %.0f%% of pgbench INSERT\n", ms, 100 * ms / mt }' \
        "$OUT/pgbench-tps.txt" "$OUT/ingest-rates.txt" "$OUT/runtime-tx-tps.txt" "$OUT/ratios.txt"
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
