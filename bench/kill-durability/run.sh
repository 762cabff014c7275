#!/usr/bin/env bash
# Kills a process that commits small transactions with kill -9, after it has written for SECONDS and then idled for
# 12 s, and counts the commits the database lost: H2 as the old embedded default had it (WRITE_DELAY=0) against
# SQLite as the embedded default has it now (WAL, synchronous=FULL). Usage: bench/kill-durability/run.sh [RUNS] [SECONDS]
# Prints one line per run: store, commits acknowledged, commits found after the kill, lost.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}; seconds=${2:-80}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
# The drivers come with sla-store; the last module of the reactor (store) writes the file.
mvn -B -q -o -pl sla-core,store test-compile dependency:build-classpath -Dmdep.outputFile="$tmp/classpath" \
    -Dmdep.includeScope=runtime >/dev/null 2>&1
cp=$(cat "$tmp/classpath")
declare -A urls=(
  [h2]="jdbc:h2:file:$tmp/h2;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0"
  [sqlite]="jdbc:sqlite:$tmp/sqlite.db?journal_mode=WAL&synchronous=FULL&busy_timeout=10000"
)
for run in $(seq "$runs"); do
  for store in h2 sqlite; do
    rm -f "$tmp"/h2* "$tmp"/sqlite*
    java -cp "$cp" bench/kill-durability/KillDurability.java write "${urls[$store]}" "$seconds" >"$tmp/out" 2>"$tmp/err" &
    pid=$!
    sleep $((seconds + 12)); kill -9 "$pid"; wait "$pid" 2>/dev/null || true
    acked=$(tail -1 "$tmp/out"); found=$(java -cp "$cp" bench/kill-durability/KillDurability.java check "${urls[$store]}")
    echo "$store run $run: acknowledged $acked, found $found, lost $((acked - found))"
  done
done
