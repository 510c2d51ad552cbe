#!/usr/bin/env bash
# Verdict and quote-speaker accuracy on the real dev sets in ../shared/testdata, printed by
# their own scorers: basil-dev (alarm precision, discrepancy and single-source recall, trap
# hits) and polnear-dev (direct quotes found, speakers right).
# usage: scripts/accuracy.sh [BINARY] [-v]   (default binary: target/release/corroborate)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/corroborate}
shift || true
data=../shared/testdata
if [ ! -d "$data/basil-dev" ] || [ ! -d "$data/polnear-dev" ]; then
  echo "skipped: $data/basil-dev or $data/polnear-dev not found"
  exit 0
fi
[ -x "$bin" ] || cargo build --release --locked -p corroborate-cli
echo "== basil-dev ($(date -u +%F), $bin)"
python3 "$data/basil-dev/score.py" "$data/basil-dev/keys" "$data/basil-dev/events" "$bin" "$@"
echo "== polnear-dev"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for f in "$data"/polnear-dev/text/*.txt; do
  "$bin" analyze -f json "$f" > "$out/$(basename "$f" .txt).json" 2>/dev/null || true
done
python3 "$data/polnear-dev/score.py" "$data/polnear-dev/direct-quotes-gold.json" "$out" 0 0
