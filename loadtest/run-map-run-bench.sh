#!/usr/bin/env bash
# Distributed Map at scale, in one run on one machine: starts a fresh dev server with a bounded heap
# and a GC log, places a JSONL object of N items in its buckets, runs one map run over it
# (map-run-bench.py), then measures EXPRESS StartSyncExecution on the same server (LoadTest) for the
# ratio, and reports the heap after each GC (the live set) at its peak. Usage, from the repository root:
#   loadtest/run-map-run-bench.sh [ITEMS] [HEAP]       e.g. loadtest/run-map-run-bench.sh 1000000 512m
# Build first: ./mvnw -q -pl server,loadtest -am package -DskipTests
set -euo pipefail
source "$(dirname "$0")/dev-server.sh"
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
"$JAVA" -Xmx"$HEAP" ${SERVER_OPTS:-} -Xlog:gc:file="$DATA/gc.log" -jar server/target/stepstream.jar dev --no-throttling --port "$PORT" \
  --data-dir "$DATA" >"$DATA.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
await_health "$PORT" "$SERVER" "$DATA.log"
# The live set: a full GC every 2 s while the map run goes (jcmd GC.run); a young GC's "after" also
# counts old-generation garbage that no concurrent cycle has collected yet, so it grows with run time.
JCMD=$(dirname "$JAVA")/jcmd
( while kill -0 $SERVER 2>/dev/null; do sleep 2; "$JCMD" $SERVER GC.run >/dev/null 2>&1 || true; done ) &
SAMPLER=$!
python3 loadtest/map-run-bench.py --endpoint "http://127.0.0.1:$PORT" --bucket bench --key items.jsonl \
  --items "$ITEMS"
kill $SAMPLER 2>/dev/null || true
# From lines like "[12.345s][info][gc] GC(7) Pause Full (System.gc()) 120M->35M(256M) 30.456ms".
python3 - "$DATA/gc.log" <<'PY'
import re, sys
log = open(sys.argv[1]).read()
full = [int(m.group(2)) for m in re.finditer(r"Pause Full.*? (\d+)M->(\d+)M\(\d+M\)", log)]
before = [int(m.group(1)) for m in re.finditer(r"(\d+)M->(\d+)M\(\d+M\)", log)]
print(f"gc: {len(full)} full GCs sampled; live set after full GC: peak {max(full)} MiB, last {full[-1]} MiB; "
      f"peak heap before any GC {max(before)} MiB")
PY
"$JAVA" -cp loadtest/target/benchmarks.jar io.stepstream.loadtest.LoadTest \
  --endpoint "http://127.0.0.1:$PORT" --data-dir "$DATA" --mode express-sync --rate max --connections 64 \
  --warmup 5s --duration 20s --baseline 0s 2>&1 | grep -E "completed|rate|/s" | head -8
