#!/usr/bin/env bash
# A local Kafka broker (Kafka 4, KRaft, one node, 127.0.0.1 only) for running Stateweave jobs by
# hand. It runs from the jars tools/kafka collects from Maven Central, configured by the same
# Java class as the tests' brokers (io.stateweave.testinfra.kafka.KafkaBroker): no config here.
#
#   tools/kafka/kafka.sh start [PORT]   start in the background (default port 9092)
#   tools/kafka/kafka.sh stop           stop it
#   tools/kafka/kafka.sh status         say whether it runs, and where
#   tools/kafka/kafka.sh topics list | create TOPIC [PARTITIONS] | delete TOPIC
#   tools/kafka/kafka.sh produce TOPIC [TYPE]       stdin lines <key><TAB><value> as records
#   tools/kafka/kafka.sh consume TOPIC [TYPE] [N]   print committed records as <key><TAB><value>
#
# Topics are not created automatically. produce and consume write and read values as StateFun's
# TYPE (default io.statefun.types/string; also int, long, float, double, bool), as Stateweave's
# Kafka ingresses and egresses do; the key is the address id. consume reads from the beginning,
# only committed records, and stops after N records or 30 s without one when N is given. These
# commands talk to the broker started here, or to KAFKA_BOOTSTRAP=host:port when set.
#
# Data, configuration, broker.log and broker.pid live in <repo>/.kafka-local; topics survive a
# stop and start. Delete that folder (broker stopped) for a fresh broker.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="$ROOT/.kafka-local"
LIBS="$ROOT/tools/kafka/target/kafka-libs"
CLASSES="$ROOT/test-infra/target/classes"
PID_FILE="$DIR/broker.pid"
BOOTSTRAP_FILE="$DIR/bootstrap.servers"
LAUNCHER=io.stateweave.testinfra.kafka.KafkaBroker

die() {
  echo "kafka.sh: $*" >&2
  exit 1
}

usage() {
  sed -n '6,11p' "${BASH_SOURCE[0]}" | sed 's/^#   //' >&2
  exit 2
}

# Prints the broker's pid if the pid file names a live broker of this folder.
running_pid() {
  [[ -f $PID_FILE ]] || return 1
  local pid
  pid="$(<"$PID_FILE")"
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  # a pid can be reused after a crash or reboot: only a Kafka broker using our folder counts
  local cmdline
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ $cmdline == *kafka.Kafka* && $cmdline == *"$DIR/server.properties"* ]] || return 1
  echo "$pid"
}

port_answers() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

build_if_missing() {
  if compgen -G "$LIBS/kafka-tools-[0-9]*.jar" >/dev/null && [[ -f $CLASSES/${LAUNCHER//.//}.class ]]; then
    return
  fi
  echo "Building the Kafka broker's jars and the launcher (mvn -pl tools/kafka,test-infra -am package)..." >&2
  (cd "$ROOT" && mvn -B -q -Dstyle.color=never -pl tools/kafka,test-infra -am package -DskipTests) \
    || die "the Maven build failed; run it without -q to see why"
}

start() {
  local port="${1:-9092}"
  [[ $port =~ ^[0-9]+$ ]] && ((port >= 1 && port <= 65535)) \
    || die "port must be a number in 1..65535, was: $port"
  local pid
  if pid="$(running_pid)"; then
    echo "Kafka broker already running at $(<"$BOOTSTRAP_FILE") (pid $pid)"
    return
  fi
  port_answers "$port" && die "port $port on 127.0.0.1 is already taken by another process"
  build_if_missing
  mkdir -p "$DIR"
  # its own session, so that closing this terminal or Ctrl-C here does not reach the broker;
  # the launcher waits until the broker answers clients, then leaves it running
  setsid --wait java -Dstateweave.root="$ROOT" -cp "$CLASSES:$LIBS/*" "$LAUNCHER" \
    --dir "$DIR" --port "$port" --detach >/dev/null \
    || die "the Kafka broker did not start; see $DIR/broker.log"
  local waited=0
  until port_answers "$port"; do
    ((waited++ < 100)) || die "the broker started but 127.0.0.1:$port does not answer; see $DIR/broker.log"
    sleep 0.1
  done
  echo "Kafka broker running at 127.0.0.1:$port (pid $(<"$PID_FILE"); log $DIR/broker.log)"
  echo "bootstrap.servers=127.0.0.1:$port"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    echo "Kafka broker is not running"
    return
  fi
  kill -TERM "$pid"
  # a clean shutdown takes a few seconds; then it is killed
  local waited=0
  while kill -0 "$pid" 2>/dev/null && ((waited++ < 300)); do
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "Kafka broker (pid $pid) did not stop within 30 s; killing it" >&2
    kill -KILL "$pid"
  fi
  rm -f "$PID_FILE"
  echo "Kafka broker stopped"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    echo "Kafka broker running at $(<"$BOOTSTRAP_FILE") (pid $pid; log $DIR/broker.log)"
  else
    echo "Kafka broker is not running"
    exit 3
  fi
}

# The broker the tools talk to: KAFKA_BOOTSTRAP, or the one started here.
bootstrap() {
  if [[ -n ${KAFKA_BOOTSTRAP:-} ]]; then
    echo "$KAFKA_BOOTSTRAP"
  elif running_pid >/dev/null; then
    cat "$BOOTSTRAP_FILE"
  else
    die "no broker: start one with '$0 start', or set KAFKA_BOOTSTRAP=host:port"
  fi
}

# Runs one of Kafka's command-line tools, quiet but for errors.
kafka_tool() {
  local tool="$1"
  shift
  build_if_missing
  java -Dlog4j2.level=ERROR -cp "$CLASSES:$LIBS/*" "$tool" "$@"
}

topics() {
  local servers
  servers="$(bootstrap)"
  case "${1:-}" in
    list) [[ $# -eq 1 ]] || usage
      kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$servers" --list ;;
    create) [[ $# -ge 2 && $# -le 3 ]] || usage
      kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$servers" --create \
        --topic "$2" --partitions "${3:-1}" --replication-factor 1 ;;
    delete) [[ $# -eq 2 ]] || usage
      kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$servers" --delete --topic "$2" ;;
    *) usage ;;
  esac
}

# Fails naming the topic when the broker does not have it: the console producer would wait a minute
# for it, then end without an error.
require_topic() {
  kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$1" --describe --topic "$2" \
    >/dev/null 2>&1 || die "topic $2 does not exist at $1: create it with '$0 topics create $2'"
}

produce() {
  [[ $# -ge 1 && $# -le 2 ]] || usage
  local servers
  servers="$(bootstrap)"
  require_topic "$servers" "$1"
  kafka_tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server "$servers" \
    --topic "$1" --line-reader io.stateweave.testinfra.kafka.TypedValueReader \
    --reader-property "value.type=${2:-io.statefun.types/string}"
}

consume() {
  [[ $# -ge 1 && $# -le 3 ]] || usage
  local topic="$1" type="${2:-io.statefun.types/string}" count="${3:-}"
  if [[ $# -eq 2 && $2 =~ ^[0-9]+$ ]]; then
    type=io.statefun.types/string
    count="$2"
  fi
  local limit=()
  if [[ -n $count ]]; then
    [[ $count =~ ^[0-9]+$ ]] || die "N must be a number, was: $count"
    limit=(--max-messages "$count" --timeout-ms 30000)
  fi
  local servers
  servers="$(bootstrap)"
  require_topic "$servers" "$topic"
  kafka_tool org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$servers" \
    --topic "$topic" --from-beginning --isolation-level read_committed \
    --formatter io.stateweave.testinfra.kafka.TypedValueFormatter \
    --formatter-property "value.type=$type" "${limit[@]}"
}

case "${1:-}" in
  start) shift; [[ $# -le 1 ]] || usage; start "$@" ;;
  stop) [[ $# -eq 1 ]] || usage; stop ;;
  status) [[ $# -eq 1 ]] || usage; status ;;
  topics) shift; topics "$@" ;;
  produce) shift; produce "$@" ;;
  consume) shift; consume "$@" ;;
  *) usage ;;
esac
