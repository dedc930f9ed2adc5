#!/usr/bin/env bash
# The server CPU time one request costs, for comparing two builds on a machine whose speed moves:
# starts a fresh dev server, creates the 5-state EXPRESS workflow, drives one action with wrk for a
# warm-up, then measures ROUNDS runs, each followed by a GET /health run, from the server's
# process_cpu_time_ns_total metric. Usage, from the repository root:
#   loadtest/cpu-per-request.sh [--port P] [--jar JAR] [--action StartSyncExecution|StartExecution]
#                               [--warmup SECONDS] [--seconds SECONDS] [--rounds N]
# Needs wrk on PATH. Build first: ./mvnw -q -pl server,loadtest -am package -DskipTests
set -euo pipefail
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
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true; rm -rf "$DATA" "$DATA.log"' EXIT
trap 'exit 130' INT TERM
ENDPOINT=http://127.0.0.1:$PORT
for _ in $(seq 1 120); do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "$ENDPOINT/health" || true)" == 200 ]] && break
  kill -0 $SERVER 2>/dev/null || { echo "server did not start:" >&2; tail -20 "$DATA.log" >&2; exit 1; }
  sleep 0.5
done
"$JAVA" -cp loadtest/target/benchmarks.jar io.stepstream.loadtest.api.WrkScript "$ENDPOINT" "$ACTION" >"$DATA/request.lua"

cpu() { curl -s "$ENDPOINT/metrics" | awk '/^process_cpu_time_ns_total /{printf "%.0f", $2}'; }
# One wrk run; prints its rate and the server's CPU microseconds per request.
measure() {
  local before after output requests
  before=$(cpu)
  output=$(wrk -t2 -c64 -d"$1"s "${@:2}")
  after=$(cpu)
  requests=$(awk '/ requests in /{print $1}' <<<"$output")
  awk -v b="$before" -v a="$after" -v n="$requests" -v r="$(awk '/Requests\/sec/{print $2}' <<<"$output")" \
    'BEGIN {printf "%10.1f/s  server CPU %6.1f us/request\n", r, (a - b) / 1000 / n}'
}
echo "warm-up: $WARMUP s of $ACTION"
wrk -t2 -c64 -d"$WARMUP"s -s "$DATA/request.lua" "$ENDPOINT/" >/dev/null
for round in $(seq 1 "$ROUNDS"); do
  echo "$ACTION $(measure "$SECONDS_EACH" -s "$DATA/request.lua" "$ENDPOINT/")"
  echo "GET /health $(measure "$SECONDS_EACH" "$ENDPOINT/health")"
done
