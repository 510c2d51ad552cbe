# Sourced by scripts/spark-test.sh and scripts/spark-scale.sh: a Spark standalone cluster on
# 127.0.0.1, one master and two workers of one core each, started with Spark's own daemon
# script from the venv's pyspark package and stopped with SIGKILL to each process tree.
#   spark_cluster_start PYTHON DIR MEMORY
#       starts the cluster (logs, pids and configuration under DIR, MEMORY per worker) and waits
#       until both workers have registered; sets and exports SPARK_HOME and the environment the
#       job needs (PYSPARK_PYTHON=PYTHON), and sets `master` (spark://…) and `master_ui` (port)
#   spark_cluster_stop        stops the workers and the master
#   worker_pid I              the pid of worker I (1 or 2)
#   alive_workers             how many workers the master sees alive
#   kill_tree PID             SIGKILL to PID and everything it started (a worker, its executor
#                             JVM and that executor's Python workers)

spark_cluster_start() {
  local py=$1 dir=$2 memory=$3 i
  spark_py=$py
  SPARK_HOME="$("$py" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
  export SPARK_HOME SPARK_LOG_DIR="$dir/logs" SPARK_PID_DIR="$dir/pids" SPARK_CONF_DIR="$dir/conf"
  export SPARK_IDENT_STRING="corroborate-$$" SPARK_LOCAL_IP=127.0.0.1
  export PYSPARK_PYTHON="$py" PYSPARK_DRIVER_PYTHON="$py"
  mkdir -p "$SPARK_CONF_DIR"
  local master_port; master_port=$(free_port)
  master_ui=$(free_port)
  master="spark://127.0.0.1:$master_port"
  "$SPARK_HOME/sbin/spark-daemon.sh" start org.apache.spark.deploy.master.Master 1 \
    --host 127.0.0.1 --port "$master_port" --webui-port "$master_ui" >/dev/null
  for i in 1 2; do
    mkdir -p "$dir/work$i"
    "$SPARK_HOME/sbin/spark-daemon.sh" start org.apache.spark.deploy.worker.Worker "$i" \
      --host 127.0.0.1 --cores 1 --memory "$memory" --port "$(free_port)" \
      --webui-port "$(free_port)" --work-dir "$dir/work$i" "$master" >/dev/null
  done
  for _ in $(seq 60); do [ "$(alive_workers)" = 2 ] && break; sleep 1; done
  if [ "$(alive_workers)" != 2 ]; then
    echo "FAIL: the two workers did not register with $master" >&2
    cat "$SPARK_LOG_DIR"/* >&2
    return 1
  fi
  echo "cluster: master $master, 2 workers of 1 core and $memory (Spark $("$py" -c 'import pyspark; print(pyspark.__version__)'))"
}

spark_cluster_stop() {
  local i pid
  [ -n "${SPARK_PID_DIR:-}" ] || return 0
  for i in 1 2; do
    pid=$(worker_pid "$i")
    [ -n "$pid" ] && kill_tree "$pid"
  done
  pid=$(daemon_pid org.apache.spark.deploy.master.Master 1)
  [ -n "$pid" ] && kill_tree "$pid"
  return 0
}

free_port() {
  "$spark_py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

daemon_pid() { cat "$SPARK_PID_DIR/spark-$SPARK_IDENT_STRING-$1-$2.pid" 2>/dev/null || true; }

worker_pid() { daemon_pid org.apache.spark.deploy.worker.Worker "$1"; }

kill_tree() {
  local pid=$1 child
  for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do kill_tree "$child"; done
  kill -9 "$pid" 2>/dev/null || true
}

alive_workers() {
  "$spark_py" - "$master_ui" <<'PY'
import json, sys, urllib.request
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/json/", timeout=2) as r:
        print(sum(1 for w in json.load(r)["workers"] if w["state"] == "ALIVE"))
except OSError:
    print(0)
PY
}
