#!/usr/bin/env bash
# Starts one KRaft broker and three Stepstream processes on 127.0.0.1, as separate processes: two
# with every role (API on 9101, 9102) and one gateway alone (9103). Pids in $CLUSTER_DIR/*.pid; stop
# with: kill $(cat $CLUSTER_DIR/*.pid). Build first: ./mvnw -q -pl server -am package -DskipTests
set -euo pipefail
JAR=${JAR:-server/target/stepstream.jar}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
K=${CLUSTER_DIR:-/tmp/stepstream-cluster}
# Processes of an earlier run would hold the ports and the files: stop them first.
for pid in $K/*.pid; do [[ -f $pid ]] && kill -9 "$(cat "$pid")" 2>/dev/null || true; done
sleep 1
rm -rf $K/logs $K/a $K/b $K/c $K/*.pid; mkdir -p $K/logs
cat > $K/server.properties <<P
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:19093
listeners=PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093
advertised.listeners=PLAINTEXT://127.0.0.1:19092
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$K/logs
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
P
$JAVA -cp $JAR kafka.tools.StorageTool format -t "$($JAVA -cp $JAR kafka.tools.StorageTool random-uuid)" -c $K/server.properties > $K/format.log 2>&1
$JAVA -cp $JAR kafka.Kafka $K/server.properties > $K/broker.log 2>&1 &
echo $! > $K/broker.pid
sleep 8
run() { $JAVA -jar $JAR run --no-throttling --bootstrap-servers 127.0.0.1:19092 --replication-factor 1 --partitions 4 --port $2 --state-dir $K/$1 --no-authentication ${3:+--roles $3} > $K/$1.log 2>&1 & echo $! > $K/$1.pid; }
run a 9101
for i in $(seq 1 120); do curl -sf http://127.0.0.1:9101/health >/dev/null && break; sleep 1; done
run b 9102
run c 9103 gateway
for p in 9102 9103; do for i in $(seq 1 120); do curl -sf http://127.0.0.1:$p/health >/dev/null && break; sleep 1; done; done
grep -h "ready" $K/a.log $K/b.log $K/c.log | cut -c1-220
