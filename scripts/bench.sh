#!/usr/bin/env bash
# Benchmark of the whole `corroborate analyze` pipeline on a generated corpus.
#   scripts/bench.sh [ARTICLES]        (default 10000)
# Generates a deterministic corpus of ~3 KB plain-text articles under .bench/, then reports:
#   - whole CLI runs (`analyze -f json`) on 1 thread and on all cores: wall time, articles/s,
#     MB/s and peak resident memory (from /usr/bin/time);
#   - in-process stage timings (corroborate-bench stages);
#   - for comparison, spaCy's rule-based sentence splitter on the same texts (no spaCy NER
#     model can be installed offline here), in a virtualenv under .bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
corpus=.bench/corpus-$n
bin=${CARGO_TARGET_DIR:-target}/release
cargo build --release -q -p corroborate-cli -p corroborate-bench
[ -d "$corpus" ] || "$bin"/corroborate-bench gen --articles "$n" --out "$corpus"
mb=$(du -sb "$corpus" | awk '{printf "%.1f", $1/1e6}')
cores=$(nproc)
echo "corpus: $n articles, $mb MB on disk, $cores cores, $(date -u +%F)"
printf '%-28s %9s %11s %8s %9s\n' "run" "seconds" "articles/s" "MB/s" "peak MB"
for threads in 1 "$cores"; do
  /usr/bin/time -f '%e %M' -o .bench/time.txt \
    "$bin"/corroborate analyze "$corpus" -j "$threads" -f json -o .bench/report.json
  read -r secs kb < .bench/time.txt
  awk -v t="$threads" -v s="$secs" -v kb="$kb" -v n="$n" -v mb="$mb" \
    'BEGIN { printf "%-28s %9.2f %11.0f %8.2f %9.0f\n", "analyze, " t " thread(s)", s, n/s, mb/s, kb/1024 }'
done
echo
"$bin"/corroborate-bench stages "$corpus"
echo
[ -x .bench/venv/bin/python ] || python3 -m venv .bench/venv
.bench/venv/bin/python -c 'import spacy' 2>/dev/null || .bench/venv/bin/pip install -q spacy
.bench/venv/bin/python scripts/bench_spacy.py "$corpus"
