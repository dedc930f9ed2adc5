#!/usr/bin/env bash
# The chaos harness: starts 3 KRaft brokers and 2 Stepstream instances as processes on 127.0.0.1,
# starts 300 named STANDARD executions (3/s) through both gateways while kill -9 hits instance-2 (+60 s)
# and broker-3 (+75 s), and prints progress and a report (started, lost, duplicated, false not-found, side
# effects per idempotency key, time to recover). Exit code 0 when the run passes, 1 when not.
# Usage, from the repository root (options: --help; README: loadtest/README.md):
#   loadtest/run-chaos.sh [--executions 300] [--kill instance-2@60s,broker-3@75s] [--work-dir DIR] ...
# Build first: ./mvnw -q -pl server,loadtest -am package -DskipTests
set -euo pipefail
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
exec "$JAVA" -cp loadtest/target/benchmarks.jar io.stepstream.loadtest.chaos.ChaosRun \
  --classpath server/target/stepstream.jar --java "$JAVA" "$@"
