#!/usr/bin/env bash
# The Spark job (corroborate.spark) on a real standalone cluster: one master and two workers on
# 127.0.0.1 (scripts/spark-cluster.sh), stopped on exit.
# Checks that the job gives the CLI's report on
#   1. the example corpus (examples/articles, with its knowledge base): identical;
#   2. N generated articles (corroborate-bench gen) as JSON Lines in 4 files: identical;
#   3. the same articles as Parquet records: identical;
#   4. the JSON Lines run again, with one worker killed (SIGKILL, with its executor) while the
#      job runs: it completes, and its output is identical to the CLI's again.
#   scripts/spark-test.sh [N]        (default N=200)
# Environment: CORROBORATE_VENV (default target/python-venv, as scripts/python-test.sh),
# PROFILE (cargo profile of the extension when it must be built, default dev), KEEP=1 keeps
# the temporary folder. Without Java or pyspark it prints `skipped: …`.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-200}"
venv=${CORROBORATE_VENV:-target/python-venv}
profile=${PROFILE:-dev}
target=$(realpath -m "${CARGO_TARGET_DIR:-target}")
command -v java >/dev/null || { echo "skipped: no java on PATH (Spark needs Java 17)"; exit 0; }
command -v "${PYTHON:-python3}" >/dev/null || { echo "skipped: no python3"; exit 0; }
[ -x "$venv/bin/python" ] || "${PYTHON:-python3}" -m venv "$venv"
py="$PWD/$venv/bin/python"
pip=("$py" -m pip --disable-pip-version-check -q)
if ! "${pip[@]}" install 'pyspark>=3.5,<4.1' 'maturin>=1.9,<2' 'pyarrow>=14' 'pandas>=2'; then
  echo "skipped: pyspark could not be installed from PyPI"
  exit 0
fi
if ! "$py" -c 'import corroborate._native as n; n.story_parts' 2>/dev/null; then
  PATH="$PWD/$venv/bin:$PATH" MATURIN_PEP517_ARGS="--profile $profile --locked" \
    "${pip[@]}" install --no-build-isolation --no-deps --force-reinstall ./python
fi
cargo build -q --locked -p corroborate-cli -p corroborate-bench
cli="$target/debug/corroborate"
bench="$target/debug/corroborate-bench"

tmp="$(mktemp -d)"
# shellcheck source=scripts/spark-cluster.sh
source scripts/spark-cluster.sh
cleanup() {
  spark_cluster_stop
  if [ "${KEEP:-}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
spark_cluster_start "$py" "$tmp" 2g

job="$("$py" -c 'import corroborate.spark as s; print(s.__file__)')"
submit() {
  local log=$1; shift
  "$SPARK_HOME/bin/spark-submit" --master "$master" --driver-memory 1g \
    --conf spark.executor.memory=1g --conf spark.executor.cores=1 \
    --conf spark.sql.shuffle.partitions=4 --conf spark.default.parallelism=4 \
    --conf spark.sql.execution.arrow.pyspark.enabled=true \
    --conf spark.pyspark.python="$py" "$job" "$@" >"$log.out" 2>"$log.err"
}
compare() { "$py" scripts/spark_compare.py "$@"; }

# 1. The example corpus.
"$cli" analyze examples/articles --kb examples/kestrel-bay-kb.toml -f json --compact -q -o "$tmp/examples.json"
start=$(date +%s)
submit "$tmp/examples" --out "$tmp/examples-out" --kb examples/kestrel-bay-kb.toml --files-per-task 2 examples/articles \
  || { tail -50 "$tmp/examples.err" >&2; exit 1; }
echo "examples: Spark job $(( $(date +%s) - start )) s"
compare "$tmp/examples.json" "$tmp/examples-out" --exact

# 2. and 3. Generated articles as JSON Lines (4 files) and as Parquet.
"$bench" gen --articles "$n" --out "$tmp/gen" >/dev/null
"$py" scripts/spark_corpus.py "$tmp/gen" "$tmp/corpus" --files 4
"$cli" analyze "$tmp/corpus/jsonl" -f json --compact -q -o "$tmp/gen.json"
start=$(date +%s)
submit "$tmp/jsonl" --out "$tmp/jsonl-out" --files-per-task 1 "$tmp/corpus/jsonl" \
  || { tail -50 "$tmp/jsonl.err" >&2; exit 1; }
echo "generated ($n articles, JSON Lines): Spark job $(( $(date +%s) - start )) s"
compare "$tmp/gen.json" "$tmp/jsonl-out" --exact
start=$(date +%s)
submit "$tmp/parquet" --out "$tmp/parquet-out" "$tmp/corpus/parquet" \
  || { tail -50 "$tmp/parquet.err" >&2; exit 1; }
echo "generated ($n articles, Parquet): Spark job $(( $(date +%s) - start )) s"
compare "$tmp/gen.json" "$tmp/parquet-out" --exact

# 4. A worker killed while the job runs: once the per-article stage has begun writing.
start=$(date +%s)
submit "$tmp/killed" --out "$tmp/killed-out" --files-per-task 1 "$tmp/corpus/jsonl" &
job_pid=$!
for _ in $(seq 600); do
  [ -d "$tmp/killed-out/_work/analyses/_temporary" ] && break
  kill -0 "$job_pid" 2>/dev/null || break
  sleep 0.2
done
victim=$(worker_pid 2)
kill -0 "$job_pid" 2>/dev/null || { echo "FAIL: the job ended before a worker could be killed" >&2; exit 1; }
kill_tree "$victim"
echo "killed worker 2 (pid $victim) and its executor $(( $(date +%s) - start )) s into the job"
wait "$job_pid" || { tail -50 "$tmp/killed.err" >&2; exit 1; }
grep -Eq "Lost executor|Executor .* removed|ExecutorLost|worker lost|Removed executor" "$tmp/killed.err" \
  || { echo "FAIL: the driver log does not show the lost executor" >&2; exit 1; }
echo "generated ($n articles) with a worker killed: Spark job $(( $(date +%s) - start )) s, on $(alive_workers) worker"
compare "$tmp/gen.json" "$tmp/killed-out" --exact
echo "spark-test: ok"
