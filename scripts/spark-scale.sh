#!/usr/bin/env bash
# Scale measurement of the Spark job (not run by CI): N generated articles (corroborate-bench
# gen, default 100,000) as JSON Lines in 32 files, or the articles of FOLDER as they are,
# through the single-process CLI and through a two-worker standalone cluster on 127.0.0.1
# (scripts/spark-cluster.sh; one core and EXECUTOR_MEMORY each), release builds.
# Prints wall time, peak memory (CLI; each executor's process tree, JVM and Python, sampled every
# second; the driver), shuffle bytes per article and the stages with the most task time (from
# Spark's event log; scripts/spark_stages.py), and the comparison of the two outputs
# (scripts/spark_compare.py).
#   scripts/spark-scale.sh [N | FOLDER]
# Environment: CORROBORATE_VENV (default target/python-venv), EXECUTOR_MEMORY (default 3g),
# DRIVER_MEMORY (default 4g), FILES_PER_TASK (input files per task, default 1), KEEP=1 keeps
# the temporary folder (under target/).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
venv=${CORROBORATE_VENV:-target/python-venv}
target=$(realpath -m "${CARGO_TARGET_DIR:-target}")
py="$PWD/$venv/bin/python"
[ -x "$py" ] || "${PYTHON:-python3}" -m venv "$venv"
pip=("$py" -m pip --disable-pip-version-check -q)
"${pip[@]}" install 'pyspark>=3.5,<4.1' 'maturin>=1.9,<2' 'pyarrow>=14' 'pandas>=2'
PATH="$PWD/$venv/bin:$PATH" MATURIN_PEP517_ARGS="--profile release --locked" \
  nice -n 10 "${pip[@]}" install --no-build-isolation --no-deps --force-reinstall ./python
nice -n 10 cargo build -q --release --locked -p corroborate-cli -p corroborate-bench
cli="$target/release/corroborate"
tmp="$(mktemp -d -p "$target" spark-scale.XXXX)"
mkdir -p "$tmp/events"
# shellcheck source=scripts/spark-cluster.sh
source scripts/spark-cluster.sh
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null
  spark_cluster_stop
  if [ "${KEEP:-}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

echo "$(date -u '+%F %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
if [ -d "$n" ]; then
  corpus=$(realpath "$n")
  n=$(find "$corpus" -type f | wc -l)
  echo "corpus: $corpus, $n files, $(du -sm "$corpus" | cut -f1) MB"
else
  "$target/release/corroborate-bench" gen --articles "$n" --out "$tmp/gen" >/dev/null
  "$py" scripts/spark_corpus.py "$tmp/gen" "$tmp/corpus" --files 32
  rm -rf "$tmp/gen" "$tmp/corpus/parquet"
  corpus="$tmp/corpus/jsonl"
  echo "corpus: $n articles, $(du -sm "$corpus" | cut -f1) MB of JSON Lines in 32 files"
fi

/usr/bin/time -f "%e %M %U %S" -o "$tmp/cli.time" \
  nice -n 10 "$cli" analyze "$corpus" -j 2 -f jsonl -q -o "$tmp/cli.jsonl"
read -r wall rss user sys <"$tmp/cli.time"
echo "CLI (2 threads): wall $wall s, CPU $(echo "$user + $sys" | bc) s, peak $((rss / 1024)) MB, load $(cut -d' ' -f1-3 /proc/loadavg)"

spark_cluster_start "$py" "$tmp" "${EXECUTOR_MEMORY:-3g}"
# Peak resident memory of each worker's children (its executor JVM and Python workers).
(
  declare -A peak
  while true; do
    for i in 1 2; do
      w=$(worker_pid "$i"); [ -n "$w" ] || continue
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
  --conf spark.pyspark.python="$py" "$job" --out "$tmp/spark-out" --files-per-task "${FILES_PER_TASK:-1}" "$corpus" \
  >"$tmp/spark.out" 2>"$tmp/spark.err" || { tail -40 "$tmp/spark.err"; exit 1; }
kill "$sampler" 2>/dev/null; sampler=""
read -r wall rss <"$tmp/spark.time"
echo "Spark (2 workers x 1 core): wall $wall s, driver peak (largest process) $((rss / 1024)) MB, load $(cut -d' ' -f1-3 /proc/loadavg)"
grep -ho "corroborate.spark: .* parts.*" "$tmp/spark.out" "$tmp/spark.err" | sed 's/^/  /' || true
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
"$py" scripts/spark_stages.py "$tmp/events" 8
"$py" scripts/spark_compare.py "$tmp/cli.jsonl" "$tmp/spark-out" || true
