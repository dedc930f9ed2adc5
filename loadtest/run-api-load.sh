#!/usr/bin/env bash
# Starts a fresh dev server (new data directory), waits for GET /health, runs the load generator
# with the given arguments against it, and stops the server. Usage, from the repository root:
#   loadtest/run-api-load.sh [--port P] -- --mode express-sync --rate 1000 --duration 30s
# DEV_OPTS are added to the server's options (--example-handlers for --workflow three-tasks).
# Build first: ./mvnw -q -pl server,loadtest -am package -DskipTests
set -euo pipefail
source "$(dirname "$0")/dev-server.sh"
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
PORT=8083
if [[ "${1:-}" == "--port" ]]; then PORT=$2; shift 2; fi
[[ "${1:-}" == "--" ]] && shift
DATA=$(mktemp -d /tmp/stepstream-load.XXXXXX)
"$JAVA" ${SERVER_OPTS:-} -jar server/target/stepstream.jar dev --no-throttling ${DEV_OPTS:-} --port "$PORT" --data-dir "$DATA" >"$DATA.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
# A run stopped by a signal (timeout, Ctrl-C) cleans up too: a loaded server leaves gigabytes behind.
trap 'exit 130' INT TERM
await_health "$PORT" "$SERVER" "$DATA.log"
echo "server pid $SERVER, data $DATA, log $DATA.log"
"$JAVA" -cp loadtest/target/benchmarks.jar io.stepstream.loadtest.LoadTest \
  --endpoint "http://127.0.0.1:$PORT" --data-dir "$DATA" "$@"
