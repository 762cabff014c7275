#!/usr/bin/env bash
# Start-up time and idle memory of `sla-bridge run` (docs/explanation/benchmarks.md, "run: start-up and idle memory").
#
#   bench/run-startup.sh            # 5 runs
#   RUNS=10 IDLE=60 bench/run-startup.sh
#
# Each run starts the built jar with the Jira connector enabled (webhooks only: no Jira is called), the embedded
# H2 store in a fresh directory and the quickstart policy, and measures:
#   - start-up: from the process start to the first 200 from /observe/health (every check UP);
#   - idle memory: after IDLE seconds with nothing to do, the process's RSS and the JVM's used heap after a GC
#     (jcmd GC.run, then GC.heap_info).
# JAVA_OPTS (default empty: the JVM's own heap sizing) is passed to java.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-5}"
IDLE="${IDLE:-30}"
JAR=routes/target/sla-bridge.jar
[ -f "$JAR" ] || { echo "build the jar first: mvn -B -q package -DskipTests" >&2; exit 1; }
OUT="bench/results/run-startup-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')   commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "nproc: $(nproc)   cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')   load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $(java -version 2>&1 | head -1)   JAVA_OPTS: ${JAVA_OPTS:-(none)}"
} | tee "$OUT/machine.txt"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

echo "| run | start-up to healthy (s) | RSS after ${IDLE} s idle (MB) | heap used after GC (MB) |" | tee "$OUT/results.md"
echo "|---:|---:|---:|---:|" | tee -a "$OUT/results.md"
for ((r = 1; r <= RUNS; r++)); do
  dir=$(mktemp -d)
  server=$(free_port); management=$(free_port)
  cat > "$dir/app.properties" <<PROPS
sla.policy=$PWD/examples/quickstart/sla.yaml
sla.store.url=jdbc:h2:file:$dir/store;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0
sla.store.user=sa
sla.jira.enabled=true
sla.jira.url=https://jira.invalid
sla.jira.email=bench@example.com
sla.jira.api-token=not-used
sla.jira.webhook-secret=not-used
camel.server.port=$server
camel.management.port=$management
PROPS
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:-} -jar "$JAR" run --config "$dir/app.properties" > "$OUT/run-$r.log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$management/observe/health" > /dev/null 2>&1; do
    kill -0 "$pid" 2> /dev/null || { echo "run $r: sla-bridge exited; see $OUT/run-$r.log" >&2; exit 1; }
    sleep 0.05
  done
  up=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep "$IDLE"
  rss=$(( $(ps -o rss= -p "$pid") / 1024 ))
  jcmd "$pid" GC.run > /dev/null
  heap=$(jcmd "$pid" GC.heap_info | awk '/used/ {for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub("K", "", v); print int(v / 1024); exit }}')
  kill "$pid"; wait "$pid" 2> /dev/null || true
  rm -rf "$dir"
  printf '| %d | %.2f | %d | %s |\n' "$r" "$(echo "$up / 1000" | bc -l)" "$rss" "$heap" | tee -a "$OUT/results.md"
done
echo "raw output: $OUT"
