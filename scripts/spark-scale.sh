#!/usr/bin/env bash
# Scale measurement of the Spark job (not run by CI): N generated articles (corroborate-bench
# gen, default 100,000) as JSON Lines in 32 files, through the single-process CLI and through a
# two-worker standalone cluster on 127.0.0.1 (one core and EXECUTOR_MEMORY each), release builds.
# Prints wall time, peak memory (CLI; each executor's process tree, JVM and Python, sampled every
# second; the driver), shuffle bytes per article (from Spark's event log), and the comparison of
# the two outputs (scripts/spark_compare.py).
#   scripts/spark-scale.sh [N]
# Environment: CORROBORATE_VENV (default target/python-venv), EXECUTOR_MEMORY (default 3g),
# DRIVER_MEMORY (default 4g), KEEP=1 keeps the temporary folder (under target/).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
venv=${CORROBORATE_VENV:-target/python-venv}
target=${CARGO_TARGET_DIR:-target}
py="$PWD/$venv/bin/python"
pip=("$py" -m pip --disable-pip-version-check -q)
"${pip[@]}" install 'pyspark>=3.5,<4.1' 'maturin>=1.9,<2' 'pyarrow>=14' 'pandas>=2'
PATH="$PWD/$venv/bin:$PATH" MATURIN_PEP517_ARGS="--profile release --locked" \
  nice -n 10 "${pip[@]}" install --no-build-isolation --no-deps --force-reinstall ./python
nice -n 10 cargo build -q --release --locked -p corroborate-cli -p corroborate-bench
cli="$PWD/$target/release/corroborate"
tmp="$(mktemp -d -p "$PWD/$target" spark-scale.XXXX)"
export SPARK_HOME
SPARK_HOME="$("$py" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
export SPARK_LOG_DIR="$tmp/logs" SPARK_PID_DIR="$tmp/pids" SPARK_IDENT_STRING="corroborate-scale-$$"
export SPARK_LOCAL_IP=127.0.0.1 SPARK_CONF_DIR="$tmp/conf" PYSPARK_PYTHON="$py" PYSPARK_DRIVER_PYTHON="$py"
mkdir -p "$SPARK_CONF_DIR" "$tmp/events"
free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
master_port=$(free_port) master_ui=$(free_port)
master="spark://127.0.0.1:$master_port"
daemon="$SPARK_HOME/sbin/spark-daemon.sh"
MASTER=org.apache.spark.deploy.master.Master WORKER=org.apache.spark.deploy.worker.Worker
pid_of() { cat "$SPARK_PID_DIR/spark-$SPARK_IDENT_STRING-$1-$2.pid" 2>/dev/null || true; }
kill_tree() {
  local pid=$1 child
  for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do kill_tree "$child"; done
  kill -9 "$pid" 2>/dev/null || true
}
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null
  for i in 1 2; do local pid; pid=$(pid_of "$WORKER" "$i"); [ -n "$pid" ] && kill_tree "$pid"; done
  local pid; pid=$(pid_of "$MASTER" 1); [ -n "$pid" ] && kill_tree "$pid"
  if [ "${KEEP:-}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

echo "$(date -u '+%F %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
"$target/release/corroborate-bench" gen --articles "$n" --out "$tmp/gen" >/dev/null
"$py" scripts/spark_corpus.py "$tmp/gen" "$tmp/corpus" --files 32
rm -rf "$tmp/gen" "$tmp/corpus/parquet"
echo "corpus: $n articles, $(du -sm "$tmp/corpus/jsonl" | cut -f1) MB of JSON Lines in 32 files"

/usr/bin/time -f "%e %M %U %S" -o "$tmp/cli.time" \
  nice -n 10 "$cli" analyze "$tmp/corpus/jsonl" -j 2 -f jsonl -q -o "$tmp/cli.jsonl"
read -r wall rss user sys <"$tmp/cli.time"
echo "CLI (2 threads): wall $wall s, CPU $(echo "$user + $sys" | bc) s, peak $((rss / 1024)) MB, load $(cut -d' ' -f1-3 /proc/loadavg)"

"$daemon" start "$MASTER" 1 --host 127.0.0.1 --port "$master_port" --webui-port "$master_ui" >/dev/null
for i in 1 2; do
  mkdir -p "$tmp/work$i"
  "$daemon" start "$WORKER" "$i" --host 127.0.0.1 --cores 1 --memory "${EXECUTOR_MEMORY:-3g}" \
    --port "$(free_port)" --webui-port "$(free_port)" --work-dir "$tmp/work$i" "$master" >/dev/null
done
sleep 8
# Peak resident memory of each worker's children (its executor JVM and Python workers).
(
  declare -A peak
  while true; do
    for i in 1 2; do
      w=$(pid_of "$WORKER" "$i"); [ -n "$w" ] || continue
      total=0
      for p in $(ps -o pid= --ppid "$w"); do
        for q in $p $(ps -o pid= --ppid "$p"); do
          r=$(ps -o rss= -p "$q" 2>/dev/null || echo 0); total=$((total + ${r:-0}))
        done
      done
      [ "$total" -gt "${peak[$i]:-0}" ] && peak[$i]=$total && echo "$i $total" >>"$tmp/executor-rss"
    done
    sleep 1
  done
) &
sampler=$!
job="$("$py" -c 'import corroborate.spark as s; print(s.__file__)')"
/usr/bin/time -f "%e %M" -o "$tmp/spark.time" nice -n 10 "$SPARK_HOME/bin/spark-submit" --master "$master" \
  --driver-memory "${DRIVER_MEMORY:-4g}" --conf spark.executor.memory="${EXECUTOR_MEMORY:-3g}" \
  --conf spark.executor.cores=1 --conf spark.sql.shuffle.partitions=64 --conf spark.default.parallelism=64 \
  --conf spark.sql.execution.arrow.pyspark.enabled=true --conf spark.driver.maxResultSize=4g \
  --conf spark.eventLog.enabled=true --conf spark.eventLog.compress=false --conf spark.eventLog.dir="file://$tmp/events" \
  --conf spark.pyspark.python="$py" "$job" --out "$tmp/spark-out" --files-per-task 1 "$tmp/corpus/jsonl" \
  >"$tmp/spark.out" 2>"$tmp/spark.err" || { tail -40 "$tmp/spark.err"; exit 1; }
kill "$sampler" 2>/dev/null; sampler=""
read -r wall rss <"$tmp/spark.time"
echo "Spark (2 workers x 1 core): wall $wall s, driver peak (largest process) $((rss / 1024)) MB, load $(cut -d' ' -f1-3 /proc/loadavg)"
for i in 1 2; do
  echo "  executor on worker $i: peak $(( $(awk -v i="$i" '$1 == i { if ($2 > m) m = $2 } END { print m + 0 }' "$tmp/executor-rss") / 1024 )) MB (JVM + Python)"
done
"$py" - "$tmp/events" "$n" <<'EOF'
import glob, json, sys
written = read = run_ms = cpu_ns = 0
for path in glob.glob(sys.argv[1] + "/**/*", recursive=True):
    if not path.split("/")[-1].startswith("events_"):
        continue
    with open(path) as f:
        for line in f:
            e = json.loads(line)
            if e.get("Event") == "SparkListenerTaskEnd":
                m = e.get("Task Metrics") or {}
                written += m.get("Shuffle Write Metrics", {}).get("Shuffle Bytes Written", 0)
                r = m.get("Shuffle Read Metrics", {})
                read += r.get("Remote Bytes Read", 0) + r.get("Local Bytes Read", 0)
                run_ms += m.get("Executor Run Time", 0)
                cpu_ns += m.get("Executor CPU Time", 0)
n = int(sys.argv[2])
print(f"  shuffle: {written / 1e6:.0f} MB written ({written / n / 1e3:.1f} KB per article), {read / 1e6:.0f} MB read")
print(f"  task time: {run_ms / 1e3:.0f} s in all ({run_ms / n:.2f} ms per article; executor JVM CPU {cpu_ns / 1e9:.0f} s, Python not counted)")
EOF
"$py" scripts/spark_compare.py "$tmp/cli.jsonl" "$tmp/spark-out" || true
