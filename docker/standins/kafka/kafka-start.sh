#!/bin/bash
# KAFKA_FOO_BAR=x becomes foo.bar=x in server.properties (___ -> '-', __ -> '_'), as in the
# official image; CLUSTER_ID formats the log directory on first start.
set -euo pipefail
props=/opt/kafka/config/server.properties
: > "$props"
while IFS='=' read -r name value; do
  case "$name" in KAFKA_HEAP_OPTS|KAFKA_OPTS|KAFKA_JVM_PERFORMANCE_OPTS|KAFKA_LOG4J_OPTS|KAFKA_VERSION) continue ;; esac
  key=$(printf '%s' "${name#KAFKA_}" | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g' | tr '[:upper:]' '[:lower:]')
  printf '%s=%s\n' "$key" "$value" >> "$props"
done < <(env | grep '^KAFKA_')
grep -q '^log.dirs=' "$props" || echo "log.dirs=/var/lib/kafka/data" >> "$props"
CP="/opt/kafka/libs/*"
java -cp "$CP" kafka.tools.StorageTool format -t "${CLUSTER_ID:?CLUSTER_ID is required}" -c "$props" --ignore-formatted
# Warnings only, but for the official image's readiness line ("Transitioning from RECOVERY to
# RUNNING"), which Testcontainers' KafkaContainer waits for.
exec java ${KAFKA_HEAP_OPTS:--Xmx512m} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.org.apache.kafka.server.BrokerLifecycleManager=info -cp "$CP" kafka.Kafka "$props"
