#!/usr/bin/env bash
# Load figures for `corroborate serve` (issue 11), end to end on loopback: generates N articles
# (default 100,000) with `corroborate-bench gen`, ingests them through the API (JSON Lines,
# 200 records per request, 2 clients) and times how long until every one is analysed, placed
# and aligned; then measures story pages and API reads with wrk (bounded: fixed duration and
# connections, as many requests as the server answers) and, when oha is installed (`cargo
# install oha`), at a fixed rate with latencies corrected for coordinated omission (the
# issue's target: 2,000 requests/s with p99 under 50 ms). A measurement, not a test: it is not
# run in CI.
#
# Usage: scripts/load-test.sh [N] [sqlite|postgres|both]
# Environment: BIN (the server binary, default the release build), NO_BUILD=1 (use the
# binaries as they are), DURATION (wrk run per target, default 20s), CONNECTIONS (default
# 32), RATE (oha's fixed rate, default 2000 requests/s), CONFIG_EXTRA (lines added to the server's configuration file, e.g. `align_wait_ms = 0`
# to align after every batch), DATABASE_URL (PostgreSQL, default postgres://postgres@127.0.0.1:5432/test; a fresh
# schema is used and dropped), WORK (working folder, default a temporary one; the corpus is
# kept there between runs when set).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100000}"
backends="${2:-both}"
duration="${DURATION:-20s}"
connections="${CONNECTIONS:-32}"
rate="${RATE:-2000}"
oha="$(command -v oha || true)"
[ -n "$oha" ] || echo "notice: oha not found (cargo install oha): no fixed-rate runs" >&2
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
if [ -z "${NO_BUILD:-}" ]; then
  cargo build --release --locked -p corroborate-cli -p corroborate-bench
fi
bin="${BIN:-${CARGO_TARGET_DIR:-target}/release/corroborate}"
bench="${CARGO_TARGET_DIR:-target}/release/corroborate-bench"
work="${WORK:-$(mktemp -d)}"
mkdir -p "$work"
pid=""
schema=""
db="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -n "$schema" ]; then psql -q "$db" -c "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1 || true; fi
  if [ -z "${WORK:-}" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT

# The corpus in $work is reused only when it has N articles (the batches are overwritten).
if [ "$(cat "$work/corpus.n" 2>/dev/null)" != "$n" ]; then
  rm -rf "$work/corpus" "$work/batches"
  "$bench" gen --articles "$n" --out "$work/corpus"
  # Front matter + text -> article records, 200 per request body.
  python3 scripts/jsonl_batches.py "$work/corpus" "$work/batches"
  echo "$n" > "$work/corpus.n"
fi
cat > "$work/desk.toml" <<EOF
ingest_per_minute = 1000000
${CONFIG_EXTRA:-}
EOF
cat > "$work/paths.lua" <<'EOF'
-- Requests cycle through the paths listed in the file named by the first argument.
local paths, i = {}, 0
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
end
function request()
  i = i % #paths + 1
  return wrk.format(nil, paths[i])
end
EOF
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"
results="$work/results.md"
echo "| backend | what | figure | load average (1, 5, 15 min) before → after |" > "$results"
echo "|---|---|---|---|" >> "$results"
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

run() {
  local backend="$1" database_args=()
  if [ "$backend" = postgres ]; then
    schema="load_test_$$"
    if ! psql -q "$db" -c "CREATE SCHEMA $schema" >/dev/null 2>&1; then
      echo "skipped: no PostgreSQL at $db"; schema=""; return
    fi
    database_args=(--database "$db?options=-c%20search_path%3D$schema")
  fi
  rm -rf "$work/data"
  "$bin" serve --config "$work/desk.toml" --data-dir "$work/data" "${database_args[@]}" \
    --listen "127.0.0.1:$port" 2>"$work/server-$backend.log" >/dev/null &
  pid=$!
  for _ in $(seq 200); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.05; done
  local start acked drained load_before
  load_before="$(loadavg)"
  start=$(date +%s.%N)
  ls "$work"/batches/*.jsonl | xargs -P 2 -I{} curl -sf -o /dev/null \
    -H 'content-type: application/x-ndjson' --data-binary @{} "$url/api/articles"
  acked=$(date +%s.%N)
  while :; do
    left="$(curl -sf "$url/api/ingest?limit=1" | jq '.counts.pending + .counts.running + (if .busy then 1 else 0 end)')"
    [ "$left" = 0 ] && break
    sleep 0.5
  done
  drained=$(date +%s.%N)
  local stored failed
  stored="$(curl -sf "$url/metrics" | awk '/^corroborate_articles_stored_total/ {print $2}')"
  failed="$(curl -sf "$url/api/ingest?limit=1" | jq .counts.failed)"
  python3 - "$backend" "$stored" "$failed" "$load_before" "$(loadavg)" "$start" "$acked" "$drained" >> "$results" <<'PY'
import sys
backend, stored, failed, before, after = sys.argv[1], int(sys.argv[2]), *sys.argv[3:6]
start, acked, drained = map(float, sys.argv[6:])
print(f"| {backend} | ingest through the API: {stored:,} articles stored ({failed} failed) | "
      f"**{stored / (drained - start):,.0f} articles/s** analysed, placed and aligned "
      f"({drained - start:,.0f} s); accepted at {stored / (acked - start):,.0f}/s | {before} → {after} |")
PY
  curl -sf "$url/api/stories?limit=200" | jq -r '.items[].id' > "$work/ids"
  sed 's|^|/stories/|' "$work/ids" > "$work/story-pages"
  sed 's|^|/api/stories/|' "$work/ids" > "$work/api-stories"
  seq 0 20 980 | sed 's|^|/api/stories?limit=20\&offset=|' > "$work/api-lists"
  if [ "$backend" = postgres ]; then
    # Autovacuum after a bulk load takes CPU from the server for a while; reads are measured
    # once it is done (at most 5 minutes), and the wait is reported.
    local waited=0
    while [ "$waited" -lt 300 ] && [ "$(psql -Atq "$db" -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")" != 0 ]; do
      sleep 1; waited=$((waited + 1))
    done
    echo "| $backend | waited for autovacuum | ${waited} s | $(loadavg) |" >> "$results"
  fi
  for target in story-pages api-stories api-lists; do
    load_before="$(loadavg)"
    wrk -t2 -c"$connections" -d"$duration" --latency -s "$work/paths.lua" "$url" -- "$work/$target" \
      > "$work/wrk-$backend-$target.txt"
    python3 - "$backend" "$target" "$work/wrk-$backend-$target.txt" "$load_before" "$(loadavg)" >> "$results" <<'PY'
import re, sys
backend, target, text, before, after = sys.argv[1], sys.argv[2], open(sys.argv[3]).read(), *sys.argv[4:]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
# Lines of the latency distribution only ("87.99%" in the stats above is not one).
p50 = re.search(r"^\s*50%\s+(\S+)", text, re.M).group(1)
p99 = re.search(r"^\s*99%\s+(\S+)", text, re.M).group(1)
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"| {backend} | {target} (wrk, 2 threads) | **{rps:,.0f} req/s**, p50 {p50}, p99 {p99}"
      f"{', ' + errors.group(1) + ' non-2xx' if errors else ''} | {before} → {after} |")
PY
  done
  for target in story-pages api-stories api-lists; do
    [ -n "$oha" ] || break
    sed "s|^|$url|" "$work/$target" > "$work/$target.urls"
    load_before="$(loadavg)"
    "$oha" -z "$duration" -q "$rate" -c "$connections" --latency-correction --no-tui \
      --output-format json --urls-from-file "$work/$target.urls" > "$work/oha-$backend-$target.json"
    python3 - "$backend" "$target" "$work/oha-$backend-$target.json" "$rate" "$load_before" "$(loadavg)" >> "$results" <<'PY'
import json, sys
backend, target, path, rate, before, after = sys.argv[1:]
run = json.load(open(path))
summary, latency = run["summary"], run["latencyPercentiles"]
codes = run.get("statusCodeDistribution", {})
bad = sum(n for code, n in codes.items() if not code.startswith(("2", "3")))
print(f"| {backend} | {target} (oha at {int(rate):,} req/s) | **{summary['requestsPerSec']:,.0f} req/s**, "
      f"p50 {latency['p50'] * 1000:.2f} ms, p99 {latency['p99'] * 1000:.2f} ms"
      f"{f', {bad} non-2xx' if bad else ''} | {before} → {after} |")
PY
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  if [ -n "$schema" ]; then psql -q "$db" -c "DROP SCHEMA $schema CASCADE" >/dev/null; schema=""; fi
}

case "$backends" in
  both) run sqlite; run postgres ;;
  *) run "$backends" ;;
esac
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $n articles, wrk -t2 -c$connections -d$duration${oha:+, oha -c$connections -q$rate -z$duration}, $(nproc) cores:"
cat "$results"
