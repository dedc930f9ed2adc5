#!/bin/sh
# Starts one combined KRaft broker and controller from the Kafka broker inside stepstream.jar.
# Environment: KAFKA_NODE_ID (1..n), KAFKA_CLUSTER_ID (the same 22-character base64 UUID on every
# node), KAFKA_VOTERS (id@host:9093,...), KAFKA_ADVERTISED_HOST (this node's name for clients), and
# optionally KAFKA_REPLICATION (default 3) and KAFKA_HEAP (default 1g). Storage: /var/lib/stepstream/kafka.
set -eu
: "${KAFKA_NODE_ID:?}" "${KAFKA_CLUSTER_ID:?}" "${KAFKA_VOTERS:?}" "${KAFKA_ADVERTISED_HOST:?}"
REPLICATION="${KAFKA_REPLICATION:-3}"
MIN_ISR=$(( REPLICATION >= 3 ? 2 : 1 ))
DATA=/var/lib/stepstream/kafka
CONFIG=/tmp/server.properties
JAR=/opt/stepstream/stepstream.jar
mkdir -p "$DATA"
cat > "$CONFIG" <<PROPERTIES
process.roles=broker,controller
node.id=${KAFKA_NODE_ID}
controller.quorum.voters=${KAFKA_VOTERS}
listeners=PLAINTEXT://:9092,CONTROLLER://:9093
advertised.listeners=PLAINTEXT://${KAFKA_ADVERTISED_HOST}:9092
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=${DATA}
default.replication.factor=${REPLICATION}
min.insync.replicas=${MIN_ISR}
offsets.topic.replication.factor=${REPLICATION}
transaction.state.log.replication.factor=${REPLICATION}
transaction.state.log.min.isr=${MIN_ISR}
share.coordinator.state.topic.replication.factor=${REPLICATION}
share.coordinator.state.topic.min.isr=${MIN_ISR}
auto.create.topics.enable=false
# Abort timed-out transactions within a second (Kafka checks every 10 s by default): the fallback when
# no Stepstream instance is left to fence a dead one's transactions (docs/operations.md, Kafka).
transaction.abort.timed.out.transaction.cleanup.interval.ms=1000
PROPERTIES
java -cp "$JAR" kafka.tools.StorageTool format --cluster-id "$KAFKA_CLUSTER_ID" --config "$CONFIG" --ignore-formatted
exec java "-Xmx${KAFKA_HEAP:-1g}" -cp "$JAR" kafka.Kafka "$CONFIG"
