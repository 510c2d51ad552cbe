#!/usr/bin/env bash
# The HTML report at scale (issue 13): writes the report of a generated corpus
# (`corroborate-bench gen`, default 5,000 articles) and checks that it stays under 20 MB and that
# headless Chromium opens it in under 3 s. Opening time is the time to the first screenshot at
# 1,400 px minus the same for an empty page (Chromium's own start-up), best of three each.
# Prints 'skipped: …' and exits 0 without chromium.
# usage: scripts/html-scale.sh [ARTICLES]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5000}
chromium_bin="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$chromium_bin" ]; then
  echo "skipped: needs chromium (apt-get install chromium)"
  exit 0
fi
bin=${CARGO_TARGET_DIR:-target}/release
cargo build --release -q --locked -p corroborate-cli -p corroborate-bench
mkdir -p .bench
corpus=.bench/corpus-$n
[ -d "$corpus" ] || "$bin"/corroborate-bench gen --articles "$n" --out "$corpus"
page="$PWD/.bench/report-$n.html"
"$bin"/corroborate analyze "$corpus" -q -f html -o "$page" || [ $? -eq 1 ]
blank="$PWD/.bench/blank.html"
printf '<!DOCTYPE html><title>blank</title>\n' > "$blank"
best() {
  local url=$1 best=
  for _ in 1 2 3; do
    local start end t
    start=$(date +%s%N)
    "$chromium_bin" --headless --no-sandbox --disable-gpu --hide-scrollbars \
      --window-size=1400,1300 --screenshot=.bench/shot.png "file://$url" >/dev/null 2>&1
    end=$(date +%s%N)
    t=$(( (end - start) / 1000000 ))
    if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
  done
  echo "$best"
}
bytes=$(stat -c %s "$page")
empty_ms=$(best "$blank")
page_ms=$(best "$page")
open_ms=$(( page_ms - empty_ms ))
printf 'HTML report of %s articles: %.1f MB; Chromium %s ms to first screenshot (empty page %s ms): opens in %s ms; load average %s\n' \
  "$n" "$(echo "$bytes / 1000000" | bc -l)" "$page_ms" "$empty_ms" "$open_ms" "$(cut -d' ' -f1 /proc/loadavg)"
status=0
if [ "$bytes" -ge 20000000 ]; then echo "FAIL: the page is 20 MB or more" >&2; status=1; fi
if [ "$open_ms" -ge 3000 ]; then echo "FAIL: the page takes 3 s or more to open" >&2; status=1; fi
exit $status
