#!/usr/bin/env bash
# Python overhead: `corroborate.analyze()` from Python against the CLI on the bench corpus.
#   scripts/python-bench.sh [ARTICLES] [RUNS]      (defaults 10000 and 3; THREADS="1 2" to choose)
# Generates the corpus of scripts/bench.sh (.bench/corpus-N), builds the release CLI and the
# package (release profile, into the venv of scripts/python-test.sh), then times whole
# processes under /usr/bin/time, alternating, best of RUNS by wall time, on 1 thread and on
# all cores:
#   cli          corroborate analyze CORPUS -j T -f json -o report.json
#   python+json  corroborate.analyze([CORPUS], threads=T).to_json(path)   (the same work)
#   python       corroborate.analyze([CORPUS], threads=T)                  (no report written)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
runs=${2:-3}
corpus=.bench/corpus-$n
venv=${CORROBORATE_VENV:-target/python-venv}
bin=${CARGO_TARGET_DIR:-target}/release
# NO_BUILD=1 times the binaries and the installed package as they are.
[ -n "${NO_BUILD:-}" ] || cargo build --release -q --locked -p corroborate-cli -p corroborate-bench
[ -d "$corpus" ] || "$bin"/corroborate-bench gen --articles "$n" --out "$corpus"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
pip=("$venv/bin/python" -m pip --disable-pip-version-check -q)
if [ -z "${NO_BUILD:-}" ]; then
  "${pip[@]}" install 'maturin>=1.9,<2'
  PATH="$PWD/$venv/bin:$PATH" MATURIN_PEP517_ARGS="--profile release --locked" \
    "${pip[@]}" install --no-build-isolation --no-deps --force-reinstall ./python
fi
py="$venv/bin/python"
echo "corpus: $n articles, $(du -sb "$corpus" | awk '{printf "%.1f", $1/1e6}') MB, $(nproc) cores," \
  "load $(cut -d' ' -f1 /proc/loadavg), $(date -u '+%F %H:%M') UTC"
run() { # name threads command...
  local name=$1 threads=$2
  shift 2
  /usr/bin/time -f '%e %U %S %M' -o .bench/py-time.txt "$@" >/dev/null
  read -r wall user sys kb < .bench/py-time.txt
  echo "$name $threads $wall $(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}') $((kb / 1024))" >> .bench/py-runs.txt
}
: > .bench/py-runs.txt
for threads in ${THREADS:-1 $(nproc)}; do
  for _ in $(seq "$runs"); do
    run cli "$threads" "$bin"/corroborate analyze "$corpus" -j "$threads" -f json -o .bench/cli-report.json -q
    run python+json "$threads" "$py" -c 'import corroborate, sys
corroborate.analyze([sys.argv[1]], threads=int(sys.argv[2])).to_json(sys.argv[3])' \
      "$corpus" "$threads" .bench/py-report.json
    run python "$threads" "$py" -c 'import corroborate, sys
corroborate.analyze([sys.argv[1]], threads=int(sys.argv[2]))' "$corpus" "$threads"
  done
done
# The same report apart from the time of the run.
"$py" - .bench/cli-report.json .bench/py-report.json <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for r in (a, b):
    r["provenance"].pop("generated_at")
print("python report == CLI report:", a == b)
PY
printf '%-12s %7s %12s %8s %8s %14s %s\n' run threads "best wall s" "CPU s" "peak MB" "vs cli (wall)" "vs cli (CPU)"
sort -k1,1 -k2,2n -k3,3n .bench/py-runs.txt | awk '!seen[$1" "$2]++' > .bench/py-best.txt
awk 'NR==FNR { if ($1 == "cli") { cli[$2] = $3; cpu[$2] = $4 }; next }
     { printf "%-12s %7s %12.2f %8.2f %8d %+13.1f%% %+11.1f%%\n", $1, $2, $3, $4, $5,
       ($3 / cli[$2] - 1) * 100, ($4 / cpu[$2] - 1) * 100 }' \
  .bench/py-best.txt .bench/py-best.txt
