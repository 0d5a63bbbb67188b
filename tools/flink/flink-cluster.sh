#!/usr/bin/env bash
# A standalone Flink 2.2 cluster on this machine (loopback only), for trying the job jar the
# way it is deployed: a JobManager and TaskManager JVMs, and Flink's own CLI against them.
#
#   tools/flink/flink-cluster.sh start [taskmanagers [slots]]   default: 1 TaskManager, 2 slots
#   tools/flink/flink-cluster.sh run <flink run args...>        'flink run', e.g.
#       tools/flink/flink-cluster.sh run -d -p 2 jobs/target/stateweave-jobs-0.1.0-SNAPSHOT.jar \
#           --module "$PWD/module.yaml"
#   tools/flink/flink-cluster.sh flink <flink CLI args...>      any other action, e.g.
#       tools/flink/flink-cluster.sh flink list
#       tools/flink/flink-cluster.sh flink stop --savepointPath "$PWD/.flink-local/sp" <job id>
#   tools/flink/flink-cluster.sh stop
#
# Everything lives in <repo>/.flink-local: conf/ (generated), log/ (*.log, and *.out with the
# stdout of jobs), checkpoints/, savepoints/. The configuration is written by the same Java
# launcher the end-to-end tests use (io.stateweave.testinfra.flink.FlinkCluster), from
# tools/flink/src/conf/config.yaml. The first start builds tools/flink and test-infra.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$ROOT/.flink-local"
CLASSES="$ROOT/test-infra/target/classes"
CLASSPATH_FILE="$ROOT/test-infra/target/launcher.classpath"

usage() {
  sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

ensure_built() {
  if [[ ! -d "$ROOT/tools/flink/target/flink/lib" || ! -d "$CLASSES/io/stateweave/testinfra/flink" \
        || ! -s "$CLASSPATH_FILE" ]]; then
    echo "Building the Flink distribution and the launcher (mvn -pl tools/flink,test-infra -am package)..." >&2
    # build-classpath writes each module's target/launcher.classpath; test-infra's is the launcher's
    (cd "$ROOT" && mvn -B -q -pl tools/flink,test-infra -am package -DskipTests \
        dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/launcher.classpath)
  fi
}

launcher() {
  java -Dstateweave.root="$ROOT" -cp "$CLASSES:$(cat "$CLASSPATH_FILE")" \
    io.stateweave.testinfra.flink.FlinkCluster "$@"
}

running() {
  [[ -f "$WORK/cluster.pids" ]] || return 1
  local name pid
  while read -r name pid; do
    kill -0 "$pid" 2>/dev/null && return 0
  done < "$WORK/cluster.pids"
  return 1
}

[[ $# -ge 1 ]] || usage
command="$1"
shift
case "$command" in
  start)
    if running; then
      echo "A cluster is already running in $WORK (pids in cluster.pids); stop it first." >&2
      exit 1
    fi
    ensure_built
    launcher start "$WORK" "${1:-1}" "${2:-2}"
    ;;
  stop)
    ensure_built
    launcher stop "$WORK"
    ;;
  run | flink)
    if ! running; then
      echo "No cluster running in $WORK: start one with $0 start" >&2
      exit 1
    fi
    ensure_built
    if [[ "$command" == run ]]; then
      set -- run "$@"
    fi
    launcher run "$WORK" "$@"
    ;;
  *)
    usage
    ;;
esac
