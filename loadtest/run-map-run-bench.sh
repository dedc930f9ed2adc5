#!/usr/bin/env bash
# Distributed Map at scale, in one run on one machine: starts a fresh dev server with a bounded heap
# and a GC log, places a JSONL object of N items in its buckets, runs one map run over it
# (map-run-bench.py), then measures EXPRESS StartSyncExecution on the same server (LoadTest) for the
# ratio, and reports the heap after each GC (the live set) at its peak. Usage, from the repository root:
#   loadtest/run-map-run-bench.sh [ITEMS] [HEAP]       e.g. loadtest/run-map-run-bench.sh 1000000 512m
# Build first: ./mvnw -q -pl server,loadtest -am package -DskipTests
set -euo pipefail
ITEMS=${1:-1000000}
HEAP=${2:-512m}
PORT=${PORT:-8093}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
DATA=$(mktemp -d /tmp/stepstream-maprun.XXXXXX)
mkdir -p "$DATA/buckets/bench"
python3 - "$ITEMS" "$DATA/buckets/bench/items.jsonl" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    for i in range(n):
        f.write('{"id": %d, "key": "object-%08d", "size": %d}\n' % (i, i, (i * 7919) % 100000))
PY
echo "items: $ITEMS in $(du -h "$DATA/buckets/bench/items.jsonl" | cut -f1); heap -Xmx$HEAP"
"$JAVA" -Xmx"$HEAP" -Xlog:gc:file="$DATA/gc.log" -jar server/target/stepstream.jar dev --port "$PORT" \
  --data-dir "$DATA" >"$DATA.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/health" || true)" == 200 ]] && break
  kill -0 $SERVER 2>/dev/null || { echo "server did not start, see $DATA.log" >&2; exit 1; }
  sleep 0.5
done
python3 loadtest/map-run-bench.py --endpoint "http://127.0.0.1:$PORT" --bucket bench --key items.jsonl \
  --items "$ITEMS"
# Heap after GC (the live set), highest value over the whole run, from lines like
# "[12.345s][info][gc] GC(7) Pause Young (Normal) (G1 Evacuation Pause) 120M->35M(256M) 3.456ms".
python3 - "$DATA/gc.log" <<'PY'
import re, sys
after = [int(m.group(2)) for m in re.finditer(r"(\d+)M->(\d+)M\(\d+M\)", open(sys.argv[1]).read())]
before = [int(m.group(1)) for m in re.finditer(r"(\d+)M->(\d+)M\(\d+M\)", open(sys.argv[1]).read())]
print(f"gc: {len(after)} collections; peak heap after GC {max(after)} MiB; peak heap before GC {max(before)} MiB")
PY
"$JAVA" -cp loadtest/target/benchmarks.jar io.stepstream.loadtest.LoadTest \
  --endpoint "http://127.0.0.1:$PORT" --data-dir "$DATA" --mode express-sync --rate max --connections 64 \
  --warmup 5s --duration 20s --baseline 0s 2>&1 | grep -E "completed|rate|/s" | head -8
