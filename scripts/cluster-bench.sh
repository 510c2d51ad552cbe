#!/usr/bin/env bash
# Story clustering and near-duplicate benchmark on generated corpora (10k, 100k, 1M articles).
#
#   scripts/cluster-bench.sh [SIZES...]      default: 10000 100000 1000000
#
# Builds release binaries, generates each corpus once (seed 42, 8 articles per story on
# average) under ${CLUSTER_BENCH_DIR:-/tmp/corroborate-cluster-bench}, then for each size runs
# the full batch clustering under /usr/bin/time -v (wall time, peak RSS) and the
# near-duplicate pass alone; each row notes the load average before its run (the machine is
# shared). On the 100k corpus it also times Python's datasketch MinHashLSH
# (pip install --user datasketch) with comparable parameters and prints the ratio.
# Binaries are taken from ${CARGO_TARGET_DIR:-target}.
# CLUSTER_BENCH_SKIP_BUILD=1 uses the release binaries already built.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("${@:-10000 100000 1000000}")
read -r -a SIZES <<< "${SIZES[*]}"
DIR=${CLUSTER_BENCH_DIR:-/tmp/corroborate-cluster-bench}
mkdir -p "$DIR"
[[ -n ${CLUSTER_BENCH_SKIP_BUILD:-} ]] || cargo build --release -q -p corroborate-cluster --bin corroborate-gen-corpus --example cluster_corpus
GEN=${CARGO_TARGET_DIR:-target}/release/corroborate-gen-corpus
RUN=${CARGO_TARGET_DIR:-target}/release/examples/cluster_corpus

rows=()
for n in "${SIZES[@]}"; do
  corpus="$DIR/gen-$n"
  if [[ ! -f "$corpus/truth.json" ]]; then
    "$GEN" --articles "$n" --seed 42 --out "$corpus"
  fi
  log="$DIR/run-$n.log"
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  /usr/bin/time -v "$RUN" "$corpus" > "$log" 2> "$log.time"
  wall=$(grep "Elapsed (wall clock)" "$log.time" | awk '{print $NF}')
  rss_kb=$(grep "Maximum resident set size" "$log.time" | awk '{print $NF}')
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.1f", s}' "$log.time")
  share=$(grep "Percent of CPU" "$log.time" | awk '{print $NF}')
  cat "$log"
  b3=$(grep -o 'B-cubed P [0-9.]* R [0-9.]* F1 [0-9.]*' "$log")
  dup=$(grep -o 'near-duplicates found .*' "$log")
  dlog="$DIR/dups-$n.log"
  "$RUN" "$corpus" duplicates-only > "$dlog"
  dup_s=$(grep -o 'near-duplicates [0-9.]* s' "$dlog" | awk '{print $2}')
  feat_s=$(grep -o 'read+features [0-9.]* s' "$dlog" | awk '{print $2}')
  rows+=("$(printf '%-8s | %-8s | %7s s (%s) | %6d MB | %s | %s | %s | features %s s, near-dup pass %s s' "$n" "$wall" "$cpu" "$share" $((rss_kb / 1024)) "$load" "$b3" "$dup" "$feat_s" "$dup_s")")
  if [[ "$n" == "100000" ]]; then
    pip install --user -q datasketch >/dev/null 2>&1 || pip install --user datasketch
    ds=$(python3 scripts/cluster_datasketch.py "$corpus")
    echo "$ds"
    ds_total=$(echo "$ds" | grep -o 'total [0-9.]* s' | awk '{print $2}')
    ours=$(echo "$feat_s + $dup_s" | bc -l)
    ratio=$(echo "$ds_total / $ours" | bc -l)
    rows+=("$(printf 'datasketch MinHashLSH on 100k: %s s (candidates only) vs corroborate features+near-duplicates %.2f s (candidates + sentence alignment): %.1fx' "$ds_total" "$ours" "$ratio")")
  fi
done
echo
echo "articles | wall     | CPU user+sys (share) | peak RSS  | load avg before (1/5/15 min) | stories | near-duplicates | phases"
printf '%s\n' "${rows[@]}"
