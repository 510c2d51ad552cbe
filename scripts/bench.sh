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
# What a big knowledge base costs the whole run: the same one-thread analysis with the starter
# KB alone and with a generated 100,000-row KB merged over it (`--kb`), alternating, best of 3
# by CPU time (user + system), since single runs on a shared machine vary by 20 %.
kbfile=.bench/kb-100000.toml
[ -f "$kbfile" ] || cargo run --release -q -p corroborate-kb --example kb_bench -- 100000 --write "$kbfile"
best() { sort -n | head -1; }
: > .bench/kb-starter.txt
: > .bench/kb-big.txt
for _ in 1 2 3; do
  /usr/bin/time -f '%U %S %e %M' -o .bench/time.txt \
    "$bin"/corroborate analyze "$corpus" -j 1 -f json -o .bench/report.json
  awk '{ printf "%.2f %.2f %.0f\n", $1 + $2, $3, $4 / 1024 }' .bench/time.txt >> .bench/kb-starter.txt
  /usr/bin/time -f '%U %S %e %M' -o .bench/time.txt \
    "$bin"/corroborate analyze "$corpus" -j 1 -f json -o .bench/report.json --kb "$kbfile"
  awk '{ printf "%.2f %.2f %.0f\n", $1 + $2, $3, $4 / 1024 }' .bench/time.txt >> .bench/kb-big.txt
done
read -r cpu_s wall_s mem_s < <(best < .bench/kb-starter.txt)
read -r cpu_b wall_b mem_b < <(best < .bench/kb-big.txt)
printf '%-34s %9s %9s %9s\n' "knowledge base (1 thread, best of 3)" "CPU s" "wall s" "peak MB"
printf '%-34s %9.2f %9.2f %9.0f\n' "starter KB" "$cpu_s" "$wall_s" "$mem_s"
printf '%-34s %9.2f %9.2f %9.0f\n' "starter + 100,000-row KB" "$cpu_b" "$wall_b" "$mem_b"
awk -v a="$cpu_s" -v b="$cpu_b" 'BEGIN { printf "100,000-row KB adds %.1f %% CPU time\n", (b - a) / a * 100 }'
echo
[ -x .bench/venv/bin/python ] || python3 -m venv .bench/venv
.bench/venv/bin/python -c 'import spacy' 2>/dev/null || .bench/venv/bin/pip install -q spacy
.bench/venv/bin/python scripts/bench_spacy.py "$corpus"
