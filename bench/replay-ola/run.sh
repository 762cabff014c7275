#!/usr/bin/env bash
# Replay of the 1,000,000-event benchmark history (docs/explanation/benchmarks.md) with linked pairs and an OLA,
# against the same history and policy without them, in one hyperfine run. Needs the jar
# (mvn -B -q package -DskipTests), python3 and hyperfine (Debian's package). Raw output in bench/results/.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=routes/target/sla-bridge.jar
EVERY=${1:-5}   # every EVERY-th Jira ticket becomes an engineering issue
OUT=bench/results/replay-ola-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
java -jar "$JAR" generate --tickets 100000 --days 90 --seed 7 --out "$OUT/events-1m.jsonl"
python3 bench/replay-ola/add-links.py "$OUT/events-1m.jsonl" "$OUT/events-linked.jsonl" "$EVERY"
cat examples/bench/policy.yaml bench/replay-ola/olas.yaml > "$OUT/policy-ola.yaml"
hyperfine -w 1 -r 5 --export-markdown "$OUT/hyperfine.md" \
  -n 'no links, no OLAs' "java -Xmx1g -jar $JAR replay --policy examples/bench/policy.yaml --events $OUT/events-1m.jsonl > $OUT/out-plain.jsonl" \
  -n 'linked pairs and an OLA' "java -Xmx1g -jar $JAR replay --policy $OUT/policy-ola.yaml --events $OUT/events-linked.jsonl > $OUT/out-ola.jsonl"
echo "cycles: $(wc -l < "$OUT/out-plain.jsonl") without links; $(wc -l < "$OUT/out-ola.jsonl") with, of which OLA: $(grep -c '"ola"' "$OUT/out-ola.jsonl" || true)"
