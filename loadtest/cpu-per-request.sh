#!/usr/bin/env bash
# The server CPU time one request costs, for comparing two builds on a machine whose speed moves:
# starts a fresh dev server and runs CpuPerRequest against it (the 5-state EXPRESS workflow, one action
# driven by wrk for a warm-up, then ROUNDS measured runs, each followed by a GET /health run, with the
# server's and wrk's CPU time per request as HealthRatio measures them). Usage, from the repository root:
#   loadtest/cpu-per-request.sh [--port P] [--jar JAR] [--action StartSyncExecution|StartExecution]
#                               [--warmup SECONDS] [--seconds SECONDS] [--rounds N]
# Needs wrk on PATH. Build first: ./mvnw -q -pl server,loadtest -am package -DskipTests
set -euo pipefail
source "$(dirname "$0")/dev-server.sh"
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
PORT=8097 JAR=server/target/stepstream.jar ACTION=StartSyncExecution WARMUP=30 SECONDS_EACH=15 ROUNDS=2
while [[ $# -gt 0 ]]; do
  case $1 in
    --port) PORT=$2 ;; --jar) JAR=$2 ;; --action) ACTION=$2 ;; --warmup) WARMUP=$2 ;;
    --seconds) SECONDS_EACH=$2 ;; --rounds) ROUNDS=$2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
DATA=$(mktemp -d /tmp/stepstream-cpu.XXXXXX)
"$JAVA" -jar "$JAR" dev --no-throttling --port "$PORT" --data-dir "$DATA" >"$DATA.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$DATA" "$DATA.log"' EXIT
trap 'exit 130' INT TERM
ENDPOINT=http://127.0.0.1:$PORT
await_health "$PORT" "$SERVER" "$DATA.log"
"$JAVA" -cp loadtest/target/benchmarks.jar io.stepstream.loadtest.api.CpuPerRequest "$ENDPOINT" "$ACTION" \
  "$WARMUP" "$SECONDS_EACH" "$ROUNDS"
